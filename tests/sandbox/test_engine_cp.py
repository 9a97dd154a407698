"""``docker cp`` on the real engine: both directions, the workspace's bounds, docker's errors."""

from __future__ import annotations

import pytest

from tests.sandbox.transfer_support import Bench, bench_fixture

pytestmark = pytest.mark.usefixtures("standin_images")
__all__ = ["bench_fixture"]

DATA = "docker run -d --name box -v data:/data alpine sh -c"


async def _files(bench: Bench, user_id: int) -> dict[str, bytes]:
    return dict(await bench.workspace.snapshot(user_id))


async def test_a_file_and_a_folder_come_out_into_the_workspace(
    bench: Bench, clean_user_id: int
) -> None:
    user = clean_user_id
    await bench.ok(user, "docker run -d --name web nginx")
    shown = await bench.ok(user, "docker exec web cat /etc/nginx/nginx.conf")

    result = await bench.ok(user, "docker cp web:/etc/nginx/nginx.conf .")
    assert result.output.startswith("Successfully copied ") and result.output.endswith(" to .")
    assert (await bench.workspace.read(user, "nginx.conf")).decode() == shown.output

    await bench.ok(user, "docker cp web:/etc/nginx conf")  # a new name: the folder's contents
    files = await _files(bench, user)
    assert {"conf/nginx.conf", "conf/conf.d/default.conf"} <= set(files)

    await bench.ok(user, "docker cp web:/etc/nginx conf")  # an existing folder: inside it
    assert "conf/nginx/conf.d/default.conf" in await _files(bench, user)

    await bench.ok(user, "docker cp web:/etc/hostname conf/")
    assert "conf/hostname" in await _files(bench, user)


async def test_a_file_and_a_folder_go_into_a_container(bench: Bench, clean_user_id: int) -> None:
    user = clean_user_id
    await bench.workspace.seed(
        user, {"site/index.html": b"<h1>mine</h1>\n", "site/css/main.css": b"h1 {}\n"}
    )
    await bench.ok(user, "docker run -d --name web -v pages:/usr/share/nginx/html nginx")

    result = await bench.ok(user, "docker cp site/. web:/usr/share/nginx/html/")
    assert result.output.startswith("Successfully copied ")
    assert result.output.endswith(" to web:/usr/share/nginx/html/")
    page = await bench.ok(user, "docker exec web cat /usr/share/nginx/html/index.html")
    assert page.output == "<h1>mine</h1>\n"

    await bench.ok(user, "docker cp site web:/usr/share/nginx/html")  # an existing folder
    css = await bench.ok(user, "docker exec web cat /usr/share/nginx/html/site/css/main.css")
    assert css.output == "h1 {}\n"

    await bench.ok(user, "docker cp site/index.html web:/usr/share/nginx/html/home.html")
    home = await bench.ok(user, "docker exec web cat /usr/share/nginx/html/home.html")
    assert home.output == "<h1>mine</h1>\n"


async def test_a_read_only_root_refuses_like_docker(bench: Bench, clean_user_id: int) -> None:
    user = clean_user_id
    await bench.workspace.write(user, "index.html", b"hi\n")
    await bench.ok(user, "docker run -d --name web nginx")
    found = await bench.service.engine.get(f"containers/m-u{user}-web/json")
    result = await bench.run(user, "docker cp index.html web:/etc/")
    if found["HostConfig"]["ReadonlyRootfs"]:
        assert result.exit_code == 1
        assert result.output == "Error response from daemon: container rootfs is marked read-only"
    else:  # a writable root (bounded elsewhere): the copy goes through
        assert result.exit_code == 0, result


