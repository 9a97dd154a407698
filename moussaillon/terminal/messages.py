"""What the terminal endpoint and ``/terminal`` say to students, French first."""

MESSAGES: dict[str, dict[str, str]] = {
    "terminal.no_certificate": {
        "fr": "Ce terminal demande votre certificat Moussaillon (ou son jeton) : envoyez /terminal au bot, puis suivez les commandes docker context qu'il donne.",
        "en": "This terminal needs your Moussaillon certificate (or its token): send /terminal to the bot, then follow the docker context commands it gives.",
    },
    "terminal.revoked": {
        "fr": "Ce certificat a été révoqué : envoyez /terminal au bot pour en recevoir un nouveau.",
        "en": "This certificate was revoked: send /terminal to the bot to get a new one.",
    },
    "terminal.too_many_connections": {
        "fr": "Trop de connexions ouvertes avec votre certificat ({limit} au plus) : fermez d'autres commandes docker et réessayez.",
        "en": "Too many connections open with your certificate (at most {limit}): close other docker commands and try again.",
    },
    "terminal.not_in_slice": {
        "fr": "« {method} {path} » n'est pas encore disponible dans votre terminal : utilisez cette commande dans le chat.",
        "en": "“{method} {path}” is not available in your terminal yet: use this command in the chat.",
    },
    "terminal.unavailable": {
        "fr": "Le terminal Docker n'est pas ouvert sur ce serveur.",
        "en": "The Docker terminal is not open on this server.",
    },
    "terminal.issued": {
        "fr": "Votre terminal Docker : dézippez moussaillon-terminal.zip dans ~/.moussaillon (unzip moussaillon-terminal.zip -d ~/.moussaillon), puis tapez :\n\n{commands}\n\nEnsuite, vos commandes docker s'exécutent dans votre bac à sable. Si votre réseau ne laisse pas passer le certificat, le config.json du zip porte un jeton :\n\n{token_commands}\n\nGardez key.pem et config.json pour vous ; /terminal revoquer les désactive.",
        "en": "Your Docker terminal: unzip moussaillon-terminal.zip in ~/.moussaillon (unzip moussaillon-terminal.zip -d ~/.moussaillon), then type:\n\n{commands}\n\nFrom then on your docker commands run in your sandbox. If your network cannot pass the certificate, the zip's config.json holds a token:\n\n{token_commands}\n\nKeep key.pem and config.json to yourself; /terminal revoquer disables them.",
    },
    "terminal.revoked_count": {
        "fr": "{count} certificat(s) révoqué(s) : votre terminal Docker n'a plus accès à votre bac à sable.",
        "en": "{count} certificate(s) revoked: your Docker terminal no longer reaches your sandbox.",
    },
    "terminal.tg.cmd_terminal": {
        "fr": "Mon terminal Docker (certificat pour le vrai docker)",
        "en": "My Docker terminal (a certificate for the real docker)",
    },
    "terminal.tg.private_only": {
        "fr": "Envoyez /terminal en message privé au bot : votre clé ne doit pas être vue par le groupe.",
        "en": "Send /terminal to the bot in a private chat: the group must not see your key.",
    },
    "terminal.token_refused": {
        "fr": "Ce jeton est inconnu, expiré ou révoqué : envoyez /terminal au bot pour en recevoir un nouveau.",
        "en": "This token is unknown, expired or revoked: send /terminal to the bot to get a new one.",
    },
}
