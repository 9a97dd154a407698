"""Messages of the interactive shells (``sandbox/shell/``); registered in ``moussaillon.areas``."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.shell.opened": {
        "fr": (
            "🐚 Shell ouvert dans <code>{name}</code>. Chaque message que vous envoyez est tapé"
            " dans ce shell ; <code>exit</code> ou /quitter_shell pour en sortir."
        ),
        "en": (
            "🐚 Shell open in <code>{name}</code>. Every message you send is typed into this"
            " shell; <code>exit</code> or /quitter_shell to leave."
        ),
    },
    "sandbox.shell.opened_attach": {
        "fr": (
            "🐚 Branché sur <code>{name}</code> : vos messages vont à son entrée (envoyez une"
            " ligne vide pour voir l'invite). /quitter_shell vous débranche, le conteneur"
            " continue ; <code>exit</code> l'arrête."
        ),
        "en": (
            "🐚 Attached to <code>{name}</code>: your messages go to its input (send an empty"
            " line to see the prompt). /quitter_shell detaches, the container keeps running;"
            " <code>exit</code> stops it."
        ),
    },
    "sandbox.shell.attach_no_stdin": {
        "fr": (
            "Ce conteneur n'a pas été lancé avec -i : vous voyez sa sortie, mais vos messages"
            " ne lui parviennent pas. Lancez-le avec docker run -dit pour pouvoir écrire."
        ),
        "en": (
            "This container was not started with -i: you see its output, but your messages do"
            " not reach it. Start it with docker run -dit to be able to type."
        ),
    },
    "sandbox.shell.no_stdin": {
        "fr": "Ce shell ne lit rien : /quitter_shell pour en sortir.",
        "en": "This shell reads nothing: /quitter_shell to leave.",
    },
    "sandbox.shell.closed": {
        "fr": "Ce shell est déjà fermé : relancez la commande pour en ouvrir un autre.",
        "en": "This shell is already closed: run the command again to open another one.",
    },
    "sandbox.shell.input_too_long": {
        "fr": (
            "Ligne trop longue pour un shell ({limit} octets au plus) : rien n'a été envoyé."
            " Découpez-la, ou mettez le contenu dans un fichier avec /fichier."
        ),
        "en": (
            "Line too long for a shell (at most {limit} bytes): nothing was sent. Split it, or"
            " put the content in a file with /fichier."
        ),
    },
    "sandbox.shell.limit": {
        "fr": (
            "Vous avez déjà {limit} shell(s) ouvert(s), le maximum : fermez-le avec"
            " /quitter_shell (ou tapez exit) avant d'en ouvrir un autre."
        ),
        "en": (
            "You already have {limit} open shell(s), the most allowed: close it with"
            " /quitter_shell (or type exit) before opening another one."
        ),
    },
    "sandbox.shell.disabled": {
        "fr": (
            "Les shells interactifs sont désactivés sur ce serveur : passez la commande"
            " directement, par exemple docker exec NOM sh -c 'ls /'."
        ),
        "en": (
            "Interactive shells are turned off on this server: pass the command directly, for"
            " example docker exec NAME sh -c 'ls /'."
        ),
    },
    "sandbox.shell.not_a_shell": {
        "fr": "Cette commande n'ouvre pas de shell : lancez-la comme les autres.",
        "en": "This command opens no shell: run it like any other.",
    },
    "sandbox.shell.needs_terminal": {
        "fr": (
            "Cette commande ouvre un shell interactif, possible dans la conversation Telegram"
            " ou par le WebSocket /api/v1/sandbox/shell ; ici, passez la commande directement,"
            " par exemple docker exec NOM sh -c 'ls /'."
        ),
        "en": (
            "This command opens an interactive shell, possible in the Telegram chat or over"
            " the /api/v1/sandbox/shell WebSocket; here, pass the command directly, for"
            " example docker exec NAME sh -c 'ls /'."
        ),
    },
    "sandbox.shell.private_only": {
        "fr": (
            "Un shell interactif s'ouvre seulement en conversation privée avec le bot :"
            " écrivez-moi directement."
        ),
        "en": "An interactive shell opens only in a private chat with the bot: write to me.",
    },
    "sandbox.shell.none": {
        "fr": "Aucun shell ouvert. Ouvrez-en un avec docker run -it alpine sh.",
        "en": "No open shell. Open one with docker run -it alpine sh.",
    },
    "sandbox.shell.dropped": {
        "fr": "… {count} octets de sortie omis (trop de sortie d'un coup)",
        "en": "… {count} bytes of output left out (too much output at once)",
    },
    "sandbox.shell.restarted": {
        "fr": (
            "Le bot a redémarré : votre shell précédent a été fermé. Relancez la commande pour"
            " en ouvrir un autre."
        ),
        "en": "The bot restarted: your previous shell was closed. Run the command again.",
    },
    "sandbox.shell.end.exited": {
        "fr": "🐚 Shell terminé ({name}).",
        "en": "🐚 Shell ended ({name}).",
    },
    "sandbox.shell.end.exited_code": {
        "fr": "🐚 Shell terminé ({name}), code de sortie {code}.",
        "en": "🐚 Shell ended ({name}), exit code {code}.",
    },
    "sandbox.shell.end.quit": {
        "fr": "🐚 Shell fermé ({name}). Vos messages redeviennent des commandes.",
        "en": "🐚 Shell closed ({name}). Your messages are commands again.",
    },
    "sandbox.shell.end.idle": {
        "fr": (
            "🐚 Shell fermé après {minutes} min sans message ({name}). Relancez la"
            " commande pour en rouvrir un."
        ),
        "en": (
            "🐚 Shell closed after {minutes} min without a message ({name}). Run"
            " the command again to reopen one."
        ),
    },
    "sandbox.shell.end.shutdown": {
        "fr": "🐚 Le bot redémarre : shell fermé ({name}).",
        "en": "🐚 The bot is restarting: shell closed ({name}).",
    },
    "sandbox.shell.end.lost": {
        "fr": "🐚 Connexion au shell perdue ({name}) : relancez la commande.",
        "en": "🐚 Lost the connection to the shell ({name}): run the command again.",
    },
    "sandbox.shell.cmd_quitter_shell": {
        "fr": "Fermer le shell interactif ouvert",
        "en": "Close the open interactive shell",
    },
}
