"""Messages of ``docker build``'s pure half: Dockerfile parse errors (Docker's wording, with the
line), what the sandbox does not build and why, the context; registered in ``moussaillon.areas``.

No HTML-special characters, as in the sandbox's other catalogues.
"""

from __future__ import annotations

# The engine's own wording (dockerd 20.10's classic builder), checked against it.
_PARSE = {"fr": "Dockerfile, erreur ligne {line} : ", "en": "dockerfile parse error line {line}: "}


def _parse(fr: str, en: str) -> dict[str, str]:
    return {"fr": _PARSE["fr"] + fr, "en": _PARSE["en"] + en}


# --- the Dockerfile does not parse (Docker's own errors) ---------------------------------------
_SYNTAX: dict[str, dict[str, str]] = {
    "unknown_instruction": _parse(
        "instruction inconnue : {instruction}", "unknown instruction: {instruction}"
    ),
    "unknown_flag": _parse("option inconnue : {flag}", "Unknown flag: {flag}"),
    "duplicate_flag": _parse(
        "option donnée deux fois : {flag}", "Duplicate flag specified: {flag}"
    ),
    "flag_value": _parse(
        "l'option --{flag} attend une valeur (--{flag}=...)", "Missing a value on flag: {flag}"
    ),
    "one_argument": _parse(
        "{instruction} attend au moins un argument", "{instruction} requires at least one argument"
    ),
    "two_arguments": _parse(
        "{instruction} attend au moins deux arguments (source et destination)",
        "{instruction} requires at least two arguments, but only one was provided. Destination"
        " could not be determined",
    ),
    "exactly_one": _parse(
        "{instruction} attend exactement un argument",
        "{instruction} requires exactly one argument",
    ),
    "shell_json": _parse(
        'SHELL attend ses arguments en JSON, par exemple SHELL ["/bin/sh", "-c"]',
        "SHELL requires the arguments to be in JSON form",
    ),
    "healthcheck_none": _parse(
        "HEALTHCHECK NONE ne prend pas d'argument", "HEALTHCHECK NONE takes no arguments"
    ),
    "healthcheck_type": _parse(
        'type "{kind}" inconnu dans HEALTHCHECK (essayez CMD)',
        'Unknown type "{kind}" in HEALTHCHECK (try CMD)',
    ),
    "healthcheck_cmd": _parse(
        "commande manquante après HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"
    ),
    "no_stage": {
        "fr": "Aucune étape de construction : le Dockerfile doit commencer par FROM (seuls des"
        " ARG peuvent le précéder).",
        "en": "no build stage in current context",
    },
    "empty": {
        "fr": "Le Dockerfile est vide : il doit contenir au moins un FROM.",
        "en": "the Dockerfile (Dockerfile) cannot be empty",
    },
    "from_arguments": _parse(
        "FROM attend une image, ou IMAGE AS NOM", "FROM requires either one or three arguments"
    ),
    "stage_name": _parse(
        'nom d\'étape invalide : "{name}", il commence par une lettre et ne contient ni'
        " espace ni symbole",
        'invalid name for build stage: "{name}", name can\'t start with a number or contain'
        " symbols",
    ),
    "duplicate_stage": _parse("deux étapes portent le nom {name}", "duplicate stage name {name}"),
    "blank_base": {
        "fr": "Le nom de l'image ({base}) est vide : donnez une valeur à l'ARG (--build-arg).",
        "en": "base name ({base}) should not be blank",
    },
    "base_reference": _parse(
        "nom d'image invalide après substitution : {base}",
        "invalid reference format: {base}",
    ),
    "copy_from_empty": _parse(
        "COPY --from= attend une étape ou une image", "invalid from flag value: empty"
    ),
    "copy_from_current": {
        "fr": "COPY --from={value} désigne l'étape en cours : seules les étapes précédentes"
        " peuvent servir.",
        "en": "invalid from flag value {value}: refers to current build stage",
    },
    "copy_from_later": {
        "fr": "COPY --from={value} : il n'y a pas d'étape {value} avant celle-ci (la première"
        " est 0).",
        "en": "invalid from flag value {value}: index out of bounds",
    },
    "substitution": _parse(
        "substitution de variable invalide : {word}", "failed to process {word}: bad substitution"
    ),
    "escape": {
        "fr": "Directive escape invalide « {value} » : utilisez ` ou \\",
        "en": "failed to parse Dockerfile: invalid escape token '{value}' does not match ` or \\",
    },
}

