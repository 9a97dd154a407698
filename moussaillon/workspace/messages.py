"""What the workspace says to students, French first."""

MESSAGES: dict[str, dict[str, str]] = {
    # -- paths ----------------------------------------------------------------------------
    "workspace.path_empty": {
        "fr": "Donnez un nom de fichier, par exemple Dockerfile ou app/index.php.",
        "en": "Give a file name, for instance Dockerfile or app/index.php.",
    },
    "workspace.path_backslash": {
        "fr": "« {path} » contient une barre oblique inverse (\\) : séparez les dossiers par / (app/index.php).",
        "en": "“{path}” holds a backslash (\\): separate folders with / (app/index.php).",
    },
    "workspace.path_absolute": {
        "fr": "« {path} » est un chemin absolu : les chemins partent de votre espace de fichiers (app/index.php, sans / au début).",
        "en": "“{path}” is an absolute path: paths start at your workspace (app/index.php, no leading /).",
    },
    "workspace.path_long": {
        "fr": "« {path} » est trop long ({limit} caractères au plus).",
        "en": "“{path}” is too long (at most {limit} characters).",
    },
    "workspace.path_deep": {
        "fr": "« {path} » a trop de niveaux de dossiers ({depth} au plus, fichier compris).",
        "en": "“{path}” has too many folder levels (at most {depth}, the file included).",
    },
    "workspace.path_parent": {
        "fr": "« {path} » remonte hors de votre espace avec .. : c'est refusé.",
        "en": "“{path}” climbs out of your workspace with ..: refused.",
    },
    "workspace.name_unprintable": {
        "fr": "« {path} » contient des caractères invisibles ou de contrôle : renommez le fichier.",
        "en": "“{path}” holds invisible or control characters: rename the file.",
    },
    "workspace.name_dash": {
        "fr": "« {path} » : un nom ne peut pas commencer par - (il serait pris pour une option).",
        "en": "“{path}”: a name cannot start with - (it would be read as an option).",
    },
    "workspace.name_spaces": {
        "fr": "« {path} » : un nom ne peut pas commencer ou finir par une espace.",
        "en": "“{path}”: a name cannot start or end with a space.",
    },
    "workspace.name_long": {
        "fr": "« {path} » : un nom de fichier ou de dossier fait {limit} caractères au plus.",
        "en": "“{path}”: a file or folder name is at most {limit} characters.",
    },
    "workspace.path_conflict": {
        "fr": "« {path} » est dans le dossier « {folder} », mais « {folder} » est déjà un fichier : supprimez l'un des deux.",
        "en": "“{path}” is in folder “{folder}”, but “{folder}” is already a file: remove one of them.",
    },
    "workspace.missing": {
        "fr": "Vous n'avez pas de fichier « {path} ». /fichiers donne la liste.",
        "en": "You have no file “{path}”. /fichiers lists them.",
    },
    "workspace.no_filename": {
        "fr": "Ce fichier n'a pas de nom : donnez-lui en un (en légende du document, par exemple Dockerfile).",
        "en": "This file has no name: give it one (as the document's caption, for instance Dockerfile).",
    },
    # -- limits ---------------------------------------------------------------------------
    "workspace.file_too_big": {
        "fr": "« {path} » est trop gros ({size} octets) : {limit} Kio au plus par fichier.",
        "en": "“{path}” is too big ({size} bytes): at most {limit} KiB per file.",
    },
    "workspace.too_many_files": {
        "fr": "Votre espace serait plein : {limit} fichiers au plus. Supprimez-en d'abord (/supprimer NOM).",
        "en": "Your workspace would be full: at most {limit} files. Remove some first (/supprimer NAME).",
    },
    "workspace.total_too_big": {
        "fr": "Votre espace dépasserait {limit} Kio en tout. Supprimez des fichiers d'abord (/supprimer NOM).",
        "en": "Your workspace would exceed {limit} KiB in all. Remove files first (/supprimer NAME).",
    },
    # -- archives -------------------------------------------------------------------------
    "workspace.archive_kind": {
        "fr": "« {name} » n'est pas une archive que je sais ouvrir : .zip, .tar, .tar.gz ou .tgz.",
        "en": "“{name}” is not an archive I can open: .zip, .tar, .tar.gz or .tgz.",
    },
    "workspace.archive_too_big": {
        "fr": "Archive trop grosse ({size} octets) : {limit} Kio au plus.",
        "en": "Archive too big ({size} bytes): at most {limit} KiB.",
    },
    "workspace.archive_corrupt": {
        "fr": "Je n'arrive pas à lire l'archive « {name} » ({detail}) : rien n'a été ajouté.",
        "en": "I cannot read the archive “{name}” ({detail}): nothing was added.",
    },
    "workspace.archive_empty": {
        "fr": "L'archive « {name} » ne contient aucun fichier.",
        "en": "The archive “{name}” holds no file.",
    },
    "workspace.archive_entries": {
        "fr": "L'archive a trop d'entrées ({limit} au plus, dossiers compris) : rien n'a été ajouté.",
        "en": "The archive has too many entries (at most {limit}, folders included): nothing was added.",
    },
    "workspace.archive_duplicate": {
        "fr": "L'archive contient deux fois « {path} » : rien n'a été ajouté.",
        "en": "The archive holds “{path}” twice: nothing was added.",
    },
    "workspace.archive_size_lie": {
        "fr": "Dans l'archive, « {path} » ne fait pas la taille annoncée ({declared} octets) : archive refusée.",
        "en": "In the archive, “{path}” is not the size it declares ({declared} bytes): archive refused.",
    },
    "workspace.archive_bomb": {
        "fr": "Cette archive se décompresse {ratio} fois plus gros qu'elle-même : c'est le signe d'une bombe de décompression, elle est refusée.",
        "en": "This archive inflates {ratio} times its own size: the mark of a decompression bomb, it is refused.",
    },
    "workspace.archive_inflated": {
        "fr": "Une fois décompressée, l'archive dépasse {limit} Kio : elle est refusée.",
        "en": "Once inflated, the archive exceeds {limit} KiB: it is refused.",
    },
    "workspace.archive_encrypted": {
        "fr": "« {path} » est chiffré dans l'archive : envoyez une archive sans mot de passe.",
        "en": "“{path}” is encrypted in the archive: send an archive without a password.",
    },
    "workspace.archive_symlink": {
        "fr": "L'archive contient un lien symbolique (« {path} » → « {target} ») : les liens sont refusés, mettez le vrai fichier à sa place.",
        "en": "The archive holds a symbolic link (“{path}” → “{target}”): links are refused, put the real file in its place.",
    },
    "workspace.archive_hardlink": {
        "fr": "L'archive contient un lien physique (« {path} » → « {target} ») : les liens sont refusés, mettez une copie du fichier.",
        "en": "The archive holds a hard link (“{path}” → “{target}”): links are refused, put a copy of the file.",
    },
    "workspace.archive_device": {
        "fr": "L'archive contient un fichier de périphérique (« {path} ») : c'est refusé.",
        "en": "The archive holds a device file (“{path}”): refused.",
    },
    "workspace.archive_special": {
        "fr": "L'archive contient « {path} », qui n'est ni un fichier ni un dossier (tube, socket…) : c'est refusé.",
        "en": "The archive holds “{path}”, neither a file nor a folder (pipe, socket…): refused.",
    },
    # -- Telegram -------------------------------------------------------------------------
    "workspace.tg.cmd_fichier": {
        "fr": "Écrire un fichier : /fichier NOM puis le contenu",
        "en": "Write a file: /fichier NAME then its content",
    },
    "workspace.tg.cmd_fichiers": {
        "fr": "Mes fichiers (contexte de build)",
        "en": "My files (build context)",
    },
    "workspace.tg.cmd_voir": {"fr": "Afficher un de mes fichiers", "en": "Show one of my files"},
    "workspace.tg.cmd_supprimer": {
        "fr": "Supprimer un fichier ou un dossier",
        "en": "Remove a file or folder",
    },
    "workspace.tg.fichier_usage": {
        "fr": (
            "Écrivez le nom puis le contenu dans le même message, par exemple :\n"
            '<pre>/fichier Dockerfile\nFROM alpine\nCMD ["echo", "bonjour"]</pre>\n'
            "Un bloc de code (```) est accepté. Vous pouvez aussi m'envoyer le fichier en document, "
            "ou une archive .zip / .tar.gz."
        ),
        "en": (
            "Write the name then the content in the same message, for instance:\n"
            '<pre>/fichier Dockerfile\nFROM alpine\nCMD ["echo", "hello"]</pre>\n'
            "A code block (```) is fine. You can also send me the file as a document, "
            "or a .zip / .tar.gz archive."
        ),
    },
    "workspace.tg.saved": {
        "fr": "✅ <code>{path}</code> enregistré ({size}). /fichiers pour tout voir.",
        "en": "✅ <code>{path}</code> saved ({size}). /fichiers to see them all.",
    },
    "workspace.tg.unpacked_one": {
        "fr": "📦 <code>{name}</code> décompressé : {count} fichier ({size}).",
        "en": "📦 <code>{name}</code> unpacked: {count} file ({size}).",
    },
    "workspace.tg.unpacked_other": {
        "fr": "📦 <code>{name}</code> décompressé : {count} fichiers ({size}).",
        "en": "📦 <code>{name}</code> unpacked: {count} files ({size}).",
    },
    "workspace.tg.download_failed": {
        "fr": "Je n'ai pas pu récupérer ce fichier auprès de Telegram. Réessayez dans un instant.",
        "en": "I could not fetch this file from Telegram. Try again in a moment.",
    },
    "workspace.tg.list_title": {
        "fr": "📁 <b>Vos fichiers</b> · {count}/{max_files} fichiers · {total} sur {max_total}",
        "en": "📁 <b>Your files</b> · {count}/{max_files} files · {total} of {max_total}",
    },
    "workspace.tg.list_empty": {
        "fr": (
            "📁 Votre espace de fichiers est vide. Envoyez-moi un fichier en document "
            "(Dockerfile, prime.c, une archive .zip…), ou écrivez <code>/fichier NOM</code> suivi du contenu."
        ),
        "en": (
            "📁 Your workspace is empty. Send me a file as a document "
            "(Dockerfile, prime.c, a .zip archive…), or write <code>/fichier NAME</code> followed by its content."
        ),
    },
    "workspace.tg.list_hint": {
        "fr": "/voir NOM pour afficher un fichier, /supprimer NOM pour l'enlever.",
        "en": "/voir NAME to show a file, /supprimer NAME to remove it.",
    },
    "workspace.tg.voir_usage": {
        "fr": "Quel fichier ? Par exemple <code>/voir Dockerfile</code> (/fichiers donne la liste).",
        "en": "Which file? For instance <code>/voir Dockerfile</code> (/fichiers lists them).",
    },
    "workspace.tg.empty_file": {
        "fr": "<code>{path}</code> est vide.",
        "en": "<code>{path}</code> is empty.",
    },
    "workspace.tg.binary": {
        "fr": "<code>{path}</code> est un fichier binaire ({size}) : il est gardé pour vos builds, mais je n'affiche que du texte.",
        "en": "<code>{path}</code> is a binary file ({size}): it is kept for your builds, but I only show text.",
    },
    "workspace.tg.as_document": {
        "fr": "<code>{path}</code> ({size}) est long : le voici en document.",
        "en": "<code>{path}</code> ({size}) is long: here it is as a document.",
    },
    "workspace.tg.supprimer_usage": {
        "fr": "Quel fichier ? Par exemple <code>/supprimer Dockerfile</code>, ou <code>/supprimer app/</code> pour un dossier entier.",
        "en": "Which file? For instance <code>/supprimer Dockerfile</code>, or <code>/supprimer app/</code> for a whole folder.",
    },
    "workspace.tg.deleted": {
        "fr": "🗑 <code>{path}</code> supprimé.",
        "en": "🗑 <code>{path}</code> removed.",
    },
    "workspace.tg.reset_confirm": {
        "fr": "🧹 Effacer tous vos fichiers ({count}) ? Ils ne reviendront pas. Ce bouton reste valable {minutes} min.",
        "en": "🧹 Erase all your files ({count})? They will not come back. This button stays valid for {minutes} min.",
    },
    "workspace.tg.reset_yes": {
        "fr": "🧹 Oui, effacer mes fichiers",
        "en": "🧹 Yes, erase my files",
    },
    "workspace.tg.reset_nothing": {
        "fr": "Votre espace de fichiers est déjà vide.",
        "en": "Your workspace is already empty.",
    },
    "workspace.tg.reset_done_one": {
        "fr": "🧹 Fichiers effacés : {count} fichier supprimé.",
        "en": "🧹 Files erased: {count} file removed.",
    },
    "workspace.tg.reset_done_other": {
        "fr": "🧹 Fichiers effacés : {count} fichiers supprimés.",
        "en": "🧹 Files erased: {count} files removed.",
    },
    "workspace.tg.reset_keeps_files": {
        "fr": "Vos fichiers (/fichiers) sont gardés : <code>/reset fichiers</code> pour les effacer.",
        "en": "Your files (/fichiers) are kept: <code>/reset fichiers</code> erases them.",
    },
    "workspace.size_bytes": {"fr": "{n} o", "en": "{n} B"},
    "workspace.size_kib": {"fr": "{n} Kio", "en": "{n} KiB"},
}
