"""Messages of ``docker cp`` and ``docker commit``; registered in ``moussaillon.areas``."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.transfer.unavailable": {
        "fr": "docker cp et docker commit ne sont pas disponibles sur ce serveur : il n'y a pas"
        " d'espace de fichiers.",
        "en": "docker cp and docker commit are not available on this server: there is no file"
        " workspace.",
    },
    "sandbox.transfer.host_path": {
        "fr": "{path} est un chemin de la machine : ici, le côté local de docker cp est votre"
        " espace de fichiers. Utilisez un chemin relatif, par exemple docker cp"
        " web:/etc/nginx/nginx.conf .",
        "en": "{path} is a path on the host: here the local side of docker cp is your file"
        " workspace. Use a relative path, for example docker cp web:/etc/nginx/nginx.conf .",
    },
    "sandbox.transfer.stdin": {
        "fr": "docker cp avec - (une archive tar sur l'entrée ou la sortie) n'est pas possible"
        " dans une conversation : copiez vers un fichier de votre espace, par exemple docker cp"
        " web:/etc/hostname .",
        "en": "docker cp with - (a tar archive on stdin or stdout) is not possible in a chat:"
        " copy to a file of your workspace, for example docker cp web:/etc/hostname .",
    },
    "sandbox.transfer.link": {
        "fr": "{path} est un lien symbolique (vers {target}) : votre espace ne garde que des"
        " fichiers. Ajoutez -L pour copier le fichier vers lequel il pointe.",
        "en": "{path} is a symbolic link (to {target}): your workspace holds files only. Add -L"
        " to copy the file it points to.",
    },
    "sandbox.transfer.special": {
        "fr": "{path} n'est ni un fichier ni un dossier (un périphérique, un tube, une"
        " socket) : il ne peut pas aller dans votre espace.",
        "en": "{path} is neither a file nor a folder (a device, a pipe, a socket): it cannot go"
        " into your workspace.",
    },
    "sandbox.transfer.file_too_big": {
        "fr": "{path} fait {size} octets : un fichier de votre espace fait au plus {limit} Kio."
        " Rien n'a été copié.",
        "en": "{path} is {size} bytes: a file of your workspace holds at most {limit} KiB."
        " Nothing was copied.",
    },
    "sandbox.transfer.too_many_files": {
        "fr": "La copie dépasse {limit} fichiers, le maximum de votre espace. Rien n'a été"
        " copié : copiez un dossier plus petit ou supprimez des fichiers.",
        "en": "The copy goes over {limit} files, your workspace's maximum. Nothing was copied:"
        " copy a smaller folder or delete some files.",
    },
    "sandbox.transfer.total_too_big": {
        "fr": "La copie dépasse {limit} Kio au total, le maximum de votre espace. Rien n'a été"
        " copié.",
        "en": "The copy goes over {limit} KiB in all, your workspace's maximum. Nothing was"
        " copied.",
    },
    "sandbox.transfer.archive_too_big": {
        "fr": "{path} dépasse {limit} Kio, plus que votre espace ne peut contenir : la copie"
        " a été arrêtée, rien n'a été copié.",
        "en": "{path} is over {limit} KiB, more than your workspace can hold: the copy was"
        " stopped, nothing was copied.",
    },
    "sandbox.transfer.corrupt": {
        "fr": "L'archive envoyée par le moteur est illisible ({detail}) : rien n'a été copié.",
        "en": "The archive the engine sent cannot be read ({detail}): nothing was copied.",
    },
    "sandbox.transfer.commit_change": {
        "fr": "docker commit -c {change} n'est pas accepté ici : seules ces instructions le"
        ' sont : {allowed}. Par exemple -c \'CMD ["nginx", "-g", "daemon off;"]\'',
        "en": "docker commit -c {change} is not accepted here: only these instructions are:"
        ' {allowed}. For example -c \'CMD ["nginx", "-g", "daemon off;"]\'',
    },
    "sandbox.transfer.commit_lines": {
        "fr": "Une modification -c tient sur une ligne : répétez -c pour en donner plusieurs.",
        "en": "A -c change fits on one line: repeat -c to give several.",
    },
    "sandbox.transfer.commit_text": {
        "fr": "Le message ou l'auteur d'un commit fait au plus {limit} caractères.",
        "en": "A commit's message or author is at most {limit} characters long.",
    },
    "sandbox.transfer.quota.images": {
        "fr": "Vous avez déjà {limit} images : supprimez-en une (docker rmi NOM, ou docker"
        " image prune) avant d'en créer une autre avec docker commit.",
        "en": "You already have {limit} images: remove one (docker rmi NAME, or docker image"
        " prune) before making another with docker commit.",
    },
    "sandbox.engine.transfer.skipped": {
        "fr": "Non copiés (votre espace ne garde que des fichiers) : {names}",
        "en": "Not copied (your workspace holds files only): {names}",
    },
    "sandbox.transfer.upload_too_big": {
        "fr": "L'archive envoyée par docker cp dépasse {limit} Kio : rien n'a été copié dans le"
        " conteneur. Copiez un dossier plus petit.",
        "en": "The archive docker cp sent is over {limit} KiB: nothing was copied into the"
        " container. Copy a smaller folder.",
    },
    "sandbox.transfer.upload_entries": {
        "fr": "L'archive envoyée par docker cp compte plus de {limit} entrées : rien n'a été"
        " copié dans le conteneur.",
        "en": "The archive docker cp sent holds more than {limit} entries: nothing was copied"
        " into the container.",
    },
    "sandbox.transfer.upload_outside": {
        "fr": "L'archive envoyée contient {path}, qui sortirait du dossier de destination"
        " (chemin absolu ou ..) : rien n'a été copié.",
        "en": "The archive sent holds {path}, which would land outside the destination folder"
        " (an absolute path or ..): nothing was copied.",
    },
    "sandbox.transfer.upload_link": {
        "fr": "L'archive envoyée contient un lien, {path} (vers {target}) : seuls des fichiers"
        " et des dossiers peuvent être copiés dans un conteneur. Rien n'a été copié.",
        "en": "The archive sent holds a link, {path} (to {target}): only files and folders can"
        " be copied into a container. Nothing was copied.",
    },
    "sandbox.transfer.upload_special": {
        "fr": "L'archive envoyée contient {path}, ni un fichier ni un dossier (un périphérique,"
        " un tube) : rien n'a été copié.",
        "en": "The archive sent holds {path}, neither a file nor a folder (a device, a pipe):"
        " nothing was copied.",
    },
    "sandbox.transfer.upload_file_too_big": {
        "fr": "{path} fait {size} octets : un fichier copié fait au plus {limit} Kio. Rien n'a"
        " été copié.",
        "en": "{path} is {size} bytes: a copied file is at most {limit} KiB. Nothing was copied.",
    },
    "sandbox.transfer.upload_total_too_big": {
        "fr": "La copie dépasse {limit} Kio au total : rien n'a été copié dans le conteneur.",
        "en": "The copy goes over {limit} KiB in all: nothing was copied into the container.",
    },
    "sandbox.transfer.upload_corrupt": {
        "fr": "L'archive envoyée par docker cp est illisible ({detail}) : rien n'a été copié.",
        "en": "The archive docker cp sent cannot be read ({detail}): nothing was copied.",
    },
    "sandbox.transfer.download_too_big": {
        "fr": "{path} dépasse {limit} Kio, la limite d'une copie hors d'un conteneur : rien"
        " n'a été copié.",
        "en": "{path} is over {limit} KiB, the bound of a copy out of a container: nothing was"
        " copied.",
    },
}
