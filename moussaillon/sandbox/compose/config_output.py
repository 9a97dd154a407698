"""``docker compose config``: the project as Compose prints it once resolved, so a student
can check what their variables and short syntaxes became.

Compose v2 prints Go's YAML: keys in its struct order (near alphabetical), services sorted,
lists indented under their key, ambiguous strings in double quotes, durations as Go writes
them (``1m30s``), names resolved (``<project>_default``). Paths are the workspace's, since the
sandbox has no host folder to show.
"""

from __future__ import annotations

from typing import Any

import yaml

from moussaillon.sandbox.compose.model import ComposeProject, Healthcheck, Service


class _Emitter(yaml.emitter.Emitter):
    def choose_scalar_style(self) -> str:
        style: str = super().choose_scalar_style()
        return '"' if style == "'" else style


class _Dumper(
    _Emitter, yaml.serializer.Serializer, yaml.representer.SafeRepresenter, yaml.resolver.Resolver
):
    def __init__(self, stream: Any, **kwargs: Any) -> None:
        _Emitter.__init__(
            self,
            stream,
            canonical=None,
            indent=2,
            width=10_000,
            allow_unicode=True,
            line_break=None,
        )
        yaml.serializer.Serializer.__init__(self)
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False, sort_keys=False)
        yaml.resolver.Resolver.__init__(self)

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def render_config(project: ComposeProject) -> str:
    data: dict[str, Any] = {"name": project.name, "services": {}}
    for name in sorted(project.services):
        data["services"][name] = _service(project.services[name])
    if project.networks:
        data["networks"] = {net: {"name": f"{project.name}_{net}"} for net in project.networks}
    if project.volumes:
        data["volumes"] = {vol: {"name": f"{project.name}_{vol}"} for vol in project.volumes}
    return yaml.dump(data, Dumper=_Dumper)


def _service(service: Service) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if service.build is not None:
        build: dict[str, Any] = {
            "context": service.build.context,
            "dockerfile": service.build.dockerfile or "Dockerfile",
        }
        if service.build.args:
            build["args"] = dict(sorted(service.build.args.items()))
        if service.build.target:
            build["target"] = service.build.target
        out["build"] = build
    if service.command is not None:
        out["command"] = list(service.command)
    if service.container_name:
        out["container_name"] = service.container_name
    if service.depends_on:
        out["depends_on"] = {
            dep.service: {"condition": dep.condition, "required": True}
            for dep in service.depends_on
        }
    if service.entrypoint is not None:
        out["entrypoint"] = list(service.entrypoint)
    if service.environment:
        out["environment"] = dict(sorted(service.environment.items()))
    if service.expose:
        out["expose"] = list(service.expose)
    if service.healthcheck is not None:
        out["healthcheck"] = _healthcheck(service.healthcheck)
    if service.image:
        out["image"] = service.image
    if service.labels:
        out["labels"] = dict(sorted(service.labels.items()))
    out["networks"] = {
        net.name: ({"aliases": list(net.aliases)} if net.aliases else None)
        for net in service.networks or ()
    } or {"default": None}
    if service.ports:
        out["ports"] = [_port(port) for port in service.ports]
    if service.profiles:
        out["profiles"] = list(service.profiles)
    if service.restart:
        out["restart"] = service.restart
    if service.stdin_open:
        out["stdin_open"] = True
    if service.tty:
        out["tty"] = True
    if service.user:
        out["user"] = service.user
    if service.volumes:
        out["volumes"] = [_volume(volume) for volume in service.volumes]
    if service.working_dir:
        out["working_dir"] = service.working_dir
    return out


def _port(port: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"mode": "ingress"}
    if port.host_ip:
        out["host_ip"] = port.host_ip
    out["target"] = port.target
    if port.published is not None:
        out["published"] = str(port.published)
    out["protocol"] = port.protocol
    return out


def _volume(volume: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": volume.type}
    if volume.source:
        out["source"] = volume.source
    out["target"] = volume.target
    if volume.read_only:
        out["read_only"] = True
    out["volume" if volume.type == "volume" else "tmpfs"] = {}
    return out


def _healthcheck(check: Healthcheck) -> dict[str, Any]:
    if check.disable:
        return {"disable": True}
    out: dict[str, Any] = {"test": list(check.test)}
    defaults = Healthcheck(test=[])
    for field, key in (("timeout_s", "timeout"), ("interval_s", "interval")):
        if getattr(check, field) != getattr(defaults, field):
            out[key] = go_duration(getattr(check, field))
    if check.retries != defaults.retries:
        out["retries"] = check.retries
    if check.start_period_s:
        out["start_period"] = go_duration(check.start_period_s)
    return out


def go_duration(seconds: float) -> str:
    """Seconds as Go's ``time.Duration.String`` writes them (``1m30s``, ``500ms``, ``0s``)."""
    if seconds == 0:
        return "0s"
    if seconds < 1:
        millis = seconds * 1000
        return f"{millis:g}ms" if millis >= 1 else f"{seconds * 1e6:g}µs"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:g}s"
    if hours:
        return f"{int(hours)}h{int(minutes)}m{text}"
    if minutes:
        return f"{int(minutes)}m{text}"
    return text


__all__ = ["go_duration", "render_config"]
