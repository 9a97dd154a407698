"""Every Telegram command: its name, its handler, the catalogue key of its menu description.

One table, read by the bot runtime (registration, menus per role), by ``/help`` and by the
answer to an unknown command (``ALIASES`` adds the names people guess).
"""

from __future__ import annotations

from moussaillon.handlers.telegram import classes as class_commands
from moussaillon.handlers.telegram import (
    course,
    labs,
    quiz,
    quiz_live,
    sandbox,
    search,
    shell,
    start,
    terminal,
    workspace,
)

# name, handler, catalogue key of its menu description
COMMANDS = (
    ("start", start.start, "tg.cmd_start"),
    ("help", start.help_command, "tg.cmd_help"),
    ("cours", course.contents, "tg.cmd_cours"),
    ("chercher", search.search_command, "tg.cmd_chercher"),
    ("docker", sandbox.docker_command, "tg.cmd_docker"),
    ("quitter_shell", shell.quit_shell, "sandbox.shell.cmd_quitter_shell"),
    ("tp", labs.tp_command, "labs.tg.cmd_tp"),
    ("sandbox", sandbox.status, "tg.cmd_sandbox"),
    ("reset", sandbox.reset, "tg.cmd_reset"),
    ("terminal", terminal.terminal_command, "terminal.tg.cmd_terminal"),
    ("fichiers", workspace.fichiers_command, "workspace.tg.cmd_fichiers"),
    ("fichier", workspace.fichier_command, "workspace.tg.cmd_fichier"),
    ("voir", workspace.voir_command, "workspace.tg.cmd_voir"),
    ("supprimer", workspace.supprimer_command, "workspace.tg.cmd_supprimer"),
    ("token", sandbox.token, "tg.cmd_token"),
    ("langue", start.choose_language, "tg.cmd_langue"),
    ("quiz", quiz.quiz_command, "quiz.cmd_quiz"),
    ("revision", quiz.revision_command, "quiz.cmd_revision"),
    ("quiz_live", quiz_live.quiz_live_command, "quiz.cmd_quiz_live"),
    ("quiz_stop", quiz_live.quiz_stop_command, "quiz.cmd_quiz_stop"),
    ("quiz_resultats", quiz_live.quiz_results_command, "quiz.cmd_quiz_resultats"),
    *class_commands.COMMANDS,
)

# Names people type for a command that has another one: answered with the real name.
ALIASES: dict[str, str] = {
    "aide": "help",
    "commandes": "help",
    "commands": "help",
    "menu": "help",
    "course": "cours",
    "sommaire": "cours",
    "search": "chercher",
    "recherche": "chercher",
    "lab": "tp",
    "labs": "tp",
    "bac": "sandbox",
    "status": "sandbox",
    "statut": "sandbox",
    "cle": "token",
    "key": "token",
    "language": "langue",
    "lang": "langue",
    "review": "revision",
    "reviser": "revision",
    "join": "rejoindre",
    "leave": "quitter",
    "progress": "progres",
    "progression": "progres",
    "files": "fichiers",
    "ls": "fichiers",
    "file": "fichier",
    "cat": "voir",
    "show": "voir",
    "rm": "supprimer",
    "delete": "supprimer",
    "resultats": "quiz_resultats",
    "results": "quiz_resultats",
}
