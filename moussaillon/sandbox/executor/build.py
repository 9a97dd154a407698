"""``docker build``: the student's files, built by the engine's classic builder under limits.

The Dockerfile and its context are checked before the engine sees anything (``build/``); every
external ``FROM`` is the allowlist, one of the student's own images or ``scratch``, and is
rendered to its engine reference. The engine then builds with parameters the student cannot
change: no network (or only the packages proxy), memory = swap, a CPU quota, ``/dev/shm``,
ulimits, a cgroup parent whose ``pids.max`` caps the processes (the API has no pids limit),
``forcerm``, and the sandbox's labels. What the classic builder cannot bound itself is bounded
here, while the build runs: the wall clock (the request is cancelled, then the step
containers are checked gone), the disk a step writes (its container's size, polled), and the
output (the request is cancelled past the cap). Afterwards the image is counted against the
student's quotas (images, total size, layers) and removed when over.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import aiodocker

from moussaillon.sandbox import labels
from moussaillon.sandbox.build import records
from moussaillon.sandbox.build.context import context_tar
from moussaillon.sandbox.build.inputs import BuildInputs, read_build
from moussaillon.sandbox.build.labels import BASES, STAGES
from moussaillon.sandbox.build.stream import BuildLog
from moussaillon.sandbox.errors import BuildUnavailable, QuotaExceeded
from moussaillon.sandbox.executor.common import Context, Outcome, call, hide_internal
from moussaillon.sandbox.executor.images import TAG
from moussaillon.sandbox.executor.networks import BRIDGE_OPTIONS
from moussaillon.sandbox.executor.run import with_tag
from moussaillon.sandbox.hostconfig import NOFILE
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.policy import Policy, normalize_image
from moussaillon.sandbox.requests import BuildRequest
from moussaillon.sandbox.subnets import SubnetAllocator

log = logging.getLogger(__name__)

PROXY_NETWORK = "moussaillon-build-proxy"
PROXY_LABEL = "moussaillon.build.proxy"
BUILD_NPROC = 4096  # RLIMIT_NPROC counts the host uid's processes: the cgroup is the real cap
CPU_PERIOD = 100_000
DISK_POLL_S = 1.0
GONE_WAIT_S = 10.0
MB = 1024 * 1024


@dataclass
class Stopped:
    reason: str | None = None  # timeout | disk | output


def _engine_tags(ctx: Context, req: BuildRequest) -> list[str]:
    """``-t app:1`` → ``m-u42/app:1``; a bad or course name fails like docker would."""
    tags = []
    for tag in req.tags:
        shown = with_tag(tag.removeprefix("docker.io/").removeprefix("library/"))
        if not TAG.match(shown):
            raise DaemonError(
                f'invalid argument "{tag}" for "-t, --tag" flag: invalid reference format', 125
            )
        if shown.rsplit(":", 1)[0] in ctx.settings.sandbox_images:
            raise DaemonError(ctx.note("image.tag_reserved", image=shown), 125)
        tags.append(ctx.scope.image_repo + shown)
    return list(dict.fromkeys(tags))


async def _engine_ref(ctx: Context, policy: Policy, ref: str) -> str:
    """The engine reference of a base: the allowlist first, then the student's own images."""
    key = normalize_image(ref)
    if key is not None and key in policy.images:
        return policy.images[key]
    if key is not None:
        own = f"{ctx.scope.image_repo}{key[0]}:{key[1]}"
        with contextlib.suppress(DaemonError):
            await call(ctx, f"images/{own}/json")
            return own
    return policy.resolve_image(ref)  # raises: neither the course's nor the student's


def sandbox_labels(ctx: Context, inputs: BuildInputs) -> dict[str, str]:
    return {
        labels.SANDBOX: "1",
        labels.OWNER: ctx.scope.owner,
        STAGES: str(len(inputs.plan.stages)),
        BASES: json.dumps(inputs.plan.bases(), separators=(",", ":")),
    }