# --- the docker build command line (docker's wording) ---------------------------------------
_SEE = {"fr": "\nVoir '{command} --help'.", "en": "\nSee '{command} --help'."}
_TAG = {
    "fr": 'valeur invalide "{value}" pour l\'option "-t, --tag" : format de référence invalide',
    "en": 'invalid argument "{value}" for "-t, --tag" flag: invalid reference format',
}


def _tag(fr: str, en: str) -> dict[str, str]:
    return {"fr": _TAG["fr"] + fr + _SEE["fr"], "en": _TAG["en"] + en + _SEE["en"]}


_COMMAND_LINE: dict[str, dict[str, str]] = {
    "context_required": {
        "fr": '"{command}" attend exactement 1 argument.' + _SEE["fr"] + "\n\nUsage :  {command}"
        " [OPTIONS] CHEMIN\n\nConstruit une image à partir d'un Dockerfile (par exemple"
        " {command} -t monimage .)",
        "en": '"{command}" requires exactly 1 argument.' + _SEE["en"] + "\n\nUsage:  {command}"
        " [OPTIONS] PATH | URL | -\n\nBuild an image from a Dockerfile",
    },
    "tag_format": _tag("", ""),
    "tag_lowercase": _tag(
        " : le nom du dépôt doit être en minuscules", ": repository name must be lowercase"
    ),
    "tag_length": _tag(
        " : le nom du dépôt ne doit pas dépasser 255 caractères",
        ": repository name must not be more than 255 characters",
    ),
    "tag_id": _tag(
        " : un identifiant hexadécimal de 64 caractères ne peut pas servir de nom",
        ": cannot specify 64-byte hexadecimal strings",
    ),
}

