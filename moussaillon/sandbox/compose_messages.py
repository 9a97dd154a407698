"""Messages of the compose file model: the file, its YAML, its variables, the schema, and why
the sandbox refuses a key; registered in ``moussaillon.areas``.

English follows Compose v2's own wording where Compose has one; French explains. A message
is preceded by the key path (``services.web.ports[0]: ``) and followed by the line. No
HTML-special characters, as in the sandbox's other catalogues.
"""

from __future__ import annotations

_INVALID = ": invalid compose project"

# --- the file and its YAML ---------------------------------------------------------------------
_FILE: dict[str, tuple[str, str]] = {
    "at_line": (" (ligne {line})", " (line {line})"),
    "no_file": (
        "Aucun fichier compose dans vos fichiers : créez compose.yaml (/fichier compose.yaml)"
        " ou indiquez le vôtre avec -f.",
        "no configuration file provided: not found",
    ),
    "file_missing": (
        "Le fichier {file} n'existe pas dans vos fichiers (open {file}: no such file or"
        " directory).",
        "open {file}: no such file or directory",
    ),
    "bad_file": (
        "Fichier « {file} » invalide : donnez un chemin relatif à vos fichiers, sans .. ni /"
        " au début.",
        "Invalid file '{file}': give a path relative to your files, without .. or a leading /.",
    ),
    "too_big": (
        "{file} fait {size_kb} Ko, plus que les {limit} Ko permis : un fichier compose du"
        " cours tient en quelques dizaines de lignes.",
        "{file} is {size_kb} KB, over the {limit} KB allowed: a course compose file fits in a"
        " few dozen lines.",
    ),
    "not_utf8": (
        "{file} n'est pas du texte UTF-8 : enregistrez-le en UTF-8.",
        "{file} is not UTF-8 text: save it as UTF-8.",
    ),
    "empty": ("{file} est vide (empty compose file).", "empty compose file: {file}"),
    "several_files": (
        "Found multiple config files with supported names: {files}. Using {file}"
        " (plusieurs fichiers compose : {file} est lu, supprimez les autres).",
        "Found multiple config files with supported names: {files}. Using {file}",
    ),
    "override_ignored": (
        "{file} n'est pas lu par le bac à sable : mettez tout dans le fichier compose principal.",
        "{file} is not read by the sandbox: put everything in the main compose file.",
    ),
    "too_many_services": (
        "Plus de {limit} services : le bac à sable en lance au plus {limit} par projet.",
        "More than {limit} services: the sandbox runs at most {limit} per project.",
    ),
    "version_obsolete": (
        "{file}: the attribute `version` is obsolete, it will be ignored, please remove it to"
        " avoid potential confusion (la clé version ne sert plus : retirez-la).",
        "{file}: the attribute `version` is obsolete, it will be ignored, please remove it to"
        " avoid potential confusion",
    ),
}
_YAML: dict[str, tuple[str, str]] = {
    "syntax": ("YAML invalide : {detail}", "yaml: {detail}"),
    "aliases": (
        "Trop d'alias YAML (*nom), plus de {limit} : le fichier est refusé.",
        "Too many YAML aliases (*name), over {limit}: the file is refused.",
    ),
    "expansion": (
        "Les ancres et alias YAML donnent plus de {limit} éléments une fois développés"
        " (une « bombe YAML ») : le fichier est refusé.",
        "The YAML anchors and aliases expand to over {limit} items (a 'YAML bomb'): the file"
        " is refused.",
    ),
    "depth": (
        "Le YAML est imbriqué sur plus de {limit} niveaux : le fichier est refusé.",
        "The YAML nests more than {limit} levels deep: the file is refused.",
    ),
    "duplicate": (
        "La clé {key} apparaît deux fois ici : gardez-en une seule.",
        'mapping key "{key}" already defined',
    ),
    "key": (
        "Une clé YAML doit être un simple texte.",
        "A YAML key must be plain text.",
    ),
    "merge": (
        "La fusion YAML (<<) attend un dictionnaire ou une liste de dictionnaires.",
        "A YAML merge (<<) expects a mapping or a list of mappings.",
    ),
    "tag": (
        "Étiquette YAML {tag} non prise en charge.",
        "YAML tag {tag} is not supported.",
    ),
}
_VARIABLES: dict[str, tuple[str, str]] = {
    "interpolation.invalid": (
        'Invalid template: "{value}" (écrivez $$ pour un $ littéral, ${{NOM}} pour une variable).',
        'Invalid template: "{value}"',
    ),
    "interpolation.required": (
        "required variable {name} is missing a value: {detail} (définissez {name} dans .env).",
        "required variable {name} is missing a value: {detail}",
    ),
    "variable_unset": (
        'The "{name}" variable is not set. Defaulting to a blank string. (Définissez {name}'
        " dans .env.)",
        'The "{name}" variable is not set. Defaulting to a blank string.',
    ),
    "dotenv": (
        "Ligne illisible : « {text} » (attendu : NOM=valeur).",
        "Unreadable line: '{text}' (expected NAME=value).",
    ),
    "env_file_missing": (
        "env file {file} not found : créez {file} dans vos fichiers ou retirez-le de env_file.",
        "env file {file} not found: stat {file}: no such file or directory",
    ),
    "outside_workspace": (
        "« {value} » n'est pas dans vos fichiers : {kind} attend un chemin relatif au"
        " fichier compose (par exemple ./app), jamais un chemin de la machine ni une URL.",
        "'{value}' is not in your files: {kind} takes a path relative to the compose file"
        " (for example ./app), never a path of the machine or a URL.",
    ),
}
_SCHEMA: dict[str, tuple[str, str]] = {
    "schema.unknown_key": (
        "additional properties '{key}' not allowed (clé inconnue de la spécification Compose :"
        " vérifiez l'orthographe et l'indentation).",
        "additional properties '{key}' not allowed",
    ),
    "schema.type": (
        "must be {expected} (la spécification Compose attend ici un autre type de valeur).",
        "must be {expected}",
    ),
    "schema.other": (
        "{detail} (refusé par la spécification Compose).",
        "{detail}",
    ),
    "bad_project_name": (
        'invalid project name "{name}" : lettres minuscules, chiffres, - et _ seulement, en'
        " commençant par une lettre ou un chiffre.",
        'invalid project name "{name}": must consist only of lowercase alphanumeric'
        " characters, hyphens, and underscores as well as start with a letter or number",
    ),
}
_SERVICE: dict[str, tuple[str, str]] = {
    "no_image": (
        'Le service "{service}" n\'a ni image ni build : ajoutez image: ou build:.',
        'service "{service}" has neither an image nor a build context specified' + _INVALID,
    ),
    "no_such_service": (
        "Pas de service {service} dans le fichier compose (no such service).",
        "no such service: {service}",
    ),
    "undefined_volume": (
        'Le service "{service}" utilise le volume {volume}, qui n\'est pas déclaré : ajoutez'
        " {volume}: sous la clé volumes: du haut du fichier.",
        'service "{service}" refers to undefined volume {volume}' + _INVALID,
    ),
    "undefined_network": (
        'Le service "{service}" utilise le réseau {network}, qui n\'est pas déclaré : ajoutez'
        " {network}: sous la clé networks: du haut du fichier.",
        'service "{service}" refers to undefined network {network}' + _INVALID,
    ),
    "undefined_dependency": (
        'Le service "{service}" dépend de "{dependency}", qui n\'existe pas dans ce fichier.',
        'service "{service}" depends on undefined service "{dependency}"' + _INVALID,
    ),
    "cycle": (
        "dependency cycle detected: {cycle} (les services dépendent les uns des autres en"
        " boucle : aucun ne peut démarrer en premier).",
        "dependency cycle detected: {cycle}",
    ),
    "bad_quotes": (
        "Guillemets mal fermés dans « {value} ».",
        "Unbalanced quotes in '{value}'.",
    ),
    "bad_port": (
        "Port invalide : {value} (écrivez par exemple 8080:80 ou 127.0.0.1:8080:80/tcp).",
        "Invalid port: {value} (write for example 8080:80 or 127.0.0.1:8080:80/tcp).",
    ),
    "port_range": (
        "Plage de ports refusée : {value} (au plus {limit} ports par ligne, même nombre des"
        " deux côtés).",
        "Port range refused: {value} (at most {limit} ports per line, the same count on both"
        " sides).",
    ),
    "bad_volume": (
        "Volume invalide : {value} (écrivez nom:/chemin ou nom:/chemin:ro).",
        "Invalid volume: {value} (write name:/path or name:/path:ro).",
    ),
    "bad_target": (
        "Le chemin dans le conteneur doit être absolu : {target}",
        "The path in the container must be absolute: {target}",
    ),
    "host_path": (
        "{source}:{target} est refusé : monter un dossier de la machine hôte dans un conteneur"
        " lui donnerait accès à ce serveur. Utilisez un volume nommé (donnees:{target},"
        " déclaré sous volumes:).",
        "{source}:{target} is refused: mounting a folder of the host machine would give the"
        " container access to this server. Use a named volume (data:{target}, declared under"
        " volumes:).",
    ),
    "docker_socket": (
        "{source}:{target} est refusé : la socket Docker donnerait le contrôle du moteur entier.",
        "{source}:{target} is refused: the Docker socket would give control of the whole engine.",
    ),
    "relative_path": (
        "{source} vers {target} n'est relié à rien : le bac à sable n'a pas de dossier hôte"
        " à monter, le conteneur démarre sans ce montage (copiez vos fichiers dans l'image"
        " avec build: et COPY, ou utilisez un volume nommé).",
        "{source} to {target} is mapped to nothing: the sandbox has no host folder to mount,"
        " the container starts without it (copy your files into the image with build: and"
        " COPY, or use a named volume).",
    ),
    "restart_refused": (
        "restart: {policy} est refusé : un conteneur du bac à sable ne doit pas revenir seul."
        " Utilisez restart: no ou restart: on-failure:3",
        "restart: {policy} is refused: a sandbox container must not come back on its own."
        " Use restart: no or restart: on-failure:3",
    ),
    "bad_restart": (
        "Politique de redémarrage invalide : {value}. Valeurs possibles : no, on-failure[:N]",
        "Invalid restart policy: {value}. Possible values: no, on-failure[:N]",
    ),
    "bad_test": (
        "Le test du healthcheck doit commencer par CMD, CMD-SHELL ou NONE (pas « {first} »).",
        "The healthcheck test must start with CMD, CMD-SHELL or NONE (not '{first}').",
    ),
    "bad_duration": (
        "Durée invalide : {value} (écrivez par exemple 10s, 1m30s ou 500ms).",
        "Invalid duration: {value} (write for example 10s, 1m30s or 500ms).",
    ),
    "bad_number": ("Nombre entier attendu : {value}", "A whole number is expected: {value}"),
}
# --- what the sandbox does not run, and why ------------------------------------------------------
_REFUSED: dict[str, tuple[str, str]] = {
    "unsupported": (
        "{key} n'est pas pris en charge par le bac à sable : retirez cette clé.",
        "{key} is not supported by the sandbox: remove this key.",
    ),
    "privileged": (
        "{key} est refusé : un conteneur privilégié a tous les droits sur la machine hôte.",
        "{key} is refused: a privileged container has every right on the host machine.",
    ),
    "host": (
        "{key} est refusé : ce réglage touche la sécurité du moteur ou de la machine hôte, le"
        " bac à sable le fixe lui-même.",
        "{key} is refused: it touches the security of the engine or the host machine; the"
        " sandbox sets it itself.",
    ),
    "namespace": (
        "{key} est refusé : le conteneur partagerait l'espace (réseau, processus…) de la"
        " machine hôte ou d'un autre conteneur. Utilisez networks: pour relier les services.",
        "{key} is refused: the container would share a namespace (network, processes …) of"
        " the host or of another container. Use networks: to connect services.",
    ),
    "limits": (
        "{key} est refusé : mémoire, processeur et disque sont fixés par le bac à sable,"
        " les mêmes que pour docker run.",
        "{key} is refused: memory, CPU and disk are set by the sandbox, the same as for"
        " docker run.",
    ),
    "other_containers": (
        "{key} est refusé : les services se joignent par leur nom sur le réseau du projet,"
        " sans liens.",
        "{key} is refused: services reach each other by name on the project's network,"
        " without links.",
    ),
    "secrets": (
        "{key} est refusé : le bac à sable ne garde aucun secret. Passez une valeur de test"
        " avec environment: ou .env.",
        "{key} is refused: the sandbox keeps no secrets. Pass a test value with environment:"
        " or .env.",
    ),
    "deploy": (
        "{key} est refusé : un projet du bac à sable lance un conteneur par service (pas de"
        " Swarm ni de répliques).",
        "{key} is refused: a sandbox project runs one container per service (no Swarm, no"
        " replicas).",
    ),
    "extends": (
        "{key} est refusé : écrivez le service en entier (ou partagez des clés avec les ancres"
        " YAML, x-commun: et <<).",
        "{key} is refused: write the whole service (or share keys with YAML anchors, x-common:"
        " and <<).",
    ),
    "include": (
        "{key} est refusé : le bac à sable lit un seul fichier compose.",
        "{key} is refused: the sandbox reads a single compose file.",
    ),
    "pull_policy": (
        "{key} est refusé : le bac à sable n'a pas accès à un registre, les images sont celles"
        " du serveur ou les vôtres.",
        "{key} is refused: the sandbox has no registry; images are the server's or your own.",
    ),
    "registry": (
        "{key} est refusé : les constructions n'ont pas accès à un registre.",
        "{key} is refused: builds have no registry.",
    ),
    "platform": (
        "{key} est refusé : le moteur ne construit et ne lance que pour sa propre plateforme.",
        "{key} is refused: the engine builds and runs only for its own platform.",
    ),
    "develop": (
        "{key} est refusé : compose watch n'existe pas dans le bac à sable.",
        "{key} is refused: compose watch does not exist in the sandbox.",
    ),
    "logging": (
        "{key} est refusé : le bac à sable garde les journaux lui-même (docker compose logs).",
        "{key} is refused: the sandbox keeps logs itself (docker compose logs).",
    ),
    "build_network": (
        "{key} est refusé : le réseau des constructions est fixé par le bac à sable.",
        "{key} is refused: the network of builds is set by the sandbox.",
    ),
    "dockerfile_inline": (
        "{key} est refusé : mettez le Dockerfile dans vos fichiers (/fichier Dockerfile).",
        "{key} is refused: put the Dockerfile in your files (/fichier Dockerfile).",
    ),
    "build_contexts": (
        "{key} est refusé : une construction a un seul contexte, un dossier de vos fichiers.",
        "{key} is refused: a build has one context, a folder of your files.",
    ),
    "external": (
        "{key} est refusé : un projet crée ses propres volumes et réseaux.",
        "{key} is refused: a project makes its own volumes and networks.",
    ),
    "driver_opts": (
        "{key} est refusé : les options de pilote pourraient monter un dossier de la machine hôte.",
        "{key} is refused: driver options could mount a folder of the host machine.",
    ),
    "ipam": (
        "{key} est refusé : le bac à sable choisit lui-même les sous-réseaux.",
        "{key} is refused: the sandbox picks subnets itself.",
    ),
    "resource_name": (
        "{key} est refusé : le nom est celui que Compose donne (projet_nom).",
        "{key} is refused: the name is the one Compose gives (project_name).",
    ),
    "mount_type": (
        "Le montage de type {key} est refusé : seuls volume et tmpfs sont possibles ici.",
        "A mount of type {key} is refused: only volume and tmpfs are possible here.",
    ),
}
_DRIVER = (
    "{key}: {driver} est refusé : seul le pilote {default} est disponible.",
    "{key}: {driver} is refused: only the {default} driver is available.",
)

MESSAGES: dict[str, dict[str, str]] = {
    **{
        f"sandbox.compose.{key}": {"fr": fr, "en": en}
        for section in (_FILE, _VARIABLES, _SCHEMA, _SERVICE)
        for key, (fr, en) in section.items()
    },
    **{f"sandbox.compose.yaml.{key}": {"fr": fr, "en": en} for key, (fr, en) in _YAML.items()},
    **{
        f"sandbox.compose.refused.{key}": {"fr": fr, "en": en} for key, (fr, en) in _REFUSED.items()
    },
    "sandbox.compose.refused.driver": {"fr": _DRIVER[0], "en": _DRIVER[1]},
}
