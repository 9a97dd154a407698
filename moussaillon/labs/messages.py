"""What the labs say to students, French first."""

MESSAGES: dict[str, dict[str, str]] = {
    # -- the service ----------------------------------------------------------------------
    "labs.not_found": {
        "fr": "Je ne connais pas de TP « {lab_id} ».",
        "en": "There is no lab “{lab_id}”.",
    },
    "labs.step_not_found": {
        "fr": "Le TP « {lab_id} » n'a pas d'étape {step} (il en compte {count}).",
        "en": "Lab “{lab_id}” has no step {step} (it has {count}).",
    },
    "labs.step_without_check": {
        "fr": "L'étape {step} de ce TP ne se vérifie pas automatiquement : "
        "marquez-la comme faite quand vous avez terminé.",
        "en": "Step {step} of this lab cannot be checked automatically: "
        "mark it done when you have finished.",
    },
    "labs.correction_locked": {
        "fr": "La correction de « {title} » n'est pas encore disponible : terminez toutes les "
        "étapes ({done}/{total}) ou attendez que votre formateur la publie.",
        "en": "The solution of “{title}” is not available yet: finish every step "
        "({done}/{total}) or wait for your instructor to release it.",
    },
    "labs.invalid": {
        "fr": "Le TP {file} est invalide : {detail}",
        "en": "Lab {file} is invalid: {detail}",
    },
    "labs.status.not_started": {"fr": "pas commencé", "en": "not started"},
    "labs.status.in_progress": {
        "fr": "en cours {done}/{total}",
        "en": "in progress {done}/{total}",
    },
    "labs.status.done": {"fr": "terminé", "en": "done"},
    "labs.sandbox.full": {
        "fr": "Faisable en entier dans le bac à sable.",
        "en": "Can be done entirely in the sandbox.",
    },
    "labs.sandbox.partial": {
        "fr": "Faisable en partie dans le bac à sable.",
        "en": "Partly doable in the sandbox.",
    },
    "labs.sandbox.none": {
        "fr": "À faire sur votre propre machine : le bac à sable ne le permet pas.",
        "en": "To be done on your own machine: the sandbox cannot do it.",
    },
    # -- check findings -------------------------------------------------------------------
    "labs.check.network_exists.ok": {
        "fr": "Le réseau « {name} » existe.",
        "en": "Network “{name}” exists.",
    },
    "labs.check.network_exists.missing": {
        "fr": "Le réseau « {name} » n'existe pas encore.",
        "en": "Network “{name}” does not exist yet.",
    },
    "labs.check.volume_exists.ok": {
        "fr": "Le volume « {name} » existe.",
        "en": "Volume “{name}” exists.",
    },
    "labs.check.volume_exists.missing": {
        "fr": "Le volume « {name} » n'existe pas encore.",
        "en": "Volume “{name}” does not exist yet.",
    },
    "labs.check.network_absent.ok": {
        "fr": "Le réseau « {name} » a bien été supprimé.",
        "en": "Network “{name}” is gone.",
    },
    "labs.check.network_absent.present": {
        "fr": "Le réseau « {name} » existe encore : supprimez-le.",
        "en": "Network “{name}” still exists: remove it.",
    },
    "labs.check.volume_absent.ok": {
        "fr": "Le volume « {name} » a bien été supprimé.",
        "en": "Volume “{name}” is gone.",
    },
    "labs.check.volume_absent.present": {
        "fr": "Le volume « {name} » existe encore : supprimez-le.",
        "en": "Volume “{name}” still exists: remove it.",
    },
    "labs.check.container_absent.ok": {
        "fr": "Plus de conteneur « {name} ».",
        "en": "No container “{name}” any more.",
    },
    "labs.check.container_absent.present": {
        "fr": "Le conteneur « {name} » existe encore : supprimez-le.",
        "en": "Container “{name}” still exists: remove it.",
    },
    "labs.check.container.ok": {
        "fr": "Le conteneur « {name} » est comme attendu.",
        "en": "Container “{name}” is as expected.",
    },
    "labs.check.container.missing": {
        "fr": "Aucun conteneur nommé « {name} » (pensez à --name {name}).",
        "en": "No container named “{name}” (remember --name {name}).",
    },
    "labs.check.container.not_running": {
        "fr": "Le conteneur « {name} » ne tourne pas (état : {state}).",
        "en": "Container “{name}” is not running (state: {state}).",
    },
    "labs.check.container.still_running": {
        "fr": "Le conteneur « {name} » tourne encore : arrêtez-le.",
        "en": "Container “{name}” is still running: stop it.",
    },
    "labs.check.container.image": {
        "fr": "Le conteneur « {name} » vient de l'image « {actual} », pas de « {expected} ».",
        "en": "Container “{name}” comes from image “{actual}”, not “{expected}”.",
    },
    "labs.check.container.network": {
        "fr": "Le conteneur « {name} » n'est pas branché sur le réseau « {network} » "
        "(ses réseaux : {actual}).",
        "en": "Container “{name}” is not attached to network “{network}” (its networks: {actual}).",
    },
    "labs.check.container.published": {
        "fr": "Le conteneur « {name} » ne publie pas le port {port} (ses publications : {actual}).",
        "en": "Container “{name}” does not publish port {port} (its mappings: {actual}).",
    },
    "labs.check.container.mount": {
        "fr": "Le conteneur « {name} » ne monte pas le volume {mount}.",
        "en": "Container “{name}” does not mount volume {mount}.",
    },
    "labs.check.survives.ok": {
        "fr": "Le volume « {volume} » a survécu à la suppression de « {container} ».",
        "en": "Volume “{volume}” survived the removal of “{container}”.",
    },
    "labs.check.survives.not_removed": {
        "fr": "Le conteneur « {container} » n'a pas encore été supprimé : supprimez-le, "
        "le volume « {volume} » doit lui survivre.",
        "en": "Container “{container}” has not been removed yet: remove it, "
        "volume “{volume}” must outlive it.",
    },
    "labs.check.survives.recreated_without": {
        "fr": "« {container} » a été recréé sans le volume « {volume} » : ses données sont "
        "ailleurs.",
        "en": "“{container}” was recreated without volume “{volume}”: its data is elsewhere.",
    },
    "labs.check.count.all": {
        "fr": "conteneurs (arrêtés compris)",
        "en": "containers (stopped included)",
    },
    "labs.check.count.running": {"fr": "conteneurs en marche", "en": "running containers"},
    "labs.check.count.image": {"fr": " de l'image « {image} »", "en": " from image “{image}”"},
    "labs.check.count.ok": {
        "fr": "{actual} {what}, comme attendu.",
        "en": "{actual} {what}, as expected.",
    },
    "labs.check.count.wrong": {
        "fr": "Il y a {actual} {what}, il en faut {expected}.",
        "en": "There are {actual} {what}, {expected} expected.",
    },
    "labs.check.at_least.ok": {
        "fr": "{actual} {what} (au moins {expected}).",
        "en": "{actual} {what} (at least {expected}).",
    },
    "labs.check.at_least.wrong": {
        "fr": "Il y a {actual} {what}, il en faut au moins {expected}.",
        "en": "There are {actual} {what}, at least {expected} expected.",
    },
    "labs.check.image_present.ok": {
        "fr": "L'image « {image} » est présente.",
        "en": "Image “{image}” is present.",
    },
    "labs.check.image_present.missing": {
        "fr": "L'image « {image} » n'est pas présente.",
        "en": "Image “{image}” is not present.",
    },
    "labs.check.image_absent.ok": {
        "fr": "L'image « {image} » a bien disparu.",
        "en": "Image “{image}” is gone.",
    },
    "labs.check.image_absent.present": {
        "fr": "L'image « {image} » est encore là : supprimez-la.",
        "en": "Image “{image}” is still there: remove it.",
    },
    "labs.check.output.ok": {
        "fr": "La dernière sortie contient « {text} ».",
        "en": "The last output contains “{text}”.",
    },
    "labs.check.output.missing": {
        "fr": "La sortie de votre dernière commande ne contient pas « {text} ».",
        "en": "The output of your last command does not contain “{text}”.",
    },
    "labs.check.output.wrong_command": {
        "fr": "On attend « {text} » dans la sortie de {command} : c'est cette commande qu'il faut "
        "lancer en dernier.",
        "en": "“{text}” is expected in the output of {command}: run that command last.",
    },
    "labs.check.file.ok": {
        "fr": "Le fichier {path} de « {name} » est comme attendu.",
        "en": "File {path} in “{name}” is as expected.",
    },
    "labs.check.file.missing": {
        "fr": "Le fichier {path} n'existe pas dans « {name} ».",
        "en": "File {path} does not exist in “{name}”.",
    },
    "labs.check.file.lacks": {
        "fr": "Le fichier {path} de « {name} » ne contient pas « {text} ».",
        "en": "File {path} in “{name}” does not contain “{text}”.",
    },
    "labs.check.file_absent.ok": {
        "fr": "Le fichier {path} n'existe pas dans « {name} », comme attendu.",
        "en": "File {path} does not exist in “{name}”, as expected.",
    },
    "labs.check.file_absent.present": {
        "fr": "Le fichier {path} existe dans « {name} » : il n'aurait pas dû pouvoir être créé.",
        "en": "File {path} exists in “{name}”: it should not have been possible to create it.",
    },
    "labs.check.output.empty": {
        "fr": "Votre dernière commande n'a rien affiché ; on attend « {text} ».",
        "en": "Your last command printed nothing; “{text}” is expected.",
    },
    "labs.check.output_lacks.ok": {
        "fr": "La dernière sortie ne contient pas « {text} », comme attendu.",
        "en": "The last output does not contain “{text}”, as expected.",
    },
    "labs.check.output_lacks.present": {
        "fr": "La sortie de votre dernière commande contient « {text} » : ce n'est pas la bonne "
        "commande.",
        "en": "The output of your last command contains “{text}”: not the expected command.",
    },
    "labs.check.any_of.none": {
        "fr": "Aucune des possibilités n'est remplie : {options}.",
        "en": "None of the alternatives holds: {options}.",
    },
    "labs.check.built.ok": {
        "fr": "L'image « {image} » est construite comme attendu.",
        "en": "Image “{image}” is built as expected.",
    },
    "labs.check.built.missing": {
        "fr": "Vous n'avez pas encore d'image « {image} » : construisez-la avec docker build -t {image} …",
        "en": "You have no image “{image}” yet: build it with docker build -t {image} …",
    },
    "labs.check.built.not_built_here": {
        "fr": "L'image « {image} » n'a pas été construite ici par docker build (étiquetée ou copiée ?) : reconstruisez-la.",
        "en": "Image “{image}” was not built here by docker build (tagged or committed?): build it again.",
    },
    "labs.check.built.stages": {
        "fr": "L'image « {image} » vient d'un Dockerfile à {actual} étape(s), il en faut {expected} (une par FROM).",
        "en": "Image “{image}” comes from a Dockerfile with {actual} stage(s), {expected} expected (one per FROM).",
    },
    "labs.check.built.base": {
        "fr": "L'image « {image} » ne part pas de « {base} » (ses FROM : {actual}).",
        "en": "Image “{image}” does not start from “{base}” (its FROM: {actual}).",
    },
    "labs.check.built.root": {
        "fr": "L'image « {image} » tourne encore en root : ajoutez une instruction USER avec un autre utilisateur.",
        "en": "Image “{image}” still runs as root: add a USER instruction with another user.",
    },
    "labs.check.built.not_root": {
        "fr": "L'image « {image} » tourne sous « {user} », on l'attend en root.",
        "en": "Image “{image}” runs as “{user}”, root is expected.",
    },
    "labs.check.built.no_healthcheck": {
        "fr": "L'image « {image} » n'a pas de sonde de santé : ajoutez une instruction HEALTHCHECK.",
        "en": "Image “{image}” has no health check: add a HEALTHCHECK instruction.",
    },
    "labs.check.built.healthcheck": {
        "fr": "L'image « {image} » a une sonde de santé, on l'attend sans.",
        "en": "Image “{image}” has a health check, none is expected.",
    },
    "labs.check.built.exposes": {
        "fr": "L'image « {image} » n'annonce pas le port {port} (EXPOSE : {actual}).",
        "en": "Image “{image}” does not declare port {port} (EXPOSE: {actual}).",
    },
    "labs.check.built.size": {
        "fr": "L'image « {image} » pèse {size} Mo, il faut moins de {bound} Mo.",
        "en": "Image “{image}” weighs {size} MB, less than {bound} MB expected.",
    },
    "labs.check.built.layers": {
        "fr": "L'image « {image} » a {layers} couches, il en faut {bound} au plus.",
        "en": "Image “{image}” has {layers} layers, at most {bound} expected.",
    },
    "labs.check.size_order.ok": {
        "fr": "Les tailles vont dans le bon ordre (en Mo) : {sizes}.",
        "en": "The sizes come in the right order (in MB): {sizes}.",
    },
    "labs.check.size_order.not_smaller": {
        "fr": "« {small} » ({small_size} Mo) devrait être plus petite que « {large} » ({large_size} Mo).",
        "en": "“{small}” ({small_size} MB) should be smaller than “{large}” ({large_size} MB).",
    },
    "labs.check.any_of.separator": {"fr": " ; ou bien : ", "en": "; or else: "},
    # -- Telegram and REST ----------------------------------------------------------------
    "labs.no_sandbox": {
        "fr": "Le bac à sable Docker n'est pas disponible sur ce serveur : faites cette étape sur "
        "votre machine, puis marquez-la comme faite.",
        "en": "The Docker sandbox is not available on this server: do this step on your own "
        "machine, then mark it done.",
    },
    "labs.no_workspace": {
        "fr": "Les fichiers de travail ne sont pas disponibles sur ce serveur : prenez ceux du TP sur votre machine.",
        "en": "Workspace files are not available on this server: take the lab's files on your own machine.",
    },
    "labs.no_starter": {
        "fr": "Le TP « {title} » ne fournit pas de fichiers de départ.",
        "en": "Lab “{title}” comes with no starter files.",
    },
    "labs.no_correction_files": {
        "fr": "La correction du TP « {title} » n'a pas de fichiers à charger : tout est dans ses commandes.",
        "en": "The solution of lab “{title}” has no files to load: it is all in its commands.",
    },
    "labs.tg.seeded": {
        "fr": "📁 Fichiers du TP placés dans votre espace : {files}. /fichiers les liste, /voir NOM en montre un.",
        "en": "📁 The lab's files are in your workspace: {files}. /fichiers lists them, /voir NAME shows one.",
    },
    "labs.tg.kept": {
        "fr": "📁 Vous aviez déjà {files} : vos versions sont gardées. /tp {order} fichiers les remplace par celles du TP.",
        "en": "📁 You already had {files}: your versions are kept. /tp {order} fichiers replaces them with the lab's.",
    },
    "labs.tg.starter_note": {
        "fr": "📁 Ce TP fournit des fichiers ({files}) : /tp {order} fichiers les remet dans votre espace, à la place des vôtres de même nom.",
        "en": "📁 This lab comes with files ({files}): /tp {order} fichiers puts them back in your workspace, over yours of the same name.",
    },
    "labs.tg.starter_loaded": {
        "fr": "📁 Fichiers de départ remis dans votre espace : {files}.",
        "en": "📁 Starter files put back in your workspace: {files}.",
    },
    "labs.tg.correction_files": {
        "fr": "📁 Fichiers de la correction : {files}. /tp {order} correction les charge dans votre espace.",
        "en": "📁 The solution's files: {files}. /tp {order} correction loads them into your workspace.",
    },
    "labs.tg.correction_loaded": {
        "fr": "📁 Correction chargée dans votre espace : {files}. Vos autres fichiers n'ont pas bougé.",
        "en": "📁 Solution loaded into your workspace: {files}. Your other files are untouched.",
    },
    "labs.tg.cmd_tp": {"fr": "Travaux pratiques (TP)", "en": "Hands-on labs"},
    "labs.tg.list_title": {
        "fr": "🧪 <b>Travaux pratiques</b> · {done}/{total} terminés\n"
        "Choisissez un TP : vous reprendrez là où vous en étiez.",
        "en": "🧪 <b>Hands-on labs</b> · {done}/{total} done\n"
        "Pick a lab: you will resume where you left off.",
    },
    "labs.tg.empty": {
        "fr": "Aucun TP n'est disponible pour le moment.",
        "en": "No lab is available yet.",
    },
    "labs.tg.header": {
        "fr": "🧪 <b>TP {order} · {title}</b>",
        "en": "🧪 <b>Lab {order} · {title}</b>",
    },
    "labs.tg.objective": {"fr": "🎯 <b>Objectif</b>", "en": "🎯 <b>Objective</b>"},
    "labs.tg.limitations": {
        "fr": "⚠️ <b>Ce que le bac à sable ne permet pas</b>",
        "en": "⚠️ <b>What the sandbox cannot do</b>",
    },
    "labs.tg.prerequisites": {
        "fr": "📚 À lire avant : les sections du cours en boutons ci-dessous.",
        "en": "📚 Read first: the course sections in the buttons below.",
    },
    "labs.tg.step": {"fr": "<b>Étape {step}/{total}</b>", "en": "<b>Step {step}/{total}</b>"},
    "labs.tg.step_done": {"fr": " ✅ faite", "en": " ✅ done"},
    "labs.tg.how_to_run": {
        "fr": "Tapez vos commandes avec /docker, puis appuyez sur « Vérifier ».",
        "en": "Type your commands with /docker, then press “Check”.",
    },
    "labs.tg.finished": {
        "fr": "🎉 Toutes les étapes sont faites : la correction est disponible.",
        "en": "🎉 Every step is done: the solution is available.",
    },
    "labs.tg.hint": {"fr": "💡 <b>Indice</b>", "en": "💡 <b>Hint</b>"},
    "labs.tg.marked_done": {
        "fr": "✅ Étape {step} notée comme faite.",
        "en": "✅ Step {step} marked as done.",
    },
    "labs.tg.check_ok": {
        "fr": "✅ <b>Étape {step} validée</b> sur votre bac à sable.",
        "en": "✅ <b>Step {step} passed</b> on your sandbox.",
    },
    "labs.tg.check_ko": {
        "fr": "❌ <b>Étape {step} pas encore validée</b> :",
        "en": "❌ <b>Step {step} not passed yet</b>:",
    },
    "labs.tg.correction": {"fr": "📝 <b>Correction</b>", "en": "📝 <b>Solution</b>"},
    "labs.tg.btn_hint": {"fr": "💡 Indice", "en": "💡 Hint"},
    "labs.tg.btn_done": {"fr": "✅ Fait", "en": "✅ Done"},
    "labs.tg.btn_check": {"fr": "🔍 Vérifier", "en": "🔍 Check"},
    "labs.tg.btn_next": {"fr": "Étape suivante ➡️", "en": "Next step ➡️"},
    "labs.tg.btn_previous": {"fr": "⬅️ Étape précédente", "en": "⬅️ Previous step"},
    "labs.tg.btn_correction": {"fr": "📝 Correction", "en": "📝 Solution"},
    "labs.tg.btn_list": {"fr": "🧪 Tous les TP", "en": "🧪 All labs"},
    "labs.tg.legend": {
        "fr": "▫️ pas commencé · ⏳ en cours · ✅ terminé",
        "en": "▫️ not started · ⏳ in progress · ✅ done",
    },
    "labs.tg.btn_prev_step": {"fr": "⬅️ Étape {step}", "en": "⬅️ Step {step}"},
    "labs.tg.btn_next_step": {"fr": "Étape {step} ➡️", "en": "Step {step} ➡️"},
    "labs.tg.btn_read": {"fr": "📚 À lire ({count})", "en": "📚 Read ({count})"},
    "labs.tg.btn_about": {"fr": "🎯 Objectif", "en": "🎯 Objective"},
    "labs.tg.btn_back": {"fr": "⬅️ Retour au TP", "en": "⬅️ Back to the lab"},
    "labs.tg.btn_verify": {
        "fr": "🔍 Vérifier l'étape {step} du TP {order}",
        "en": "🔍 Check step {step} of lab {order}",
    },
    "labs.api.correction_needs_token": {
        "fr": "La correction se demande avec un jeton (Authorization: Bearer …, voir /token).",
        "en": "Ask for the solution with a token (Authorization: Bearer …, see /token).",
    },
}
