"""Looking at running containers: ``stats``, ``top`` and ``port`` (the recorded mappings)."""

from __future__ import annotations

import asyncio
from typing import Any

from moussaillon.sandbox.executor.common import Context, Outcome, call, render_format
from moussaillon.sandbox.executor.containers import recorded_ports, student_name
from moussaillon.sandbox.executor.run import reach
from moussaillon.sandbox.output import DaemonError, bytes_size, human_size, short_id, table
from moussaillon.sandbox.requests import PortRequest, StatsRequest, TopRequest

STATS_HEADERS = {
    "Container": "CONTAINER",
    "ID": "CONTAINER ID",
    "Name": "NAME",
    "CPUPerc": "CPU %",
    "MemUsage": "MEM USAGE / LIMIT",
    "MemPerc": "MEM %",
    "NetIO": "NET I/O",
    "BlockIO": "BLOCK I/O",
    "PIDs": "PIDS",
}
_STATS_COLUMNS = ("ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs")


async def _stats_row(ctx: Context, c: dict[str, Any], no_trunc: bool) -> dict[str, str]:
    async with asyncio.timeout(10):
        s = await ctx.engine.get(f"containers/{c['Id']}/stats", params={"stream": "0"})
    cpu, pre = s.get("cpu_stats") or {}, s.get("precpu_stats") or {}
    delta = cpu.get("cpu_usage", {}).get("total_usage", 0) - pre.get("cpu_usage", {}).get(
        "total_usage", 0
    )
    system = cpu.get("system_cpu_usage", 0) - pre.get("system_cpu_usage", 0)
    online = cpu.get("online_cpus") or 1
    cpu_pct = delta / system * online * 100 if system > 0 and delta > 0 else 0.0
    mem = s.get("memory_stats") or {}
    usage = mem.get("usage", 0) - (mem.get("stats") or {}).get("total_inactive_file", 0)
    limit = mem.get("limit") or 1
    rx = sum(n.get("rx_bytes", 0) for n in (s.get("networks") or {}).values())
    tx = sum(n.get("tx_bytes", 0) for n in (s.get("networks") or {}).values())
    blk = (s.get("blkio_stats") or {}).get("io_service_bytes_recursive") or []
    read = sum(b.get("value", 0) for b in blk if b.get("op", "").lower() == "read")
    write = sum(b.get("value", 0) for b in blk if b.get("op", "").lower() == "write")
    shown_id = c["Id"] if no_trunc else short_id(c["Id"])
    return {
        "Container": shown_id,
        "ID": shown_id,
        "Name": student_name(ctx, c),
        "CPUPerc": f"{cpu_pct:.2f}%",
        "MemUsage": f"{bytes_size(max(usage, 0))} / {bytes_size(limit)}",
        "MemPerc": f"{max(usage, 0) / limit * 100:.2f}%",
        "NetIO": f"{_dec(rx)} / {_dec(tx)}",
        "BlockIO": f"{_dec(read)} / {_dec(write)}",
        "PIDs": str((s.get("pids_stats") or {}).get("current", 0)),
    }


def _dec(size: int) -> str:

    return human_size(size, 3)


async def stats(ctx: Context, req: StatsRequest) -> Outcome:
    if req.containers:
        found = [await ctx.scope.container(ctx.engine, ref) for ref in req.containers]
    else:
        found = await ctx.scope.containers(ctx.engine, all=req.all)
    rows = list(await asyncio.gather(*(_stats_row(ctx, c, req.no_trunc) for c in found)))
    if req.format:
        outcome = Outcome(output=await render_format(ctx, req.format, rows, STATS_HEADERS))
    else:
        headers = [STATS_HEADERS[column] for column in _STATS_COLUMNS]
        outcome = Outcome(output=table(headers, [[r[c] for c in _STATS_COLUMNS] for r in rows]))
    if not req.no_stream:
        outcome.notes.append(ctx.note("note.no_stream"))
    return outcome


async def top(ctx: Context, req: TopRequest) -> Outcome:
    target = await ctx.scope.container(ctx.engine, req.container)
    params = {"ps_args": " ".join(req.ps_args)} if req.ps_args else None
    found = await call(ctx, f"containers/{target['Id']}/top", params=params)
    rows = [[str(cell) for cell in row] for row in found.get("Processes") or []]
    return Outcome(output=table(found.get("Titles") or [], rows, min_width=20))


async def port(ctx: Context, req: PortRequest) -> Outcome:
    """Docker's two shapes: ``80/tcp -> 0.0.0.0:8080`` per mapping, sorted, or for one asked
    port just ``0.0.0.0:8080``; ``-p 80`` got its ephemeral port when the container was made."""
    target = await ctx.scope.container(ctx.engine, req.container)
    mappings = [p for p in recorded_ports(target.get("Labels")) if p.host_port is not None]
    mappings.sort(key=lambda p: (f"{p.container_port}/{p.protocol}", p.host_port or 0))
    if req.port is not None:
        mappings = [
            p
            for p in mappings
            if p.container_port == req.port and p.protocol == (req.protocol or "tcp")
        ]
        if not mappings:
            asked = f"{req.port}/{req.protocol}" if req.protocol else str(req.port)
            raise DaemonError(f"Error: No public port '{asked}' published for {req.container}")
        out = [f"{p.host_ip or '0.0.0.0'}:{p.host_port}" for p in mappings]
    else:
        out = [
            f"{p.container_port}/{p.protocol} -> {p.host_ip or '0.0.0.0'}:{p.host_port}"
            for p in mappings
        ]
    outcome = Outcome(output="\n".join(out))
    if mappings:
        name = student_name(ctx, target)
        networks = (target.get("NetworkSettings") or {}).get("Networks") or {}
        net, host, by_ip = reach(ctx, name, networks)
        port = mappings[0].container_port
        outcome.notes.append(ctx.note("note.port_cmd", net=net, name=host, port=port))
        if by_ip:
            outcome.notes.append(ctx.note("note.by_ip", name=name))
    return outcome
