"""The one place that knows how to reach the Docker engine.

aiodocker opens a new HTTP connection per concurrent request; the connector is sized for the
fair queue's concurrency plus a margin for listings, reaper sweeps and log reads running beside
the student commands, so a burst never waits on the pool instead of the queue.
"""

from __future__ import annotations

import ssl

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
        tls = tls_context(settings)
        scheme = "https://" if tls is not None else "http://"
        url = scheme + host.split("://", 1)[1]
        connector = aiohttp.TCPConnector(limit=limit, ssl=tls if tls is not None else False)
        return _Docker(url=url, connector=connector)
    return aiodocker.Docker(url=host)


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """TLS as the docker CLI does it: client certificate from ``ca.pem``/``cert.pem``/``key.pem``
    in the cert path; the engine's certificate is checked only when TLS verify is on."""
    if not settings.docker_tls_verify and settings.docker_cert_path is None:
        return None
    folder = settings.docker_cert_path
    if settings.docker_tls_verify:
        cafile = str(folder / "ca.pem") if folder is not None else None
        context = ssl.create_default_context(cafile=cafile)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if folder is not None and (folder / "cert.pem").exists():
        context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context
