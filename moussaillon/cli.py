"""The ``moussaillon`` command: serve, check content, drive the sandbox, manage API tokens."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from moussaillon.config import load_settings


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    from moussaillon.app import serve
    from moussaillon.ops.logging import configure_logging

    configure_logging(settings)
    asyncio.run(serve(settings))
    return 0


def _course_check(args: argparse.Namespace) -> int:
    from moussaillon.labs.check import main

    return main(Path(args.path) if args.path else load_settings().course_path)


def _quiz_check(args: argparse.Namespace) -> int:
    from moussaillon.quiz.check import main

    settings = load_settings()
    return main(Path(args.path) if args.path else settings.quiz_path, settings.course_path)


def _sandbox(args: argparse.Namespace) -> int:
    from moussaillon.areas import migrations
    from moussaillon.core.store import Store
    from moussaillon.sandbox import cli
    from moussaillon.workspace import WorkspaceService

    settings = load_settings()
    store = Store(settings.db_path, migrations())
    try:
        files = WorkspaceService(settings, store)  # builds read the student's workspace
        return asyncio.run(cli.main(args, settings, store, files=files))
    finally:
        store.close()


def _db(args: argparse.Namespace) -> int:
    from moussaillon.ops.backup import BackupError, backup, restore

    db_path = load_settings().db_path
    try:
        if args.action == "backup":
            report = backup(db_path, Path(args.path))
            print(f"backed up {db_path} to {report.path} ({report.bytes} bytes)")
        else:
            report = restore(Path(args.path), db_path)
            print(f"restored {db_path} from {args.path} ({report.tables} tables)")
    except BackupError as exc:
        print(f"moussaillon db {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0


def _token(args: argparse.Namespace) -> int:
    from moussaillon.areas import migrations
    from moussaillon.core.store import Store
    from moussaillon.core.tokens import TokenService

    settings = load_settings()
    store = Store(settings.db_path, migrations())
    tokens = TokenService(store, instructors=frozenset(settings.instructors))
    try:
        if args.action == "create":
            print(
                asyncio.run(
                    tokens.create(args.user, label=args.label or "cli", instructor=args.instructor)
                )
            )
        elif args.action == "list":
            for row in asyncio.run(tokens.list(args.user)):
                state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
                role = "instructor" if row["instructor"] else "student"
                print(
                    f"{row['id']}\tuser {row['user_id']}\t{role}\t{row['label']}\t"
                    f"{row['created_at']}\t{state}"
                )
        elif args.action == "revoke":
            if not asyncio.run(tokens.revoke(args.id)):
                print(f"no active token {args.id}", file=sys.stderr)
                return 1
            print(f"token {args.id} revoked")
    finally:
        store.close()
    return 0


def _terminal_ca(args: argparse.Namespace) -> int:
    """Make the terminal's CA and server certificate now (``serve`` makes them at first start)."""
    from moussaillon.terminal.ca import Authority

    settings = load_settings()
    authority = Authority(settings.terminal_dir, [settings.terminal_host, "127.0.0.1"])
    print(authority.ca_path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="moussaillon", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("serve", help="run the Telegram bot and the REST API").set_defaults(func=_serve)

    course = sub.add_parser("course", help="course content").add_subparsers(
        dest="action", required=True
    )
    check = course.add_parser("check", help="validate a deck or the bundled course")
    check.add_argument("path", nargs="?")
    check.set_defaults(func=_course_check)

    quiz = sub.add_parser("quiz", help="quiz bank").add_subparsers(dest="action", required=True)
    qcheck = quiz.add_parser("check", help="validate a quiz bank (default: the bundled one)")
    qcheck.add_argument("path", nargs="?")
    qcheck.set_defaults(func=_quiz_check)

    terminal = sub.add_parser("terminal", help="the students' own docker terminal")
    tsub = terminal.add_subparsers(dest="action", required=True)
    tsub.add_parser(
        "ca", help="make its CA and server certificate under the data directory (kept if there)"
    ).set_defaults(func=_terminal_ca)

    sandbox = sub.add_parser("sandbox", help="the students' Docker sandbox")
    ssub = sandbox.add_subparsers(dest="action", required=True)
    run = ssub.add_parser("run", help="run a command as a student would")
    run.add_argument("--user", type=int, required=True)
    run.add_argument("--lang", default=None)
    run.add_argument("words", nargs=argparse.REMAINDER, help="-- docker …")
    prepare = ssub.add_parser("prepare", help="make the allowlisted images available")
    prepare.add_argument(
        "--offline",
        action="store_true",
        help="build stand-ins instead of pulling: busybox-static ones, and Debian-based ones"
        " made by debootstrap from Debian's packages",
    )
    prepare.add_argument("--force", action="store_true")
    prepare.add_argument(
        "--cache-dir",
        help="with --offline: keep the Debian-based images as a docker save tarball there"
        " and load it when the engine lacks them",
    )
    prepare.add_argument(
        "--mirror",
        help="with --offline: the Debian mirror (default: $DEBIAN_MIRROR, else deb.debian.org)",
    )
    status = ssub.add_parser("status", help="what the sandbox holds")
    status.add_argument("--user", type=int)
    ssub.add_parser("reap", help="remove idle students' objects and orphans now")
    sandbox.set_defaults(func=_sandbox)

    db = sub.add_parser("db", help="the SQLite database").add_subparsers(
        dest="action", required=True
    )
    db_backup = db.add_parser("backup", help="consistent copy, safe while the app runs")
    db_backup.add_argument("path")
    db_restore = db.add_parser("restore", help="replace the database (stop the app first)")
    db_restore.add_argument("path")
    for p in (db_backup, db_restore):
        p.set_defaults(func=_db)

    token = sub.add_parser("token", help="REST API tokens").add_subparsers(
        dest="action", required=True
    )
    create = token.add_parser("create")
    create.add_argument("--user", type=int, required=True)
    create.add_argument("--instructor", action="store_true")
    create.add_argument("--label")
    listing = token.add_parser("list")
    listing.add_argument("--user", type=int)
    revoke = token.add_parser("revoke")
    revoke.add_argument("id", type=int)
    for p in (create, listing, revoke):
        p.set_defaults(func=_token)
    return parser


def main(argv: list[str] | None = None) -> None:
    from moussaillon.areas import register_messages

    register_messages()
    args = build_parser().parse_args(argv)
    raise SystemExit(args.func(args))
