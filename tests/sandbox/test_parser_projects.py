"""Lines that work on a student's files, through the parser: ``docker build``, ``docker cp`` and
``commit``, ``docker compose`` (the single-object commands are in test_parser.py)."""

from __future__ import annotations

from typing import Any

import pytest

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser import parse

PROJECT_LINES: list[tuple[str, str, dict[str, Any]]] = [
    # --- docker build (classic builder flags) ---
    ("docker build .", "image.build",
     {"context": ".", "tags": [], "file": None, "build_args": {}, "target": None,
      "no_cache": False, "pull": False, "labels": {}, "quiet": False}),
    ("docker image build -t prime:scratch c", "image.build",
     {"context": "c", "tags": ["prime:scratch"]}),
    ("docker build -t app:1 -t app:latest --tag=registry.local:5000/team/app:2 .", "image.build",
     {"tags": ["app:1", "app:latest", "registry.local:5000/team/app:2"]}),
    ("docker build -f app/Dockerfile.prod app", "image.build",
     {"file": "app/Dockerfile.prod", "context": "app"}),
    ("docker build --file=Dockerfile.dev .", "image.build", {"file": "Dockerfile.dev"}),
    ("docker build --build-arg VERSION=3.20 --build-arg EMPTY= --build-arg FROM_ENV .",
     "image.build", {"build_args": {"VERSION": "3.20", "EMPTY": ""}}),
    ("docker build --build-arg 'MSG=a b=c' .", "image.build", {"build_args": {"MSG": "a b=c"}}),
    ("docker build --target build -t prime:build .", "image.build", {"target": "build"}),
    ("docker build --no-cache --pull -q .", "image.build",
     {"no_cache": True, "pull": True, "quiet": True}),
    ("docker build --quiet=false .", "image.build", {"quiet": False}),
    ("docker build --label course=docker --label step .", "image.build",
     {"labels": {"course": "docker", "step": ""}}),
    ("docker build --rm --force-rm=true --compress --progress plain .", "image.build",
     {"unsupported": []}),
    ("docker build . -t late", "image.build", {"tags": ["late"], "context": "."}),
    ("docker build ./app/", "image.build", {"context": "./app/"}),
    ("docker build -", "image.build", {"context": "-"}),
    ("docker build https://github.com/x/y.git", "image.build",
     {"context": "https://github.com/x/y.git"}),
    ("docker build --network host .", "image.build", {"unsupported": ["--network"]}),
    ("docker build -m 1g -o out --push .", "image.build",
     {"unsupported": ["-m", "-o", "--push"]}),
    ("docker rmi mine:v1", "image.rm", {"images": ["mine:v1"], "force": False}),
    ("docker image rm -f mine", "image.rm", {"force": True}),
    ("docker image remove mine", "image.rm", {"images": ["mine"]}),
    # --- cp and commit ---
    ("docker cp web:/etc/hosts .", "container.cp",
     {"container": "web", "container_path": "/etc/hosts", "local_path": ".",
      "to_container": False}),
    ("docker cp ./a:b.txt web:tmp", "container.cp",
     {"container": "web", "container_path": "tmp", "local_path": "./a:b.txt",
      "to_container": True}),
    ("docker container cp -L -q web:/l out/", "container.cp",
     {"follow_link": True, "quiet": True, "local_path": "out/"}),
    ("docker cp web:/a db:/b", "container.cp", {"both_containers": True, "container": None}),
    ("docker cp a b", "container.cp", {"container": None, "both_containers": False}),
    ("docker commit -m msg -a me -c 'CMD x' -c 'ENV A=1' web app:v1", "container.commit",
     {"container": "web", "repository": "app:v1", "message": "msg", "author": "me",
      "changes": ["CMD x", "ENV A=1"], "pause": True}),
    ("docker container commit --pause=false web", "container.commit",
     {"pause": False, "repository": None}),
    # --- compose (v2, and v1's spelling) ---
    ("docker compose up -d", "compose.up", {"detach": True, "services": []}),
    ("docker compose -f lamp.yaml -p lamp up --build web", "compose.up",
     {"file": "lamp.yaml", "project": "lamp", "build": True, "services": ["web"]}),
    ("docker compose --profile debug ps -a", "compose.ps", {"profiles": ["debug"], "all": True}),
    ("docker compose logs -f --tail 5 db", "compose.logs",
     {"follow": True, "tail": 5, "services": ["db"]}),
    ("docker compose down -v", "compose.down", {"volumes": True}),
    ("docker compose stop web", "compose.stop", {"services": ["web"]}),
    ("docker compose start", "compose.start", {"services": []}),
    ("docker compose restart -t 3 db", "compose.restart", {"services": ["db"]}),
    ("docker compose config", "compose.config", {}),
    ("docker compose exec -T db mariadb -e 'select 1'", "compose.exec",
     {"services": ["db"], "command": ["mariadb", "-e", "select 1"]}),
    ("docker compose run --rm web ls -l /", "compose.run",
     {"services": ["web"], "command": ["ls", "-l", "/"], "remove": True}),
    ("docker compose build", "compose.build", {}),
    ("docker compose images", "compose.images", {}),
    ("docker compose version", "compose.version", {"short": False}),
    ("docker compose version --short", "compose.version", {"short": True}),
    ("docker compose top web", "compose.top", {"services": ["web"]}),
    ("docker-compose up -d", "compose.up", {"legacy": True, "detach": True}),
    ("docker system events", "unavailable", {"command": "events"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "verb", "expected"), PROJECT_LINES, ids=[case[0][:60] for case in PROJECT_LINES]
)
def test_project_lines_parse_to_the_expected_request(
    line: str, verb: str, expected: dict[str, Any]
) -> None:
    request = parse(line)
    assert request.verb == verb
    assert request.raw == line.strip()
    for name, value in expected.items():
        assert getattr(request, name) == value, name


def test_docker_build_without_a_context_says_what_docker_says() -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        parse("docker build")
    english = caught.value.message("en")
    assert english.startswith('"docker build" requires exactly 1 argument.\n')
    assert "See 'docker build --help'." in english
    assert "Usage:  docker build [OPTIONS] PATH | URL | -" in english
    with pytest.raises(CommandSyntaxError) as caught:
        parse("docker build -t Foo .")
    assert caught.value.message("en") == (
        'invalid argument "Foo" for "-t, --tag" flag: invalid reference format: repository name'
        " must be lowercase\nSee 'docker build --help'."
    )
