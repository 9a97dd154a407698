"""Archives from students, hostile ones included: every refusal says why, and a refused archive
leaves the workspace exactly as it was."""

from __future__ import annotations

import io
import stat
import struct
import tarfile
import zipfile

import pytest

from moussaillon.workspace import WorkspaceError
from moussaillon.workspace.archives import CHUNK
from tests.workspace.conftest import member, tar_of, zip_of

ALICE = 101
KIB = 1024
PROJECT = {
    "Dockerfile": b"FROM alpine\nCOPY . /app\n",
    "src/prime.c": b"int main(void) { return 0; }\n",
    "web/index.php": b"<?php echo 'ok';\n",
}


async def refused(workspace, filename: str, data: bytes, key: str) -> WorkspaceError:
    """The archive is refused with ``key``; the file that was there before is still alone."""
    await workspace.write(ALICE, "keep.txt", b"mine\n")
    with pytest.raises(WorkspaceError) as caught:
        await workspace.import_archive(ALICE, filename, data)
    assert caught.value.key == key, caught.value.message("en")
    assert await workspace.snapshot(ALICE) == {"keep.txt": b"mine\n"}
    return caught.value


@pytest.mark.parametrize("name", ["project.zip", "project.tar", "project.tar.gz", "PROJECT.TGZ"])
async def test_a_small_project_is_unpacked_whole(workspace, name):
    if name.endswith(".zip"):
        data = zip_of({**PROJECT, "src/": b""})
    else:
        mode = "w" if name.endswith(".tar") else "w:gz"
        data = tar_of(
            [(member("./src", tarfile.DIRTYPE), None)]
            + [(member(f"./{path}"), content) for path, content in PROJECT.items()],
            mode,
        )
    files = await workspace.import_archive(ALICE, name, data)
    assert [f.path for f in files] == sorted(PROJECT)
    assert await workspace.snapshot(ALICE) == PROJECT


async def test_an_archive_goes_into_a_folder_when_asked(workspace):
    await workspace.import_archive(ALICE, "p.zip", zip_of(PROJECT), into="app/")
    assert sorted(await workspace.snapshot(ALICE)) == [f"app/{p}" for p in sorted(PROJECT)]