def label_line(found: dict[str, str]) -> str:
    """One ``LABEL`` instruction for all the sandbox's labels: the API's ``labels`` parameter
    makes one step (one container, one commit) per label, which is most of a small build's
    cost. Single quotes: literal in a Dockerfile whatever its escape character."""
    return "LABEL " + " ".join(f"{key}='{value}'" for key, value in sorted(found.items())) + "\n"


async def _render(ctx: Context, inputs: BuildInputs, extra: str) -> tuple[bytes, dict[str, str]]:
    """The context's tar with the Dockerfile as the engine gets it (``extra`` appended), and
    engine ref → the student's ref (to show them their own names back)."""
    policy = Policy.from_settings(ctx.settings)
    refs = {ref: await _engine_ref(ctx, policy, ref) for ref in inputs.plan.bases()}
    missing: list[str] = []

    def engine_ref(ref: str) -> str:
        if ref not in refs:
            missing.append(ref)  # a ``COPY --from=image``: resolved here, not a base
        return refs.get(ref, ref)

    inputs.plan.render(engine_ref)
    for ref in missing:
        refs[ref] = await _engine_ref(ctx, policy, ref)
    text = inputs.plan.render(lambda ref: refs[ref])
    text = text if text.endswith("\n") or not text else text + "\n"
    tar = await asyncio.to_thread(
        context_tar,
        inputs.files,
        dockerfile_name=inputs.dockerfile_name,
        dockerfile_text=text + extra,
    )
    return tar, {engine: typed for typed, engine in refs.items()}


async def own_images(ctx: Context) -> dict[str, dict[str, Any]]:
    """The student's images on the engine (their tags, and their untagged build results)."""
    assert ctx.store is not None
    finals = set(await records.recorded(ctx.store, ctx.scope.owner, final_only=True))
    found = {}
    for image in await call(ctx, "images/json"):
        tags = image.get("RepoTags") or []
        mine = any(tag.startswith(ctx.scope.image_repo) for tag in tags)
        if mine or image["Id"] in finals:
            found[image["Id"]] = image
    return found


async def _check_count(ctx: Context, tags: list[str]) -> None:
    """Checked before the build: a full quota refuses unless every tag only moves."""
    limit = ctx.settings.sandbox_max_images
    owned = await own_images(ctx)
    existing = {tag for image in owned.values() for tag in image.get("RepoTags") or []}
    if len(owned) >= limit and not (tags and set(tags) <= existing):
        raise QuotaExceeded("sandbox.build.quota.images", limit=limit)


def _params(
    ctx: Context,
    req: BuildRequest,
    dockerfile: str,
    ours: dict[str, str],
    tags: list[str],
    network: str,
) -> dict[str, str | list[str]]:
    """The query of ``POST /build``; ``ours`` are labels that go through the API (with
    ``--target``, when no line can be appended to the built stage)."""
    settings = ctx.settings
    memory = settings.build_memory_mb * MB
    student = {k: v for k, v in req.labels.items() if not k.startswith("moussaillon.")}
    build_args = dict(req.build_args)
    if settings.build_proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            build_args.setdefault(name, settings.build_proxy)
    params: dict[str, str | list[str]] = {
        "version": "1",
        "dockerfile": dockerfile,
        "t": tags,
        "labels": json.dumps({**student, **ours}),
        "buildargs": json.dumps(build_args),
        "networkmode": network,
        "memory": str(memory),
        "memswap": str(memory),
        "cpuperiod": str(CPU_PERIOD),
        "cpuquota": str(int(settings.build_cpus * CPU_PERIOD)),
        "shmsize": str(settings.build_shm_mb * MB),
        "ulimits": json.dumps(
            [
                {"Name": "nofile", "Soft": NOFILE, "Hard": NOFILE},
                {"Name": "nproc", "Soft": BUILD_NPROC, "Hard": BUILD_NPROC},
            ]
        ),
        "forcerm": "1",
        "rm": "1",
        "pull": "0",
    }
    if ctx.cgroup_parent:
        params["cgroupparent"] = ctx.cgroup_parent
    if req.no_cache:
        params["nocache"] = "1"
    if req.target:
        params["target"] = req.target
    return params


