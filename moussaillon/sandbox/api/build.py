"""``POST /build``: the classic builder for the student's own CLI, through the chat's build.

The query becomes the ``BuildRequest`` ``docker build`` parses to: what the chat may set
(``t``, ``dockerfile``, ``buildargs``, ``target``, ``labels``, ``nocache``, ``pull``, ``q``) is
taken, the limits and network the CLI sends at their defaults are left to the executor, which
forces its own, and any other value is the flag the chat refuses, with the chat's reason. The
tar is read as files (``build/tar_context.py``) and built by ``executor/build.py`` as a chat
build is: the same Dockerfile checks, build slot, one build per student, records and quotas.
The executor's output comes back as the engine's JSON messages (``{"stream": …}``, an error as
``errorDetail``), in the student's names.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.build.tar_context import ContextLimits, TarSource, read_context
from moussaillon.sandbox.executor import build as build_ops
from moussaillon.sandbox.executor.common import Context, Outcome
from moussaillon.sandbox.requests import BuildRequest

Send = Callable[[dict[str, Any]], Awaitable[None]]

# Query parameter → the ``docker build`` flag the chat refuses, when not at its default.
REFUSED_PARAMS = {
    "networkmode": "--network",
    "memory": "--memory",
    "memswap": "--memory-swap",
    "cpushares": "--cpu-shares",
    "cpuquota": "--cpu-quota",
    "cpuperiod": "--cpu-period",
    "cpusetcpus": "--cpuset-cpus",
    "cpusetmems": "--cpuset-mems",
    "cgroupparent": "--cgroup-parent",
    "shmsize": "--shm-size",
    "ulimits": "--ulimit",
    "extrahosts": "--add-host",
    "cachefrom": "--cache-from",
    "platform": "--platform",
    "isolation": "--isolation",
    "securityopt": "--security-opt",
    "outputs": "--output",
    "squash": "--squash",
}
DEFAULTS = {"", "0", "default", "null", "[]", "{}", "false"}
BUILDKIT_PARAMS = ("session", "buildid")


def _object(name: str, text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        raise ApiError(400, f"invalid {name}: {text[:100]}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, f"invalid {name}: {text[:100]}")
    return value


def _truthy(value: str) -> bool:
    return value.lower() in ("1", "true", "yes")


def buildkit(query: Sequence[tuple[str, str]]) -> bool:
    """The CLI asks for BuildKit (``version=2``, a session): not served here (yet)."""
    found = dict(query)
    return found.get("version") == "2" or any(found.get(k) for k in BUILDKIT_PARAMS)


def build_request(query: Sequence[tuple[str, str]]) -> BuildRequest:
    """The ``BuildRequest`` of a ``POST /build`` query (repeated ``t`` kept in order)."""
    found = dict(query)
    unsupported = [
        flag
        for name, flag in REFUSED_PARAMS.items()
        if found.get(name, "").strip().lower() not in DEFAULTS
    ]
    build_args = {
        str(k): str(v)
        for k, v in _object("buildargs", found.get("buildargs", "")).items()
        if v is not None
    }
    labels = {str(k): str(v) for k, v in _object("labels", found.get("labels", "")).items()}
    return BuildRequest(
        raw="api build",
        context=found.get("remote") or ".",
        tags=[value for name, value in query if name == "t" and value],
        file=found.get("dockerfile") or None,
        build_args=build_args,
        target=found.get("target") or None,
        no_cache=_truthy(found.get("nocache", "")),
        pull=_truthy(found.get("pull", "")),
        labels=labels,
        quiet=_truthy(found.get("q", "")),
        unsupported=unsupported,
    )


def _reason(outcome: Outcome, *, pulled: bool) -> str:
    """Why a build that sent no engine error failed: the note of what stopped it (time, disk,
    output), else the quota's line the executor appended."""
    stops = outcome.notes[1:] if pulled else outcome.notes
    if stops:
        return stops[-1]
    lines = [line for line in outcome.output.splitlines() if line.strip()]
    return lines[-1] if lines else "build failed"


def error_message(text: str) -> dict[str, Any]:
    text = text.rstrip("\n")
    return {"errorDetail": {"message": text}, "error": text}


class BuildApi(ApiBase):
    def context_limits(self) -> ContextLimits:
        return ContextLimits.from_settings(self.service.settings)

    async def build(
        self, user_id: int, query: Sequence[tuple[str, str]], body: bytes, send: Send
    ) -> None:
        """Refusals before the engine is asked are ``ApiError`` (an HTTP error); once the
        first message went out, a failure is the stream's last message, as the engine's."""
        request = build_request(query)
        limits = self.context_limits()
        service = self.service

        async def work(ctx: Context) -> None:
            service.limiter.check(ctx.scope.owner)
            checked = await service._check(ctx, request)
            files = await asyncio.to_thread(read_context, body, limits)
            ctx.files = TarSource(files, limits)
            failed = False

            async def output(text: str) -> None:
                await send({"stream": text})

            async def error(text: str) -> None:
                nonlocal failed
                failed = True
                await send(error_message(text))

            ctx.on_output, ctx.on_error = output, error
            # The build slot first, then the general queue's, as a chat build takes them.
            async with service.builds.hold(service.engine, ctx.scope.owner) as parent:
                ctx.cgroup_parent = parent
                async with service.scheduler.slot(ctx.scope.owner):
                    outcome = await build_ops.build(ctx, checked)
            if outcome.exit_code != 0 and not failed:
                await send(error_message(_reason(outcome, pulled=checked.pull)))
            elif outcome.exit_code == 0 and checked.quiet:  # the id alone, as the engine's -q
                await send({"stream": outcome.output.strip() + "\n"})

        await self._pipeline(user_id, "build", work, queued=False)
