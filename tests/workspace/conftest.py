"""A workspace service on a temp SQLite file, as the app builds it, and the archives tests send."""

from __future__ import annotations

import contextlib
import io
import tarfile
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from moussaillon import areas
from moussaillon.core.clock import Clock, utcnow
from moussaillon.core.store import Store
from moussaillon.workspace import WorkspaceService
from tests.conftest import make_settings


@contextlib.contextmanager
def opened(
    tmp_path: Path, *, clock: Clock = utcnow, **overrides: object
) -> Iterator[WorkspaceService]:
    """The service on ``tmp_path``'s database; opened again, it finds what was written."""
    settings = make_settings(tmp_path, **overrides)
    store = Store(settings.db_path, areas.migrations())
    try:
        yield WorkspaceService(settings, store, clock=clock)
    finally:
        store.close()


@pytest.fixture
async def workspace(tmp_path: Path) -> AsyncIterator[WorkspaceService]:
    with opened(tmp_path) as service:
        yield service


def zip_of(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_of(members: list[tuple[tarfile.TarInfo, bytes | None]], mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def member(name: str, kind: bytes = tarfile.REGTYPE, **fields: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in fields.items():
        setattr(info, key, value)
    return info
