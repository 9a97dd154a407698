"""Phone-sized help: ``docker``, each group, each supported command, in French and English.

Only what the sandbox accepts is listed, so the help never advertises an option the policy
would refuse; commands the sandbox does not offer say why (the refusal text itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moussaillon.core.i18n import normalize_lang, t
from moussaillon.sandbox.messages import MESSAGES
from moussaillon.sandbox.parser import GROUPS


@dataclass(frozen=True)
class Topic:
    usage: str
    summary: tuple[str, str]  # fr, en
    options: tuple[tuple[str, str, str], ...] = ()  # flags, fr, en
    example: str = ""


def _o(flags: str, fr: str, en: str) -> tuple[str, str, str]:
    return flags, fr, en


FORMAT = _o("-f, --format TPL", "format Go, ex. '{{.Name}}'", "Go template, e.g. '{{.Name}}'")
LS_FORMAT = _o("--format TPL", "format Go (ou table, json)", "Go template (or table, json)")
FILTER = _o("-f, --filter K=V", "filtrer (répétable)", "filter (repeatable)")
QUIET = _o("-q, --quiet", "seulement les identifiants", "only IDs")
FORCE = _o("-f, --force", "sans confirmation", "without confirmation")
NO_TRUNC = _o("--no-trunc", "ne pas tronquer", "do not truncate")

TOPICS: dict[str, Topic] = {
    "container.run": Topic(
        "docker run [OPTIONS] IMAGE [COMMANDE] [ARG...]",
        ("Crée et démarre un conteneur.", "Create and start a container."),
        (
            _o("-d, --detach", "en arrière-plan", "in the background"),
            _o("--rm", "supprimer à la fin", "remove when it exits"),
            _o("--name NOM", "nommer le conteneur", "name the container"),
            _o("-e, --env K=V", "variable d'environnement", "environment variable"),
            _o("-p, --publish H:C", "publier un port", "publish a port"),
            _o("-P, --publish-all", "publier les ports exposés", "publish exposed ports"),
            _o("-v, --volume VOL:/CHEMIN", "volume nommé (pas de dossier hôte)",
               "named volume (no host folder)"),
            _o("--mount type=volume,...", "volume ou tmpfs", "volume or tmpfs"),
            _o("--tmpfs /CHEMIN", "dossier en mémoire", "in-memory folder"),
            _o("--network RESEAU", "réseau (pas host)", "network (not host)"),
            _o("--network-alias NOM", "alias (pas sur bridge)", "alias (not on bridge)"),
            _o("-w, --workdir /CHEMIN", "dossier de travail", "working directory"),
            _o("-h, --hostname NOM", "nom d'hôte", "hostname"),
            _o("-u, --user UID", "utilisateur", "user"),
            _o("-l, --label K=V", "étiquette", "label"),
            _o("--restart no|on-failure[:N]", "redémarrage", "restart policy"),
            _o("--entrypoint CMD", "remplacer l'entrypoint", "override the entrypoint"),
            _o("--health-cmd CMD", "sonde de santé", "healthcheck"),
            _o("--init, --read-only", "init, système de fichiers en lecture seule",
               "init, read-only root filesystem"),
            _o("-m, --memory 64m", "mémoire (au plus la limite du bac à sable)",
               "memory (at most the sandbox's limit)"),
            _o("--cpus 0.25", "CPU (au plus la limite du bac à sable)",
               "CPUs (at most the sandbox's limit)"),
        ),
        "docker run --rm alpine cat /etc/hostname",
    ),
    "container.create": Topic(
        "docker create [OPTIONS] IMAGE [COMMANDE] [ARG...]",
        ("Crée un conteneur sans le démarrer (options de docker run).",
         "Create a container without starting it (docker run's options)."),
        (_o("--name NOM", "nommer le conteneur", "name the container"),),
        "docker create --name web nginx",
    ),
    "container.diff": Topic(
        "docker diff CONTENEUR",
        ("Fichiers ajoutés (A), changés (C), supprimés (D) dans le conteneur.",
         "Files added (A), changed (C), deleted (D) in the container."),
        (),
        "docker diff web",
    ),
    "container.ls": Topic(
        "docker ps [OPTIONS]",
        ("Liste vos conteneurs.", "List your containers."),
        (
            _o("-a, --all", "aussi les conteneurs arrêtés", "stopped ones too"),
            QUIET,
            _o("-n, --last N", "les N derniers", "the last N"),
            _o("-l, --latest", "le dernier créé", "the latest created"),
            _o("-s, --size", "avec la taille", "with sizes"),
            FILTER, LS_FORMAT, NO_TRUNC,
        ),
        "docker ps -a --filter status=exited",
    ),
    "container.logs": Topic(
        "docker logs [OPTIONS] CONTENEUR",
        ("Affiche la sortie d'un conteneur.", "Show a container's output."),
        (
            _o("-n, --tail N", "les N dernières lignes", "the last N lines"),
            _o("-t, --timestamps", "avec l'heure", "with timestamps"),
            _o("--since, --until T", "période (ex. 10m)", "time range (e.g. 10m)"),
            _o("-f, --follow", "impossible ici : affiche une fois",
               "not possible here: shows once"),
        ),
        "docker logs --tail 20 web",
    ),
    "container.exec": Topic(
        "docker exec [OPTIONS] CONTENEUR COMMANDE [ARG...]",
        ("Lance une commande dans un conteneur démarré (-it sh : un shell ici).",
         "Run a command in a running container (-it sh: a shell in the chat)."),
        (
            _o("-d, --detach", "en arrière-plan", "in the background"),
            _o("-i, -t", "shell interactif (/quitter_shell pour sortir)",
               "interactive shell (/quitter_shell to leave)"),
            _o("-e, --env K=V", "variable d'environnement", "environment variable"),
            _o("-w, --workdir /CHEMIN", "dossier de travail", "working directory"),
            _o("-u, --user UID", "utilisateur", "user"),
        ),
        "docker exec web sh -c 'ls /'",
    ),
    "container.attach": Topic(
        "docker attach [OPTIONS] CONTENEUR",
        ("Se brancher sur un conteneur lancé avec -dit (vos messages à son entrée).",
         "Attach to a container started with -dit: your messages go to its input."),
        (_o("--no-stdin", "lire sans écrire", "read without writing"),),
        "docker attach web",
    ),
    "container.stop": Topic(
        "docker stop [OPTIONS] CONTENEUR [CONTENEUR...]",
        ("Arrête des conteneurs.", "Stop containers."),
        (
            _o("-t, --time S", "délai avant kill", "seconds before kill"),
            _o("-s, --signal SIG", "signal à envoyer", "signal to send"),
        ),
        "docker stop web",
    ),
    "container.start": Topic(
        "docker start CONTENEUR [CONTENEUR...]",
        ("Démarre des conteneurs arrêtés (-ai : et s'y brancher, comme attach).",
         "Start stopped containers (-ai: and attach to it, like attach)."),
        (
            _o("-a", "attendre la fin et afficher la sortie", "wait for the end, show the output"),
            _o("-a -i", "démarrer et se brancher", "start and attach"),
        ),
        "docker start web",
    ),
    "container.restart": Topic(
        "docker restart [OPTIONS] CONTENEUR [CONTENEUR...]",
        ("Redémarre des conteneurs.", "Restart containers."),
        (
            _o("-t, --time S", "délai avant kill", "seconds before kill"),
            _o("-s, --signal SIG", "signal d'arrêt", "stop signal"),
        ),
        "docker restart web",
    ),
    "container.kill": Topic(
        "docker kill [OPTIONS] CONTENEUR [CONTENEUR...]",
        ("Tue des conteneurs (SIGKILL par défaut).", "Kill containers (SIGKILL by default)."),
        (_o("-s, --signal SIG", "signal à envoyer", "signal to send"),),
        "docker kill -s SIGTERM web",
    ),
    "container.rm": Topic(
        "docker rm [OPTIONS] CONTENEUR [CONTENEUR...]",
        ("Supprime des conteneurs.", "Remove containers."),
        (
            _o("-f, --force", "même s'il tourne", "even if running"),
            _o("-v, --volumes", "avec ses volumes anonymes", "with its anonymous volumes"),
        ),
        "docker rm -f web",
    ),
    "container.inspect": Topic(
        "docker container inspect [OPTIONS] CONTENEUR [CONTENEUR...]",
        ("Détails d'un conteneur (JSON).", "A container's details (JSON)."),
        (FORMAT, _o("-s, --size", "avec la taille", "with sizes")),
        "docker container inspect -f '{{.State.Status}}' web",
    ),
    "container.stats": Topic(
        "docker stats [OPTIONS] [CONTENEUR...]",
        ("Mémoire et CPU (une seule mesure ici).", "Memory and CPU (one snapshot here)."),
        (
            _o("-a, --all", "aussi les arrêtés", "stopped ones too"),
            _o("--no-stream", "une mesure (toujours le cas ici)", "one snapshot (always here)"),
            LS_FORMAT, NO_TRUNC,
        ),
        "docker stats --no-stream",
    ),
    "container.top": Topic(
        "docker top CONTENEUR [OPTIONS DE ps]",
        ("Processus d'un conteneur.", "A container's processes."),
        (),
        "docker top web -o pid,comm",
    ),
    "container.port": Topic(
        "docker port CONTENEUR [PORT[/PROTO]]",
        ("Ports publiés d'un conteneur.", "A container's published ports."),
        (),
        "docker port web 80",
    ),
    "container.rename": Topic(
        "docker rename CONTENEUR NOUVEAU_NOM",
        ("Renomme un conteneur.", "Rename a container."),
        (),
        "docker rename web web-old",
    ),
    "container.pause": Topic(
        "docker pause CONTENEUR [CONTENEUR...]",
        ("Gèle les processus d'un conteneur.", "Freeze a container's processes."),
        (),
        "docker pause web",
    ),
    "container.unpause": Topic(
        "docker unpause CONTENEUR [CONTENEUR...]",
        ("Dégèle un conteneur en pause.", "Unfreeze a paused container."),
        (),
        "docker unpause web",
    ),
    "container.wait": Topic(
        "docker wait CONTENEUR [CONTENEUR...]",
        ("Attend la fin et affiche le code de sortie.", "Wait for the end, print the exit code."),
        (),
        "docker wait job",
    ),
    "container.prune": Topic(
        "docker container prune [OPTIONS]",
        ("Supprime tous vos conteneurs arrêtés.", "Remove all your stopped containers."),
        (FORCE, _o("--filter K=V", "filtrer", "filter")),
        "docker container prune -f",
    ),
    "container.cp": Topic(
        "docker cp [OPTIONS] CONTENEUR:CHEMIN FICHIER | FICHIER CONTENEUR:CHEMIN",
        ("Copie entre un conteneur et votre espace de fichiers (jamais la machine).",
         "Copy between a container and your file workspace (never the host)."),
        (
            _o("-L, --follow-link", "suivre un lien symbolique", "follow a symbolic link"),
            _o("-q, --quiet", "sans message", "no message"),
        ),
        "docker cp web:/etc/nginx/nginx.conf .",
    ),
    "container.commit": Topic(
        "docker commit [OPTIONS] CONTENEUR [DEPOT[:TAG]]",
        ("Crée une de vos images depuis un conteneur.",
         "Create one of your images from a container."),
        (
            _o("-m, --message TXT", "message du commit", "commit message"),
            _o("-a, --author NOM", "auteur", "author"),
            _o("-c, --change INSTR", "CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR",
               "CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR"),
            _o("-p, --pause", "mettre en pause pendant le commit (défaut)",
               "pause during the commit (default)"),
        ),
        "docker commit -m 'page modifiée' web monweb:v2",
    ),
    "image.ls": Topic(
        "docker images [OPTIONS] [DEPOT[:TAG]]",
        ("Liste les images disponibles.", "List the available images."),
        (
            _o("-a, --all", "toutes", "all"),
            QUIET,
            _o("--digests", "avec les empreintes", "with digests"),
            FILTER, LS_FORMAT, NO_TRUNC,
        ),
        "docker images",
    ),
    "image.inspect": Topic(
        "docker image inspect [OPTIONS] IMAGE [IMAGE...]",
        ("Détails d'une image (JSON).", "An image's details (JSON)."),
        (FORMAT,),
        "docker image inspect -f '{{.Config.Cmd}}' nginx",
    ),
    "image.pull": Topic(
        "docker pull [OPTIONS] IMAGE[:TAG]",
        ("Images déjà présentes : confirme qu'elle est là.",
         "Images are preloaded: confirms it is here."),
        (_o("-q, --quiet", "sortie courte", "short output"),),
        "docker pull alpine",
    ),
    "image.history": Topic(
        "docker history [OPTIONS] IMAGE",
        ("Les couches d'une image.", "An image's layers."),
        (
            _o("-H, --human", "tailles lisibles (défaut)", "readable sizes (default)"),
            QUIET, LS_FORMAT, NO_TRUNC,
        ),
        "docker history nginx",
    ),
    "image.tag": Topic(
        "docker tag SOURCE[:TAG] CIBLE[:TAG]",
        ("Donne un autre nom à une image.", "Give an image another name."),
        (),
        "docker tag alpine monalpine:v1",
    ),
    "image.build": Topic(
        "docker build [OPTIONS] CONTEXTE",
        ("Construit une image depuis vos fichiers.", "Build an image from your files."),
        (_o("-t, --tag NOM", "nom:tag de l'image", "image name:tag"),),
        "docker build -t monapp:1 .",
    ),
    "image.prune": Topic(
        "docker image prune [OPTIONS]",
        ("Supprime vos images inutilisées.", "Remove your unused images."),
        (
            _o("-a, --all", "toutes vos images sans conteneur", "all yours with no container"),
            FORCE,
        ),
        "docker image prune -a -f",
    ),
    "image.rm": Topic(
        "docker rmi [OPTIONS] IMAGE [IMAGE...]",
        ("Supprime vos tags d'images.", "Remove your image tags."),
        (FORCE, _o("--no-prune", "garder les parents", "keep parents")),
        "docker rmi monalpine:v1",
    ),
    "volume.create": Topic(
        "docker volume create [OPTIONS] [NOM]",
        ("Crée un volume nommé (pilote local, sans -o).", "Create a named volume (local, no -o)."),
        (_o("--label K=V", "étiquette", "label"),),
        "docker volume create donnees",
    ),
    "volume.ls": Topic(
        "docker volume ls [OPTIONS]",
        ("Liste vos volumes.", "List your volumes."),
        (QUIET, FILTER, LS_FORMAT),
        "docker volume ls",
    ),
    "volume.inspect": Topic(
        "docker volume inspect [OPTIONS] VOLUME [VOLUME...]",
        ("Détails d'un volume (JSON).", "A volume's details (JSON)."),
        (FORMAT,),
        "docker volume inspect donnees",
    ),
    "volume.rm": Topic(
        "docker volume rm [OPTIONS] VOLUME [VOLUME...]",
        ("Supprime des volumes.", "Remove volumes."),
        (FORCE,),
        "docker volume rm donnees",
    ),
    "volume.prune": Topic(
        "docker volume prune [OPTIONS]",
        ("Supprime vos volumes inutilisés.", "Remove your unused volumes."),
        (_o("-a, --all", "aussi les volumes nommés", "named ones too"), FORCE),
        "docker volume prune -a -f",
    ),
    "network.create": Topic(
        "docker network create [OPTIONS] NOM",
        ("Crée un réseau bridge.", "Create a bridge network."),
        (
            _o("--internal", "sans accès extérieur", "no outside access"),
            _o("--attachable", "attachable", "attachable"),
            _o("--label K=V", "étiquette", "label"),
        ),
        "docker network create monreseau",
    ),
    "network.ls": Topic(
        "docker network ls [OPTIONS]",
        ("Liste vos réseaux.", "List your networks."),
        (QUIET, FILTER, LS_FORMAT, NO_TRUNC),
        "docker network ls",
    ),
    "network.inspect": Topic(
        "docker network inspect [OPTIONS] RESEAU [RESEAU...]",
        ("Détails d'un réseau (JSON).", "A network's details (JSON)."),
        (FORMAT, _o("-v, --verbose", "plus de détails", "more details")),
        "docker network inspect monreseau",
    ),
    "network.rm": Topic(
        "docker network rm RESEAU [RESEAU...]",
        ("Supprime des réseaux.", "Remove networks."),
        (FORCE,),
        "docker network rm monreseau",
    ),
    "network.connect": Topic(
        "docker network connect [OPTIONS] RESEAU CONTENEUR",
        ("Branche un conteneur sur un réseau.", "Connect a container to a network."),
        (_o("--alias NOM", "alias (pas sur bridge)", "alias (not on bridge)"),),
        "docker network connect monreseau web",
    ),
    "network.disconnect": Topic(
        "docker network disconnect [OPTIONS] RESEAU CONTENEUR",
        ("Débranche un conteneur d'un réseau.", "Disconnect a container from a network."),
        (FORCE,),
        "docker network disconnect monreseau web",
    ),
    "network.prune": Topic(
        "docker network prune [OPTIONS]",
        ("Supprime vos réseaux inutilisés.", "Remove your unused networks."),
        (FORCE,),
        "docker network prune -f",
    ),
    "system.version": Topic(
        "docker version [OPTIONS]",
        ("Versions du client et du moteur.", "Client and engine versions."),
        (FORMAT,),
        "docker version",
    ),
    "system.info": Topic(
        "docker info [OPTIONS]",
        ("Informations sur le moteur.", "Engine information."),
        (FORMAT,),
        "docker info -f '{{.ServerVersion}}'",
    ),
    "system.df": Topic(
        "docker system df [OPTIONS]",
        ("La place prise par vos images, conteneurs et volumes.",
         "The space your images, containers and volumes take."),
        (LS_FORMAT,),
        "docker system df",
    ),
    "system.prune": Topic(
        "docker system prune [OPTIONS]",
        ("Supprime vos conteneurs arrêtés, réseaux inutilisés…",
         "Remove your stopped containers, unused networks…"),
        (FORCE, _o("--volumes", "aussi les volumes", "volumes too")),
        "docker system prune -f",
    ),
    "inspect": Topic(
        "docker inspect [OPTIONS] NOM [NOM...]",
        ("Détails (JSON) d'un conteneur, image, volume ou réseau.",
         "Details (JSON) of a container, image, volume or network."),
        (FORMAT, _o("--type TYPE", "container, image, volume, network",
                    "container, image, volume, network")),
        "docker inspect -f '{{.NetworkSettings.IPAddress}}' web",
    ),
}  # fmt: skip

GROUP_SUMMARIES: dict[str, tuple[str, str]] = {
    "container": ("Gérer les conteneurs.", "Manage containers."),
    "image": ("Gérer les images (fournies ou construites).", "Manage images (provided or built)."),
    "volume": ("Gérer les volumes nommés.", "Manage named volumes."),
    "network": ("Gérer les réseaux.", "Manage networks."),
    "system": ("Le moteur Docker.", "The Docker engine."),
}

_WORDS = {
    "usage": ("Usage :", "Usage:"),
    "options": ("Options :", "Options:"),
    "example": ("Exemple :", "Example:"),
    "commands": ("Commandes :", "Commands:"),
    "more": ("Aide d'une commande : docker COMMANDE --help",
             "Help on a command: docker COMMAND --help"),
    "none": ("(aucune option)", "(no options)"),
    "unknown": ("Pas d'aide pour « {topic} ».", "No help for '{topic}'."),
}  # fmt: skip

_OVERVIEW = {
    "fr": """Usage : docker COMMANDE

