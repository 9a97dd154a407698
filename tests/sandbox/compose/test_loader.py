"""A compose file read into the model as Compose reads it: the course's LAMP project, every
short and long syntax the supported keys take, the file and project name Compose would pick."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.compose import (
    BuildSpec,
    ComposeError,
    DependsOn,
    Healthcheck,
    ServiceNetwork,
    ServicePort,
    ServiceVolume,
    load_project,
)
from tests.sandbox.compose.support import LAMP, load, refusal, service, workspace


def test_the_lamp_project_of_the_course_reads_whole() -> None:
    project = load(LAMP)
    assert project.name == "lamp"
    assert project.file == "compose.yaml"
    assert list(project.services) == ["web", "db"]
    assert project.volumes == ["db-data"]
    assert project.networks == ["default"]
    assert project.warnings == []
    web, db = project.services["web"], project.services["db"]
    assert web.image == "php:8.2-apache"
    assert web.ports == [ServicePort(target=80, published=8080)]
    assert web.depends_on == [DependsOn(service="db", condition="service_healthy")]
    assert web.networks == []
    assert db.environment == {"MARIADB_ROOT_PASSWORD": "change-me", "MARIADB_DATABASE": "app"}
    assert db.volumes == [ServiceVolume(source="db-data", target="/var/lib/mysql")]
    assert db.healthcheck == Healthcheck(
        test=["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"],
        interval_s=5,
        timeout_s=3,
        retries=10,
        start_period_s=90,
    )
    assert project.order() == ["db", "web"]
    assert project.order(["web"]) == ["db", "web"]
    assert project.active() == ["web", "db"]


def test_the_model_is_frozen() -> None:
    project = load(LAMP)
    with pytest.raises(ValueError):
        project.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("files", "chosen", "warned"),
    [
        ({"compose.yaml": LAMP}, "compose.yaml", None),
        ({"compose.yml": LAMP}, "compose.yml", None),
        ({"docker-compose.yaml": LAMP}, "docker-compose.yaml", None),
        ({"docker-compose.yml": LAMP}, "docker-compose.yml", None),
        ({"docker-compose.yml": LAMP, "compose.yaml": LAMP}, "compose.yaml", "multiple config"),
        ({"compose.yaml": LAMP, "compose.override.yaml": LAMP}, "compose.yaml", "override"),
    ],
)
def test_the_default_file_is_the_one_compose_looks_for_first(
    files: dict[str, str], chosen: str, warned: str | None
) -> None:
    project = load_project({name: text.encode() for name, text in files.items()}, lang="en")
    assert project.file == chosen
    assert any(warned in note for note in project.warnings) if warned else not project.warnings


def test_dash_f_reads_a_file_in_a_folder_with_its_env_and_env_files() -> None:
    files = {
        "lab/stack/compose.yaml": b"services:\n  web:\n    image: alpine:${TAG}\n"
        b"    env_file: app.env\n    build: ./app\n",
        "lab/stack/app.env": b"GREETING=hello\n",
        "lab/stack/.env": b"TAG=3.20\n",
    }
    project = load_project(files, file="lab/stack/compose.yaml")
    web = project.services["web"]
    assert project.file == "lab/stack/compose.yaml"
    assert web.image == "alpine:3.20"
    assert web.environment == {"GREETING": "hello"}
    assert web.build == BuildSpec(context="lab/stack/app")


@pytest.mark.parametrize(
    ("file", "key"),
    [
        ("/etc/compose.yaml", "sandbox.compose.bad_file"),
        ("../compose.yaml", "sandbox.compose.bad_file"),
        ("nope.yaml", "sandbox.compose.file_missing"),
    ],
)
def test_dash_f_stays_in_the_workspace(file: str, key: str) -> None:
    with pytest.raises(ComposeError) as caught:
        load_project(workspace(LAMP), file=file)
    assert caught.value.key == key


def test_no_compose_file_says_what_compose_says() -> None:
    with pytest.raises(ComposeError) as caught:
        load_project(workspace(Dockerfile="FROM alpine\n"))
    assert caught.value.message("en") == "no configuration file provided: not found"


@pytest.mark.parametrize(
    ("given", "env", "top", "expected"),
    [
        ("cli", {"COMPOSE_PROJECT_NAME": "envname"}, "name: top\n", "cli"),
        (None, {"COMPOSE_PROJECT_NAME": "envname"}, "name: top\n", "envname"),
        (None, {}, "name: top\n", "top"),
        (None, {"P": "fromvar"}, "name: ${P}\n", "fromvar"),
        (None, {}, "", "projet"),
    ],
)
def test_the_project_name_follows_composes_precedence(
    given: str | None, env: dict[str, str], top: str, expected: str
) -> None:
    project = load(top + service(""), project_name=given, env=env)
    assert project.name == expected


@pytest.mark.parametrize("name", ["Lamp", "-x", "a b", "été"])
def test_a_project_name_compose_would_refuse_is_refused(name: str) -> None:
    error = refusal(service(""), project_name=name)
    assert error.key == "sandbox.compose.bad_project_name"
    assert "invalid project name" in error.message("en")


PORTS = [
    ("- 80", [ServicePort(target=80)]),
    ("- 8080:80", [ServicePort(target=80, published=8080)]),
    ("- 22:22", [ServicePort(target=22, published=22)]),  # YAML 1.1 would read 1342
    ('- "127.0.0.1:8080:80"', [ServicePort(target=80, published=8080, host_ip="127.0.0.1")]),
    (
        '- "[::1]:8080:80/udp"',
        [ServicePort(target=80, published=8080, host_ip="::1", protocol="udp")],
    ),
    ('- "53:53/udp"', [ServicePort(target=53, published=53, protocol="udp")]),
    (
        '- "9090-9091:8080-8081"',
        [ServicePort(target=8080, published=9090), ServicePort(target=8081, published=9091)],
    ),
    ('- "127.0.0.1::80"', [ServicePort(target=80, host_ip="127.0.0.1")]),
    (
        '- target: 80\n  published: "8080"\n  host_ip: 0.0.0.0\n  protocol: tcp\n  mode: host',
        [ServicePort(target=80, published=8080, host_ip="0.0.0.0")],
    ),
    ("- target: 443", [ServicePort(target=443)]),
]


@pytest.mark.parametrize(("body", "expected"), PORTS)
def test_ports_in_every_syntax(body: str, expected: list[ServicePort]) -> None:
    text = service("ports:\n" + "\n".join("  " + line for line in body.splitlines()))
    assert load(text).services["web"].ports == expected


@pytest.mark.parametrize("port", ["70000:80", "0:80", "http:80", "80/ftp", "1-100:1-100", "1-2:5"])
def test_a_bad_port_names_the_entry_and_its_line(port: str) -> None:
    error = refusal(service(f'ports:\n  - "{port}"'))
    assert error.path == "services.web.ports[0]"
    assert error.line == 5
    assert port in error.message("en")


VOLUMES = [
    ("- data:/data", [ServiceVolume(source="data", target="/data")]),
    ("- data:/data:ro", [ServiceVolume(source="data", target="/data", read_only=True)]),
    ("- /cache", [ServiceVolume(target="/cache")]),
    (
        "- type: volume\n  source: data\n  target: /data\n  read_only: true\n"
        "  volume:\n    nocopy: true",
        [ServiceVolume(source="data", target="/data", read_only=True)],
    ),
    ("- type: volume\n  target: /anon", [ServiceVolume(target="/anon")]),
    ("- type: tmpfs\n  target: /run", [ServiceVolume(type="tmpfs", target="/run")]),
]


@pytest.mark.parametrize(("body", "expected"), VOLUMES)
def test_named_anonymous_and_tmpfs_volumes(body: str, expected: list[ServiceVolume]) -> None:
    text = service(
        "volumes:\n" + "\n".join("  " + line for line in body.splitlines()),
        extra="volumes:\n  data:\n",
    )
    assert load(text).services["web"].volumes == expected


def test_the_tmpfs_key_gives_tmpfs_mounts() -> None:
    web = load(service("tmpfs:\n  - /run\n  - /tmp:size=64m")).services["web"]
    assert web.volumes == [
        ServiceVolume(type="tmpfs", target="/run"),
        ServiceVolume(type="tmpfs", target="/tmp"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "- ./site:/var/www/html",
        "- ../up:/up:ro",
        "- .:/app",
        "- type: bind\n  source: ./site\n  target: /var/www/html",
    ],
)
def test_a_relative_host_path_is_mapped_to_nothing_and_said_so(body: str) -> None:
    text = service("volumes:\n" + "\n".join("  " + line for line in body.splitlines()))
    project = load(text, lang="en")
    assert project.services["web"].volumes == []
    (note,) = project.warnings
    assert note.startswith("services.web.volumes[0]: ")
    assert "mapped to nothing" in note
    assert note.endswith("(line 5)")


def test_networks_with_aliases_and_the_default_network() -> None:
    text = """\
