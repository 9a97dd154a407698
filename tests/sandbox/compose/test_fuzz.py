"""Whatever a student writes, reading it ends in a project or a ComposeError: never another
exception (an assertion, a KeyError) that the student would read as a crash."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moussaillon.sandbox.compose import ComposeError, ComposeProject, load_project
from moussaillon.sandbox.compose.keys import SERVICE_KEYS

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70_000),
    st.sampled_from(
        [
            "",
            "no",
            "always",
            "on-failure:2",
            "80",
            "8080:80",
            "./x:/y",
            "data:/d",
            "/d:/d",
            "${X}",
            "${X:-1}",
            "$$",
            "$",
            "CMD",
            "1m30s",
            "db",
            "default",
            "a=b",
            "1.5",
        ]
    ),
    st.text(max_size=8),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["target", "source", "type", "condition", "test", "aliases", "x"]),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)
_SERVICE = st.dictionaries(st.sampled_from(sorted(SERVICE_KEYS)), _VALUES, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    services=st.dictionaries(st.sampled_from(["web", "db", "a"]), _SERVICE, min_size=1, max_size=3),
    volumes=st.one_of(st.none(), st.dictionaries(st.sampled_from(["data", "d"]), st.none())),
)
def test_any_structure_reads_or_is_refused_cleanly(
    services: dict[str, object], volumes: dict[str, object] | None
) -> None:
    document: dict[str, object] = {"services": services}
    if volumes is not None:
        document["volumes"] = volumes
    text = yaml.safe_dump(document)
    try:
        project = load_project({"compose.yaml": text.encode()}, env={"X": "1"})
    except ComposeError as error:
        assert error.message("en")
        assert error.message("fr")
    else:
        assert isinstance(project, ComposeProject)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_reads_or_is_refused_cleanly(text: str) -> None:
    try:
        load_project({"compose.yaml": text.encode()})
    except ComposeError as error:
        assert error.message("en")
