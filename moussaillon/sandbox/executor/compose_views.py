"""``docker compose`` commands that only read a project's objects: ``ps``, ``logs``, ``config``,
``images``, ``top``, ``version``. They change nothing, so they live apart from the lifecycle
(``compose.py``) and share its finding of objects (``compose_plan``)."""

from __future__ import annotations

import time

from moussaillon.sandbox.compose import render_config
from moussaillon.sandbox.executor import containers, monitor, run
from moussaillon.sandbox.executor.common import Context, Outcome, call, read_logs, text_of
from moussaillon.sandbox.executor.compose_plan import (
    SERVICE,
    by_service,
    checked,
    find,
    load,
    project_name,
    student_object,
    warnings_text,
)
from moussaillon.sandbox.output import DaemonError, ago, human_size, quoted_command, short_id, table
from moussaillon.sandbox.requests import ComposeRequest, TopRequest
from moussaillon.sandbox.scope import IMAGE


async def ps(ctx: Context, req: ComposeRequest) -> Outcome:
    _, name = await project_name(ctx, req)
    found = await find(ctx, name)
    chosen = [c for _, c in by_service(found, req.services)] + found.oneoff
    if not req.all:
        chosen = [c for c in chosen if c.get("State") == "running"]
    rows = []
    for c in sorted(chosen, key=lambda c: student_object(ctx, c)):
        labels = c.get("Labels") or {}
        ports = ", ".join(run.port_text(p) for p in containers.recorded_ports(labels))
        rows.append(
            [
                student_object(ctx, c),
                labels.get(IMAGE) or c.get("Image", ""),
                quoted_command(c.get("Command", "")),
                labels.get(SERVICE, ""),
                ago(c.get("Created", time.time())),
                c.get("Status", ""),
                ports,
            ]
        )
    headers = ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    return Outcome(output=table(headers, rows))


async def logs(ctx: Context, req: ComposeRequest) -> Outcome:
    _, name = await project_name(ctx, req)
    found = await find(ctx, name)
    pairs = by_service(found, req.services)
    labels = [student_object(ctx, c).removeprefix(f"{name}-") for _, c in pairs]
    width = max((len(label) for label in labels), default=0)
    out: list[str] = []
    truncated = False
    for label, (_, c) in zip(labels, pairs, strict=True):
        params = {"tail": str(req.tail)} if req.tail is not None else {}
        data, cut = await read_logs(ctx, c["Id"], **params)
        truncated = truncated or cut
        out += [f"{label.ljust(width)}  | {line}" for line in text_of(data).splitlines()]
    outcome = Outcome(output="\n".join(out), truncated=truncated)
    if req.follow:
        outcome.notes.append(ctx.note("note.follow"))
    return outcome


async def config(ctx: Context, req: ComposeRequest) -> Outcome:
    project = await load(ctx, req)
    return Outcome(output=warnings_text(project) + render_config(project))


async def images(ctx: Context, req: ComposeRequest) -> Outcome:
    _, name = await project_name(ctx, req)
    found = await find(ctx, name)
    rows = []
    for _, c in by_service(found, req.services):
        typed = (c.get("Labels") or {}).get(IMAGE) or c.get("Image", "")
        repository, _, tag = (
            typed.rpartition(":") if ":" in typed.rsplit("/", 1)[-1] else (typed, "", "latest")
        )
        try:
            image = await call(ctx, f"images/{c['ImageID']}/json")
            size = human_size(image.get("Size", 0))
        except DaemonError:
            size = ""
        rows.append([student_object(ctx, c), repository, tag, short_id(c.get("ImageID", "")), size])
    return Outcome(output=table(["CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"], rows))


async def top(ctx: Context, req: ComposeRequest) -> Outcome:
    _, name = await project_name(ctx, req)
    found = await find(ctx, name)
    blocks = []
    for _, c in by_service(found, req.services):
        if c.get("State") != "running":
            continue
        shown = student_object(ctx, c)
        outcome = await monitor.top(ctx, await checked(ctx, TopRequest(container=shown)))
        blocks.append(f"{shown}\n{outcome.output}\n")
    return Outcome(output="\n".join(blocks).rstrip("\n"))


COMPOSE_VERSION = "2.29.7"  # the Compose v2 whose output the sandbox follows


async def version(ctx: Context, req: ComposeRequest) -> Outcome:
    """Needs no project: students check the tool is there before they write a file."""
    return Outcome(
        output=COMPOSE_VERSION if req.short else f"Docker Compose version v{COMPOSE_VERSION}"
    )