async def proxy_network(ctx: Context) -> str:
    """The network builds use when a packages proxy is set: internal, the host out of reach
    (as students' networks), and only the proxy's container on it besides the build."""
    container = ctx.settings.build_proxy_container
    if not container:
        raise BuildUnavailable("sandbox.build.unavailable.proxy")
    async with ctx.locks.setdefault("\0build-proxy", asyncio.Lock()):
        found = await call(
            ctx, "networks", params={"filters": json.dumps({"name": [PROXY_NETWORK]})}
        )
        found = [n for n in found if n.get("Name") == PROXY_NETWORK]
        if not found:
            body = {
                "Name": PROXY_NETWORK,
                "Driver": "bridge",
                "Internal": True,
                "CheckDuplicate": True,
                "Attachable": False,
                "Labels": {PROXY_LABEL: "1"},
                "Options": dict(BRIDGE_OPTIONS),
            }
            allocator = ctx.subnets or SubnetAllocator.from_settings(ctx.settings)
            await allocator.create(
                ctx.engine, body, lambda data: call(ctx, "networks/create", "POST", data=data)
            )
        network = await call(ctx, f"networks/{PROXY_NETWORK}")
        attached = {c.get("Name") for c in (network.get("Containers") or {}).values()}
        if container not in attached:
            await call(
                ctx, f"networks/{PROXY_NETWORK}/connect", "POST", data={"Container": container}
            )
    return PROXY_NETWORK


async def _watch_disk(ctx: Context, build_log: BuildLog, stopped: Stopped) -> None:
    """The build API has no storage bound: poll the running step's size, kill it past the cap."""
    limit = ctx.settings.build_disk_mb * MB
    while True:
        await asyncio.sleep(DISK_POLL_S)
        running = build_log.running
        if running is None:
            continue
        try:
            info = await ctx.engine.get(f"containers/{running}/json", params={"size": "1"})
        except aiodocker.DockerError:
            continue
        if (info.get("SizeRw") or 0) > limit:
            stopped.reason = "disk"
            with contextlib.suppress(aiodocker.DockerError):
                await ctx.engine.post(f"containers/{running}/kill")
            return


async def _stream(
    ctx: Context, tar: bytes, params: dict[str, str | list[str]], build_log: BuildLog
) -> Stopped:
    stopped = Stopped()
    watch = asyncio.create_task(_watch_disk(ctx, build_log, stopped))
    limit = ctx.settings.build_output_kb * 1024
    try:
        messages = ctx.engine.build(tar, params, ctx.settings.build_timeout_s)
        async with contextlib.aclosing(messages):
            async for message in messages:
                text = build_log.feed(message)
                if text and build_log.error is not None and ctx.on_error is not None:
                    await ctx.on_error(text)
                elif text and ctx.on_output is not None:
                    await ctx.on_output(text)
                if build_log.size > limit:
                    stopped.reason = "output"
                    break
    except TimeoutError:
        stopped.reason = "timeout"
    finally:
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch
    return stopped


async def remove_step_containers(ctx: Context, ids: list[str]) -> list[str]:
    """After a cut-short build: wait for the engine to remove the step containers (it does
    on cancel, with ``forcerm``), remove any survivor; the ids that had to be removed."""
    deadline = time.monotonic() + GONE_WAIT_S
    left = list(dict.fromkeys(ids))
    while left and time.monotonic() < deadline:
        still = []
        for container in left:
            try:
                await ctx.engine.get(f"containers/{container}/json")
                still.append(container)
            except aiodocker.DockerError:
                continue
        left = still
        if left:
            await asyncio.sleep(0.5)
    for container in left:
        with contextlib.suppress(aiodocker.DockerError):
            await ctx.engine.delete(f"containers/{container}", params={"force": "1", "v": "1"})
    if left:
        log.warning("sandbox: removed %d build container(s) the engine left", len(left))
    return left


