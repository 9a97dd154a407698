"""``exec``: create (through the chat's ``docker exec`` policy), start, inspect, resize.

An exec id is the engine's, unguessable, but it is not proof of ownership: every call on one
asks the engine which container it runs in and resolves that container in the student's scope,
so another student's exec id answers the engine's own 404. No map of ids to keep, and an exec
made before a restart of the app still works for its student.
"""

from __future__ import annotations

import re
from typing import Any

import aiodocker

from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.hijack import Hijack
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.api.streams import detach_keys, tty_size
from moussaillon.sandbox.executor.common import Context, student_json
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import EnvVar, ExecRequest

EXEC_ID = re.compile(r"[0-9A-Za-z]{1,128}")
MAX_ARGS = 256
MAX_ENV = 256


def _strings(body: dict[str, Any], key: str, limit: int) -> list[str]:
    value = body.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, f"invalid {key}: a list of strings is expected")
    if len(value) > limit:
        raise ApiError(400, f"invalid {key}: at most {limit} entries")
    return value


def exec_request(ref: str, body: dict[str, Any]) -> ExecRequest:
    """An engine ``ExecConfig`` as the typed request ``docker exec`` parses to."""
    command = _strings(body, "Cmd", MAX_ARGS)
    if not command:
        raise ApiError(400, "No exec command specified")
    return ExecRequest(
        raw="api exec",
        container=ref,
        command=command,
        env=[
            EnvVar(key=k, value=v if sep else None)
            for k, sep, v in (e.partition("=") for e in _strings(body, "Env", MAX_ENV))
        ],
        workdir=str(body.get("WorkingDir") or "") or None,
        user=str(body.get("User") or "") or None,
        detach=bool(body.get("Detach")),
        interactive=bool(body.get("AttachStdin")),
        tty=bool(body.get("Tty")),
        privileged=bool(body.get("Privileged")),
    )


def _no_such_exec(exec_id: str) -> DaemonError:
    return DaemonError(f"Error response from daemon: No such exec instance: {exec_id[:80]}")


class ExecsApi(ApiBase):
    async def exec_create(self, user_id: int, ref: str, body: dict[str, Any]) -> dict[str, Any]:
        keys = detach_keys(
            body.get("DetachKeys") if isinstance(body.get("DetachKeys"), str) else None
        )

        async def work(ctx: Context) -> dict[str, Any]:
            request: ExecRequest = await self.service._check(ctx, exec_request(ref, body))
            target = await ctx.scope.container(ctx.engine, request.container)
            config: dict[str, Any] = {
                "AttachStdin": request.interactive,
                "AttachStdout": bool(body.get("AttachStdout", True)),
                "AttachStderr": bool(body.get("AttachStderr", True)),
                "Tty": request.tty,
                "Cmd": list(request.command),
                "Env": [e.key if e.value is None else f"{e.key}={e.value}" for e in request.env],
                "Privileged": False,
            }
            if keys:
                config["DetachKeys"] = keys
            if request.workdir:
                config["WorkingDir"] = request.workdir
            if request.user:
                config["User"] = request.user
            created = await ctx.engine.post(f"containers/{target['Id']}/exec", data=config)
            return {"Id": created["Id"]}

        return await self._pipeline(user_id, "exec", work)

    async def _own_exec(self, ctx: Context, exec_id: str) -> dict[str, Any]:
        """The exec's inspect when it runs in one of the student's containers, else the
        engine's 404 for an unknown id (the same words: nothing tells the two apart)."""
        if not EXEC_ID.fullmatch(exec_id):
            raise _no_such_exec(exec_id)
        try:
            found: dict[str, Any] = await ctx.engine.get(f"exec/{exec_id}/json")
        except aiodocker.DockerError as exc:
            if exc.status == 404:
                raise _no_such_exec(exec_id) from None
            raise
        mine = await ctx.scope.containers(ctx.engine, all=True)
        if not any(c["Id"] == found.get("ContainerID") for c in mine):
            raise _no_such_exec(exec_id)
        return found

    async def exec_inspect(self, user_id: int, exec_id: str) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            shown: dict[str, Any] = student_json(ctx, await self._own_exec(ctx, exec_id))
            return shown

        return await self._pipeline(user_id, "exec inspect", work)

    async def exec_start(self, user_id: int, exec_id: str, body: dict[str, Any]) -> Hijack | None:
        """Detached: started, None. Else the hijacked stream (a TTY's raw bytes, or frames);
        not queued, like ``attach``: it holds a process, not the engine."""
        detach = bool(body.get("Detach"))

        async def work(ctx: Context) -> tuple[bool, bool, str]:
            found = await self._own_exec(ctx, exec_id)
            process = found.get("ProcessConfig") or {}
            if detach:
                await ctx.engine.post(f"exec/{exec_id}/start", data={"Detach": True})
            return bool(process.get("tty")), bool(found.get("OpenStdin")), ctx.scope.prefix

        tty, stdin, prefix = await self._pipeline(user_id, "exec start", work, queued=detach)
        if detach:
            return None
        try:
            stream = await self.service.engine.exec_stream(exec_id, tty=tty)
        except aiodocker.DockerError as exc:
            raise ApiError(exc.status, str(exc.message)) from None
        return Hijack(stream, tty, prefix, stdin)

    async def exec_resize(self, user_id: int, exec_id: str, params: dict[str, str]) -> None:
        h, w = tty_size(params)

        async def work(ctx: Context) -> None:
            await self._own_exec(ctx, exec_id)
            await ctx.engine.post(f"exec/{exec_id}/resize", params={"h": h, "w": w})

        await self._pipeline(user_id, "exec resize", work)
