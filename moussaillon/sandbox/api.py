"""The Engine API's answers for a student's own docker CLI, through the chat's pipeline.

The terminal endpoint (``moussaillon/terminal/``) hands over the engine's JSON bodies; here they
become the same typed requests the parser makes (a ``POST /containers/create`` body is a
``CreateRequest``), so the same policy refuses ``Privileged``, binds or the host network, and
the same executor writes the HostConfig with the forced limits: nothing the student sent in
``HostConfig`` reaches the engine unless the chat could ask for it too. Each call spends a
token of the student's rate limit, waits for a fair-queue slot (long waits excepted: ``wait``
and ``attach`` only hold the container), is journaled as ``api <action>`` and heard by the
observers. A refusal is an ``ApiError``: the engine's status and the student's reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import aiodocker

from moussaillon.sandbox import sessions
from moussaillon.sandbox.engine import unreachable
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.executor import containers as container_ops
from moussaillon.sandbox.executor import images as image_ops
from moussaillon.sandbox.executor import run as run_ops
from moussaillon.sandbox.executor.common import Context, hide_internal, visible_labels
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import CreateRequest, EnvVar, Mount, PortMapping, RestartPolicy
from moussaillon.sandbox.results import CommandResult
from moussaillon.sandbox.scope import IMAGE
from moussaillon.sandbox.scrub import scrub_paths

if TYPE_CHECKING:
    from moussaillon.sandbox.service import SandboxService

log = logging.getLogger(__name__)
T = TypeVar("T")
MountKind = Literal["volume", "bind", "tmpfs"]
DAEMON = "Error response from daemon: "
ATTACH_CHUNK = 64 * 1024
STREAM_FRAME = struct.Struct(">BxxxI")


class ApiError(Exception):
    """A refusal as the engine words it: an HTTP status and ``{"message": …}``."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


def _daemon_status(text: str) -> int:
    lowered = text.lower()
    if "no such" in lowered or "not found" in lowered:
        return 404
    if "conflict" in lowered or "already in use" in lowered:
        return 409
    return 400


def create_request(name: str | None, body: dict[str, Any]) -> CreateRequest:
    """An engine ``ContainerConfig`` as the typed request ``docker create`` would parse to.

    Fields the policy refuses are carried over so it can name them; the limits, mounts and
    network the engine gets are rewritten by the executor, never copied from here."""
    host = body.get("HostConfig") or {}
    mounts: list[Mount] = []
    for bind in host.get("Binds") or []:
        source, _, rest = str(bind).partition(":")
        target = rest.split(":", 1)[0] or source
        kind: MountKind = "bind" if source.startswith("/") else "volume"
        mounts.append(Mount(type=kind, source=source, target=target))
    for m in host.get("Mounts") or []:
        given = m.get("Type")
        kind = cast(MountKind, given) if given in ("volume", "bind", "tmpfs") else "bind"
        mounts.append(
            Mount(
                type=kind,
                source=m.get("Source") or None,
                target=m.get("Target") or "/",
                read_only=bool(m.get("ReadOnly")),
            )
        )
    for target in body.get("Volumes") or {}:
        if not any(m.target == target for m in mounts):
            mounts.append(Mount(type="volume", target=target))
    publish = []
    for port, bindings in (host.get("PortBindings") or {}).items():
        number, _, proto = port.partition("/")
        for b in bindings or [{}]:
            hp = (b or {}).get("HostPort") or None
            publish.append(
                PortMapping(
                    container_port=int(number),
                    protocol=proto or "tcp",
                    host_port=int(hp) if hp else None,
                )
            )
    mode = host.get("NetworkMode") or None
    restart = host.get("RestartPolicy") or {}
    nano = host.get("NanoCpus") or 0
    return CreateRequest(
        raw="api containers/create",
        image=str(body.get("Image") or ""),
        command=list(body.get("Cmd") or []),
        entrypoint=None if body.get("Entrypoint") is None else list(body["Entrypoint"]),
        name=name or None,
        detach=True,
        remove=bool(host.get("AutoRemove")),
        env=[
            EnvVar(key=k, value=v if sep else None)
            for k, sep, v in (str(e).partition("=") for e in body.get("Env") or [])
        ],
        publish=publish,
        expose=list(body.get("ExposedPorts") or {}),
        mounts=mounts,
        network=None if mode in (None, "default", "bridge") else mode,
        workdir=body.get("WorkingDir") or None,
        hostname=body.get("Hostname") or None,
        user=body.get("User") or None,
        labels=dict(body.get("Labels") or {}),
        restart=RestartPolicy(
            name=restart["Name"], max_retries=restart.get("MaximumRetryCount") or 0
        )
        if restart.get("Name") in ("always", "unless-stopped", "on-failure")
        else None,
        init=bool(host.get("Init")),
        stop_signal=body.get("StopSignal") or None,
        memory=host.get("Memory") or None,
        cpus=nano / 1e9 if nano else None,
        privileged=bool(host.get("Privileged")),
        cap_add=list(host.get("CapAdd") or []),
        devices=[str(d.get("PathOnHost", d)) for d in host.get("Devices") or []],
        pid=host.get("PidMode") or None,
        ipc=host.get("IpcMode")
        if host.get("IpcMode") not in (None, "", "private", "shareable")
        else None,
        uts=host.get("UTSMode") or None,
        userns=host.get("UsernsMode") or None,
        cgroupns=host.get("CgroupnsMode")
        if host.get("CgroupnsMode") not in (None, "", "private")
        else None,
        security_opt=list(host.get("SecurityOpt") or []),
        runtime=host.get("Runtime") if host.get("Runtime") not in (None, "", "runc") else None,
        sysctls=dict(host.get("Sysctls") or {}),
        volumes_from=list(host.get("VolumesFrom") or []),
        interactive=bool(body.get("OpenStdin")),
        tty=bool(body.get("Tty")),
    )


