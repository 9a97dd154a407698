"""The compose file model (stand-in for compose-file's; the lead takes compose-file's at merge)."""

from moussaillon.sandbox.compose.config_output import render_config
from moussaillon.sandbox.compose.errors import ComposeError
from moussaillon.sandbox.compose.loader import load_project
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