# --- parsed, but not built here --------------------------------------------------------------
_REFUSED: dict[str, tuple[str, str]] = {
    "too_large": (
        "Dockerfile trop gros ({size_kb} Kio, au plus {limit_kb} Kio) : un Dockerfile tient en"
        " quelques lignes, les fichiers de l'application vont à côté.",
        "Dockerfile too large ({size_kb} KiB, at most {limit_kb} KiB): a Dockerfile is a few"
        " lines, the application's files go next to it.",
    ),
    "binary": (
        "Ce Dockerfile n'est pas du texte (UTF-8) : envoyez le fichier texte lui-même.",
        "This Dockerfile is not text (UTF-8): send the text file itself.",
    ),
    "control_char": (
        "Le Dockerfile contient un caractère de contrôle ({code}) ligne {line} : retapez la ligne.",
        "The Dockerfile contains a control character ({code}) on line {line}: retype the line.",
    ),
    "ambiguous": (
        "Ligne {line} du Dockerfile : un espace inhabituel (insécable, après une barre oblique"
        " inverse…) la rend ambiguë. Retapez-la avec des espaces ordinaires.",
        "Dockerfile line {line}: an unusual space (non-breaking, after a backslash…) makes it"
        " ambiguous. Retype it with plain spaces.",
    ),
    "too_many_instructions": (
        "Trop d'instructions dans le Dockerfile (plus de {limit}) : regroupez les commandes"
        " (RUN a && b).",
        "Too many instructions in the Dockerfile (over {limit}): group commands (RUN a && b).",
    ),
    "too_many_stages": (
        "Trop d'étapes dans le Dockerfile (plus de {limit} FROM) : gardez seulement celles"
        " qui servent.",
        "Too many stages in the Dockerfile (over {limit} FROM): keep only those you need.",
    ),
    "syntax_directive": (
        "Ligne {line} : la directive # syntax={value} choisit un frontal BuildKit, que ce bac"
        " à sable n'utilise pas (constructeur classique). Supprimez cette ligne.",
        "Line {line}: the # syntax={value} directive picks a BuildKit front-end, which this"
        " sandbox does not use (classic builder). Remove that line.",
    ),
    "run_mount": (
        "Ligne {line} : RUN --mount n'existe qu'avec BuildKit ; ici le constructeur est le"
        " classique. Copiez les fichiers avec COPY puis lancez RUN.",
        "Line {line}: RUN --mount only exists with BuildKit; the builder here is the classic"
        " one. Copy the files with COPY, then RUN.",
    ),
    "run_network": (
        "Ligne {line} : RUN --network n'existe qu'avec BuildKit, et le bac à sable fixe"
        " lui-même le réseau des constructions. Retirez l'option.",
        "Line {line}: RUN --network only exists with BuildKit, and the sandbox sets the"
        " builds' network itself. Remove the option.",
    ),
    "run_security": (
        "Ligne {line} : RUN --security n'existe qu'avec BuildKit, et aucune étape ne tourne en"
        " mode privilégié ici. Retirez l'option.",
        "Line {line}: RUN --security only exists with BuildKit, and no step runs privileged"
        " here. Remove the option.",
    ),
    "buildkit_flag": (
        "Ligne {line} : {instruction} {flag} n'existe qu'avec BuildKit ; ici le constructeur"
        " est le classique. Retirez l'option (pour les droits, RUN chmod après la copie).",
        "Line {line}: {instruction} {flag} only exists with BuildKit; the builder here is the"
        " classic one. Remove the option (for permissions, RUN chmod after the copy).",
    ),
    "from_platform": (
        "Ligne {line} : FROM --platform n'est pas disponible, le bac à sable construit pour"
        " la plateforme de son moteur. Retirez l'option.",
        "Line {line}: FROM --platform is not available, the sandbox builds for its engine's"
        " platform. Remove the option.",
    ),
    "heredoc": (
        "Ligne {line} : les heredocs ({instruction} <<EOF) n'existent qu'avec BuildKit. Écrivez"
        " une commande par RUN (reliées par &&) ou copiez un fichier avec COPY.",
        "Line {line}: heredocs ({instruction} <<EOF) only exist with BuildKit. Write the"
        " commands on one RUN (joined with &&) or copy a file with COPY.",
    ),
    "onbuild": (
        "Ligne {line} : ONBUILD n'est pas accepté ici, il ferait agir votre image dans les"
        " constructions des autres. Écrivez les instructions dans le Dockerfile qui les utilise.",
        "Line {line}: ONBUILD is not accepted here, it would make your image act inside other"
        " builds. Write the instructions in the Dockerfile that needs them.",
    ),
    "add_url": (
        "Ligne {line} : ADD {source} téléchargerait un fichier, et les constructions n'ont pas"
        " Internet. Ajoutez le fichier à vos fichiers puis COPY.",
        "Line {line}: ADD {source} would download a file, and builds have no Internet. Add the"
        " file to your files, then COPY it.",
    ),
    "add_git": (
        "Ligne {line} : ADD {source} clonerait un dépôt git, impossible sans Internet. Ajoutez"
        " les fichiers du dépôt à vos fichiers (archive .zip) puis COPY.",
        "Line {line}: ADD {source} would clone a git repository, not possible without"
        " Internet. Add the repository's files to your files (a .zip archive), then COPY.",
    ),
    "target": (
        "failed to reach build target {target} in Dockerfile : aucune étape ne s'appelle"
        " {target} (FROM IMAGE AS {target}).",
        "failed to reach build target {target} in Dockerfile",
    ),
}