services:
  web:
    image: nginx
    networks:
      front:
      back:
        aliases: [www, site]
  db:
    image: mariadb:11
    networks: [back]
  cache:
    image: redis
    networks: [default]
networks:
  front:
  back:
    driver: bridge
"""
    project = load(text)
    assert project.services["web"].networks == [
        ServiceNetwork(name="front"),
        ServiceNetwork(name="back", aliases=["www", "site"]),
    ]
    assert project.services["db"].networks == [ServiceNetwork(name="back")]
    assert project.networks == ["default", "front", "back"]


def test_no_default_network_when_every_service_names_its_own() -> None:
    text = "services:\n  web:\n    image: x\n    networks: [front]\nnetworks:\n  front: {}\n"
    assert load(text).networks == ["front"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("command: echo hello", ["echo", "hello"]),
        ("command: sh -c 'echo \"a b\"; sleep 1'", ["sh", "-c", 'echo "a b"; sleep 1']),
        ('command: ["nginx", "-g", "daemon off;"]', ["nginx", "-g", "daemon off;"]),
        ('command: [sleep, "10"]', ["sleep", "10"]),
    ],
)
def test_commands_split_like_a_shell_or_kept_as_lists(body: str, expected: list[str]) -> None:
    assert load(service(body)).services["web"].command == expected


def test_entrypoint_can_be_emptied() -> None:
    web = load(service("entrypoint: []\ncommand: null")).services["web"]
    assert web.entrypoint == []
    assert web.command is None


def test_environment_lists_dicts_env_files_and_lookups() -> None:
    text = service(
        "env_file:\n  - common.env\n  - path: optional.env\n    required: false\n"
        "environment:\n  - FROM_FILE=overridden\n  - FROM_SHELL\n  - UNSET\n  - EMPTY="
    )
    files = workspace(text)
    files["common.env"] = b"FROM_FILE=file\nONLY_FILE=1\n"
    web = load_project(files, env={"FROM_SHELL": "shell"}).services["web"]
    assert web.environment == {
        "FROM_FILE": "overridden",
        "ONLY_FILE": "1",
        "FROM_SHELL": "shell",
        "EMPTY": "",
    }


def test_environment_values_of_other_types_become_strings() -> None:
    web = load(service("environment:\n  A: 1\n  B: true\n  C: 1.5\n  D:")).services["web"]
    assert web.environment == {"A": "1", "B": "true", "C": "1.5"}


@pytest.mark.parametrize("path", ["/etc/passwd", "../secret.env", "~/x.env"])
def test_env_file_reads_workspace_files_only(path: str) -> None:
    error = refusal(service(f"env_file: {path}"))
    assert error.key == "sandbox.compose.outside_workspace"
    assert error.path == "services.web.env_file"


def test_a_missing_env_file_is_an_error_unless_optional() -> None:
    assert refusal(service("env_file: nope.env")).key == "sandbox.compose.env_file_missing"


def test_build_in_its_short_and_long_forms() -> None:
    short = load("services:\n  app:\n    build: ./app\n").services["app"]
    assert short.build == BuildSpec(context="app")
    assert short.image is None
    long = load(
        "services:\n  app:\n    image: mine\n    build:\n      context: .\n"
        "      dockerfile: docker/Dockerfile.prod\n      target: run\n"
        "      args:\n        - VERSION=1.2\n        - FROM_ENV\n",
        env={"FROM_ENV": "e"},
    ).services["app"]
    assert long.build == BuildSpec(
        context=".",
        dockerfile="docker/Dockerfile.prod",
        target="run",
        args={"VERSION": "1.2", "FROM_ENV": "e"},
    )


@pytest.mark.parametrize("context", ["/srv", "../..", "https://github.com/x/y.git", "~/src"])
def test_a_build_context_outside_the_workspace_is_refused(context: str) -> None:
    error = refusal(f"services:\n  app:\n    build: {context}\n")
    assert error.key == "sandbox.compose.outside_workspace"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("test: curl -f http://localhost", ["CMD-SHELL", "curl -f http://localhost"]),
        ('test: ["CMD-SHELL", "exit 0"]', ["CMD-SHELL", "exit 0"]),
        ("test: [NONE]", ["NONE"]),
    ],
)
def test_healthcheck_tests(body: str, expected: list[str]) -> None:
    check = load(service("healthcheck:\n  " + body)).services["web"].healthcheck
    assert check is not None
    assert check.test == expected
    assert check.disable == (expected == ["NONE"])


def test_healthcheck_disable_and_durations() -> None:
    check = (
        load(service("healthcheck:\n  disable: true\n  interval: 1h2m3.5s\n  timeout: 250ms"))
        .services["web"]
        .healthcheck
    )
    assert check == Healthcheck(test=[], disable=True, interval_s=3723.5, timeout_s=0.25)


@pytest.mark.parametrize("value", ["10", "5 s", "1d", "s"])
def test_a_bad_duration_is_refused_with_its_key(value: str) -> None:
    error = refusal(service(f'healthcheck:\n  test: "true"\n  interval: "{value}"'))
    assert error.key == "sandbox.compose.bad_duration"
    assert error.path == "services.web.healthcheck.interval"
    assert error.line == 6


@pytest.mark.parametrize("policy", ["no", '"no"', "on-failure", "on-failure:3"])
def test_restart_policies_the_sandbox_allows(policy: str) -> None:
    assert load(service(f"restart: {policy}")).services["web"].restart == policy.strip('"')


@pytest.mark.parametrize("policy", ["always", "unless-stopped"])
def test_restart_policies_bounded_as_docker_run(policy: str) -> None:
    error = refusal(service(f"restart: {policy}"))
    assert error.key == "sandbox.compose.restart_refused"
    assert error.message("fr").startswith("services.web.restart: restart: ")


def test_restart_nonsense_is_refused() -> None:
    assert refusal(service("restart: sometimes")).key == "sandbox.compose.bad_restart"


def test_depends_on_list_and_conditions() -> None:
    text = """\
