"""Helpers of the compose file model's tests: a workspace from texts, the error of a file."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.compose import ComposeError, ComposeProject, load_project

LAMP = """\
name: lamp
services:
  web:
    image: php:8.2-apache
    ports:
      - "8080:80"
    depends_on:
      db:
        condition: service_healthy
  db:
    image: mariadb:11
    environment:
      MARIADB_ROOT_PASSWORD: ${DB_PASSWORD:-change-me}
      MARIADB_DATABASE: app
    healthcheck:
      test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]
      interval: 5s
      timeout: 3s
      retries: 10
      start_period: 1m30s
    volumes:
      - db-data:/var/lib/mysql
volumes:
  db-data:
"""


def workspace(compose: str | None = None, **files: str | bytes) -> dict[str, bytes]:
    out = {name.replace("__", "/"): _bytes(text) for name, text in files.items()}
    if compose is not None:
        out["compose.yaml"] = _bytes(compose)
    return out


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode()


def load(compose: str, **kwargs: object) -> ComposeProject:
    return load_project(workspace(compose), **kwargs)  # type: ignore[arg-type]


def refusal(compose: str, **kwargs: object) -> ComposeError:
    with pytest.raises(ComposeError) as caught:
        load(compose, **kwargs)
    return caught.value


def service(body: str, extra: str = "") -> str:
    """A one-service file ``web`` (image alpine) with ``body`` indented under it."""
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    return f"services:\n  web:\n    image: alpine\n{lines}{extra}"
