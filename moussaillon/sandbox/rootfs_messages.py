"""What students are told about their containers' root file system, in French and English."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.rootfs.note.readonly": {
        "fr": "Dans ce bac à sable, la racine des conteneurs est en lecture seule : son moteur "
        "ne sait pas en limiter la taille. Écrivez dans {paths} ou dans un volume "
        "(docker run -v donnees:/donnees …) ; avec Docker chez vous, la racine est inscriptible.",
        "en": "In this sandbox, containers' root file system is read-only: its engine cannot "
        "bound its size. Write to {paths} or to a volume (docker run -v data:/data …); with "
        "Docker on your own machine, the root is writable.",
    },
    "sandbox.rootfs.note.full": {
        "fr": "Plus de place : dans le bac à sable, un conteneur peut écrire {mb} Mo dans sa "
        "racine et {tmpfs} Mo dans /tmp, /run et chaque volume. Supprimez des fichiers ou "
        "recréez le conteneur.",
        "en": "No space left: in the sandbox, a container may write {mb} MB to its root and "
        "{tmpfs} MB to /tmp, /run and each volume. Delete files or create the container again.",
    },
}