services:
  web:
    image: x
    depends_on:
      db:
        condition: service_healthy
        restart: true
      migrate:
        condition: service_completed_successfully
      cache:
        condition: service_started
  db: {image: y}
  migrate: {image: y, depends_on: [db]}
  cache: {image: y}
"""
    project = load(text)
    assert project.services["web"].depends_on == [
        DependsOn(service="db", condition="service_healthy"),
        DependsOn(service="migrate", condition="service_completed_successfully"),
        DependsOn(service="cache"),
    ]
    assert project.order() == ["db", "migrate", "cache", "web"]
    assert project.order(["migrate"]) == ["db", "migrate"]
    assert project.order(["cache", "db"]) == ["cache", "db"]


def test_order_of_an_unknown_service_is_refused() -> None:
    with pytest.raises(ComposeError) as caught:
        load(LAMP).order(["nope"])
    assert caught.value.message("en") == "no such service: nope"


@pytest.mark.parametrize(
    ("profiles", "expected"),
    [
        ((), ["web"]),
        (("debug",), ["web", "adminer"]),
        (("tools",), ["web", "backup"]),
        (("*",), ["web", "adminer", "backup"]),
    ],
)
def test_profiles_enable_services_as_compose_does(
    profiles: tuple[str, ...], expected: list[str]
) -> None:
    text = """\
