"""Sandbox catalogue: parser errors (docker's wording, lightly translated) and policy refusals.

Each refusal is one line saying why, then what to do instead. No HTML-special characters: the
caller may send these as HTML.
"""

from __future__ import annotations

_SEE = {"fr": "\nVoir '{command} --help'.", "en": "\nSee '{command} --help'."}


def _syntax(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr + _SEE["fr"], "en": en + _SEE["en"]}


MESSAGES: dict[str, dict[str, str]] = {
    # --- the command line does not parse ------------------------------------------------------
    "sandbox.syntax.empty": {
        "fr": "Commande vide : tapez une commande docker, par exemple docker ps",
        "en": "Empty command: type a docker command, for example docker ps",
    },
    "sandbox.syntax.not_docker": {
        "fr": "« {word} » n'est pas une commande docker : les commandes commencent par docker,"
        " par exemple docker run --rm alpine echo bonjour",
        "en": "'{word}' is not a docker command: commands start with docker,"
        " for example docker run --rm alpine echo hello",
    },
    "sandbox.syntax.too_long": {
        "fr": "Commande trop longue (plus de {limit} octets) : raccourcissez-la.",
        "en": "Command too long (over {limit} bytes): make it shorter.",
    },
    "sandbox.syntax.control_char": {
        "fr": "La commande contient un caractère de contrôle ({code}) :"
        " retapez-la sans copier-coller.",
        "en": "The command contains a control character ({code}): retype it instead of pasting.",
    },
    "sandbox.syntax.quotes": {
        "fr": "Guillemets non fermés : chaque ' ou \" ouvert doit être refermé,"
        " par exemple sh -c 'echo bonjour'",
        "en": "Unbalanced quotes: every ' or \" you open must be closed,"
        " for example sh -c 'echo hello'",
    },
    "sandbox.syntax.shell_operator": {
        "fr": "{operator} est un opérateur du shell : ici, chaque message est une seule commande"
        " docker, sans shell. Pour l'utiliser dans le conteneur : docker run --rm alpine"
        " sh -c 'ls / | head -3'",
        "en": "{operator} is a shell operator: here each message is one docker command, without"
        " a shell. To use it inside the container: docker run --rm alpine sh -c 'ls / | head -3'",
    },
    "sandbox.syntax.substitution": {
        "fr": "$(...) est une substitution du shell, impossible ici : nommez les conteneurs"
        " (docker rm -f web db) ou utilisez docker container prune -f",
        "en": "$(...) is a shell substitution, not possible here: name the containers"
        " (docker rm -f web db) or use docker container prune -f",
    },
    "sandbox.syntax.several_lines": {
        "fr": "Une seule commande par message : envoyez chaque ligne séparément.",
        "en": "One command per message: send each line separately.",
    },
    "sandbox.syntax.unknown_command": {
        "fr": "docker: '{name}' n'est pas une commande docker.\nVoir 'docker --help'.",
        "en": "docker: '{name}' is not a docker command.\nSee 'docker --help'.",
    },
    "sandbox.syntax.global_flag": {
        "fr": "L'option globale {flag} n'est pas disponible : le bac à sable choisit lui-même"
        " son moteur Docker. Retirez-la, par exemple docker ps",
        "en": "The global option {flag} is not available: the sandbox picks its own Docker"
        " engine. Remove it, for example docker ps",
    },
    "sandbox.syntax.unknown_flag": _syntax("option inconnue : {flag}", "unknown flag: {flag}"),
    "sandbox.syntax.unknown_shorthand": _syntax(
        "option courte inconnue : '{char}' dans {arg}", "unknown shorthand flag: '{char}' in {arg}"
    ),
    "sandbox.syntax.needs_argument": _syntax(
        "l'option attend une valeur : {flag}", "flag needs an argument: {flag}"
    ),
    "sandbox.syntax.invalid_value": _syntax(
        'valeur invalide "{value}" pour l\'option "{flag}"',
        'invalid argument "{value}" for "{flag}" flag',
    ),
    "sandbox.syntax.no_args": _syntax(
        '"{command}" n\'accepte aucun argument.', '"{command}" accepts no arguments.'
    ),
    "sandbox.syntax.exact_args_one": _syntax(
        '"{command}" attend exactement 1 argument.', '"{command}" requires exactly 1 argument.'
    ),
    "sandbox.syntax.exact_args": _syntax(
        '"{command}" attend exactement {count} arguments.',
        '"{command}" requires exactly {count} arguments.',
    ),
    "sandbox.syntax.min_args_one": _syntax(
        '"{command}" attend au moins 1 argument.', '"{command}" requires at least 1 argument.'
    ),
    "sandbox.syntax.min_args": _syntax(
        '"{command}" attend au moins {count} arguments.',
        '"{command}" requires at least {count} arguments.',
    ),
    "sandbox.syntax.max_args_one": _syntax(
        '"{command}" attend au plus 1 argument.', '"{command}" requires at most 1 argument.'
    ),
    "sandbox.syntax.max_args": _syntax(
        '"{command}" attend au plus {count} arguments.',
        '"{command}" requires at most {count} arguments.',
    ),
    "sandbox.syntax.range_args": _syntax(
        '"{command}" attend entre {low} et {high} arguments.',
        '"{command}" requires at least {low} and at most {high} arguments.',
    ),
    "sandbox.syntax.invalid_port": {
        "fr": "Publication de port invalide : {value}. Forme attendue : [PORT_HÔTE:]PORT_CONTENEUR"
        "[/tcp|udp], par exemple -p 8080:80",
        "en": "Invalid port mapping: {value}. Expected [HOST_PORT:]CONTAINER_PORT[/tcp|udp],"
        " for example -p 8080:80",
    },
    "sandbox.syntax.invalid_volume": {
        "fr": "Spécification de volume invalide : '{value}'. Forme attendue : NOM:/chemin[:ro]"
        " ou /chemin, par exemple -v donnees:/data",
        "en": "Invalid volume specification: '{value}'. Expected NAME:/path[:ro] or /path,"
        " for example -v data:/data",
    },
    "sandbox.syntax.invalid_mount": {
        "fr": "--mount invalide : '{value}'. Forme attendue : type=volume,source=NOM,target=/chemin"
        "[,readonly] ou type=tmpfs,target=/chemin",
        "en": "Invalid --mount: '{value}'. Expected type=volume,source=NAME,target=/path"
        "[,readonly] or type=tmpfs,target=/path",
    },
    "sandbox.syntax.invalid_env": {
        "fr": "Variable d'environnement invalide : {value}. Forme attendue : -e CLE=valeur",
        "en": "Invalid environment variable: {value}. Expected -e KEY=value",
    },
    "sandbox.syntax.invalid_filter": {
        "fr": "Filtre mal formé (attendu nom=valeur) : {value}, par exemple --filter status=exited",
        "en": "Bad format of filter (expected name=value): {value},"
        " for example --filter status=exited",
    },
    "sandbox.syntax.invalid_restart": {
        "fr": "Politique de redémarrage invalide : {value}. Valeurs possibles : no, on-failure[:N]",
        "en": "Invalid restart policy: {value}. Possible values: no, on-failure[:N]",
    },
    "sandbox.template.parse": {
        "fr": "Erreur dans le modèle --format : {detail}",
        "en": "template parsing error: {detail}",
    },
    "sandbox.template.exec": {
        "fr": "Erreur à l'exécution du modèle --format : {detail}",
        "en": "template error: {detail}",
    },
    # --- a template or filter over the sandbox's budgets (gotemplate/budget.py) -------------
    "sandbox.template.too_long": {
        "fr": "Modèle --format trop long : {detail}. Le bac à sable accepte {limit} caractères"
        " au plus ; les formats de la documentation docker tiennent en une ligne.",
        "en": "--format template too long: {detail}. The sandbox accepts at most {limit}"
        " characters; the formats in docker's documentation fit on one line.",
    },
    "sandbox.template.too_deep": {
        "fr": "Modèle --format trop imbriqué : {detail}. Le bac à sable accepte {limit} niveaux"
        " de if/range/with ou de parenthèses au plus : simplifiez le modèle.",
        "en": "--format template nested too deep: {detail}. The sandbox accepts at most {limit}"
        " levels of if/range/with or parentheses: simplify the template.",
    },
    "sandbox.template.steps": {
        "fr": "Modèle --format arrêté : {detail}. Le bac à sable arrête un modèle après {steps}"
        " étapes, pour ne pas faire attendre les autres élèves : évitez les range imbriqués"
        " sur de grands nombres.",
        "en": "--format template stopped: {detail}. The sandbox stops a template after {steps}"
        " steps so that other students do not wait: avoid nested range over large numbers.",
    },
    "sandbox.template.timeout": {
        "fr": "Modèle --format arrêté : {detail}. Le bac à sable arrête un modèle après"
        " {seconds} s de calcul : simplifiez-le.",
        "en": "--format template stopped: {detail}. The sandbox stops a template after"
        " {seconds} s of work: simplify it.",
    },
    "sandbox.template.cancelled": {
        "fr": "Modèle --format interrompu : la commande a été annulée.",
        "en": "--format template interrupted: the command was cancelled.",
    },
    "sandbox.template.output": {
        "fr": "Modèle --format arrêté : {detail}. La sortie d'une commande est limitée à"
        " {limit} caractères dans le bac à sable.",
        "en": "--format template stopped: {detail}. A command's output is limited to {limit}"
        " characters in the sandbox.",
    },
    "sandbox.template.memory": {
        "fr": "Modèle --format arrêté : {detail}. Les fonctions d'un modèle peuvent construire"
        " {limit} caractères au plus dans le bac à sable.",
        "en": "--format template stopped: {detail}. A template's functions may build at most"
        " {limit} characters in the sandbox.",
    },
    "sandbox.template.width": {
        "fr": "Erreur dans le modèle --format : {detail}. Largeurs, précisions et nombres"
        " d'espaces (printf, pad) vont de 0 à {limit} dans le bac à sable.",
        "en": "template error: {detail}. Widths, precisions and space counts (printf, pad)"
        " range from 0 to {limit} in the sandbox.",
    },
    "sandbox.filter.pattern_too_long": {
        "fr": "Filtre {key}= trop long ({length} caractères) : le bac à sable accepte des"
        " expressions de {limit} caractères au plus, par exemple --filter name=^web",
        "en": "Filter {key}= too long ({length} characters): the sandbox accepts patterns of"
        " at most {limit} characters, for example --filter name=^web",
    },
    "sandbox.filter.bad_pattern": {
        "fr": "Filtre {key}= invalide : {pattern} n'est pas une expression régulière valide"
        " ({reason}). Exemple : --filter name=^web",
        "en": "Invalid {key}= filter: {pattern} is not a valid regular expression ({reason})."
        " For example --filter name=^web",
    },
}

