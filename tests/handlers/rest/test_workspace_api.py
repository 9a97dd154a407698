"""The workspace over REST on the real app: raw bytes in and out, the same bounds and
refusals as in Telegram, one student's files never another's."""

from __future__ import annotations

import tarfile

import pytest

from tests.workspace.conftest import member, tar_of, zip_of

FILES = "/api/v1/workspace/files"


@pytest.fixture
async def student(api, services):
    api.headers["Authorization"] = f"Bearer {await services.tokens.create(4242)}"
    return api


async def test_put_get_list_delete(student, services):
    put = await student.put(f"{FILES}/app/index.php", content=b"<?php echo 1;\n")
    assert put.status_code == 200
    assert put.json()["path"] == "app/index.php" and put.json()["size"] == 14
    binary = bytes(range(256))
    assert (await student.put(f"{FILES}/bin/blob", content=binary)).status_code == 200

    got = await student.get(f"{FILES}/app/index.php")
    assert got.content == b"<?php echo 1;\n"
    assert got.headers["content-type"].startswith("text/plain")
    blob = await student.get(f"{FILES}/bin/blob")
    assert blob.content == binary
    assert blob.headers["content-type"] == "application/octet-stream"

    tree = (await student.get("/api/v1/workspace")).json()
    assert [f["path"] for f in tree["files"]] == ["app/index.php", "bin/blob"]
    assert tree["count"] == 2 and tree["total_bytes"] == 14 + 256
    assert tree["limits"] == {
        "max_files": 64,
        "max_total_bytes": 256 * 1024,
        "max_file_bytes": 64 * 1024,
        "max_depth": 4,
    }

    assert (await student.delete(f"{FILES}/app")).status_code == 204
    missing = await student.get(f"{FILES}/app/index.php")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "workspace.missing"
    assert await services.workspace.list(999) == []


async def test_bounds_and_paths_are_refused_with_the_message(student):
    big = await student.put(f"{FILES}/big.bin", content=bytes(65 * 1024))
    assert big.status_code == 422
    assert big.json()["error"]["code"] == "workspace.file_too_big"
    english = await student.put(
        f"{FILES}/%2e%2e/etc/passwd", content=b"x", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 422
    assert "climbs out" in english.json()["error"]["message"]
    deep = await student.put(f"{FILES}/a/b/c/d/e", content=b"x")
    assert deep.json()["error"]["code"] == "workspace.path_deep"


async def test_a_streamed_body_stops_at_the_file_bound(student):
    sent = 0

    async def chunks():
        nonlocal sent
        for _ in range(64):  # 4 MiB offered, 64 KiB at a time
            sent += 1
            yield bytes(64 * 1024)

    refused = await student.put(f"{FILES}/stream.bin", content=chunks())
    assert refused.status_code in (413, 422)
    assert (await student.get("/api/v1/workspace")).json()["count"] == 0


async def test_an_archive_is_unpacked_all_or_nothing(student):
    data = zip_of({"Dockerfile": b"FROM alpine\n", "src/app.js": b"console.log(1)\n"})
    posted = await student.post(
        "/api/v1/workspace/archive", params={"name": "p.zip", "into": "node"}, content=data
    )
    assert posted.status_code == 201
    assert [f["path"] for f in posted.json()["files"]] == ["node/Dockerfile", "node/src/app.js"]

    link = tar_of([(member("x", tarfile.SYMTYPE, linkname="/etc/shadow"), None)])
    refused = await student.post(
        "/api/v1/workspace/archive", params={"name": "x.tgz"}, content=link
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "workspace.archive_symlink"
    assert (await student.get("/api/v1/workspace")).json()["count"] == 2


async def test_without_a_token_nothing_is_answered(api):
    assert (await api.get("/api/v1/workspace")).status_code == 401
    assert (await api.put(f"{FILES}/x", content=b"x")).status_code == 401


async def test_the_schema_documents_the_routes(api):
    paths = (await api.get("/openapi.json")).json()["paths"]
    assert {"get", "put", "delete"} <= set(paths["/api/v1/workspace/files/{path}"])
    assert "post" in paths["/api/v1/workspace/archive"]
