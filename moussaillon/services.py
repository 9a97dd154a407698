"""The services the app factory builds once (``moussaillon.app``) and hands to both transports.

Handlers read them from PTB's ``bot_data`` or FastAPI's app state; nothing else holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from moussaillon.classes.hub import ClassesHub
from moussaillon.config import Settings
from moussaillon.content.progress import ProgressService
from moussaillon.content.service import CourseService
from moussaillon.core.store import Store
from moussaillon.core.tokens import TokenService
from moussaillon.core.users import UserService
from moussaillon.labs.practice import PracticeService
from moussaillon.labs.service import LabService
from moussaillon.ops.metrics import Metrics
from moussaillon.quiz.service import QuizService
from moussaillon.sandbox.service import SandboxService
from moussaillon.workspace import WorkspaceService

if TYPE_CHECKING:  # the terminal (and ``cryptography``) load only when it is configured
    from moussaillon.terminal.certs import TerminalCerts


@dataclass
class Services:
    settings: Settings
    store: Store
    course: CourseService
    users: UserService
    progress: ProgressService
    tokens: TokenService
    classes: ClassesHub  # roles, classes, broadcasts, releases, class progress
    labs: LabService
    practice: PracticeService  # students' commands and lab checks on the sandbox
    quiz: QuizService  # solo and live quizzes
    workspace: WorkspaceService  # the students' files, the context of their builds
    # The only service a deployment may lack (no Docker engine): handlers check it is there,
    # PracticeService answers NoSandbox without it.
    sandbox: SandboxService | None = None
    # The student's own terminal's certificates: only when MOUSSAILLON_TERMINAL_PORT is set.
    terminal: TerminalCerts | None = None
    metrics: Metrics = field(default_factory=Metrics)  # what /metrics shows
    extras: dict[str, object] = field(default_factory=dict)
