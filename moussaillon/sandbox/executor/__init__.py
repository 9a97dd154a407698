"""Run a policy-checked request on the engine, inside one student's scope.

``execute(ctx, request)`` dispatches on the request's ``verb``; each family lives in its own
module. Mistakes docker would report come back as an ``Outcome`` with docker's text and exit
code; quota and refusal errors raise the sandbox's typed errors for the service to translate.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.executor import (
    build,
    commit,
    compose,
    containers,
    disk,
    images,
    monitor,
    networks,
    run,
    system,
    transfer,
    volumes,
)
from moussaillon.sandbox.executor.common import Context, Outcome
from moussaillon.sandbox.output import DaemonError

Handler = Callable[[Context, Any], Awaitable[Outcome]]

HANDLERS: dict[str, Handler] = {
    "container.run": run.run,
    "container.exec": run.execute,
    "container.create": run.create_only,
    "container.diff": disk.diff,
    "container.ls": containers.ls,
    "container.logs": containers.logs,
    "container.stop": containers.stop,
    "container.start": containers.start,
    "container.restart": containers.restart,
    "container.kill": containers.kill,
    "container.rm": containers.rm,
    "container.inspect": containers.inspect,
    "container.stats": monitor.stats,
    "container.top": monitor.top,
    "container.port": monitor.port,
    "container.rename": containers.rename,
    "container.pause": containers.pause,
    "container.unpause": containers.unpause,
    "container.wait": containers.wait,
    "container.prune": containers.prune,
    "container.cp": transfer.cp,
    "container.commit": commit.commit,
    "image.ls": images.ls,
    "image.inspect": images.inspect,
    "image.pull": images.pull,
    "image.history": images.history,
    "image.tag": images.tag,
    "image.rm": images.rmi,
    "image.build": build.build,
    "image.prune": images.prune,
    "volume.create": volumes.create,
    "volume.ls": volumes.ls,
    "volume.inspect": volumes.inspect,
    "volume.rm": volumes.rm,
    "volume.prune": volumes.prune,
    "network.create": networks.create,
    "network.ls": networks.ls,
    "network.inspect": networks.inspect,
    "network.rm": networks.rm,
    "network.connect": networks.connect,
    "network.disconnect": networks.disconnect,
    "network.prune": networks.prune,
    "system.version": system.version,
    "system.info": system.info,
    "system.prune": system.prune,
    "system.df": disk.df,
    "inspect": system.inspect,
    "help": system.help_,
    **dict.fromkeys(compose.HANDLERS, compose.compose),
}


async def execute(ctx: Context, request: Any) -> Outcome:
    handler = HANDLERS.get(request.verb)
    if handler is None:
        raise SandboxRefused("sandbox.engine.refused.unavailable", command=request.verb)
    try:
        return await handler(ctx, request)
    except DaemonError as exc:
        return Outcome(output=exc.text, exit_code=exc.exit_code)


__all__ = ["HANDLERS", "Context", "Outcome", "execute"]
