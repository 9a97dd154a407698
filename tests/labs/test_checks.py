"""Every check kind, passing and failing, on hand-built sandbox states."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from moussaillon.labs.checks import evaluate, parse_check
from moussaillon.labs.state import (
    ContainerState,
    MountState,
    PublishedPort,
    SandboxState,
)

WEB = ContainerState(
    name="web",
    image="nginx",
    state="running",
    networks=["test-nginx"],
    published=[PublishedPort(host_port=8080, container_port=80)],
    mounts=[MountState(name="site", target="/usr/share/nginx/html")],
)
OLD = ContainerState(name="old", image="hello-world:latest", state="exited")
STATE = SandboxState(
    containers=[WEB, OLD],
    volumes=["site", "databasedata"],
    networks=["bridge", "test-nginx"],
    images=["alpine:latest", "hello-world:latest", "mon-alpine:v1"],
    last_output="Hello from Docker!\nThis message shows …",
)


def verdict(raw: dict, state: SandboxState = STATE, lang: str = "fr"):
    return evaluate(parse_check(raw), state, lang)


@pytest.mark.parametrize(
    "raw",
    [
        {"network_exists": "test-nginx"},
        {"network_absent": "lamp"},
        {"volume_exists": "databasedata"},
        {"volume_absent": "donnees"},
        {"container_absent": "database"},
        {"container": "web"},
        {"container": "web", "running": True, "image": "nginx:latest", "network": "test-nginx"},
        {"container": "web", "published": "8080:80"},
        {"container": "web", "published": "80"},
        {"container": "web", "published": "0.0.0.0:8080:80/tcp"},
        {"container": "web", "mount": "site:/usr/share/nginx/html/"},
        {"container": "old", "running": False, "image": "docker.io/library/hello-world"},
        {"containers_count": 1},
        {"containers_count": 2, "all": True},
        {"containers_count": 1, "all": True, "image": "hello-world"},
        {"containers_at_least": 2},
        {"image_present": "alpine"},
        {"image_absent": "nginx"},
        {"last_output_contains": "Hello from Docker"},
        {"last_output_contains": "hello FROM docker", "ignore_case": True},
        {"last_output_lacks": "Welcome to nginx"},
        {"any_of": [{"network_exists": "lamp"}, {"network_exists": "test-nginx"}]},
        {"all_of": [{"volume_exists": "site"}, {"container": "web", "running": True}]},
    ],
)
def test_passing_checks(raw: dict) -> None:
    result = verdict(raw)
    assert result.ok, result.missing
    assert result.missing == []
    assert all(finding.ok for finding in result.details)


@pytest.mark.parametrize(
    ("raw", "missing"),
    [
        ({"network_exists": "lamp"}, "Le réseau « lamp » n'existe pas encore."),
        ({"network_absent": "test-nginx"}, "Le réseau « test-nginx » existe encore"),
        ({"volume_exists": "notes"}, "Le volume « notes » n'existe pas encore."),
        ({"volume_absent": "site"}, "Le volume « site » existe encore"),
        ({"container_absent": "web"}, "Le conteneur « web » existe encore"),
        ({"container": "db"}, "Aucun conteneur nommé « db »"),
        ({"container": "old", "running": True}, "ne tourne pas (état : exited)"),
        ({"container": "web", "running": False}, "tourne encore"),
        ({"container": "web", "image": "httpd"}, "vient de l'image « nginx », pas de « httpd »"),
        ({"container": "web", "network": "lamp"}, "(ses réseaux : test-nginx)"),
        ({"container": "web", "published": "8081:80"}, "ne publie pas le port 8081:80"),
        ({"container": "web", "published": "80/udp"}, "(ses publications : 8080:80/tcp)"),
        ({"container": "web", "mount": "data"}, "ne monte pas le volume data"),
        ({"container": "web", "mount": "site:/data"}, "ne monte pas le volume site:/data"),
        (
            {"containers_count": 0, "all": True},
            "Il y a 2 conteneurs (arrêtés compris), il en faut 0.",
        ),
        ({"containers_count": 0, "image": "nginx"}, "conteneurs en marche de l'image « nginx »"),
        ({"containers_at_least": 3, "all": True}, "il en faut au moins 3"),
        ({"image_present": "nginx"}, "L'image « nginx » n'est pas présente."),
        ({"image_absent": "mon-alpine:v1"}, "L'image « mon-alpine:v1 » est encore là"),
        ({"last_output_contains": "Welcome to nginx"}, "ne contient pas « Welcome to nginx »"),
        ({"last_output_contains": "hello from docker"}, "ne contient pas"),
        ({"last_output_lacks": "Hello"}, "contient « Hello » : ce n'est pas la bonne commande."),
        (
            {"any_of": [{"network_exists": "a"}, {"volume_exists": "b"}]},
            "Aucune des possibilités n'est remplie : Le réseau « a » n'existe pas encore. ; "
            "ou bien : Le volume « b » n'existe pas encore.",
        ),
        (
            {"all_of": [{"network_exists": "test-nginx"}, {"container": "db"}]},
            "Aucun conteneur nommé « db »",
        ),
    ],
)
def test_failing_checks_say_what_is_missing(raw: dict, missing: str) -> None:
    result = verdict(raw)
    assert not result.ok
    assert any(missing in text for text in result.missing), result.missing


def test_every_failed_attribute_is_reported_and_english_is_available() -> None:
    raw = {"container": "web", "running": False, "image": "httpd", "network": "lamp"}
    result = verdict(raw, lang="en")
    assert len(result.missing) == 3
    assert "Container “web” is still running: stop it." in result.missing
    assert [f.key for f in result.details if not f.ok] == [
        "labs.check.container.still_running",
        "labs.check.container.image",
        "labs.check.container.network",
    ]


def test_empty_output_is_told_apart_from_wrong_output() -> None:
    empty = STATE.model_copy(update={"last_output": "  \n"})
    result = verdict({"last_output_contains": "Hello"}, empty)
    assert result.missing == ["Votre dernière commande n'a rien affiché ; on attend « Hello »."]


def test_all_of_passes_only_when_every_part_does() -> None:
    raw = {"all_of": [{"network_exists": "test-nginx"}, {"volume_exists": "site"}]}
    assert verdict(raw).ok
    without = STATE.model_copy(update={"volumes": []})
    result = verdict(raw, without)
    assert not result.ok and result.missing == ["Le volume « site » n'existe pas encore."]


SURVIVES = {"volume": "databasedata", "survives_removal_of": "database"}
DB = ContainerState(
    name="database", image="busybox", mounts=[MountState(name="databasedata", target="/d")]
)


class TestVolumeSurvives:
    def test_removed_container_passes(self) -> None:
        state = STATE.model_copy(update={"removed_containers": ["database"]})
        assert verdict(SURVIVES, state).ok

    def test_container_never_removed_fails(self) -> None:
        state = STATE.model_copy(update={"containers": [DB]})
        result = verdict(SURVIVES, state)
        assert not result.ok
        assert "« database » n'a pas encore été supprimé" in result.missing[0]

    def test_recreated_with_the_volume_passes(self) -> None:
        state = STATE.model_copy(update={"containers": [DB], "removed_containers": ["database"]})
        assert verdict(SURVIVES, state).ok

    def test_recreated_without_the_volume_fails(self) -> None:
        bare = DB.model_copy(update={"mounts": []})
        state = STATE.model_copy(update={"containers": [bare], "removed_containers": ["database"]})
        result = verdict(SURVIVES, state)
        assert result.missing == [
            "« database » a été recréé sans le volume « databasedata » : ses données sont ailleurs."
        ]

    def test_missing_volume_fails(self) -> None:
        state = STATE.model_copy(update={"volumes": [], "removed_containers": ["database"]})
        assert verdict(SURVIVES, state).missing == [
            "Le volume « databasedata » n'existe pas encore."
        ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "unknown check"),
        ({"network": "lamp"}, "unknown check: got network"),
        ({"container": "web", "volume_exists": "x"}, "exactly one kind key"),
        ({"container": "web", "runing": True}, "Extra inputs are not permitted"),
        ({"container": "web", "published": "http"}, "must look like 8080:80"),
        ({"container": "web", "mount": "/host:/data"}, "must be a volume name"),
        ({"container": "bad name"}, "should match pattern"),
        ({"containers_count": -1}, "greater than or equal to 0"),
        ({"any_of": []}, "at least 1 item"),
        ({"any_of": [{"nope": 1}]}, "unknown check: got nope"),
        ("network_exists", "a check is an inline table"),
    ],
)
def test_invalid_checks_are_refused(raw: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_check(raw)
    assert message in str(caught.value)
