"""The areas the app is made of, in one list: their database schemas and message catalogues.

The composition root: the app factory, the CLI and the tests register what is listed here, so
the store and i18n (``moussaillon.core``) never import an area by name. A new area adds its
``schema.MIGRATIONS`` and ``messages.MESSAGES`` here.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

from moussaillon.classes import messages as classes_messages
from moussaillon.classes import schema as classes_schema
from moussaillon.content import messages as content_messages
from moussaillon.core import i18n
from moussaillon.core import schema as core_schema
from moussaillon.handlers import messages as handlers_messages
from moussaillon.handlers.rest import messages as rest_messages
from moussaillon.labs import messages as labs_messages
from moussaillon.labs import schema as labs_schema
from moussaillon.quiz import messages as quiz_messages
from moussaillon.quiz import schema as quiz_schema
from moussaillon.sandbox import (
    build_engine_messages,
    build_messages,
    cli_messages,
    compose_messages,
    compose_run_messages,
    engine_messages,
    limits_messages,
    rootfs_messages,
    shell_messages,
    transfer_messages,
)
from moussaillon.sandbox import messages as sandbox_messages
from moussaillon.sandbox import schema as sandbox_schema
from moussaillon.terminal import messages as terminal_messages
from moussaillon.terminal import schema as terminal_schema
from moussaillon.workspace import messages as workspace_messages
from moussaillon.workspace import schema as workspace_schema

MIGRATIONS: tuple[Migrations, ...] = (
    core_schema.MIGRATIONS,
    sandbox_schema.MIGRATIONS,
    quiz_schema.MIGRATIONS,
    labs_schema.MIGRATIONS,
    classes_schema.MIGRATIONS,
    workspace_schema.MIGRATIONS,
    terminal_schema.MIGRATIONS,
)

CATALOGUES = (
    rest_messages.MESSAGES,
    content_messages.MESSAGES,
    sandbox_messages.MESSAGES,
    engine_messages.MESSAGES,
    limits_messages.MESSAGES,
    rootfs_messages.MESSAGES,
    build_messages.MESSAGES,
    build_engine_messages.MESSAGES,
    transfer_messages.MESSAGES,
    cli_messages.MESSAGES,
    compose_run_messages.MESSAGES,
    compose_messages.MESSAGES,
    shell_messages.MESSAGES,
    labs_messages.MESSAGES,
    quiz_messages.MESSAGES,
    classes_messages.MESSAGES,
    handlers_messages.MESSAGES,
    workspace_messages.MESSAGES,
    terminal_messages.MESSAGES,
)


def migrations() -> list[Migrations]:
    return list(MIGRATIONS)


def register_messages() -> None:
    i18n.register(*CATALOGUES)
