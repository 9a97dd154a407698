"""The compose file model: a student's ``compose.yaml`` read, bounded, interpolated, checked
against the Compose Specification and the sandbox's rules, as a frozen project that the
``docker compose`` commands run. Pure: no engine here."""

from moussaillon.sandbox.compose.config_output import render_config
from moussaillon.sandbox.compose.errors import ComposeError
from moussaillon.sandbox.compose.loader import DEFAULT_FILES, DEFAULT_PROJECT_NAME, load_project
from moussaillon.sandbox.compose.model import (
    BuildSpec,
    ComposeProject,
    DependsOn,
    Healthcheck,
    Service,
    ServiceNetwork,
    ServicePort,
    ServiceVolume,
)

__all__ = [
    "DEFAULT_FILES",
    "DEFAULT_PROJECT_NAME",
    "BuildSpec",
    "ComposeError",
    "ComposeProject",
    "DependsOn",
    "Healthcheck",
    "Service",
    "ServiceNetwork",
    "ServicePort",
    "ServiceVolume",
    "load_project",
    "render_config",
]
