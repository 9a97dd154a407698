"""The one place that knows how to reach the Docker engine.

aiodocker opens a new HTTP connection per concurrent request; the connector is sized for the
fair queue's concurrency plus a margin for listings, reaper sweeps and log reads running beside
the student commands, so a burst never waits on the pool instead of the queue.
"""

from __future__ import annotations

import aiodocker
import aiohttp

from moussaillon.config import Settings

CONNECTION_MARGIN = 8


class _Docker(aiodocker.Docker):
    """aiodocker leaves a caller-supplied connector open on close; this client owns its own."""

    async def close(self) -> None:
        await super().close()
        await self.connector.close()


def create_docker(settings: Settings) -> aiodocker.Docker:
    """Build the client; call it inside the running event loop and ``await docker.close()``."""
    limit = settings.sandbox_concurrency * 3 + CONNECTION_MARGIN
    host = settings.docker_host
    if host is None or host.startswith("unix://"):
        path = (host or "unix:///var/run/docker.sock").removeprefix("unix://")
        connector: aiohttp.BaseConnector = aiohttp.UnixConnector(path, limit=limit)
        return _Docker(url="unix://localhost", connector=connector)
    if host.startswith(("tcp://", "http://", "https://")):
        url = host.replace("tcp://", "http://", 1)
        return _Docker(url=url, connector=aiohttp.TCPConnector(limit=limit))
    return aiodocker.Docker(url=host)
