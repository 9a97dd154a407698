"""Any path, any bytes: the workspace answers with a normalised path or its own error, never
with a crash (a crash would be a 500 over REST and "oops" in Telegram)."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moussaillon.workspace import Limits, WorkspaceError
from moussaillon.workspace.archives import unpack
from moussaillon.workspace.paths import normalise

PATHS = st.text(alphabet=st.sampled_from("ab./\\-_ .é\x00\n\u200b"), max_size=40) | st.text(
    max_size=30
)


@given(PATHS)
def test_a_path_is_normalised_once_and_for_all_or_refused(path):
    try:
        clean = normalise(path, 4)
    except WorkspaceError as error:
        assert error.message("fr")
        return
    assert normalise(clean, 4) == clean
    parts = clean.split("/")
    assert all(p not in ("", ".", "..") and not p.startswith("-") for p in parts)
    assert len(parts) <= 4 and not clean.startswith("/")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048), st.sampled_from(["a.zip", "a.tar", "a.tar.gz", "a.tgz"]))
def test_any_bytes_as_an_archive_give_files_or_a_workspace_error(data, name):
    try:
        files = unpack(name, data, Limits())
    except WorkspaceError:
        return
    assert all(normalise(path, 4) == path for path in files)


@settings(max_examples=100)
@given(st.dictionaries(PATHS, st.binary(max_size=64), max_size=5))
def test_any_member_names_in_a_zip_give_clean_paths_or_a_workspace_error(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            if name and "\x00" not in name:
                archive.writestr(name, data)
    try:
        files = unpack("m.zip", buffer.getvalue(), Limits())
    except WorkspaceError:
        return
    assert all(normalise(path, 4) == path for path in files)
