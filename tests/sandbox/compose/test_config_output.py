"""``docker compose config``: the resolved project printed as Compose v2 prints it."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.compose import render_config
from moussaillon.sandbox.compose.config_output import go_duration
from tests.sandbox.compose.support import LAMP, load

LAMP_CONFIG = """\
name: lamp
services:
  db:
    environment:
      MARIADB_DATABASE: app
      MARIADB_ROOT_PASSWORD: s3cret
    healthcheck:
      test:
        - CMD
        - healthcheck.sh
        - --connect
        - --innodb_initialized
      timeout: 3s
      interval: 5s
      retries: 10
      start_period: 1m30s
    image: mariadb:11
    networks:
      default: null
    volumes:
      - type: volume
        source: db-data
        target: /var/lib/mysql
        volume: {}
  web:
    depends_on:
      db:
        condition: service_healthy
        required: true
    image: php:8.2-apache
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8080"
        protocol: tcp
networks:
  default:
    name: lamp_default
volumes:
  db-data:
    name: lamp_db-data
"""


def test_the_lamp_project_prints_as_compose_config() -> None:
    assert render_config(load(LAMP, env={"DB_PASSWORD": "s3cret"})) == LAMP_CONFIG


def test_every_supported_key_prints() -> None:
    text = """\
name: demo
services:
  app:
    build:
      context: ./app
      args: {VERSION: "1"}
      target: run
    command: ["sh", "-c", "echo $$HOME"]
    entrypoint: /entry.sh
    container_name: demo-app
    environment: {ON: "yes"}
    expose: ["3000"]
    labels: {team: cours}
    networks:
      back: {aliases: [api]}
    ports: ["127.0.0.1:8000:8000"]
    profiles: [dev]
    restart: on-failure:3
    stdin_open: true
    tty: true
    user: "1000"
    volumes: ["/cache", {type: tmpfs, target: /run}]
    working_dir: /app
    healthcheck:
      disable: true
networks:
  back: {}
"""
    printed = render_config(load(text))
    for fragment in (
        "  app:\n    build:\n      context: app\n      dockerfile: Dockerfile\n",
        '      args:\n        VERSION: "1"\n      target: run\n',
        "    command:\n      - sh\n      - -c\n      - echo $HOME\n",
        "    entrypoint:\n      - /entry.sh\n",
        '    environment:\n      "ON": "yes"\n',
        "    healthcheck:\n      disable: true\n",
        "    networks:\n      back:\n        aliases:\n          - api\n",
        "      - mode: ingress\n        host_ip: 127.0.0.1\n        target: 8000\n",
        "    restart: on-failure:3\n    stdin_open: true\n    tty: true\n",
        '    user: "1000"\n',
        "      - type: volume\n        target: /cache\n        volume: {}\n",
        "      - type: tmpfs\n        target: /run\n        tmpfs: {}\n",
        "networks:\n  back:\n    name: demo_back\n",
    ):
        assert fragment in printed, fragment


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (0.5, "500ms"), (5, "5s"), (90, "1m30s"), (3600, "1h0m0s"), (3723.5, "1h2m3.5s")],
)
def test_durations_print_as_go_prints_them(seconds: float, text: str) -> None:
    assert go_duration(seconds) == text