async def test_a_real_zip_bomb_is_refused_before_it_is_inflated(workspace):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("bomb.bin", "w", force_zip64=True) as out:
            for _ in range(100):  # 100 MiB of zeros in about 100 KiB
                out.write(bytes(1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 200 * KIB
    error = await refused(workspace, "bomb.zip", bomb, "workspace.file_too_big")
    assert "bomb.bin" in error.message("fr")


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """Rewrite a one-member zip's declared uncompressed size, in both headers."""
    raw = bytearray(data)
    local = raw.index(b"PK\x03\x04")
    struct.pack_into("<I", raw, local + 22, size)
    central = raw.index(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, size)
    return bytes(raw)


async def test_a_zip_bomb_that_lies_about_its_size_stops_at_what_it_declared(workspace):
    honest = zip_of({"bomb.bin": bytes(20 * 1024 * 1024)})
    liar = _lie_about_sizes(honest, 1000)
    info = zipfile.ZipFile(io.BytesIO(liar)).infolist()[0]
    assert info.file_size == 1000
    error = await refused(workspace, "liar.zip", liar, "workspace.archive_corrupt")
    assert "CRC" in error.message("en")


async def test_many_small_bombs_under_every_size_limit_are_caught_by_their_ratio(workspace):
    bombs = {f"zeros{i}.bin": bytes(60 * KIB) for i in range(4)}  # 240 KiB in under 1 KiB
    error = await refused(workspace, "ratio.zip", zip_of(bombs), "workspace.archive_bomb")
    assert error.params["ratio"] > 100
    gz = tar_of([(member(name), data) for name, data in bombs.items()])
    await refused(workspace, "ratio.tar.gz", gz, "workspace.archive_bomb")


async def test_a_gzip_bomb_named_tar_gz_stops_at_its_first_block(workspace):
    import gzip

    bomb = gzip.compress(bytes(30 * 1024 * 1024), compresslevel=9)
    await refused(workspace, "bomb.tar.gz", bomb, "workspace.archive_empty")
    text_bomb = gzip.compress(b"A" * (30 * 1024 * 1024), compresslevel=9)
    await refused(workspace, "text.tgz", text_bomb, "workspace.archive_corrupt")


async def test_a_huge_header_is_cut_off_at_the_inflated_bound(workspace):
    """tarfile reads a pax header whole into memory, whatever size it declares: the stream
    under it stops at ``max_inflated`` bytes. DNA-like text compresses about 4 times, far
    from the ratio of a bomb, so only that bound can stop it."""
    import random

    comment = "".join(random.Random(7).choices("ACGT", k=800 * KIB))
    info = member("Dockerfile")
    info.pax_headers = {"comment": comment}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        info.size = 4
        archive.addfile(info, io.BytesIO(b"FROM"))
    data = buffer.getvalue()
    assert len(data) < workspace.limits.max_archive < 800 * KIB
    await refused(workspace, "pax.tar.gz", data, "workspace.archive_inflated")


@pytest.mark.parametrize("name", ["../../etc/passwd", "app/../../x", "/etc/passwd"])
async def test_traversal_and_absolute_paths_are_refused(workspace, name):
    key = "workspace.path_absolute" if name.startswith("/") else "workspace.path_parent"
    await refused(workspace, "evil.tar.gz", tar_of([(member(name), b"root::0:0\n")]), key)
    await refused(workspace, "evil.zip", zip_of({name: b"root::0:0\n"}), key)


async def test_a_symlink_is_refused_with_its_target_in_tar_and_in_zip(workspace):
    link = member("passwd", tarfile.SYMTYPE, linkname="/etc/passwd")
    error = await refused(
        workspace, "l.tar.gz", tar_of([(link, None)]), "workspace.archive_symlink"
    )
    assert "/etc/passwd" in error.message("fr") and "lien symbolique" in error.message("fr")
    info = zipfile.ZipInfo("passwd")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ok.txt", b"fine")
        archive.writestr(info, "/etc/passwd")
    error = await refused(workspace, "l.zip", buffer.getvalue(), "workspace.archive_symlink")
    assert error.params["target"] == "/etc/passwd"


async def test_hard_links_devices_and_fifos_are_refused(workspace):
    hard = [
        (member("Dockerfile"), b"FROM alpine\n"),
        (member("copy", tarfile.LNKTYPE, linkname="Dockerfile"), None),
    ]
    await refused(workspace, "h.tar", tar_of(hard, "w"), "workspace.archive_hardlink")
    for kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
        device = member("dev/sda", kind, devmajor=8, devminor=0)
        await refused(workspace, "d.tar.gz", tar_of([(device, None)]), "workspace.archive_device")
    fifo = member("pipe", tarfile.FIFOTYPE)
    await refused(workspace, "f.tar.gz", tar_of([(fifo, None)]), "workspace.archive_special")


async def test_duplicate_names_are_refused(workspace):
    twice = [(member("Dockerfile"), b"FROM a\n"), (member("./Dockerfile"), b"FROM b\n")]
    await refused(workspace, "dup.tar.gz", tar_of(twice), "workspace.archive_duplicate")
    await refused(
        workspace, "dup.zip", zip_of({"a/x": b"1", "a//x": b"2"}), "workspace.archive_duplicate"
    )


async def test_the_65th_file_of_an_archive_is_refused(workspace):
    files = {f"f{i:02}.txt": b"x" for i in range(65)}
    await refused(workspace, "many.zip", zip_of(files), "workspace.too_many_files")
    del files["f64.txt"]
    # With keep.txt already there, 64 more make 65: the whole workspace is what is bounded.
    await refused(workspace, "64.zip", zip_of(files), "workspace.too_many_files")
    await workspace.reset(ALICE)
    assert len(await workspace.import_archive(ALICE, "64.zip", zip_of(files))) == 64


async def test_an_archive_over_the_size_limits_is_refused(workspace):
    await refused(
        workspace, "one.zip", zip_of({"big": bytes(1024 * 1024)}), "workspace.file_too_big"
    )
    too_much = [(member(f"p{i}"), bytes(60 * KIB)) for i in range(5)]
    await refused(workspace, "sum.tar", tar_of(too_much, "w"), "workspace.total_too_big")
    await refused(
        workspace, "huge.zip", b"PK" + bytes(2 * 1024 * 1024), "workspace.archive_too_big"
    )


async def test_broken_empty_encrypted_and_unknown_archives_say_so(workspace):
    await refused(workspace, "x.zip", b"not a zip at all", "workspace.archive_corrupt")
    await refused(workspace, "x.tar.gz", b"\x1f\x8b broken", "workspace.archive_corrupt")
    await refused(workspace, "x.zip", zip_of({"only/": b""}), "workspace.archive_empty")
    await refused(workspace, "x.rar", b"Rar!", "workspace.archive_kind")
    raw = bytearray(zip_of({"secret.txt": b"x"}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.index(signature) + offset
        raw[at] |= 0x1  # the "encrypted" flag bit
    await refused(workspace, "x.zip", bytes(raw), "workspace.archive_encrypted")


async def test_a_conflict_inside_the_archive_or_with_the_workspace_is_refused(workspace):
    await refused(
        workspace, "c.zip", zip_of({"app": b"1", "app/x": b"2"}), "workspace.path_conflict"
    )
    await refused(workspace, "c2.zip", zip_of({"keep.txt/x": b"2"}), "workspace.path_conflict")


async def test_binary_files_are_kept_as_they_are(workspace):
    blob = bytes(range(256)) * 4
    await workspace.import_archive(ALICE, "b.zip", zip_of({"lib/blob.so": blob}))
    assert await workspace.read(ALICE, "lib/blob.so") == blob


async def test_macos_resource_forks_are_left_out(workspace):
    files = await workspace.import_archive(
        ALICE, "mac.zip", zip_of({"Dockerfile": b"FROM a\n", "__MACOSX/._Dockerfile": b"\0"})
    )
    assert [f.path for f in files] == ["Dockerfile"]


def test_members_are_read_in_small_chunks():
    assert CHUNK <= 64 * KIB