async def test_docker_s_errors_for_a_missing_container_path_or_file(
    bench: Bench, clean_user_id: int
) -> None:
    user = clean_user_id
    missing = await bench.run(user, "docker cp nope:/etc/hostname .")
    assert missing.exit_code == 1
    assert missing.output == "Error response from daemon: No such container: nope"

    await bench.ok(user, "docker run -d --name web nginx")
    path = await bench.run(user, "docker cp web:/nope/x .")
    assert path.exit_code == 1
    assert (
        path.output
        == "Error response from daemon: Could not find the file /nope/x in container web"
    )

    local = await bench.run(user, "docker cp absent.txt web:/tmp/")
    assert (local.exit_code, local.output) == (1, "lstat absent.txt: no such file or directory")

    await bench.workspace.write(user, "hostname", b"x\n")
    for line, text in (
        ("docker cp web:/etc/hostname sub/", "no such directory"),
        ("docker cp hostname web:/nodir/", "no such directory"),
        (
            "docker cp hostname web:/nodir/x",
            "Error response from daemon: Could not find the file /nodir in container web",
        ),
        ("docker cp web:/etc ./hostname", "cannot copy directory"),
    ):
        found = await bench.run(user, line)
        assert (found.exit_code, found.output) == (1, text), line

    both = await bench.run(user, "docker cp web:/a web:/b")
    assert (both.exit_code, both.output) == (1, "copying between containers is not supported")
    neither = await bench.run(user, "docker cp a b")
    assert (neither.exit_code, neither.output) == (1, "must specify at least one container source")


async def test_host_paths_and_tar_streams_are_refused(bench: Bench, clean_user_id: int) -> None:
    user = clean_user_id
    for line in (
        "docker cp web:/etc/hostname /home/me/",
        "docker cp web:/etc/hostname ../up",
        "docker cp /etc/passwd web:/tmp/",
        "docker cp web:/etc -",
    ):
        result = await bench.run(user, line)
        assert result.refused and result.reason, line
    assert "workspace" in (await bench.run(user, "docker cp /etc/passwd web:/tmp")).reason


async def test_the_65th_file_refuses_the_whole_copy(bench: Bench, clean_user_id: int) -> None:
    user = clean_user_id
    await bench.ok(user, f"{DATA} 'for i in $(seq 65); do echo $i > /data/f$i; done; sleep 300'")
    await bench.ok(user, "docker exec box ls /data/f65")
    result = await bench.run(user, "docker cp box:/data .")
    assert result.refused and "64 files" in result.reason
    assert await _files(bench, user) == {}


async def test_an_oversized_file_is_refused_on_its_stat(bench: Bench, clean_user_id: int) -> None:
    user = clean_user_id
    await bench.ok(
        user,
        f"{DATA} 'dd if=/dev/zero of=/data/big bs=1024 count=100 2>/dev/null;"
        " dd if=/dev/zero of=/data/huge bs=1 count=0 seek=1073741824 2>/dev/null; sleep 300'",
    )
    await bench.ok(user, "docker exec box ls /data/huge")
    big = await bench.run(user, "docker cp box:/data/big .")
    assert big.refused and "102400 bytes" in big.reason and "64 KiB" in big.reason
    # 1 GB (sparse): refused from the stat header, nothing of it read
    huge = await bench.run(user, "docker cp box:/data/huge .")
    assert huge.refused and "1073741824 bytes" in huge.reason
    # in a folder, the stat cannot tell: the stream is cut at what a workspace could hold
    folder = await bench.run(user, "docker cp box:/data .")
    assert folder.refused and "KiB" in folder.reason
    assert await _files(bench, user) == {}


async def test_links_are_refused_followed_or_skipped_with_a_note(
    bench: Bench, clean_user_id: int
) -> None:
    user = clean_user_id
    await bench.ok(
        user,
        f"{DATA} 'echo real > /data/real; ln -s /data/real /data/link; mkfifo /data/pipe;"
        " sleep 300'",
    )
    await bench.ok(user, "docker exec box ls /data/link")
    link = await bench.run(user, "docker cp box:/data/link .")
    assert link.refused and "-L" in link.reason

    await bench.ok(user, "docker cp -L box:/data/link .")
    assert await bench.workspace.read(user, "link") == b"real\n"

    folder = await bench.ok(user, "docker cp box:/data copied")
    files = await _files(bench, user)
    assert files["copied/real"] == b"real\n" and "copied/link" not in files
    assert any("data/link -> /data/real" in note and "data/pipe" in note for note in folder.notes)


async def test_the_workspace_as_it_would_be_is_checked_too(
    bench: Bench, clean_user_id: int
) -> None:
    user = clean_user_id
    await bench.workspace.seed(user, {f"mine/f{i}": b"x" for i in range(60)})
    await bench.ok(user, f"{DATA} 'for i in $(seq 10); do echo $i > /data/f$i; done; sleep 300'")
    await bench.ok(user, "docker exec box ls /data/f10")
    result = await bench.run(user, "docker cp box:/data copied")
    assert result.exit_code == 1 and "64" in result.output, result
    assert not any(path.startswith("copied/") for path in await _files(bench, user))
