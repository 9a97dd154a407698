"""The sandbox: students' ``docker …`` commands on a real engine, each in the student's scope.

What other areas and the transports may use is exported here: the service (``run_command``, the
one pipeline; ``inventory`` and ``read_file``, a student's objects as plain data in their own
names; ``engine_counts``, the operators' numbers), its result models and the observer hook.
Labels, scopes and engine calls are the sandbox's own (``engine.py`` is the one module on
aiodocker's private API).

The names load on first use: the pure parts (``parser``, ``policy``), which the labs' course
check imports alone, must not pull in aiodocker and the service (about 2 s on a busy machine).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moussaillon.sandbox.api import ApiError, EngineApi
    from moussaillon.sandbox.inventory import (
        ContainerView,
        ImageView,
        Inventory,
        MountView,
        PortView,
    )
    from moussaillon.sandbox.observers import CommandObserver
    from moussaillon.sandbox.results import CommandResult, EngineCounts, SandboxStatus
    from moussaillon.sandbox.service import OnOutput, OnWait, SandboxService
    from moussaillon.sandbox.shell.session import Burst, ShellEnd, ShellSession

_HOMES = {
    "ApiError": "api",
    "EngineApi": "api",
    "Burst": "shell.session",
    "ShellEnd": "shell.session",
    "ShellSession": "shell.session",
    "CommandObserver": "observers",
    "CommandResult": "results",
    "ContainerView": "inventory",
    "EngineCounts": "results",
    "ImageView": "inventory",
    "Inventory": "inventory",
    "MountView": "inventory",
    "OnOutput": "service",
    "OnWait": "service",
    "PortView": "inventory",
    "SandboxService": "service",
    "SandboxStatus": "results",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "ApiError",
    "Burst",
    "CommandObserver",
    "CommandResult",
    "ContainerView",
    "EngineApi",
    "EngineCounts",
    "ImageView",
    "Inventory",
    "MountView",
    "OnOutput",
    "OnWait",
    "PortView",
    "SandboxService",
    "SandboxStatus",
    "ShellEnd",
    "ShellSession",
]