Conteneurs : run, ps, logs, exec, attach, stop, start, restart, kill, rm, stats, top, port,
  rename, pause, unpause, wait, create, diff, cp, commit, container inspect|prune
Images : build, images, pull, history, tag, rmi, image inspect
Volumes : volume create|ls|inspect|rm|prune
Réseaux : network create|ls|inspect|rm|connect|disconnect|prune
Système : version, info, inspect, system df|prune

Pas ici : buildx, login, push… (docker push --help dit pourquoi)""",
    "en": """Usage: docker COMMAND

Containers: run, ps, logs, exec, attach, stop, start, restart, kill, rm, stats, top, port,
  rename, pause, unpause, wait, create, diff, cp, commit, container inspect|prune
Images: build, images, pull, history, tag, rmi, image inspect
Volumes: volume create|ls|inspect|rm|prune
Networks: network create|ls|inspect|rm|connect|disconnect|prune
System: version, info, inspect, system df|prune

Not here: buildx, login, push… (docker push --help says why)""",
}


_ENGLISH = {
    "CONTENEUR": "CONTAINER", "COMMANDE": "COMMAND", "NOUVEAU_NOM": "NEW_NAME", "NOM": "NAME",
    "CHEMIN": "PATH", "RESEAU": "NETWORK", "DEPOT": "REPOSITORY", "CIBLE": "TARGET",
    "OPTIONS DE ps": "ps OPTIONS", "donnees": "data", "monreseau": "mynet",
    "monalpine": "myalpine", "monapp": "myapp", "monweb": "myweb",
    "page modifiée": "page changed", "FICHIER": "FILE", "ETAPE": "STAGE",
}  # fmt: skip
_ENGLISH_RE = re.compile("|".join(sorted(map(re.escape, _ENGLISH), key=len, reverse=True)))


def _localize(text: str, index: int) -> str:
    """Placeholders and example names are written in French; English gets its own."""
    return text if index == 0 else _ENGLISH_RE.sub(lambda m: _ENGLISH[m.group()], text)


def _word(name: str, index: int) -> str:
    return _WORDS[name][index]


def _command_help(topic: Topic, index: int) -> str:
    usage = _localize(topic.usage, index)
    lines = [f"{_word('usage', index)} {usage}", "", topic.summary[index], ""]
    if topic.options:
        lines.append(_word("options", index))
        options = [(_localize(flags, index), texts) for flags, *texts in topic.options]
        width = max(len(flags) for flags, _ in options)
        lines.extend(f"  {flags.ljust(width)}  {texts[index]}" for flags, texts in options)
    else:
        lines.append(_word("none", index))
    if topic.example:
        lines += ["", f"{_word('example', index)} {_localize(topic.example, index)}"]
    return "\n".join(lines)


def _group_help(group: str, index: int) -> str:
    entries: dict[str, str] = {}  # verb -> the first name docker lists it under
    for name, command in GROUPS[group].items():
        entries.setdefault(command.verb, name)
    width = max(len(name) for name in entries.values())
    lines = [
        _localize(f"{_word('usage', index)} docker {group} COMMANDE", index),
        "",
        GROUP_SUMMARIES[group][index],
        "",
        _word("commands", index),
        *(
            f"  {name.ljust(width)}  {TOPICS[verb].summary[index]}"
            for verb, name in entries.items()
        ),
        "",
        _word("more", index).replace("docker", f"docker {group}", 1),
    ]
    return "\n".join(lines)


def help_text(topic: str | None, lang: str) -> str:
    """Help for ``topic`` (a verb, a group, an unavailable command or None for the overview)."""
    code = normalize_lang(lang)
    index = 0 if code == "fr" else 1
    if topic is None or topic in ("docker", ""):
        return _OVERVIEW[code] + "\n" + _word("more", index)
    if topic in TOPICS:
        return _command_help(TOPICS[topic], index)
    if topic in GROUP_SUMMARIES:
        return _group_help(topic, index)
    if topic == "compose":
        return t("sandbox.compose_run.help", code)
    key = f"sandbox.refused.command.{topic.replace(' ', '_')}"
    if key in MESSAGES:
        return t(key, code, command=topic)
    if topic.replace(" ", "").isalnum() and len(topic) < 30:
        return t("sandbox.refused.command.generic", code, command=topic)
    return _word("unknown", index).format(topic=topic[:30]) + "\n\n" + _OVERVIEW[code]
