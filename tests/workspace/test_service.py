"""The workspace service on a real SQLite file: every bound, all-or-nothing writes, restarts,
``/reset fichiers``, the TTL purge and the backup."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from moussaillon.ops.backup import backup
from moussaillon.workspace import FileMissing, WorkspaceError
from tests.workspace.conftest import opened

ALICE, BOB = 101, 102
KIB = 1024


async def test_write_list_read_and_the_other_student_sees_nothing(workspace):
    written = await workspace.write(ALICE, "./app//index.php", b"<?php echo 1;\n")
    assert (written.path, written.size) == ("app/index.php", 14)
    await workspace.write(ALICE, "Dockerfile", b"FROM alpine\n")
    assert [f.path for f in await workspace.list(ALICE)] == ["Dockerfile", "app/index.php"]
    assert await workspace.read(ALICE, "app/index.php") == b"<?php echo 1;\n"
    assert await workspace.list(BOB) == []
    with pytest.raises(FileMissing) as caught:
        await workspace.read(BOB, "Dockerfile")
    assert caught.value.status == 404


async def test_a_rewrite_replaces_the_file_and_counts_once(workspace):
    await workspace.write(ALICE, "Dockerfile", b"FROM alpine\n")
    await workspace.write(ALICE, "Dockerfile", b"FROM busybox\n")
    assert await workspace.snapshot(ALICE) == {"Dockerfile": b"FROM busybox\n"}


async def test_a_1_mb_file_is_refused_and_nothing_is_stored(workspace):
    with pytest.raises(WorkspaceError) as caught:
        await workspace.write(ALICE, "big.bin", b"\0" * (1024 * 1024))
    assert caught.value.key == "workspace.file_too_big"
    assert "64" in caught.value.message("fr")
    assert await workspace.list(ALICE) == []
    await workspace.write(ALICE, "ok.bin", b"\0" * (64 * KIB))  # exactly the limit fits


async def test_the_65th_file_is_refused(workspace):
    for i in range(64):
        await workspace.write(ALICE, f"f{i:02}.txt", b"x")
    with pytest.raises(WorkspaceError) as caught:
        await workspace.write(ALICE, "f64.txt", b"x")
    assert caught.value.key == "workspace.too_many_files"
    assert len(await workspace.list(ALICE)) == 64
    await workspace.write(ALICE, "f00.txt", b"rewritten")  # a rewrite adds no file


async def test_the_total_is_bounded(workspace):
    for i in range(4):
        await workspace.write(ALICE, f"part{i}", b"x" * (64 * KIB))
    with pytest.raises(WorkspaceError) as caught:
        await workspace.write(ALICE, "one-more", b"x")
    assert caught.value.key == "workspace.total_too_big"


async def test_two_writes_at_once_cannot_both_pass_the_bound(tmp_path):
    with opened(tmp_path, workspace_max_total_kb=100) as workspace:
        results = await asyncio.gather(
            workspace.write(ALICE, "a", b"x" * (60 * KIB)),
            workspace.write(ALICE, "b", b"y" * (60 * KIB)),
            return_exceptions=True,
        )
        assert sorted(type(r).__name__ for r in results) == ["WorkspaceError", "WorkspaceFile"]
        assert len(await workspace.list(ALICE)) == 1


async def test_a_file_cannot_sit_where_a_folder_is(workspace):
    await workspace.write(ALICE, "app/index.php", b"x")
    with pytest.raises(WorkspaceError) as caught:
        await workspace.write(ALICE, "app", b"x")
    assert caught.value.key == "workspace.path_conflict"
    with pytest.raises(WorkspaceError):
        await workspace.write(ALICE, "app/index.php/x", b"x")


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "a/b/c/d/e", "-f", "a\x07b"])
async def test_bad_paths_are_refused_everywhere(workspace, path):
    for call in (
        workspace.write(ALICE, path, b"x"),
        workspace.read(ALICE, path),
        workspace.delete(ALICE, path),
        workspace.seed(ALICE, {path: b"x"}),
    ):
        with pytest.raises(WorkspaceError):
            await call
    assert await workspace.list(ALICE) == []


async def test_delete_a_file_or_a_whole_folder(workspace):
    for path in ("app/index.php", "app/css/site.css", "apple.txt", "Dockerfile"):
        await workspace.write(ALICE, path, b"x")
    await workspace.delete(ALICE, "Dockerfile")
    await workspace.delete(ALICE, "app/")
    assert [f.path for f in await workspace.list(ALICE)] == ["apple.txt"]
    with pytest.raises(FileMissing):
        await workspace.delete(ALICE, "app")


async def test_seed_keeps_the_students_files_unless_told_to_replace(workspace):
    await workspace.write(ALICE, "prime.c", b"/* mine */\n")
    starter = {"prime.c": b"/* starter */\n", "Dockerfile": b"FROM gcc\n"}
    assert await workspace.seed(ALICE, starter) == ["Dockerfile"]
    assert await workspace.read(ALICE, "prime.c") == b"/* mine */\n"
    assert await workspace.seed(ALICE, starter) == []
    assert sorted(await workspace.seed(ALICE, starter, replace=True)) == ["Dockerfile", "prime.c"]
    assert await workspace.read(ALICE, "prime.c") == b"/* starter */\n"


async def test_reset_removes_every_file_of_that_student_only(workspace):
    await workspace.write(ALICE, "a", b"1")
    await workspace.write(ALICE, "b/c", b"2")
    await workspace.write(BOB, "a", b"3")
    assert await workspace.reset(ALICE) == 2
    assert await workspace.list(ALICE) == []
    assert await workspace.read(BOB, "a") == b"3"
    assert await workspace.reset(ALICE) == 0


async def test_files_survive_a_restart_and_are_in_the_backup(tmp_path):
    with opened(tmp_path) as workspace:
        await workspace.write(ALICE, "Dockerfile", b"FROM alpine\n")
        await workspace.write(ALICE, "bin/tool", bytes(range(256)))
    with opened(tmp_path) as again:
        assert await again.snapshot(ALICE) == {
            "Dockerfile": b"FROM alpine\n",
            "bin/tool": bytes(range(256)),
        }
    copy = tmp_path / "backup.db"
    backup(tmp_path / "moussaillon.db", copy)
    with sqlite3.connect(copy) as db:
        rows = db.execute("SELECT path, data FROM workspace_files WHERE user_id = ?", [ALICE])
        assert dict(rows.fetchall())["Dockerfile"] == b"FROM alpine\n"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_the_ttl_purge_removes_only_workspaces_unused_for_that_long(tmp_path):
    clock = Clock()
    with opened(tmp_path, clock=clock, workspace_ttl_days=90) as workspace:
        await workspace.write(ALICE, "Dockerfile", b"FROM alpine\n")
        await workspace.write(BOB, "Dockerfile", b"FROM alpine\n")
        await workspace.write(BOB, "app.js", b"1")
        clock.now += timedelta(days=60)
        await workspace.snapshot(ALICE)  # a build uses Alice's files: her clock restarts
        clock.now += timedelta(days=31)
        assert await workspace.purge_expired() == 2
        assert await workspace.list(BOB) == []
        assert [f.path for f in await workspace.list(ALICE)] == ["Dockerfile"]
        clock.now += timedelta(days=91)
        assert await workspace.purge_expired() == 1


async def test_the_purge_runs_in_the_background_once_started(tmp_path):
    clock = Clock()
    with opened(tmp_path, clock=clock) as workspace:
        await workspace.write(ALICE, "old", b"x")
        clock.now += timedelta(days=365)
        await workspace.start(interval_s=0.01)
        try:
            for _ in range(500):
                if not await workspace.list(ALICE):
                    break
                await asyncio.sleep(0.01)
            assert await workspace.list(ALICE) == []
        finally:
            await workspace.close()