def frames(raw: bytes, prefix: str) -> bytes:
    """A multiplexed log stream with each payload scrubbed, re-framed (8-byte headers)."""
    out = bytearray()
    i = 0
    while i + 8 <= len(raw):
        kind, size = STREAM_FRAME.unpack(raw[i : i + 8])
        payload = scrub_paths(raw[i + 8 : i + 8 + size].decode("utf-8", "replace"), prefix)
        data = payload.encode()
        out += STREAM_FRAME.pack(kind, len(data)) + data
        i += 8 + size
    return bytes(out)


class EngineApi:
    """The endpoint's view of one ``SandboxService``: every method takes the student's id."""

    def __init__(self, service: SandboxService) -> None:
        self.service = service

    # -- the pipeline -------------------------------------------------------------------------

    async def _pipeline(
        self,
        user_id: int,
        action: str,
        work: Callable[[Context], Awaitable[T]],
        *,
        queued: bool = True,
    ) -> T:
        """``queued=False`` (``wait``, ``attach``): no fair-queue slot and no token, since the
        CLI sends them only as parts of a ``run`` or ``start`` already charged, and they hold
        a container, not the engine."""
        service = self.service
        ctx = service.context(user_id, "fr")
        started = time.monotonic()
        verdict, code = "ran", 0
        try:
            if queued:
                service.limiter.check(ctx.scope.owner)
            await sessions.touch(service.store, user_id)
            if queued:
                async with service.scheduler.slot(ctx.scope.owner):
                    return await work(ctx)
            return await work(ctx)
        except SandboxError as exc:
            verdict, code = exc.verdict, 1
            raise ApiError(exc.status, exc.message(ctx.lang)) from None
        except DaemonError as exc:
            verdict, code = "ran", exc.exit_code
            text = exc.text.removeprefix(DAEMON).removeprefix(run_ops.RUN_ERROR)
            text = text.removeprefix(DAEMON)
            raise ApiError(_daemon_status(text), text) from None
        except aiodocker.DockerError as exc:
            verdict, code = "error", 1
            if unreachable(exc):
                raise ApiError(503, "Cannot reach the sandbox's engine") from None
            raise ApiError(exc.status, hide_internal(ctx, str(exc.message))) from None
        finally:
            result = CommandResult(
                exit_code=code,
                output="",
                refused=verdict != "ran",
                reason=None,
                duration_ms=int((time.monotonic() - started) * 1000),
                verdict=verdict,
            )
            await service._journal(user_id, f"api {action}", f"api.{action}", result)
            service._tell(user_id, f"docker {action}", result)

    # -- system -------------------------------------------------------------------------------

    async def version(self) -> dict[str, Any]:
        """The engine's own versions (the CLI negotiates on ``ApiVersion``), no host details."""
        v = await self.service.engine.get("version")
        keep = ("Version", "ApiVersion", "MinAPIVersion", "GitCommit", "GoVersion", "Os", "Arch")
        shown = {k: v.get(k, "") for k in keep}
        shown["KernelVersion"] = ""
        shown["BuildTime"] = v.get("BuildTime", "")
        shown["Platform"] = {"Name": "Moussaillon sandbox"}
        shown["Components"] = [
            {"Name": "Engine", "Version": v.get("Version", ""), "Details": {}},
        ]
        return shown

    async def info(self, user_id: int) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            mine = await ctx.scope.containers(ctx.engine)
            running = sum(1 for c in mine if c.get("State") == "running")
            paused = sum(1 for c in mine if c.get("State") == "paused")
            shown_images = await image_ops.visible(ctx)
            v = await ctx.engine.get("version")
            return {
                "ID": "",
                "Containers": len(mine),
                "ContainersRunning": running,
                "ContainersPaused": paused,
                "ContainersStopped": len(mine) - running - paused,
                "Images": len(shown_images),
                "Driver": "overlay2",
                "ServerVersion": v.get("Version", ""),
                "OperatingSystem": "Moussaillon sandbox",
                "OSType": "linux",
                "Architecture": v.get("Arch", ""),
                "KernelVersion": "",
                "Name": "moussaillon",
                "NCPU": max(1, round(ctx.settings.sandbox_cpus)),
                "MemTotal": ctx.settings.sandbox_memory_mb * 1024 * 1024,  # one container's share
                "Swarm": {"LocalNodeState": "inactive"},
                "Plugins": {"Volume": ["local"], "Network": ["bridge"], "Log": []},
                "SecurityOptions": [],
                "Labels": [],
                "Warnings": [],
                "ExperimentalBuild": False,
            }

        return await self._pipeline(user_id, "info", work)

    # -- containers ---------------------------------------------------------------------------

    def _summary(self, ctx: Context, c: dict[str, Any]) -> dict[str, Any]:
        name = ctx.scope.student(c.get("Labels"), (c.get("Names") or ["/"])[0].lstrip("/"))
        shown = dict(c)
        shown["Names"] = [f"/{name}"]
        shown["Image"] = (c.get("Labels") or {}).get(IMAGE) or c.get("Image", "")
        shown["Labels"] = visible_labels(c.get("Labels"))
        shown["Mounts"] = []
        shown["NetworkSettings"] = {"Networks": {}}
        shown["HostConfig"] = {"NetworkMode": "bridge"}
        shown["Ports"] = []
        return shown

    async def containers(self, user_id: int, *, all: bool = False) -> list[dict[str, Any]]:
        async def work(ctx: Context) -> list[dict[str, Any]]:
            found = await ctx.scope.containers(ctx.engine, all=all)
            return [self._summary(ctx, c) for c in found]

        return await self._pipeline(user_id, "ps", work)

    async def inspect(self, user_id: int, ref: str) -> dict[str, Any]:
        """``docker inspect``'s object, as the chat shows it (paths blanked, names the
        student's own)."""

        async def work(ctx: Context) -> dict[str, Any]:
            found: dict[str, Any] = await container_ops.inspect_one(ctx, ref)
            return found

        return await self._pipeline(user_id, "inspect", work)

    async def create(self, user_id: int, name: str | None, body: dict[str, Any]) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            request = await self.service._check(ctx, create_request(name, body))
            container_id, _, _ = await run_ops.create(ctx, request)
            return {"Id": container_id, "Warnings": []}

        return await self._pipeline(user_id, "create", work)

    async def _id(self, ctx: Context, ref: str) -> str:
        found: str = (await ctx.scope.container(ctx.engine, ref))["Id"]
        return found

    async def start(self, user_id: int, ref: str) -> None:
        async def work(ctx: Context) -> None:
            container_id = await self._id(ctx, ref)
            try:
                await ctx.engine.post(f"containers/{container_id}/start")
            except aiodocker.DockerError as exc:
                if exc.status != 304:
                    raise

        await self._pipeline(user_id, "start", work)

    async def wait(
        self, user_id: int, ref: str, condition: str | None
    ) -> Callable[[], Awaitable[dict[str, Any]]]:
        """Resolve the container now (a refusal is an ``ApiError`` before any answer), then
        the exit code when awaited: the engine answers the headers first and the CLI starts
        the container only once it has them.

        Once the container has run for the sandbox's time limit it is killed, as in chat; the
        limit counts from its start, not from this request (a start can take seconds)."""

        async def work(ctx: Context) -> Callable[[], Awaitable[dict[str, Any]]]:
            container_id = await self._id(ctx, ref)
            return lambda: self._exit(ctx, container_id, condition)

        return await self._pipeline(user_id, "wait", work, queued=False)

    async def _exit(self, ctx: Context, container_id: str, condition: str | None) -> dict[str, Any]:
        params = {"condition": condition} if condition else None
        limit = float(ctx.settings.sandbox_timeout_s)
        waiting = asyncio.ensure_future(
            ctx.engine.post(f"containers/{container_id}/wait", params=params)
        )
        try:
            while True:
                done, _ = await asyncio.wait({waiting}, timeout=limit)
                if done:
                    result: dict[str, Any] = waiting.result()
                    return result
                left = await self._time_left(ctx, container_id, limit)
                if left <= 0:
                    with contextlib.suppress(aiodocker.DockerError):
                        await ctx.engine.post(f"containers/{container_id}/kill")
                    return {"StatusCode": 137, "Error": None}
                limit = left
        except aiodocker.DockerError as exc:
            return {"StatusCode": 0, "Error": {"Message": hide_internal(ctx, str(exc.message))}}
        finally:
            waiting.cancel()

    async def _time_left(self, ctx: Context, container_id: str, limit: float) -> float:
        """Seconds the container may still run (the whole limit while not started yet)."""
        try:
            state = (await ctx.engine.get(f"containers/{container_id}/json")).get("State") or {}
        except aiodocker.DockerError:
            return limit
        if not state.get("Running"):
            return limit
        started = datetime.fromisoformat(
            str(state.get("StartedAt", ""))[:26].rstrip("Z") + "+00:00"
        )
        return limit - (datetime.now(UTC) - started).total_seconds()

    async def logs(self, user_id: int, ref: str, params: dict[str, str]) -> tuple[bytes, bool]:
        """(body, tty): the logs as the engine frames them, scrubbed, capped at the output
        limit; ``follow`` is not served yet (the first slice answers what is there)."""

        async def work(ctx: Context) -> tuple[bytes, bool]:
            c = await ctx.scope.container(ctx.engine, ref)
            inspect = await ctx.engine.get(f"containers/{c['Id']}/json")
            tty = bool((inspect.get("Config") or {}).get("Tty"))
            query = {
                k: v
                for k, v in params.items()
                if k in ("stdout", "stderr", "tail", "timestamps", "since", "until")
            }
            async with (
                asyncio.timeout(30),
                ctx.engine.stream(f"containers/{c['Id']}/logs", params=query) as response,
            ):
                raw = await response.content.read(ctx.output_limit + 8)
            if tty:
                return scrub_paths(raw.decode("utf-8", "replace"), ctx.scope.prefix).encode(), True
            return frames(raw, ctx.scope.prefix), False

        return await self._pipeline(user_id, "logs", work)

    async def attach(
        self, user_id: int, ref: str, params: dict[str, str]
    ) -> tuple[AsyncIterator[bytes], bool]:
        """The container's output as it comes (stdout/stderr only: no stdin yet), raw for a TTY,
        multiplexed otherwise; the iterator ends with the container's streams."""

        async def work(ctx: Context) -> tuple[str, bool, str]:
            c = await ctx.scope.container(ctx.engine, ref)
            inspect = await ctx.engine.get(f"containers/{c['Id']}/json")
            return c["Id"], bool((inspect.get("Config") or {}).get("Tty")), ctx.scope.prefix

        container_id, tty, prefix = await self._pipeline(user_id, "attach", work, queued=False)
        try:
            stream = await self.service.engine.attach_stream(container_id, stdin=False)
        except aiodocker.DockerError as exc:
            raise ApiError(exc.status, str(exc.message)) from None
        limit = self.service.settings.sandbox_output_kb * 1024

        async def chunks() -> AsyncIterator[bytes]:
            sent = 0
            try:
                while sent < limit:
                    message = await stream.read_out()
                    log.debug("attach: %r", message)
                    if message is None:
                        return
                    data = scrub_paths(message.data.decode("utf-8", "replace"), prefix).encode()
                    sent += len(data)
                    yield data if tty else STREAM_FRAME.pack(message.stream, len(data)) + data
            finally:
                await stream.close()

        return chunks(), tty

    async def remove(self, user_id: int, ref: str, *, force: bool) -> None:
        async def work(ctx: Context) -> None:
            container_id = await self._id(ctx, ref)
            params = {"force": "1" if force else "0", "v": "1"}
            await ctx.engine.delete(f"containers/{container_id}", params=params)

        await self._pipeline(user_id, "rm", work)

    # -- images -------------------------------------------------------------------------------

    async def images(self, user_id: int) -> list[dict[str, Any]]:
        async def work(ctx: Context) -> list[dict[str, Any]]:
            shown = await image_ops.visible(ctx)
            by_id: dict[str, dict[str, Any]] = {}
            for tag, image in shown.items():
                row = by_id.setdefault(
                    image["Id"],
                    {**image, "RepoTags": [], "RepoDigests": [], "Labels": {}, "ParentId": ""},
                )
                row["RepoTags"].append(tag)
            return list(by_id.values())

        return await self._pipeline(user_id, "images", work)


__all__ = ["ApiError", "EngineApi", "create_request", "frames"]
