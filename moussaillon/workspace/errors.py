"""The workspace's exception family; each carries the sentence the student reads.

WorkspaceError (BadInput, 422)   a bad path, a file or archive over a limit, a link …
└── FileMissing (404)            no such file or folder in the workspace
"""

from __future__ import annotations

from moussaillon.core.errors import BadInput


class WorkspaceError(BadInput):
    pass


class FileMissing(WorkspaceError):
    status = 404
