"""The sandbox's exception family; each carries the message the student reads (see errors.py)."""

from __future__ import annotations

from moussaillon.core.errors import MoussaillonError


class SandboxError(MoussaillonError):
    status = 400
    verdict = "error"


class CommandSyntaxError(SandboxError):
    """The command line does not parse; docker itself exits 125 here."""

    status = 400
    verdict = "refused"


class SandboxRefused(SandboxError):
    """Parsed, but the policy refuses it (forbidden flag, image, path, command)."""

    status = 403
    verdict = "refused"


class RateLimited(SandboxError):
    status = 429
    verdict = "rate_limited"

    def __init__(self, key: str, /, *, retry_after: float, **params: object) -> None:
        self.retry_after = retry_after
        super().__init__(key, retry_after=max(1, round(retry_after)), **params)


class QuotaExceeded(SandboxError):
    status = 429
    verdict = "refused"


class EngineUnavailable(SandboxError):
    status = 503
    verdict = "error"


class NetworkSpaceExhausted(SandboxError):
    """Every subnet of ``MOUSSAILLON_SANDBOX_SUBNETS`` is taken: no new network until one goes."""

    status = 503
    verdict = "refused"


class IsolationUnavailable(SandboxError):
    """The start-up guard found the host reachable from a student's network (or could not make
    one as students get them): the sandbox is not started. Operators read it, not students."""

    status = 503
    verdict = "error"


class BuildUnavailable(SandboxError):
    """Builds cannot run on this server (no workspace, no pids cap for build containers)."""

    status = 503
    verdict = "refused"