# --- refused on the command line (sandbox/policy.py) ------------------------------------------
_POLICY: dict[str, tuple[str, str]] = {
    "network": (
        "{flag} n'est pas disponible : le bac à sable choisit lui-même le réseau des"
        " constructions (aucun par défaut). Retirez l'option.",
        "{flag} is not available: the sandbox picks the builds' network itself (none by"
        " default). Remove the option.",
    ),
    "secret": (
        "{flag} n'existe qu'avec BuildKit, et aucun secret n'entre dans le bac à sable. Passez"
        " une valeur non secrète avec --build-arg CLE=valeur",
        "{flag} only exists with BuildKit, and no secret enters the sandbox. Pass a"
        " non-secret value with --build-arg KEY=value",
    ),
    "platform": (
        "{flag} n'est pas disponible : le bac à sable construit pour la plateforme de son"
        " moteur. Retirez l'option.",
        "{flag} is not available: the sandbox builds for its engine's platform. Remove the option.",
    ),
    "output": (
        "{flag} n'est pas disponible : rien ne sort du bac à sable, l'image reste dans vos"
        " images (docker images). Retirez l'option et nommez l'image avec -t",
        "{flag} is not available: nothing leaves the sandbox, the image stays in your images"
        " (docker images). Remove the option and name the image with -t",
    ),
    "cache": (
        "{flag} n'existe qu'avec BuildKit : le cache local du constructeur sert tout seul"
        " d'une construction à l'autre. Retirez l'option.",
        "{flag} only exists with BuildKit: the builder's local cache is reused between builds"
        " by itself. Remove the option.",
    ),
    "iidfile": (
        "{flag} n'est pas disponible : aucun fichier n'est écrit sur la machine. Retirez"
        " l'option : l'identifiant de l'image s'affiche à la fin (ou seul avec -q).",
        "{flag} is not available: no file is written on the host. Remove the option: the"
        " image id is printed at the end (or alone with -q).",
    ),
    "limits": (
        "{flag} n'est pas disponible : le bac à sable fixe lui-même les limites des"
        " constructions (mémoire, CPU, processus). Retirez l'option.",
        "{flag} is not available: the sandbox sets the builds' limits itself (memory, CPU,"
        " processes). Remove the option.",
    ),
    "add_host": (
        "{flag} n'est pas disponible : les constructions n'ont pas de réseau vers d'autres"
        " machines. Retirez l'option.",
        "{flag} is not available: builds have no network to other machines. Remove the option.",
    ),
    "security_opt": (
        "{flag} n'est pas disponible : les protections des constructions sont fixées par le"
        " bac à sable. Retirez l'option.",
        "{flag} is not available: the builds' protections are set by the sandbox. Remove the"
        " option.",
    ),
    "buildx": (
        "{flag} est une option de docker buildx (BuildKit) : ici c'est docker build, le"
        " constructeur classique. Retirez l'option.",
        "{flag} is a docker buildx (BuildKit) option: here it is docker build, the classic"
        " builder. Remove the option.",
    ),
    "stdin": (
        "docker build - lit le contexte sur l'entrée standard, impossible ici : envoyez vos"
        " fichiers (/fichier, ou une archive .zip) puis docker build -t NOM .",
        "docker build - reads the context from standard input, not possible here: send your"
        " files (/fichier, or a .zip archive), then docker build -t NAME .",
    ),
    "url": (
        "Le contexte {context} est une adresse : les constructions n'ont pas Internet."
        " Envoyez les fichiers (/fichier, ou une archive .zip) puis docker build -t NOM .",
        "The context {context} is an address: builds have no Internet. Send the files"
        " (/fichier, or a .zip archive), then docker build -t NAME .",
    ),
    "git": (
        "Le contexte {context} est un dépôt git : impossible de le cloner sans Internet."
        " Envoyez ses fichiers en archive .zip puis docker build -t NOM .",
        "The context {context} is a git repository: it cannot be cloned without Internet."
        " Send its files as a .zip archive, then docker build -t NAME .",
    ),
    "too_many_tags": (
        "Trop de noms pour une image (au plus {limit} -t) : gardez ceux qui servent.",
        "Too many names for one image (at most {limit} -t): keep the ones you need.",
    ),
}

