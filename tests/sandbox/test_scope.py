"""Names and labels that keep one student's objects apart from another's (no engine needed)."""

from __future__ import annotations

import pytest

from moussaillon.sandbox import labels
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.scope import Scope, _pick, random_name


def test_internal_names_and_labels_carry_the_owner() -> None:
    scope = Scope.for_user(42)
    assert scope.internal("web") == "m-u42-web"
    assert scope.default_network == "m-u42-bridge"
    found = scope.labels("web")
    assert found[labels.SANDBOX] == "1"
    assert found[labels.OWNER] == "u42"
    assert found[labels.NAME] == "web"
    assert found[labels.CREATED] == found[labels.LAST_USED]
    assert scope.owns(found) and not Scope.for_user(7).owns(found)
    assert scope.label_filters() == ["moussaillon.sandbox=1", "moussaillon.owner=u42"]


def _container(scope: Scope, name: str, ident: str) -> dict:
    return {"Id": ident, "Names": [f"/{scope.internal(name)}"], "Labels": scope.labels(name)}


def test_resolution_by_name_then_id_prefix_like_docker() -> None:
    scope = Scope.for_user(1)
    web = _container(scope, "web", "abc123" + "0" * 58)
    db = _container(scope, "db", "abd456" + "0" * 58)
    assert _pick([web, db], "web", scope, "container") is web
    assert _pick([web, db], "abc", scope, "container") is web
    assert _pick([web, db], web["Id"], scope, "container") is web
    with pytest.raises(DaemonError, match="multiple IDs found with provided prefix: ab"):
        _pick([web, db], "ab", scope, "container")
    with pytest.raises(DaemonError) as missing:
        _pick([web, db], "nope", scope, "container")
    assert missing.value.text == "Error response from daemon: No such container: nope"


def test_random_names_look_like_docker_names() -> None:
    name = random_name()
    left, _, right = name.partition("_")
    assert left and right and name.islower()