# --- the policy says no -----------------------------------------------------------------------
_REFUSED: dict[str, tuple[str, str]] = {
    "unsupported_flag": (
        "L'option {flag} de {command} n'est pas disponible dans le bac à sable : retirez-la"
        " (voir {command} --help pour les options disponibles).",
        "The {flag} option of {command} is not available in the sandbox: remove it"
        " (see {command} --help for the available options).",
    ),
    "privileged": (
        "--privileged donnerait au conteneur tout le pouvoir sur la machine : retirez-le, vos"
        " commandes marchent sans.",
        "--privileged would give the container full power over the machine: remove it, your"
        " commands work without it.",
    ),
    "cap_add": (
        "--cap-add ({caps}) est refusé : les capacités restent celles par défaut. Retirez"
        " --cap-add (--cap-drop reste permis).",
        "--cap-add ({caps}) is refused: capabilities stay the default ones. Remove --cap-add"
        " (--cap-drop is still allowed).",
    ),
    "device": (
        "--device {device} est refusé : aucun périphérique de la machine n'est exposé. Retirez"
        " --device.",
        "--device {device} is refused: no device of the machine is exposed. Remove --device.",
    ),
    "namespace": (
        "{flag} {value} est refusé : chaque conteneur garde ses propres espaces de noms. Retirez"
        " {flag}.",
        "{flag} {value} is refused: each container keeps its own namespaces. Remove {flag}.",
    ),
    "security_opt": (
        "--security-opt {value} est refusé : les protections de sécurité restent actives."
        " Retirez --security-opt.",
        "--security-opt {value} is refused: security protections stay on. Remove --security-opt.",
    ),
    "runtime": (
        "--runtime {runtime} est refusé : le bac à sable choisit le runtime. Retirez --runtime.",
        "--runtime {runtime} is refused: the sandbox picks the runtime. Remove --runtime.",
    ),
    "sysctl": (
        "--sysctl {sysctl} est refusé : les paramètres du noyau ne se changent pas ici."
        " Retirez --sysctl.",
        "--sysctl {sysctl} is refused: kernel parameters cannot be changed here. Remove --sysctl.",
    ),
    "volumes_from": (
        "--volumes-from {container} est refusé : montez plutôt le même volume nommé dans les"
        " deux conteneurs, par exemple -v donnees:/data",
        "--volumes-from {container} is refused: mount the same named volume in both"
        " containers instead, for example -v data:/data",
    ),
    "env_file": (
        "--env-file {path} est refusé : le bac à sable ne lit aucun fichier de votre machine."
        " Passez les variables avec -e CLE=valeur",
        "--env-file {path} is refused: the sandbox reads no file from your machine."
        " Pass variables with -e KEY=value",
    ),
    "restart": (
        "--restart {policy} est refusé : un conteneur du bac à sable ne doit pas revenir seul."
        " Utilisez --restart no ou --restart on-failure:3",
        "--restart {policy} is refused: a sandbox container must not come back on its own."
        " Use --restart no or --restart on-failure:3",
    ),
    "pull_always": (
        "--pull always est refusé : le bac à sable ne télécharge rien, les images sont déjà là."
        " Retirez --pull.",
        "--pull always is refused: the sandbox downloads nothing, images are already here."
        " Remove --pull.",
    ),
    "pull_all_tags": (
        "docker pull -a est refusé : une seule version de {image} est disponible. Lancez"
        " docker pull {image}",
        "docker pull -a is refused: only one version of {image} is available. Run"
        " docker pull {image}",
    ),
    "bind": (
        "Le montage du dossier {source} de la machine est refusé : utilisez un volume nommé,"
        " par exemple -v donnees:{target}",
        "Mounting the machine's folder {source} is refused: use a named volume instead,"
        " for example -v data:{target}",
    ),
    "docker_socket": (
        "Monter le socket Docker ({source}) donnerait le contrôle de tout le moteur : refusé."
        " Tapez vos commandes docker ici directement.",
        "Mounting the Docker socket ({source}) would hand over the whole engine: refused."
        " Type your docker commands here directly.",
    ),
    "invalid_name": (
        "Nom invalide « {name} » : utilisez seulement [a-zA-Z0-9][a-zA-Z0-9_.-] (64 caractères"
        " au plus), par exemple web-1",
        "Invalid name '{name}': use only [a-zA-Z0-9][a-zA-Z0-9_.-] (64 characters at most),"
        " for example web-1",
    ),
    "reserved_label": (
        "L'étiquette {label} est réservée au bac à sable : choisissez un autre nom, par exemple"
        " -l cours.role=web",
        "The label {label} is reserved by the sandbox: pick another key, for example"
        " -l course.role=web",
    ),
    "network_host": (
        "--network host est refusé : le conteneur verrait le réseau de la machine. Créez un"
        " réseau : docker network create monreseau puis --network monreseau",
        "--network host is refused: the container would see the machine's network. Create a"
        " network: docker network create mynet then --network mynet",
    ),
    "network_container": (
        "--network container:{container} est refusé : mettez plutôt les deux conteneurs sur un"
        " même réseau, par exemple --network monreseau",
        "--network container:{container} is refused: put both containers on the same network"
        " instead, for example --network mynet",
    ),
    "volume_driver": (
        "Le pilote de volume {driver} est refusé : seul local est disponible. Retirez --driver.",
        "The volume driver {driver} is refused: only local is available. Remove --driver.",
    ),
    "volume_options": (
        "L'option de volume {option} est refusée (elle permettrait de monter la machine)."
        " Créez le volume sans -o : docker volume create donnees",
        "The volume option {option} is refused (it could mount the machine)."
        " Create the volume without -o: docker volume create data",
    ),
    "network_driver": (
        "Le pilote réseau {driver} est refusé : seul bridge est disponible. Retirez --driver.",
        "The network driver {driver} is refused: only bridge is available. Remove --driver.",
    ),
    "network_options": (
        "L'option réseau {option} est refusée. Créez le réseau sans -o :"
        " docker network create monreseau",
        "The network option {option} is refused. Create the network without -o:"
        " docker network create mynet",
    ),
    "network_ipam": (
        "--subnet, --gateway et --ip-range sont refusés : le bac à sable attribue les adresses."
        " Retirez-les : docker network create monreseau",
        "--subnet, --gateway and --ip-range are refused: the sandbox assigns addresses."
        " Remove them: docker network create mynet",
    ),
    "network_builtin": (
        "Le nom de réseau {name} est réservé par Docker : choisissez-en un autre, par exemple"
        " monreseau",
        "The network name {name} is reserved by Docker: pick another one, for example mynet",
    ),
    "invalid_reference": (
        "Nom d'image invalide « {reference} » : utilisez minuscules, chiffres, . _ - et /"
        " seulement, par exemple monimage:v1",
        "Invalid image name '{reference}': use lowercase letters, digits, . _ - and / only,"
        " for example myimage:v1",
    ),
    "top_args": (
        "Option de ps refusée : {arg}. Utilisez des options simples, par exemple"
        " docker top web -o pid,comm",
        "ps option refused: {arg}. Use simple options, for example docker top web -o pid,comm",
    ),
    "image": (
        "L'image {image} n'est pas disponible dans le bac à sable ; utilisez l'une de celles-ci :"
        " {allowed}",
        "The image {image} is not available in the sandbox; use one of these: {allowed}",
    ),
    "image_tag": (
        "Cette version de l'image ({image}) n'est pas disponible ; utilisez la version {tags}."
        " Images disponibles : {allowed}",
        "This version of the image ({image}) is not available; use the {tags} tag."
        " Available images: {allowed}",
    ),
}

