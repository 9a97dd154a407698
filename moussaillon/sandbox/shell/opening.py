"""Making what a session talks to: a ``run -it`` container, an ``exec -it`` process, or the
stdin/stdout of a container started with ``-dit`` (``attach``).

A ``run -it`` container is created like any ``docker run`` (``executor/run.py``: the same
quota, names, forced limits), with a terminal and an open stdin, and labelled ``SHELL`` so a
restart can find it; the stream is attached before the container starts, so its first prompt
is not lost. Its removal for ``--rm`` is done here rather than by the engine's AutoRemove,
which would race with reading its exit code.
"""

from __future__ import annotations

import contextlib
from typing import Any

from moussaillon.sandbox.executor.common import Context, call
from moussaillon.sandbox.executor.run import RUN_ERROR, create, delete, start
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import AttachRequest, ExecRequest, RunRequest, StartRequest
from moussaillon.sandbox.shell.session import EndReason, ShellSession, Stream

# Closing an exec's stream leaves its process running on a terminal: Ctrl-C stops what runs in
# the foreground, Ctrl-D is the end of input a shell or a REPL leaves on (without a terminal,
# closing the stream is that end of input already).
FAREWELL_TTY = (b"\x03", b"\x04")
SHELL = "moussaillon.shell"  # on ``run -it`` containers: "rm" with ``--rm``, else "1"


def _session(ctx: Context, stream: Stream, **kwargs: Any) -> ShellSession:
    assert ctx.user_id is not None
    return ShellSession(
        stream,
        user_id=ctx.user_id,
        lang=ctx.lang,
        burst_bytes=ctx.settings.sandbox_shell_burst_kb * 1024,
        idle_s=ctx.settings.sandbox_shell_idle_s,
        **kwargs,
    )


async def _container_code(ctx: Context, container_id: str) -> int | None:
    found = await call(ctx, f"containers/{container_id}/json")
    state = found.get("State") or {}
    return None if state.get("Running") else state.get("ExitCode")


async def open_run(ctx: Context, req: RunRequest) -> ShellSession:
    shell_label = {SHELL: "rm" if req.remove else "1"}
    made = req.model_copy(
        update={"detach": True, "remove": False, "labels": {**req.labels, **shell_label}}
    )
    container_id, name, _ = await create(ctx, made)
    try:
        stream = await ctx.engine.attach_stream(container_id, stdin=True)
    except BaseException:
        await delete(ctx, container_id)
        raise
    try:
        await start(ctx, container_id, req.remove)
    except BaseException:
        with contextlib.suppress(Exception):
            await stream.close()
        raise

    async def cleanup(reason: EndReason) -> None:
        if reason != "exited":
            with contextlib.suppress(DaemonError):
                await call(ctx, f"containers/{container_id}/kill", "POST")
        if req.remove:
            await delete(ctx, container_id)

    return _session(
        ctx,
        stream,
        kind="run",
        target=name,
        cleanup=cleanup,
        exit_code=lambda: _container_code(ctx, container_id),
    )


async def _running(ctx: Context, ref: str, verb: str) -> dict[str, Any]:
    target = await ctx.scope.container(ctx.engine, ref)
    if target.get("State") != "running":
        if verb == "attach":
            raise DaemonError("You cannot attach to a stopped container, start it first", 1)
        raise DaemonError(f"Error response from daemon: container {target['Id']} is not running", 1)
    return target


async def open_exec(ctx: Context, req: ExecRequest) -> ShellSession:
    target = await _running(ctx, req.container, "exec")
    config: dict[str, Any] = {
        "AttachStdin": True,
        "AttachStdout": True,
        "AttachStderr": True,
        "Tty": req.tty,
        "Cmd": list(req.command),
        "Env": [e.key if e.value is None else f"{e.key}={e.value}" for e in req.env],
        "Privileged": False,
    }
    if req.workdir:
        config["WorkingDir"] = req.workdir
    if req.user:
        config["User"] = req.user
    created = await call(ctx, f"containers/{target['Id']}/exec", "POST", data=config)
    exec_id = created["Id"]
    stream = await ctx.engine.exec_stream(exec_id, tty=req.tty)

    async def exit_code() -> int | None:
        found = await call(ctx, f"exec/{exec_id}/json")
        code = found.get("ExitCode")
        return None if code is None else int(code)

    async def cleanup(reason: EndReason) -> None:
        """Nothing to remove: the farewell ended the shell."""

    return _session(
        ctx,
        stream,
        kind="exec",
        target=req.container,
        cleanup=cleanup,
        exit_code=exit_code,
        farewell=FAREWELL_TTY if req.tty else (),
    )


async def open_attach(ctx: Context, req: AttachRequest | StartRequest) -> ShellSession:
    """``attach`` to a running container, or ``start -ai`` one: attached first, then started,
    so its first prompt is not lost."""
    if isinstance(req, StartRequest):
        if len(req.containers) > 1:
            raise DaemonError("you cannot start and attach multiple containers at once", 1)
        name, no_stdin = req.containers[0], False
        target = await ctx.scope.container(ctx.engine, name)
    else:
        name, no_stdin = req.container, req.no_stdin
        target = await _running(ctx, name, "attach")
    inspected = await call(ctx, f"containers/{target['Id']}/json")
    stdin = bool((inspected.get("Config") or {}).get("OpenStdin")) and not no_stdin
    stream = await ctx.engine.attach_stream(target["Id"], stdin=stdin)
    if target.get("State") != "running":
        try:
            await call(ctx, f"containers/{target['Id']}/start", "POST")
        except BaseException:
            with contextlib.suppress(Exception):
                await stream.close()
            raise

    async def cleanup(reason: EndReason) -> None:
        """Leaving an attach detaches: the container keeps running, as with Ctrl-P Ctrl-Q."""

    return _session(
        ctx,
        stream,
        kind="attach",
        target=name,
        cleanup=cleanup,
        exit_code=lambda: _container_code(ctx, target["Id"]),
        stdin=stdin,
    )


async def open_session(
    ctx: Context, request: RunRequest | ExecRequest | AttachRequest | StartRequest
) -> ShellSession:
    if isinstance(request, RunRequest):
        return await open_run(ctx, request)
    if isinstance(request, ExecRequest):
        return await open_exec(ctx, request)
    return await open_attach(ctx, request)


__all__ = ["RUN_ERROR", "SHELL", "open_session"]
