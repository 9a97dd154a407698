"""The student's workspace: their files, the context of their builds (see ``service``)."""

from moussaillon.workspace.errors import FileMissing, WorkspaceError
from moussaillon.workspace.limits import Limits
from moussaillon.workspace.service import WorkspaceFile, WorkspaceService

__all__ = ["FileMissing", "Limits", "WorkspaceError", "WorkspaceFile", "WorkspaceService"]
