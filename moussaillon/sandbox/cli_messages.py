"""Notes added under answers shaped like the docker CLI's (prune, create, diff, limits, df);
registered in ``moussaillon.areas``. Keys live under ``sandbox.engine.`` (``Context.note``)."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.engine.note.prune_needs_force": {
        "fr": "Rien n'a été supprimé : docker demanderait de confirmer, et ici rien n'est "
        "interactif. Relancez avec -f pour confirmer : {command} -f",
        "en": "Nothing was removed: docker would ask you to confirm, and nothing is interactive "
        "here. Run it again with -f to confirm: {command} -f",
    },
    "sandbox.engine.note.memory_capped": {
        "fr": "Mémoire demandée : {asked} ; le bac à sable en donne au plus {limit} par "
        "conteneur, c'est la limite appliquée (docker inspect le montre).",
        "en": "Memory asked: {asked}; the sandbox gives at most {limit} per container, which is "
        "the limit applied (docker inspect shows it).",
    },
    "sandbox.engine.note.cpus_capped": {
        "fr": "CPU demandés : {asked} ; le bac à sable en donne au plus {limit} par conteneur, "
        "c'est la limite appliquée (docker inspect le montre).",
        "en": "CPUs asked: {asked}; the sandbox gives at most {limit} per container, which is "
        "the limit applied (docker inspect shows it).",
    },
    "sandbox.engine.note.df_scope": {
        "fr": "Seulement vos propres objets. Les images du cours sont partagées par toute la "
        "classe : elles ne comptent pas comme récupérables.",
        "en": "Only your own objects. The course images are shared by the whole class: they do "
        "not count as reclaimable.",
    },
    "sandbox.engine.note.diff_tmpfs": {
        "fr": "Le système de fichiers racine est en lecture seule dans le bac à sable : seuls "
        "les dossiers en mémoire (/tmp, /run, vos volumes…) changent, et docker diff ne les "
        "montre pas.",
        "en": "The root file system is read-only in the sandbox: only the in-memory folders "
        "(/tmp, /run, your volumes…) change, and docker diff does not show them.",
    },
}