# --- the build context -----------------------------------------------------------------------
_CONTEXT: dict[str, tuple[str, str]] = {
    "missing": (
        "unable to prepare context: le dossier « {path} » n'existe pas dans vos fichiers"
        " (/fichiers les liste).",
        'unable to prepare context: path "{path}" not found in your files (/fichiers lists them).',
    ),
    "empty": (
        "Le dossier « {path} » est vide (ou tout y est exclu par .dockerignore) : envoyez au"
        " moins un Dockerfile.",
        "The folder '{path}' is empty (or .dockerignore excludes everything): send at least a"
        " Dockerfile.",
    ),
    "not_dir": (
        "unable to prepare context: « {path} » est un fichier, le contexte doit être un"
        " dossier (par exemple . ou app).",
        "unable to prepare context: context must be a directory: {path}",
    ),
    "bad_pattern": (
        "Motif invalide dans .dockerignore : {pattern} (syntax error in pattern). Vérifiez les"
        " crochets [ ] et les barres obliques inverses.",
        "Invalid pattern in .dockerignore: {pattern} (syntax error in pattern). Check the"
        " brackets [ ] and backslashes.",
    ),
    "too_many_patterns": (
        "Trop de motifs dans .dockerignore (plus de {limit}) : regroupez-les (*.log, **/tmp).",
        "Too many patterns in .dockerignore (over {limit}): group them (*.log, **/tmp).",
    ),
    "invalid": (
        "Chemin « {path} » invalide : donnez un chemin relatif à vos fichiers, sans .. ,"
        " par exemple . ou app",
        "Invalid path '{path}': give a path relative to your files, without .. , for example"
        " . or app",
    ),
    "dockerfile_missing": (
        "Pas de Dockerfile à « {path} » : créez-le (/fichier {path}) ou indiquez son chemin"
        " avec -f (relatif à vos fichiers).",
        "No Dockerfile at '{path}': create it (/fichier {path}) or give its path with -f"
        " (relative to your files).",
    ),
    # The context a docker CLI sends as a tar (the terminal): the workspace's bounds, applied.
    "tar_big": (
        "Le contexte de construction dépasse {limit} Kio : gardez-le petit (un .dockerignore"
        " exclut ce qui ne sert pas à l'image).",
        "The build context is over {limit} KiB: keep it small (a .dockerignore leaves out what"
        " the image does not need).",
    ),
    "tar_inflated": (
        "Le contexte décompressé dépasse {limit} Kio : gardez-le petit.",
        "The build context inflates past {limit} KiB: keep it small.",
    ),
    "tar_compression": (
        "Le contexte doit être une archive tar, compressée en gzip ou non.",
        "The build context must be a tar archive, gzip-compressed or not.",
    ),
    "tar_corrupt": (
        "L'archive du contexte est illisible ({detail}).",
        "The build context's archive cannot be read ({detail}).",
    ),
    "tar_entries": (
        "Le contexte a plus de {limit} entrées (fichiers et dossiers) : gardez-le petit.",
        "The build context has over {limit} entries (files and folders): keep it small.",
    ),
    "tar_files": (
        "Le contexte a plus de {limit} fichiers : un .dockerignore exclut ce qui ne sert pas.",
        "The build context has over {limit} files: a .dockerignore leaves out what is not needed.",
    ),
    "tar_file_big": (
        "{path} fait {size} octets : un fichier du contexte fait au plus {limit} Kio.",
        "{path} is {size} bytes: a file of the build context is at most {limit} KiB.",
    ),
    "tar_total": (
        "Les fichiers du contexte dépassent {limit} Kio au total : gardez-le petit.",
        "The build context's files are over {limit} KiB in total: keep it small.",
    ),
    "tar_link": (
        "{path} est un lien (vers {target}) : le contexte ne prend que des fichiers et des"
        " dossiers. Copiez le fichier lui-même.",
        "{path} is a link (to {target}): the build context takes only files and folders. Copy"
        " the file itself.",
    ),
    "tar_special": (
        "{path} n'est ni un fichier ni un dossier (un périphérique, un tube) : retirez-le du"
        " contexte.",
        "{path} is neither a file nor a folder (a device, a pipe): leave it out of the context.",
    ),
    "tar_path": (
        "Le chemin « {path} » sort du contexte : seuls des chemins relatifs, sans .., y vont.",
        "The path '{path}' leaves the build context: only relative paths, without .., go in it.",
    ),
    "tar_deep": (
        "« {path} » est à plus de {depth} dossiers de profondeur : rapprochez-le de la racine.",
        "'{path}' is more than {depth} folders deep: move it closer to the top.",
    ),
    "tar_read_only": (
        "Le contexte envoyé ne se modifie pas.",
        "The context sent cannot be changed.",
    ),
}

MESSAGES: dict[str, dict[str, str]] = {
    **{f"sandbox.build.syntax.{key}": texts for key, texts in _SYNTAX.items()},
    **{f"sandbox.build.syntax.{key}": texts for key, texts in _COMMAND_LINE.items()},
    **{f"sandbox.build.refused.{key}": {"fr": fr, "en": en} for key, (fr, en) in _REFUSED.items()},
    **{f"sandbox.build.policy.{key}": {"fr": fr, "en": en} for key, (fr, en) in _POLICY.items()},
    **{f"sandbox.build.context.{key}": {"fr": fr, "en": en} for key, (fr, en) in _CONTEXT.items()},
}
