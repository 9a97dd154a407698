"""Every Telegram command: its name, its handler, the catalogue key of its menu description.

One table, read by the bot runtime (registration, menus per role) and by ``/help``.
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
    start,
)

# name, handler, catalogue key of its menu description
COMMANDS = (
    ("start", start.start, "tg.cmd_start"),
    ("help", start.help_command, "tg.cmd_help"),
    ("cours", course.contents, "tg.cmd_cours"),
    ("chercher", search.search_command, "tg.cmd_chercher"),
    ("docker", sandbox.docker_command, "tg.cmd_docker"),
    ("tp", labs.tp_command, "labs.tg.cmd_tp"),
    ("sandbox", sandbox.status, "tg.cmd_sandbox"),
    ("reset", sandbox.reset, "tg.cmd_reset"),
    ("token", sandbox.token, "tg.cmd_token"),
    ("langue", start.choose_language, "tg.cmd_langue"),
    ("quiz", quiz.quiz_command, "quiz.cmd_quiz"),
    ("revision", quiz.revision_command, "quiz.cmd_revision"),
    ("quiz_live", quiz_live.quiz_live_command, "quiz.cmd_quiz_live"),
    ("quiz_stop", quiz_live.quiz_stop_command, "quiz.cmd_quiz_stop"),
    ("quiz_resultats", quiz_live.quiz_results_command, "quiz.cmd_quiz_resultats"),
    *class_commands.COMMANDS,
)
