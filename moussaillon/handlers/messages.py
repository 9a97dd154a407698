"""Texts of the Telegram interface (HTML parse mode: escape anything that comes from users)."""

MESSAGES: dict[str, dict[str, str]] = {
    "tg.welcome": {
        "fr": (
            "👋 Bonjour {name} ! Je suis <b>Moussaillon</b>, votre assistant pour le cours "
            "<i>Docker par la pratique</i>.\n\n"
            "📖 /cours : lire le cours, chapitre par chapitre\n"
            "❓ Posez-moi une question en français, je cherche dans le cours\n"
            "🐳 <code>docker run --rm alpine echo bonjour</code> : pratiquez pour de vrai\n\n"
            "Langue / Language :"
        ),
        "en": (
            "👋 Hello {name}! I am <b>Moussaillon</b>, your assistant for the "
            "<i>Docker par la pratique</i> course.\n\n"
            "📖 /cours: read the course, chapter by chapter\n"
            "❓ Ask me a question, I search the course\n"
            "🐳 <code>docker run --rm alpine echo hello</code>: practise for real\n\n"
            "Langue / Language:"
        ),
    },
    "tg.help_title": {"fr": "<b>Ce que je sais faire</b>", "en": "<b>What I can do</b>"},
    "tg.help_line": {"fr": "/{name} : {text}", "en": "/{name}: {text}"},
    "tg.help_tip": {
        "fr": (
            "Écrivez simplement votre question pour chercher dans le cours, ou une commande qui "
            "commence par <code>docker</code> pour la lancer dans votre bac à sable."
        ),
        "en": (
            "Just type your question to search the course, or a command starting with "
            "<code>docker</code> to run it in your sandbox."
        ),
    },
    "tg.help_instructor": {"fr": "<b>Formateurs</b>", "en": "<b>Instructors</b>"},
    "tg.unknown_command": {
        "fr": "🤔 Je ne connais pas la commande /{name}. /help liste celles que vous pouvez utiliser.",
        "en": "🤔 I do not know the command /{name}. /help lists the ones you can use.",
    },
    "tg.unknown_command_suggest": {
        "fr": (
            "🤔 Je ne connais pas la commande /{name}. Vouliez-vous dire /{suggestion} ? "
            "/help liste toutes celles que vous pouvez utiliser."
        ),
        "en": (
            "🤔 I do not know the command /{name}. Did you mean /{suggestion}? "
            "/help lists all the ones you can use."
        ),
    },
    "tg.language_prompt": {"fr": "Choisissez votre langue :", "en": "Choose your language:"},
    "tg.language_set": {
        "fr": "✅ Langue : français. /help pour commencer.",
        "en": "✅ Language: English. /help to get started.",
    },
    "tg.toc_title": {
        "fr": "📚 <b>{title}</b>\nChoisissez un chapitre ({read}) :",
        "en": "📚 <b>{title}</b>\nPick a chapter ({read}):",
    },
    "tg.toc_read_one": {
        "fr": "{read} section lue sur {total}",
        "en": "{read} section read out of {total}",
    },
    "tg.toc_read_other": {
        "fr": "{read} sections lues sur {total}",
        "en": "{read} sections read out of {total}",
    },
    "tg.chapter_title_one": {
        "fr": "📖 <b>Chapitre {number} · {title}</b>\n{count} section :",
        "en": "📖 <b>Chapter {number} · {title}</b>\n{count} section:",
    },
    "tg.chapter_title_other": {
        "fr": "📖 <b>Chapitre {number} · {title}</b>\n{count} sections :",
        "en": "📖 <b>Chapter {number} · {title}</b>\n{count} sections:",
    },
    "tg.section_header": {
        "fr": "<i>Chapitre {number} · {chapter}</i> · {index}/{count}\n<b>{title}</b>",
        "en": "<i>Chapter {number} · {chapter}</i> · {index}/{count}\n<b>{title}</b>",
    },
    "tg.part": {"fr": "(partie {part}/{parts})", "en": "(part {part}/{parts})"},
    "tg.btn_previous": {"fr": "◀ Précédent", "en": "◀ Previous"},
    "tg.btn_next": {"fr": "Suivant ▶", "en": "Next ▶"},
    "tg.btn_more": {"fr": "Suite ▶", "en": "More ▶"},
    "tg.btn_back_part": {"fr": "◀ Début", "en": "◀ Start"},
    "tg.btn_chapter": {"fr": "📖 Chapitre", "en": "📖 Chapter"},
    "tg.btn_toc": {"fr": "📚 Sommaire", "en": "📚 Contents"},
    "tg.search_results": {
        "fr": "🔎 Dans le cours, pour « {query} » :",
        "en": "🔎 In the course, for “{query}”:",
    },
    "tg.search_nothing": {
        "fr": "🤔 Je n'ai rien trouvé pour « {query} ». Essayez d'autres mots, ou parcourez /cours.",
        "en": "🤔 I found nothing for “{query}”. Try other words, or browse /cours.",
    },
    "tg.search_usage": {
        "fr": "Écrivez ce que vous cherchez, par exemple : <code>/chercher volume nommé</code>",
        "en": "Write what you are looking for, e.g. <code>/chercher named volume</code>",
    },
    "tg.stale_button": {
        "fr": "Ce bouton n'est plus valable. Rouvrez /cours.",
        "en": "This button is no longer valid. Open /cours again.",
    },
    "tg.only_private": {
        "fr": "Écrivez-moi en privé pour cela 🙂",
        "en": "Write to me in private for that 🙂",
    },
    "tg.oops": {
        "fr": "😵 Oups, quelque chose s'est mal passé de mon côté. Réessayez dans un instant.",
        "en": "😵 Oops, something went wrong on my side. Please try again in a moment.",
    },
    "tg.too_long": {
        "fr": "Votre message est trop long ({length} caractères, {limit} au plus).",
        "en": "Your message is too long ({length} characters, {limit} at most).",
    },
    "tg.docker_usage": {
        "fr": "Tapez une commande docker, par exemple :\n<code>/docker run --rm alpine echo bonjour</code>",
        "en": "Type a docker command, for example:\n<code>/docker run --rm alpine echo hello</code>",
    },
    "tg.docker_disabled": {
        "fr": "Le bac à sable Docker n'est pas disponible sur ce serveur.",
        "en": "The Docker sandbox is not available on this server.",
    },
    "tg.docker_queued": {
        "fr": "⏳ Le bac à sable est très demandé : vous êtes n°{position} dans la file.",
        "en": "⏳ The sandbox is busy: you are number {position} in the queue.",
    },
    "tg.docker_running": {"fr": "⏳ En cours…", "en": "⏳ Running…"},
    "tg.docker_output_file": {
        "fr": "La sortie complète est dans le fichier joint ({size} octets).",
        "en": "The full output is in the attached file ({size} bytes).",
    },
    "tg.docker_quiet": {
        "fr": "Les commandes docker envoyées d'ici là restent sans réponse.",
        "en": "Docker commands sent until then get no answer.",
    },
    "tg.docker_interactive_tip": {
        "fr": (
            "Les shells <code>-it</code> s'ouvrent ici, dans la conversation : essayez "
            "<code>docker run -it --rm debian bash</code> (ou <code>alpine sh</code>), puis "
            "<code>exit</code> ou /quitter_shell pour en sortir."
        ),
        "en": (
            "<code>-it</code> shells open here, in the chat: try "
            "<code>docker run -it --rm debian bash</code> (or <code>alpine sh</code>), then "
            "<code>exit</code> or /quitter_shell to leave."
        ),
    },
    "tg.docker_exit": {"fr": "code de sortie {code}", "en": "exit code {code}"},
    "tg.sandbox_status": {
        "fr": (
            "🐳 <b>Votre bac à sable</b>\n"
            "Conteneurs : {containers}/{max_containers} ({running} en marche) : {names}\n"
            "Volumes : {volumes}/{max_volumes} · Réseaux : {networks}/{max_networks}"
        ),
        "en": (
            "🐳 <b>Your sandbox</b>\n"
            "Containers: {containers}/{max_containers} ({running} running): {names}\n"
            "Volumes: {volumes}/{max_volumes} · Networks: {networks}/{max_networks}"
        ),
    },
    "tg.sandbox_commands_left": {
        "fr": "Commandes disponibles tout de suite : {count}",
        "en": "Commands available right now: {count}",
    },
    "tg.sandbox_expires": {
        "fr": "Sans nouvelle commande, tout sera effacé à {at}.",
        "en": "Without a new command, everything is removed at {at}.",
    },
    "tg.reset_done_one": {
        "fr": "🧹 Bac à sable vidé : {count} objet supprimé.",
        "en": "🧹 Sandbox wiped: {count} object removed.",
    },
    "tg.reset_done_other": {
        "fr": "🧹 Bac à sable vidé : {count} objets supprimés.",
        "en": "🧹 Sandbox wiped: {count} objects removed.",
    },
    # confirmation buttons (handlers/telegram/confirm.py) and /reset's question
    "tg.reset_confirm": {
        "fr": "🧹 Vider votre bac à sable ? Tous vos conteneurs, volumes et réseaux seront"
        " supprimés. Ce bouton reste valable {minutes} min.",
        "en": "🧹 Wipe your sandbox? All your containers, volumes and networks will be"
        " removed. This button stays valid for {minutes} min.",
    },
    "tg.reset_yes": {"fr": "🧹 Oui, tout supprimer", "en": "🧹 Yes, remove everything"},
    "tg.confirm_cancel": {"fr": "Annuler", "en": "Cancel"},
    "tg.confirm_cancelled": {
        "fr": "Annulé : rien n'a été fait.",
        "en": "Cancelled: nothing was done.",
    },
    "tg.confirm_expired": {
        "fr": "Cette confirmation a expiré ou a déjà servi. Renvoyez la commande si besoin.",
        "en": "This confirmation has expired or was already used. Send the command again if"
        " needed.",
    },
    "tg.token_created": {
        "fr": (
            "🔑 Votre clé d'API (elle ne sera plus affichée) :\n<code>{token}</code>\n\n"
            "Exemple : <code>curl -H 'Authorization: Bearer …' {url}/api/v1/sandbox/run</code>"
        ),
        "en": (
            "🔑 Your API key (it will not be shown again):\n<code>{token}</code>\n\n"
            "Example: <code>curl -H 'Authorization: Bearer …' {url}/api/v1/sandbox/run</code>"
        ),
    },
    "tg.cmd_start": {"fr": "Accueil et langue", "en": "Welcome and language"},
    "tg.cmd_help": {"fr": "Ce que je sais faire", "en": "What I can do"},
    "tg.cmd_cours": {"fr": "Lire le cours", "en": "Read the course"},
    "tg.cmd_chercher": {"fr": "Chercher dans le cours", "en": "Search the course"},
    "tg.cmd_docker": {"fr": "Lancer une commande docker", "en": "Run a docker command"},
    "tg.cmd_sandbox": {"fr": "Mon bac à sable", "en": "My sandbox"},
    "tg.cmd_reset": {"fr": "Vider mon bac à sable", "en": "Wipe my sandbox"},
    "tg.cmd_token": {"fr": "Clé pour l'API REST", "en": "Key for the REST API"},
    "tg.cmd_langue": {"fr": "Changer de langue", "en": "Change language"},
}