services:
  web: {image: x}
  adminer: {image: x, profiles: [debug]}
  backup: {image: x, profiles: [tools, ops]}
"""
    assert load(text).active(profiles) == expected


def test_the_other_harmless_keys() -> None:
    web = load(
        service(
            "working_dir: /app\nuser: 1000:1000\ncontainer_name: my-web\ntty: true\n"
            "stdin_open: true\nexpose: [3000, '4000/udp']\n"
            "labels:\n  - com.example.team=cours\n  - flag\nx-note: ignored"
        )
    ).services["web"]
    assert (web.working_dir, web.user, web.container_name) == ("/app", "1000:1000", "my-web")
    assert web.tty and web.stdin_open
    assert web.expose == ["3000", "4000/udp"]
    assert web.labels == {"com.example.team": "cours", "flag": ""}


def test_yaml_anchors_and_merge_keys_share_settings() -> None:
    text = """\
x-common: &common
  image: alpine
  environment: {LEVEL: base}
services:
  a:
    <<: *common
  b:
    <<: *common
    environment: {LEVEL: own}
"""
    project = load(text)
    assert project.services["a"].environment == {"LEVEL": "base"}
    assert project.services["b"].environment == {"LEVEL": "own"}
    assert project.services["b"].image == "alpine"


def test_the_obsolete_version_key_is_accepted_with_composes_warning() -> None:
    project = load('version: "3.8"\n' + LAMP, lang="en")
    assert project.warnings == [
        "compose.yaml: the attribute `version` is obsolete, it will be ignored, please remove"
        " it to avoid potential confusion"
    ]


def test_the_compose_lab_in_the_shape_the_course_writes_it() -> None:
    """Version 3 header, list environment, a user network, depends_on as a list."""
    text = """\
version: "3"
services:
  web:
    image: my-map:1.0
    ports:
      - "8080:80"
    networks:
      - lamp
    depends_on:
      - database
  database:
    image: mariadb:11
    environment:
      - MARIADB_RANDOM_ROOT_PASSWORD=yes
      - MARIADB_DATABASE=map
    volumes:
      - dbdata:/var/lib/mysql
    networks:
      - lamp

volumes:
  dbdata:

networks:
  lamp:
"""
    project = load(text, project_name="lamp", lang="en")
    assert project.name == "lamp"
    assert project.networks == ["lamp"]
    assert project.volumes == ["dbdata"]
    assert project.order() == ["database", "web"]
    assert project.services["database"].environment == {
        "MARIADB_RANDOM_ROOT_PASSWORD": "yes",
        "MARIADB_DATABASE": "map",
    }
    assert len(project.warnings) == 1
    assert "`version` is obsolete" in project.warnings[0]
