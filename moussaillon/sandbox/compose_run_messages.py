"""Messages of ``docker compose`` on the engine (the file's own errors are the model's);
registered in ``moussaillon.areas``. No HTML-special characters, as in the other catalogues."""

from __future__ import annotations

_TEXTS: dict[str, tuple[str, str]] = {
    "help": (
        "Usage : docker compose [-f FICHIER] [-p PROJET] [--profile P] COMMANDE\n\n"
        "Lit compose.yaml dans vos fichiers (/fichiers).\n\n"
        "Commandes :\n"
        "  up [-d] [--build] [SERVICE...]  crée et démarre le projet\n"
        "  ps [-a]                         liste ses conteneurs\n"
        "  logs [--tail N] [SERVICE]       ses journaux (-f : un instantané)\n"
        "  down [-v]                       supprime conteneurs, réseaux (-v : volumes)\n"
        "  stop | start | restart          arrête, démarre, redémarre\n"
        "  exec SERVICE CMD                lance CMD dans le service\n"
        "  run --rm SERVICE CMD            un conteneur ponctuel du service\n"
        "  config | build | images | top   le fichier résolu, images, processus",
        "Usage: docker compose [-f FILE] [-p PROJECT] [--profile P] COMMAND\n\n"
        "Reads compose.yaml in your files (/fichiers).\n\n"
        "Commands:\n"
        "  up [-d] [--build] [SERVICE...]  create and start the project\n"
        "  ps [-a]                         list its containers\n"
        "  logs [--tail N] [SERVICE]       its logs (-f: a snapshot)\n"
        "  down [-v]                       remove containers, networks (-v: volumes)\n"
        "  stop | start | restart          stop, start, restart\n"
        "  exec SERVICE CMD                run CMD in the service\n"
        "  run --rm SERVICE CMD            a one-off container of the service\n"
        "  config | build | images | top   the resolved file, images, processes",
    ),
    "standin_error": (
        "Fichier compose inutilisable : {reason}",
        "Unusable compose file: {reason}",
    ),
    "no_service": (
        "no such service: {service} (ce service n'est pas dans le fichier compose)",
        "no such service: {service}",
    ),
    "restart": (
        "restart: {policy} n'est pas une politique de redémarrage (no, on-failure[:N]).",
        "restart: {policy} is not a restart policy (no, on-failure[:N]).",
    ),
    "no_files": (
        "docker compose lit le compose.yaml de vos fichiers, indisponibles ici.",
        "docker compose reads the compose.yaml in your files, which are not available here.",
    ),
    "quota": (
        "Le projet {project} créerait {new} {kind} de plus ; vous en avez {used} sur {limit}."
        " Rien n'a été créé : supprimez-en (docker compose down, docker rm) puis relancez.",
        "Project {project} would create {new} more {kind}; you have {used} of {limit}."
        " Nothing was created: remove some (docker compose down, docker rm) and try again.",
    ),
    "legacy": (
        "docker-compose (v1) n'est plus maintenu : tapez docker compose (v2), que voici.",
        "docker-compose (v1) is retired: type docker compose (v2), which ran here.",
    ),
    "attached": (
        "Dans le chat, up tourne toujours en arrière-plan (comme -d) : les journaux sont dans"
        " docker compose logs, l'arrêt dans docker compose down.",
        "In the chat, up always runs in the background (like -d): see the logs with"
        " docker compose logs, stop it with docker compose down.",
    ),
    "ports": (
        "Les ports publiés ne s'ouvrent pas sur Internet ici : joignez le service par son nom"
        " depuis le réseau du projet, par exemple"
        " docker run --rm --network {network} alpine/curl -s http://{service}",
        "Published ports are not opened to the Internet here: reach a service by its name"
        " from the project's network, for example"
        " docker run --rm --network {network} alpine/curl -s http://{service}",
    ),
    "wait_timeout": (
        "{name} n'est pas prêt après {seconds} s : regardez docker compose logs.",
        "{name} is not ready after {seconds} s: look at docker compose logs.",
    ),
    "nothing": (
        "Rien à supprimer : le projet {project} n'a ni conteneur ni réseau.",
        "Nothing to remove: project {project} has no container nor network.",
    ),
    "volumes_kept": (
        "Les volumes du projet {project} sont gardés (vos données aussi) ; down -v les supprime.",
        "The volumes of project {project} are kept (with your data); down -v removes them.",
    ),
}

MESSAGES: dict[str, dict[str, str]] = {
    f"sandbox.compose_run.{key}": {"fr": fr, "en": en} for key, (fr, en) in _TEXTS.items()
}
