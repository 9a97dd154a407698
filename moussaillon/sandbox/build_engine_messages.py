"""Messages of builds and the student's images; registered in ``moussaillon.areas``."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.build.unavailable.files": {
        "fr": "docker build n'est pas disponible sur ce serveur : il n'y a pas d'espace de"
        " fichiers pour le contexte de construction.",
        "en": "docker build is not available on this server: there is no file workspace for"
        " the build context.",
    },
    "sandbox.build.unavailable.cgroup": {
        "fr": "Les constructions d'images sont désactivées sur ce serveur (leur limite de"
        " processus n'a pas pu être mise en place). Prévenez votre formateur.",
        "en": "Image builds are turned off on this server (their process limit could not be"
        " set up). Tell your instructor.",
    },
    "sandbox.build.unavailable.proxy": {
        "fr": "Les constructions sont désactivées : le proxy de paquets est configuré sans"
        " son conteneur. Prévenez votre formateur.",
        "en": "Builds are turned off: the packages proxy is set without its container. Tell"
        " your instructor.",
    },
    "sandbox.build.busy": {
        "fr": "Une de vos constructions est déjà en cours : attendez qu'elle se termine avant"
        " d'en lancer une autre.",
        "en": "One of your builds is already running: wait for it to finish before starting"
        " another.",
    },
    "sandbox.build.quota.images": {
        "fr": "Vous avez déjà {limit} images : supprimez-en une (docker rmi NOM, ou docker"
        " image prune) avant d'en construire une nouvelle.",
        "en": "You already have {limit} images: remove one (docker rmi NAME, or docker image"
        " prune) before building a new one.",
    },
    "sandbox.build.quota.tag": {
        "fr": "Vous avez déjà {limit} images : supprimez-en une (docker rmi NOM) avant d'en"
        " nommer une nouvelle.",
        "en": "You already have {limit} images: remove one (docker rmi NAME) before naming a"
        " new one.",
    },
    "sandbox.engine.build.quota.layers": {
        "fr": "L'image a {layers} couches, plus que les {limit} permises : elle a été"
        " supprimée. Regroupez vos RUN avec && pour en faire moins.",
        "en": "The image has {layers} layers, more than the {limit} allowed: it was removed."
        " Join your RUN lines with && to make fewer.",
    },
    "sandbox.engine.build.quota.size": {
        "fr": "Avec cette image, vos images feraient {size} Mo, plus que les {limit} Mo"
        " permis : elle a été supprimée. Supprimez des images (docker rmi) ou allégez-la.",
        "en": "With this image, your images would take {size} MB, more than the {limit} MB"
        " allowed: it was removed. Remove images (docker rmi) or make it smaller.",
    },
    "sandbox.engine.build.note.pull": {
        "fr": "--pull : rien à télécharger hors ligne ; les images de base locales ont servi.",
        "en": "--pull: nothing to download offline; the local base images were used.",
    },
    "sandbox.engine.build.note.timeout": {
        "fr": "La construction a dépassé {seconds} s : elle a été annulée et ses conteneurs"
        " supprimés.",
        "en": "The build took more than {seconds} s: it was cancelled and its containers removed.",
    },
    "sandbox.engine.build.note.disk": {
        "fr": "Une étape a écrit plus de {mb} Mo : elle a été arrêtée (les constructions ont"
        " une limite de disque).",
        "en": "A step wrote more than {mb} MB: it was stopped (builds have a disk limit).",
    },
    "sandbox.engine.build.note.output": {
        "fr": "La construction a affiché plus de {kb} Ko : elle a été annulée.",
        "en": "The build printed more than {kb} KB: it was cancelled.",
    },
}
