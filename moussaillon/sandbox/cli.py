"""``moussaillon sandbox …``: the same service the bot uses, from a terminal."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections import Counter
from pathlib import Path

import aiodocker

from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import labels, sessions
from moussaillon.sandbox.build.errors import ContextError, DockerfileError, DockerfileSyntaxError
from moussaillon.sandbox.build.source import FileSource
from moussaillon.sandbox.debian_images import IMAGES
from moussaillon.sandbox.debian_prepare import DebianPrepareError, prepare_debian, with_tag
from moussaillon.sandbox.engine import Engine, create_docker
from moussaillon.sandbox.errors import (
    BuildUnavailable,
    CommandSyntaxError,
    EngineUnavailable,
    QuotaExceeded,
    RateLimited,
    SandboxRefused,
)
from moussaillon.sandbox.prepare import ensure_images, prepare_offline
from moussaillon.sandbox.progress_board import ProgressBoard
from moussaillon.sandbox.reaper import list_stock
from moussaillon.sandbox.service import SandboxService

# ``sandbox run`` exits with the command's own code, or one of these, which no usual container
# command returns (sysexits.h; 124 is what ``timeout`` returns; 125 is docker's own).
EXIT_TIMED_OUT = 124
EX_UNAVAILABLE = 69
EX_SOFTWARE = 70
EX_TEMPFAIL = 75
EX_NOPERM = 77
EXIT_SYNTAX = 125
REFUSAL_EXIT = {
    CommandSyntaxError.__name__: EXIT_SYNTAX,
    DockerfileSyntaxError.__name__: EXIT_SYNTAX,
    SandboxRefused.__name__: EX_NOPERM,
    DockerfileError.__name__: EX_NOPERM,
    ContextError.__name__: EX_NOPERM,
    QuotaExceeded.__name__: EX_NOPERM,
    RateLimited.__name__: EX_TEMPFAIL,
    EngineUnavailable.__name__: EX_UNAVAILABLE,
    BuildUnavailable.__name__: EX_UNAVAILABLE,
}


async def main(
    args: argparse.Namespace, settings: Settings, store: Store, *, files: FileSource | None = None
) -> int:
    """``store`` comes migrated, and ``files`` (the students' workspaces, a build's context) built,
    by the command line's composition root (``moussaillon.cli``)."""
    docker = create_docker(settings)
    try:
        service = SandboxService(settings, store, docker, files=files)
        if args.action == "run":
            return await _run(service, args)
        if args.action == "prepare":
            return await _prepare(service.engine, settings, args)
        if args.action == "status":
            return await _status(service, args.user)
        if args.action == "reap":
            idle = await service.reaper.reap_idle()
            orphans = await service.reaper.reap_orphans()
            idle.merge(orphans)
            print(
                f"removed {len(idle.containers)} containers, {len(idle.networks)} networks, "
                f"{len(idle.volumes)} volumes of {len(idle.owners)} students"
            )
            for error in idle.errors:
                print(f"error: {error}", file=sys.stderr)
            return 1 if idle.errors else 0
        return 2
    finally:
        await docker.close()


async def _run(service: SandboxService, args: argparse.Namespace) -> int:
    words = [w for w in args.words if w != "--"] if args.words[:1] == ["--"] else args.words
    line = " ".join(_quote(w) for w in words)
    result = await service.run_command(
        args.user, line, args.lang or service.settings.default_language
    )
    if result.refused:
        print(result.reason, file=sys.stderr)
        return REFUSAL_EXIT.get(result.error_type or "", EX_SOFTWARE)
    if result.output:
        print(result.output, end="" if result.output.endswith("\n") else "\n")
    for note in result.notes:
        print(note, file=sys.stderr)
    if result.verdict == "timed_out":
        return EXIT_TIMED_OUT
    return result.exit_code or 0


def _quote(word: str) -> str:
    return shlex.quote(word)


async def _prepare(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    images = settings.sandbox_images
    if args.offline:
        debian_names = {with_tag(tag) for image in IMAGES.values() for tag in image.tags}
        debian = {k: v for k, v in images.items() if with_tag(k) in debian_names}
        board = ProgressBoard()
        others = {k: v for k, v in images.items() if k not in debian}
        await prepare_offline(engine, others, progress=board.message, force=args.force)
        if debian:
            try:
                await prepare_debian(
                    engine,
                    debian,
                    mirror=args.mirror,
                    cache_dir=Path(args.cache_dir) if args.cache_dir else None,
                    progress=board,
                    force=args.force,
                )
            except DebianPrepareError as error:
                print(f"debian images: {error}", file=sys.stderr)
    else:
        for name, ref in images.items():
            print(f"{ref}: pulling", flush=True)
            try:
                repo, _, tag = ref.rpartition(":")
                async for event in engine.client.images.pull(repo, tag=tag, stream=True):
                    if "progress" in event:
                        print(
                            f"\r{ref}: {event.get('status', '')} {event['progress']}",
                            end="",
                            flush=True,
                        )
                print(f"\r{ref}: ready" + " " * 40)
            except aiodocker.DockerError as error:
                print(f"\r{ref}: {error.message} (for {name})", file=sys.stderr)
    missing = await ensure_images(engine, images)
    for ref in missing:
        print(f"missing: {ref}", file=sys.stderr)
    return 1 if missing else 0


async def _status(service: SandboxService, user: int | None) -> int:
    """This database's students only: an engine shared by several deployments (or test runs)
    also holds their objects, which are counted apart and never listed by owner."""

    def many(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    if user is not None:
        status = await service.status(user)
        print(status.model_dump_json(indent=2))
        return 0
    ttl = service.settings.sandbox_idle_ttl_min
    students = await sessions.live_owners(service.store, ttl) | await sessions.idle_owners(
        service.store, ttl
    )
    ours = {labels.owner_key(user_id) for user_id in students}
    everything = await list_stock(service.engine)
    stock = everything.only(lambda owner: owner in ours)
    per_owner = Counter(
        (item.get("Labels") or {}).get(labels.OWNER, "?")
        for item in (*stock.containers, *stock.networks, *stock.volumes)
    )
    print(
        f"{many(len(stock.containers), 'container')}, {many(len(stock.networks), 'network')}, "
        f"{many(len(stock.volumes), 'volume')} of {many(len(per_owner), 'student')}"
    )
    for owner, count in per_owner.most_common():
        print(f"  {owner}: {many(count, 'object')}")
    others = sum(map(len, (everything.containers, everything.networks, everything.volumes)))
    others -= sum(per_owner.values())
    if others:
        print(f"not this database's (another deployment, or orphans): {many(others, 'object')}")
    missing = await ensure_images(service.engine, service.settings.sandbox_images)
    print("images: all present" if not missing else f"images missing: {', '.join(missing)}")
    return 0
