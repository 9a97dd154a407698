"""Reading a student's compose project from their workspace, every bound checked before the
work it guards: which file (as Compose looks for it), its size, its YAML (aliases, depth,
expansion), the number of services, ``.env`` and ``${VAR}`` substitution, the official
schema, then what the sandbox runs, key by key.

Pure: no engine, no I/O but the workspace mapping it is given. The project name is ``-p``,
else ``COMPOSE_PROJECT_NAME``, else the file's ``name:``, else ``projet``: Compose would take
the folder's name, and the workspace root has none, so every student gets the same stable
default.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Any

from yaml.nodes import ScalarNode

from moussaillon.core.i18n import t
from moussaillon.sandbox.compose import keys
from moussaillon.sandbox.compose.errors import ComposeError
from moussaillon.sandbox.compose.interpolate import (
    DotenvError,
    InterpolationError,
    interpolate,
    parse_dotenv,
)
from moussaillon.sandbox.compose.model import ComposeProject, Service
from moussaillon.sandbox.compose.schema import validate
from moussaillon.sandbox.compose.services import Reading, read_service, refuse_keys
from moussaillon.sandbox.compose.yamlread import Document, Path, compose_root, dotted, to_data

DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
DEFAULT_PROJECT_NAME = "projet"
MAX_KB = 64
MAX_SERVICES = 10
_PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Values read from ${VAR} are strings; Compose casts them back where the schema wants a type.
_BOOLEAN_KEYS = frozenset({"read_only", "tty", "stdin_open", "disable", "required", "external"})
_INTEGER_KEYS = frozenset({"target", "retries"})


def load_project(
    workspace: Mapping[str, bytes],
    *,
    file: str | None = None,
    project_name: str | None = None,
    profiles: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    max_kb: int = MAX_KB,
    max_services: int = MAX_SERVICES,
    lang: str | None = None,
) -> ComposeProject:
    """The checked project of ``workspace`` (paths relative to its root -> contents).

    ``profiles`` is accepted for Compose's signature; which services it enables is
    ``ComposeProject.active``'s job, since every command asks with its own."""
    del profiles
    warnings: list[str] = []
    name = _pick_file(workspace, file, warnings, lang)
    content = workspace[name]
    if len(content) > max_kb * 1024:
        raise ComposeError(
            "sandbox.compose.too_big", file=name, size_kb=-(-len(content) // 1024), limit=max_kb
        )
    text = _decode(content, name)
    base = posixpath.dirname(name)
    variables = {**_dotenv(workspace, base, env or {}), **(env or {})}
    root = compose_root(text, max_services=max_services)
    if root is None or (isinstance(root, ScalarNode) and root.value in ("", "~", "null")):
        raise ComposeError("sandbox.compose.empty", file=name)
    document = to_data(root)
    document.data = _interpolate(document, document.data, (), variables, warnings, lang)
    validate(document)
    data: dict[str, Any] = document.data
    reading = Reading(document=document, env=variables, workspace=workspace, base=base, lang=lang)
    reading.warnings = warnings
    refuse_keys(reading, data, (), keys.TOP_KEYS, keys.TOP_REASONS)
    if "version" in data:
        warnings.append(t("sandbox.compose.version_obsolete", lang, file=name))
    project = _project_name(project_name, variables, data, document)
    volumes = _resources(reading, data.get("volumes"), "volumes", keys.VOLUME_KEYS, "local")
    networks = _resources(reading, data.get("networks"), "networks", keys.NETWORK_KEYS, "bridge")
    reading.volumes, reading.networks = set(volumes), set(networks)
    services: dict[str, Service] = {}
    for service_name, raw in (data.get("services") or {}).items():
        services[service_name] = read_service(reading, service_name, raw or {})
    _check_dependencies(reading, services)
    uses_default = any(
        not service.networks or any(net.name == "default" for net in service.networks)
        for service in services.values()
    )
    if uses_default and "default" not in networks:
        networks.insert(0, "default")
    result = ComposeProject(
        name=project,
        services=services,
        volumes=volumes,
        networks=networks,
        warnings=warnings,
        file=name,
    )
    try:
        result.order()
    except ComposeError as error:
        where = tuple(error.path.split(".")) if error.path else ()
        raise ComposeError(
            error.key, path=error.path, line=document.line(where), **error.params
        ) from None
    return result


def _pick_file(
    workspace: Mapping[str, bytes], file: str | None, warnings: list[str], lang: str | None
) -> str:
    if file is not None:
        name = posixpath.normpath(file.strip())
        if file.startswith(("/", "~")) or name == ".." or name.startswith("../"):
            raise ComposeError("sandbox.compose.bad_file", file=file[:100])
        if name not in workspace:
            raise ComposeError("sandbox.compose.file_missing", file=name[:100])
        return name
    found = [name for name in DEFAULT_FILES if name in workspace]
    if not found:
        raise ComposeError("sandbox.compose.no_file")
    if len(found) > 1:
        warnings.append(
            t("sandbox.compose.several_files", lang, files=", ".join(found), file=found[0])
        )
    for override in (
        "compose.override.yaml",
        "compose.override.yml",
        "docker-compose.override.yml",
    ):
        if override in workspace:
            warnings.append(t("sandbox.compose.override_ignored", lang, file=override))
    return found[0]


def _decode(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ComposeError("sandbox.compose.not_utf8", file=name) from None


def _dotenv(workspace: Mapping[str, bytes], base: str, env: Mapping[str, str]) -> dict[str, str]:
    name = posixpath.join(base, ".env") if base else ".env"
    content = workspace.get(name)
    if content is None:
        return {}
    try:
        return parse_dotenv(_decode(content, name), env)
    except DotenvError as error:
        raise ComposeError(
            "sandbox.compose.dotenv", path=name, line=error.line, text=error.text[:80]
        ) from None


def _interpolate(
    document: Document,
    value: Any,
    path: Path,
    env: Mapping[str, str],
    warnings: list[str],
    lang: str | None,
) -> Any:
    if isinstance(value, dict):
        return {
            key: _interpolate(document, item, (*path, key), env, warnings, lang)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            _interpolate(document, item, (*path, index), env, warnings, lang)
            for index, item in enumerate(value)
        ]
    if not isinstance(value, str) or "$" not in value:
        return value

    def unset(name: str) -> None:
        note = t("sandbox.compose.variable_unset", lang, name=name)
        if note not in warnings:
            warnings.append(note)

    try:
        result = interpolate(value, env, unset)
    except InterpolationError as error:
        raise ComposeError(
            error.key, path=dotted(path) or None, line=document.line(path), **error.params
        ) from None
    last = path[-1] if path else None
    if last in _BOOLEAN_KEYS and result.lower() in ("true", "false"):
        return result.lower() == "true"
    if last in _INTEGER_KEYS and result.isdigit():
        return int(result)
    return result


def _project_name(
    given: str | None, env: Mapping[str, str], data: Mapping[str, Any], document: Document
) -> str:
    for candidate, path in (
        (given, None),
        (env.get("COMPOSE_PROJECT_NAME") or None, None),
        (data.get("name"), ("name",)),
    ):
        if candidate is None:
            continue
        name = str(candidate)
        if not _PROJECT_NAME.match(name):
            raise ComposeError(
                "sandbox.compose.bad_project_name",
                path=dotted(path) if path else None,
                line=document.line(path) if path else None,
                name=name[:64],
            )
        return name
    return DEFAULT_PROJECT_NAME


def _resources(
    reading: Reading, raw: object, section: str, allowed: frozenset[str], driver: str
) -> list[str]:
    """Top-level volumes or networks: their names, with only the engine's default driver."""
    if not isinstance(raw, Mapping):
        return []
    names = []
    for name, options in raw.items():
        path: Path = (section, name)
        if isinstance(options, Mapping):
            refuse_keys(reading, options, path, allowed, keys.RESOURCE_REASONS)
            if options.get("driver", driver) != driver:
                raise reading.error(
                    "sandbox.compose.refused.driver",
                    (*path, "driver"),
                    key="driver",
                    driver=str(options.get("driver"))[:40],
                    default=driver,
                )
        names.append(str(name))
    return names


def _check_dependencies(reading: Reading, services: Mapping[str, Service]) -> None:
    for name, service in services.items():
        for dep in service.depends_on:
            if dep.service not in services:
                raise reading.error(
                    "sandbox.compose.undefined_dependency",
                    ("services", name, "depends_on", dep.service),
                    service=name,
                    dependency=dep.service[:64],
                )


__all__ = ["DEFAULT_FILES", "DEFAULT_PROJECT_NAME", "load_project"]