async def over_quota(ctx: Context, final: str, tags: list[str]) -> str | None:
    """The quota note when the new image is too deep or the student's images too big."""
    image = await call(ctx, f"images/{final}/json")
    layers = len((image.get("RootFS") or {}).get("Layers") or [])
    if layers > ctx.settings.build_max_layers:
        return ctx.note("build.quota.layers", layers=layers, limit=ctx.settings.build_max_layers)
    owned = await own_images(ctx)
    total = sum(int(i.get("Size") or 0) for i in owned.values())
    if image["Id"] not in owned:
        total += int(image.get("Size") or 0)
    if total > ctx.settings.sandbox_max_images_mb * MB:
        return ctx.note(
            "build.quota.size",
            size=round(total / MB),
            limit=ctx.settings.sandbox_max_images_mb,
        )
    return None


async def _drop(ctx: Context, final: str, tags: list[str]) -> None:
    for tag in tags:
        with contextlib.suppress(DaemonError):
            await call(ctx, f"images/{tag}", "DELETE")
    assert ctx.store is not None
    await records.remove_recorded(ctx.engine, ctx.store, ctx.scope.owner, [final])


async def _after(ctx: Context, build_log: BuildLog, *, cut: bool) -> None:
    """Whatever happened: record the images the build reported (for ``/reset`` and the
    reaper); a build cut short also has its step containers checked gone."""
    assert ctx.store is not None
    await records.record(ctx.store, ctx.scope.owner, build_log.images, build_log.final)
    if cut:
        await remove_step_containers(ctx, build_log.containers)


async def build(ctx: Context, req: BuildRequest) -> Outcome:
    if ctx.files is None or ctx.user_id is None or ctx.store is None:
        raise BuildUnavailable("sandbox.build.unavailable.files")
    tags = _engine_tags(ctx, req)
    workspace = dict(await ctx.files.snapshot(ctx.user_id))
    inputs = await asyncio.to_thread(read_build, workspace, req, ctx.settings)
    ours = sandbox_labels(ctx, inputs)
    appended = req.target is None  # the last stage is the image: one LABEL line at its end
    tar, refs = await _render(ctx, inputs, label_line(ours) if appended else "")
    await _check_count(ctx, tags)
    network = await proxy_network(ctx) if ctx.settings.build_proxy else "none"
    params = _params(ctx, req, inputs.dockerfile_name, {} if appended else ours, tags, network)
    build_log = BuildLog(
        hidden_steps=1 if appended else len(ours),
        refs=refs,
        quiet=req.quiet,
        scrub=lambda t: hide_internal(ctx, t),
    )
    notes = [ctx.note("build.note.pull")] if req.pull else []
    try:
        stopped = await _stream(ctx, tar, params, build_log)
    except asyncio.CancelledError:  # shutdown, or the student's request went away
        await asyncio.shield(_after(ctx, build_log, cut=True))
        raise
    await _after(ctx, build_log, cut=False)
    if stopped.reason is not None or build_log.error is not None:
        await remove_step_containers(ctx, build_log.containers)
    if stopped.reason is not None:
        key = {"timeout": "build.note.timeout", "disk": "build.note.disk"}.get(
            stopped.reason, "build.note.output"
        )
        notes.append(
            ctx.note(
                key,
                seconds=ctx.settings.build_timeout_s,
                mb=ctx.settings.build_disk_mb,
                kb=ctx.settings.build_output_kb,
            )
        )
        return Outcome(
            output=build_log.output, exit_code=1, notes=notes, timed_out=stopped.reason == "timeout"
        )
    if build_log.error is not None or build_log.final is None:
        return Outcome(output=build_log.output, exit_code=1, notes=notes)
    problem = await over_quota(ctx, build_log.final, tags)
    if problem is not None:
        await _drop(ctx, build_log.final, tags)
        return Outcome(output=build_log.output + problem + "\n", exit_code=1, notes=notes)
    output = build_log.final if req.quiet else build_log.output
    return Outcome(output=output, notes=notes)
