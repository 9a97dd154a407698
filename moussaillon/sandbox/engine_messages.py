"""What the sandbox executor and service tell students, in French and English."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.engine.unavailable": {
        "fr": "Le moteur Docker du bac à sable ne répond pas. Réessayez dans un moment.",
        "en": "The sandbox's Docker engine is not answering. Try again in a moment.",
    },
    "sandbox.engine.internal_error": {
        "fr": "Erreur interne du bac à sable ; la commande n'a pas abouti.",
        "en": "Internal sandbox error; the command did not complete.",
    },
    "sandbox.engine.image.unavailable": {
        "fr": "l'image {image} n'est pas disponible dans le bac à sable (hors ligne : seules "
        "les images préparées sont là ; `docker images` les liste).",
        "en": "image {image} is not available in the sandbox (offline: only the prepared "
        "images are here; `docker images` lists them).",
    },
    "sandbox.engine.image.tag_reserved": {
        "fr": "{image} est une image du cours ; choisissez un autre nom pour votre tag.",
        "en": "{image} is one of the course images; pick another name for your tag.",
    },
    "sandbox.engine.image.not_yours": {
        "fr": "{image} est une image du cours : vous ne pouvez supprimer que vos propres tags.",
        "en": "{image} is a course image: you can only remove your own tags.",
    },
    "sandbox.engine.refused.bind": {
        "fr": "Les montages de dossiers de l'hôte ({path}) sont interdits ; utilisez un "
        "volume nommé (-v donnees:/chemin).",
        "en": "Host directory mounts ({path}) are not allowed; use a named volume (-v data:/path).",
    },
    "sandbox.engine.refused.unavailable": {
        "fr": "La commande {command} n'est pas disponible dans le bac à sable.",
        "en": "The command {command} is not available in the sandbox.",
    },
    "sandbox.engine.quota.containers": {
        "fr": "Vous avez déjà {limit} conteneurs (le maximum). Supprimez-en un "
        "(docker rm -f NOM) ou faites le ménage (docker container prune -f).",
        "en": "You already have {limit} containers (the maximum). Remove one (docker rm -f NAME)"
        " or clean up (docker container prune -f).",
    },
    "sandbox.engine.quota.volumes": {
        "fr": "Vous avez déjà {limit} volumes (le maximum). Supprimez-en un "
        "(docker volume rm NOM).",
        "en": "You already have {limit} volumes (the maximum). Remove one (docker volume rm NAME).",
    },
    "sandbox.engine.quota.networks": {
        "fr": "Vous avez déjà {limit} réseaux (le maximum). Supprimez-en un "
        "(docker network rm NOM).",
        "en": "You already have {limit} networks (the maximum). Remove one "
        "(docker network rm NAME).",
    },
    "sandbox.engine.note.ports": {
        "fr": "Port {ports} noté mais pas ouvert : le bac à sable n'ouvre aucun port sur "
        "l'hôte. Pour joindre le service depuis un autre conteneur : "
        "docker run --rm{net} alpine/curl http://{name}:{port}",
        "en": "Port {ports} recorded but not opened: the sandbox opens no port on the host. "
        "To reach the service from another container: "
        "docker run --rm{net} alpine/curl http://{name}:{port}",
    },
    "sandbox.engine.note.port_cmd": {
        "fr": "Ces ports ne sont pas ouverts sur l'hôte dans le bac à sable ; depuis un autre "
        "conteneur : docker run --rm{net} alpine/curl http://{name}:{port}",
        "en": "These ports are not opened on the host in the sandbox; from another container: "
        "docker run --rm{net} alpine/curl http://{name}:{port}",
    },
    "sandbox.engine.note.health_interval": {
        "fr": "--health-interval {asked} s relevé à 1 s : chaque vérification passe par le moteur "
        "partagé du bac à sable.",
        "en": "--health-interval {asked}s raised to 1s: every check goes through the sandbox's "
        "shared engine.",
    },
    "sandbox.engine.note.by_ip": {
        "fr": "Comme le bridge par défaut de Docker, le réseau par défaut ne résout pas les noms : "
        "on joint {name} par son IP (docker inspect {name}, champ IPAddress), ou par son nom "
        "sur un réseau créé avec docker network create.",
        "en": "Like Docker's default bridge, the default network resolves no names: reach {name} "
        "by its IP (docker inspect {name}, field IPAddress), or by name on a network made with "
        "docker network create.",
    },
    "sandbox.engine.note.timeout": {
        "fr": "Arrêté après {seconds:g} s (limite du bac à sable) ; voici ce qu'il avait "
        "affiché. Pour un service qui tourne longtemps, utilisez -d.",
        "en": "Stopped after {seconds:g} s (the sandbox's limit); here is what it printed. "
        "For a long-running service, use -d.",
    },
    "sandbox.engine.note.exec_timeout": {
        "fr": "Plus de réponse après {seconds:g} s (limite du bac à sable) ; voici ce qui "
        "avait été affiché. La commande peut tourner encore dans le conteneur : "
        "docker restart {name} l'arrête.",
        "en": "No answer after {seconds:g} s (the sandbox's limit); here is what was printed. "
        "The command may still run in the container: docker restart {name} stops it.",
    },
    "sandbox.engine.note.truncated": {
        "fr": "Sortie trop longue : seuls les derniers {kb} Kio sont affichés.",
        "en": "Output too long: only the last {kb} KiB are shown.",
    },
    "sandbox.engine.note.follow": {
        "fr": "-f (suivre) n'est pas possible ici : voici les logs actuels ; relancez "
        "la commande pour voir la suite.",
        "en": "-f (follow) is not possible here: these are the current logs; run the command "
        "again to see more.",
    },
    "sandbox.engine.note.no_stream": {
        "fr": "Une seule mesure est affichée (comme --no-stream).",
        "en": "A single snapshot is shown (as with --no-stream).",
    },
    "sandbox.engine.note.internal_network": {
        "fr": "Dans le bac à sable, tout réseau est interne : les conteneurs s'y joignent par "
        "leur nom, mais n'ont accès ni à l'hôte ni à Internet.",
        "en": "In the sandbox every network is internal: containers reach each other by name "
        "there, but not the host or the Internet.",
    },
    "sandbox.engine.note.info_scope": {
        "fr": "Les compteurs ne concernent que vos objets ; CPUs et mémoire sont les "
        "limites de chacun de vos conteneurs.",
        "en": "Counts cover only your objects; CPUs and memory are the limits of each of your "
        "containers.",
    },
    "sandbox.engine.note.mountpoint": {
        "fr": "Mountpoint est vide : dans le bac à sable, un volume vit en mémoire (tmpfs) et "
        "son emplacement sur l'hôte n'est pas montré. Pour voir son contenu : "
        "docker run --rm -v NOM:/donnees alpine ls /donnees",
        "en": "Mountpoint is empty: in the sandbox a volume lives in memory (tmpfs) and its "
        "place on the host is not shown. To see what it holds: "
        "docker run --rm -v NAME:/data alpine ls /data",
    },
    "sandbox.engine.note.log_flood": {
        "fr": "{name} a été arrêté par le bac à sable : il écrivait plus de {limit} lignes par "
        "seconde dans ses logs, ce qui surcharge le moteur Docker de toute la classe. "
        "Faites-lui écrire moins, par exemple une ligne par seconde : "
        "sh -c 'while true; do date; sleep 1; done'",
        "en": "{name} was stopped by the sandbox: it wrote more than {limit} lines a second to "
        "its logs, which overloads the whole class's Docker engine. Make it write less, for "
        "example a line a second: sh -c 'while true; do date; sleep 1; done'",
    },
    "sandbox.engine.note.stop_unbounded": {
        "fr": "-t {asked} (attendre sans limite) : le bac à sable attend au plus {limit} s que "
        "le conteneur s'arrête, puis le moteur l'arrête de force (SIGKILL).",
        "en": "-t {asked} (wait without limit): the sandbox waits at most {limit} s for the "
        "container to stop, then the engine kills it (SIGKILL).",
    },
    "sandbox.engine.note.stop_capped": {
        "fr": "-t {asked} : le bac à sable attend au plus {limit} s que le conteneur s'arrête, "
        "puis le moteur l'arrête de force (SIGKILL).",
        "en": "-t {asked}: the sandbox waits at most {limit} s for the container to stop, then "
        "the engine kills it (SIGKILL).",
    },
    "sandbox.engine.volume_on_file": {
        "fr": "impossible de monter un volume sur {path} : dans l'image, c'est un fichier, et un "
        "volume prend la place d'un dossier. Montez-le sur un dossier, par exemple "
        "-v donnees:/donnees",
        "en": "cannot mount a volume on {path}: in the image it is a file, and a volume takes "
        "the place of a directory. Mount it on a directory, for example -v data:/data",
    },
    "sandbox.engine.wait_timeout": {
        "fr": "{name} tourne toujours après la limite de temps du bac à sable.",
        "en": "{name} is still running after the sandbox's time limit.",
    },
}
