"""Every check kind, passing and failing, on hand-built sandbox states, then on the real engine:
what the student really did must pass, an echo of the expected text must not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiodocker
import pytest
from pydantic import ValidationError

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.labs.checks import evaluate, parse_check, required_files
from moussaillon.labs.loader import load_labs
from moussaillon.labs.outputs import OutputJournal
from moussaillon.labs.practice import PracticeService
from moussaillon.labs.service import LabService
from moussaillon.labs.snapshot import FILE_BYTES, snapshot
from moussaillon.labs.state import (
    ContainerState,
    FileState,
    MountState,
    PublishedPort,
    SandboxState,
)
from moussaillon.sandbox.service import SandboxService

WEB = ContainerState(
    name="web",
    image="nginx",
    state="running",
    networks=["test-nginx"],
    published=[PublishedPort(host_port=8080, container_port=80)],
    mounts=[
        MountState(name="site", target="/usr/share/nginx/html"),
        MountState(name="notes", target="/data", read_only=True),
    ],
)
OLD = ContainerState(name="old", image="hello-world:latest", state="exited")
STATE = SandboxState(
    containers=[WEB, OLD],
    volumes=["site", "databasedata"],
    networks=["bridge", "test-nginx"],
    images=["alpine:latest", "hello-world:latest", "mon-alpine:v1"],
    last_output="Hello from Docker!\nThis message shows …",
    last_command="docker run --name old hello-world",
    files=[
        FileState(
            container="web", path="/usr/share/nginx/html/index.html", content="<h1>Salut</h1>"
        ),
        FileState(container="web", path="/data/absent"),
    ],
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
        {"container": "web", "mount": "notes:/data:ro"},
        {"container": "web", "mount": "site:/usr/share/nginx/html:rw"},
        {"container": "old", "running": False, "image": "docker.io/library/hello-world"},
        {"containers_count": 1},
        {"containers_count": 2, "all": True},
        {"containers_count": 1, "all": True, "image": "hello-world"},
        {"containers_at_least": 2},
        {"image_present": "alpine"},
        {"image_absent": "nginx"},
        {"last_output_contains": "Hello from Docker"},
        {"last_output_contains": "hello FROM docker", "ignore_case": True},
        {"last_output_contains": "Hello", "command": "docker run"},
        {"last_output_contains": "Hello", "command": "docker run", "image": "hello-world:latest"},
        {"last_output_contains": "Hello", "command": ["docker ps", "docker run"]},
        {"file": "/usr/share/nginx/html/index.html", "of": "web"},
        {"file": "/usr/share/nginx/html/index.html", "of": "web", "contains": "Salut"},
        {"file": "/data/absent", "of": "web", "exists": False},
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
        ({"container": "web", "mount": "site:/usr/share/nginx/html:ro"}, "html:ro"),
        ({"container": "web", "mount": "notes:/data:rw"}, "ne monte pas le volume notes:/data:rw"),
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
        (
            {"last_output_contains": "Hello", "command": "docker ps"},
            "On attend « Hello » dans la sortie de docker ps",
        ),
        (
            {"last_output_contains": "Hello", "command": "docker run", "image": "alpine"},
            "dans la sortie de docker run … alpine",
        ),
        (
            {"file": "/usr/share/nginx/html/index.html", "of": "web", "contains": "Cartopoint"},
            "Le fichier /usr/share/nginx/html/index.html de « web » ne contient pas « Cartopoint »",
        ),
        (
            {"file": "/data/absent", "of": "web"},
            "Le fichier /data/absent n'existe pas dans « web »",
        ),
        ({"file": "/etc/hosts", "of": "web"}, "n'existe pas dans « web »"),
        ({"file": "/etc/hosts", "of": "db"}, "Aucun conteneur nommé « db »"),
        (
            {"file": "/usr/share/nginx/html/index.html", "of": "web", "exists": False},
            "existe dans « web » : il n'aurait pas dû pouvoir être créé",
        ),
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
        ({"container": "web", "mount": "data:/x:rx"}, "must be a volume name"),
        ({"last_output_contains": "x", "command": "docker psx"}, "unknown command 'docker psx'"),
        ({"last_output_contains": "x", "command": []}, "non-empty list"),
        (
            {"last_output_contains": "x", "image": "alpine"},
            'image only goes with command = "docker run"',
        ),
        (
            {"last_output_contains": "x", "command": "docker ps", "image": "alpine"},
            "image only goes",
        ),
        ({"file": "data/note.txt", "of": "web"}, "should match pattern"),
        ({"file": "/data/x", "of": "web", "contains": "a", "exists": False}, "cannot contain"),
        ({"file": "/data/x", "container": "web"}, "exactly one kind key"),
    ],
)
def test_invalid_checks_are_refused(raw: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_check(raw)
    assert message in str(caught.value)


def test_the_echo_of_an_expected_output_fails_when_the_command_is_named() -> None:
    echoed = STATE.model_copy(
        update={"last_output": "Exited (0)\n", "last_command": "docker run --rm alpine echo Exited"}
    )
    assert evaluate(parse_check({"last_output_contains": "Exited"}), echoed).ok  # the old hole
    result = verdict({"last_output_contains": "Exited", "command": "docker ps"}, echoed)
    assert not result.ok
    assert result.missing == [
        "On attend « Exited » dans la sortie de docker ps : c'est cette commande qu'il faut "
        "lancer en dernier."
    ]
    listed = echoed.model_copy(update={"last_command": "docker container ls --all"})
    assert verdict({"last_output_contains": "Exited", "command": "docker ps"}, listed).ok
    garbled = echoed.model_copy(update={"last_command": "docker run 'unclosed"})
    assert not verdict({"last_output_contains": "Exited", "command": "docker run"}, garbled).ok


def test_required_files_walks_the_check_tree_once_per_file() -> None:
    check = parse_check(
        {
            "all_of": [
                {"file": "/a", "of": "web"},
                {"any_of": [{"file": "/b", "of": "db"}, {"file": "/a", "of": "web"}]},
                {"container": "web"},
            ]
        }
    )
    assert required_files(check) == [("web", "/a"), ("db", "/b")]
    assert required_files(parse_check({"network_exists": "lamp"})) == []


# -- on the real engine ----------------------------------------------------------------------


@pytest.fixture
async def sandbox(docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path):
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in standin_images.items()),
        sandbox_timeout_s=25,
        sandbox_stop_s=1,
        sandbox_commands_per_minute=6000,
        sandbox_burst=1000,
    )
    store = Store(tmp_path / "checks.db", migrations())
    service = SandboxService(settings, store, docker)
    try:
        yield service
    finally:
        await service.close()
        store.close()


@pytest.fixture
def practice(sandbox: SandboxService) -> PracticeService:
    store = sandbox.store
    return PracticeService(sandbox, LabService(store, load_labs()), OutputJournal(store))


async def typed(practice: PracticeService, user_id: int, *lines: str) -> None:
    for line in lines:
        result = await practice.run(user_id, line)
        assert not result.refused, (line, result.reason)


async def test_an_echo_of_exited_no_longer_passes_the_ps_step(practice, clean_user_id) -> None:
    uid = clean_user_id
    await typed(practice, uid, "docker run hello-world", "docker run --rm alpine echo Exited")
    echoed = await practice.check(uid, "premiers-conteneurs", 2)
    assert not echoed.ok
    assert any("docker ps" in text for text in echoed.missing), echoed.missing
    await typed(practice, uid, "docker ps -a")
    assert (await practice.check(uid, "premiers-conteneurs", 2)).ok


async def test_the_page_must_really_change_and_be_reloaded(practice, clean_user_id) -> None:
    uid = clean_user_id
    page = "/usr/local/apache2/htdocs/index.html"
    await typed(practice, uid, "docker run -d --name web -v site:/usr/local/apache2/htdocs httpd")
    await typed(practice, uid, "docker exec web echo Cartopoint")
    faked = await practice.check(uid, "lamp", 3)
    assert not faked.ok
    assert f"Le fichier {page} de « web » ne contient pas « Cartopoint »." in faked.missing
    found = await practice.run(uid, "docker inspect -f '{{.NetworkSettings.IPAddress}}' web")
    ip = found.output.strip()  # the default network resolves no names, as docker's bridge
    await typed(
        practice,
        uid,
        f"docker exec web sh -c \"echo '<h1>Cartopoint</h1>' > {page}\"",
        f"docker run --rm alpine/curl -s http://{ip}",
    )
    assert (await practice.check(uid, "lamp", 3)).ok


async def test_read_only_is_read_from_the_mount_not_from_the_message(
    practice, clean_user_id
) -> None:
    uid = clean_user_id
    await typed(
        practice,
        uid,
        "docker run --rm -v notes:/data alpine sh -c 'echo bonjour > /data/note.txt'",
        "docker run -d --name lecteur -v notes:/data alpine sleep 600",
        "docker exec lecteur sh -c 'echo Read-only file system'",
    )
    writable = await practice.check(uid, "volumes-hote", 5)
    assert "Le conteneur « lecteur » ne monte pas le volume notes:/data:ro." in writable.missing
    await typed(
        practice,
        uid,
        "docker rm -f lecteur",
        "docker run -d --name lecteur -v notes:/data:ro alpine sleep 600",
        "docker exec lecteur touch /data/autre",
    )
    assert (await practice.check(uid, "volumes-hote", 5)).ok


async def test_snapshot_reads_regular_files_only_and_bounded(
    sandbox: SandboxService, practice, clean_user_id
) -> None:
    uid = clean_user_id
    await typed(
        practice,
        uid,
        "docker run -d --name boite -v data:/data alpine sh -c "
        "'dd if=/dev/zero of=/data/big bs=1000 count=200; ln -s /etc/passwd /data/lien;"
        " echo salut > /data/petit; sleep 600'",
    )
    wanted = [
        ("boite", "/data/petit"),
        ("boite", "/data/big"),
        ("boite", "/data/lien"),
        ("boite", "/data"),
        ("boite", "/data/absent"),
        ("personne", "/data/petit"),
    ]
    for _ in range(20):
        state = await snapshot(sandbox, uid, files=wanted, last_command="docker ps")
        if state.file("boite", "/data/petit") is not None:
            break
        await asyncio.sleep(0.25)
    assert state.last_command == "docker ps"
    assert state.file("boite", "/data/petit") == "salut\n"
    assert state.file("boite", "/data/big") == "\0" * FILE_BYTES
    for path in ("/data/lien", "/data", "/data/absent"):
        assert state.file("boite", path) is None, path
    assert state.file("personne", "/data/petit") is None
