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
    "terminal.filters_too_long": {
        "fr": "Filtres trop longs ({length} caractères) : votre terminal en accepte {limit} au plus.",
        "en": "Filters too long ({length} characters): your terminal accepts at most {limit}.",
    },
    "terminal.filters_too_many": {
        "fr": "Trop de valeurs de filtre : votre terminal en accepte {limit} au plus par liste.",
        "en": "Too many filter values: your terminal accepts at most {limit} per listing.",
    },
    "terminal.filter_unserved": {
        "fr": "Le filtre « {key} » n'est pas encore disponible dans votre terminal : retirez-le, ou utilisez cette commande dans le chat.",
        "en": "The “{key}” filter is not available in your terminal yet: remove it, or use this command in the chat.",
    },
    "terminal.network_option": {
        "fr": "Le réglage « {field} » d'un réseau n'est pas disponible dans le bac à sable : retirez-le.",
        "en": "The network setting “{field}” is not available in the sandbox: remove it.",
    },
    "terminal.buildkit": {
        "fr": "BuildKit n'est pas encore disponible dans votre terminal : construisez avec le constructeur classique, DOCKER_BUILDKIT=0 docker build -t NOM .",
        "en": "BuildKit is not available in your terminal yet: build with the classic builder, DOCKER_BUILDKIT=0 docker build -t NAME .",
    },
    "terminal.too_many_streams": {
        "fr": "Trop de sessions interactives ouvertes ({limit} au plus : attach, exec, run -it) : quittez-en une et réessayez.",
        "en": "Too many interactive sessions open (at most {limit}: attach, exec, run -it): leave one and try again.",
    },
    "terminal.stream.idle": {
        "fr": "[moussaillon] session fermée : inactive depuis {minutes} min",
        "en": "[moussaillon] session closed: idle for {minutes} min",
    },
    "terminal.stream.max_life": {
        "fr": "[moussaillon] session fermée : ouverte depuis plus de {minutes} min",
        "en": "[moussaillon] session closed: open for more than {minutes} min",
    },
    "terminal.stream.output": {
        "fr": "[moussaillon] session fermée : plus de {mb} Mio de sortie",
        "en": "[moussaillon] session closed: more than {mb} MiB of output",
    },
    "terminal.stream.shutdown": {
        "fr": "[moussaillon] session fermée : le serveur redémarre, reconnectez-vous dans un instant",
        "en": "[moussaillon] session closed: the server is restarting, reconnect in a moment",
    },
    "terminal.prune_filters": {
        "fr": "docker container prune --filter n'est pas disponible dans ce terminal : supprimez les conteneurs un par un (docker rm NOM) ou sans filtre (docker container prune -f).",
        "en": "docker container prune --filter is not available in this terminal: remove containers one by one (docker rm NAME) or without a filter (docker container prune -f).",
    },
    "terminal.top_too_many": {
        "fr": "docker top accepte au plus {limit} options de ps, par exemple docker top web -o pid,comm.",
        "en": "docker top takes at most {limit} ps options, for example docker top web -o pid,comm.",
    },
    "terminal.bad_time": {
        "fr": "Valeur de {name} illisible : {value}. Donnez une durée (10m, 1h) ou une date (2026-01-31T12:00:00Z).",
        "en": "Unreadable {name} value: {value}. Give a duration (10m, 1h) or a date (2026-01-31T12:00:00Z).",
    },
    "terminal.bad_tail": {
        "fr": "Valeur de --tail illisible : {value}. Donnez un nombre de lignes (--tail 20) ou all.",
        "en": "Unreadable --tail value: {value}. Give a number of lines (--tail 20) or all.",
    },
    "terminal.token_refused": {
        "fr": "Ce jeton est inconnu, expiré ou révoqué : envoyez /terminal au bot pour en recevoir un nouveau.",
        "en": "This token is unknown, expired or revoked: send /terminal to the bot to get a new one.",
    },
}