# --- commands the sandbox does not offer, each with its reason --------------------------------
_COMMANDS: dict[str, tuple[str, str]] = {
    "buildx": (
        "docker buildx n'est pas disponible : ici les images se construisent avec le"
        " constructeur classique. Utilisez docker build -t NOM . (sans buildx)",
        "docker buildx is not available: images here are built with the classic builder."
        " Use docker build -t NAME . (without buildx)",
    ),
    "builder": (
        "docker builder n'est pas disponible : ici les images se construisent avec le"
        " constructeur classique. Utilisez docker build -t NOM .",
        "docker builder is not available: images here are built with the classic builder."
        " Use docker build -t NAME .",
    ),
    "events": (
        "docker events suit le moteur en continu, impossible dans une conversation : utilisez"
        " docker ps -a pour voir l'état des conteneurs.",
        "docker events streams forever, not possible in a chat: use docker ps -a to see the"
        " containers' state.",
    ),
    "update": (
        "docker update n'est pas disponible : les limites (mémoire, CPU) sont fixées par le bac"
        " à sable. Recréez le conteneur avec docker run si besoin.",
        "docker update is not available: limits (memory, CPU) are set by the sandbox."
        " Recreate the container with docker run if needed.",
    ),
    "export": (
        "docker export n'est pas disponible : aucune archive ne sort du bac à sable. Affichez"
        " plutôt les fichiers avec docker exec NOM ls /chemin",
        "docker export is not available: no archive leaves the sandbox. Show the files"
        " with docker exec NAME ls /path instead",
    ),
    "save": (
        "docker save n'est pas disponible : aucune archive ne sort du bac à sable. Voyez les"
        " images avec docker images",
        "docker save is not available: no archive leaves the sandbox. See the images with"
        " docker images",
    ),
    "import": (
        "docker import n'est pas disponible : on ne peut pas envoyer de fichier au bac à sable."
        " Utilisez les images fournies (docker images).",
        "docker import is not available: no file can be sent to the sandbox. Use the provided"
        " images (docker images).",
    ),
    "load": (
        "docker load n'est pas disponible : on ne peut pas envoyer de fichier au bac à sable."
        " Utilisez les images fournies (docker images).",
        "docker load is not available: no file can be sent to the sandbox. Use the provided"
        " images (docker images).",
    ),
    "login": (
        "docker login n'est pas disponible : le bac à sable ne se connecte à aucun registre"
        " (et ne tapez jamais de mot de passe ici).",
        "docker login is not available: the sandbox connects to no registry (and never type a"
        " password here).",
    ),
    "logout": (
        "docker logout n'est pas disponible : le bac à sable ne se connecte à aucun registre."
        " Continuez simplement, par exemple docker ps",
        "docker logout is not available: the sandbox connects to no registry."
        " Just carry on, for example run docker ps",
    ),
    "push": (
        "docker push n'est pas disponible : le bac à sable n'envoie rien vers un registre."
        " Gardez vos noms en local : docker tag alpine monalpine:v1",
        "docker push is not available: the sandbox sends nothing to a registry."
        " Keep your names local: docker tag alpine myalpine:v1",
    ),
    "search": (
        "docker search n'est pas disponible : le bac à sable n'a pas accès à Internet. Voyez les"
        " images fournies avec docker images",
        "docker search is not available: the sandbox has no Internet access. See the provided"
        " images with docker images",
    ),
    "manifest": (
        "docker manifest n'est pas disponible : le bac à sable n'interroge aucun registre."
        " Regardez plutôt docker image inspect IMAGE",
        "docker manifest is not available: the sandbox queries no registry."
        " Look at docker image inspect IMAGE instead",
    ),
    "trust": (
        "docker trust n'est pas disponible : le bac à sable n'interroge aucun registre."
        " Regardez plutôt docker image inspect IMAGE",
        "docker trust is not available: the sandbox queries no registry."
        " Look at docker image inspect IMAGE instead",
    ),
    "context": (
        "docker context n'est pas disponible : le bac à sable choisit lui-même son moteur."
        " Tapez directement vos commandes, par exemple docker ps",
        "docker context is not available: the sandbox picks its own engine."
        " Type your commands directly, for example docker ps",
    ),
    "plugin": (
        "docker plugin n'est pas disponible : les plugins agiraient sur tout le moteur."
        " Utilisez les pilotes intégrés : docker volume create, docker network create",
        "docker plugin is not available: plugins would act on the whole engine."
        " Use the built-in drivers: docker volume create, docker network create",
    ),
    "swarm": (
        "docker swarm n'est pas disponible : le bac à sable est un moteur seul, sans cluster."
        " Lancez vos conteneurs avec docker run -d",
        "docker swarm is not available: the sandbox is a single engine, without a cluster."
        " Start your containers with docker run -d",
    ),
    "node": (
        "docker node n'est pas disponible : le bac à sable est un moteur seul, sans cluster."
        " Lancez vos conteneurs avec docker run -d",
        "docker node is not available: the sandbox is a single engine, without a cluster."
        " Start your containers with docker run -d",
    ),
    "service": (
        "docker service n'est pas disponible (Swarm) : lancez vos conteneurs avec docker run -d",
        "docker service is not available (Swarm): start your containers with docker run -d",
    ),
    "stack": (
        "docker stack n'est pas disponible (Swarm) : lancez vos conteneurs avec docker run -d",
        "docker stack is not available (Swarm): start your containers with docker run -d",
    ),
    "secret": (
        "docker secret n'est pas disponible (Swarm) : passez une valeur avec -e CLE=valeur",
        "docker secret is not available (Swarm): pass a value with -e KEY=value",
    ),
    "config": (
        "docker config n'est pas disponible (Swarm) : passez une valeur avec -e CLE=valeur",
        "docker config is not available (Swarm): pass a value with -e KEY=value",
    ),
    "generic": (
        "docker {command} n'est pas disponible dans le bac à sable. Tapez docker help pour voir"
        " les commandes disponibles.",
        "docker {command} is not available in the sandbox. Type docker help to see the"
        " available commands.",
    ),
}

MESSAGES.update(
    {f"sandbox.refused.{key}": {"fr": fr, "en": en} for key, (fr, en) in _REFUSED.items()}
)
MESSAGES.update(
    {
        f"sandbox.refused.command.{key.replace(' ', '_')}": {"fr": fr, "en": en}
        for key, (fr, en) in _COMMANDS.items()
    }
)
