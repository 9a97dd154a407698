"""Stand-in for compose-file's ``render_config``: the model as canonical YAML."""

from __future__ import annotations

from typing import Any

import yaml  # type: ignore[import-untyped]  # stand-in only

from moussaillon.sandbox.compose.model import ComposeProject


def render_config(project: ComposeProject) -> str:
    services: dict[str, Any] = {}
    for name, service in project.services.items():
        body = service.model_dump(exclude={"name"}, exclude_defaults=True)
        services[name] = body
    doc: dict[str, Any] = {"name": project.name, "services": services}
    if project.networks:
        doc["networks"] = {n: {"name": f"{project.name}_{n}"} for n in project.networks}
    if project.volumes:
        doc["volumes"] = {v: {"name": f"{project.name}_{v}"} for v in project.volumes}
    return str(yaml.safe_dump(doc, sort_keys=False))
