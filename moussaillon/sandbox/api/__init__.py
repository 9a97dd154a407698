"""The Engine API's answers for a student's own docker CLI, through the chat's pipeline.

The terminal endpoint (``moussaillon/terminal/``) hands over the engine's JSON bodies; here they
become the same typed requests the parser makes (a ``POST /containers/create`` body is a
``CreateRequest``), so the same policy refuses ``Privileged``, binds or the host network, and
the same executor writes the HostConfig with the forced limits: nothing the student sent in
``HostConfig`` reaches the engine unless the chat could ask for it too. Each call spends a
token of the student's rate limit, waits for a fair-queue slot (long waits excepted: ``wait``
and ``attach`` only hold the container), is journaled as ``api <action>`` and heard by the
observers. A refusal is an ``ApiError``: the engine's status and the student's reason.
"""

from __future__ import annotations

from moussaillon.sandbox.api.archive import ArchiveApi
from moussaillon.sandbox.api.bodies import create_request, frames
from moussaillon.sandbox.api.build import BuildApi
from moussaillon.sandbox.api.containers import ContainersApi
from moussaillon.sandbox.api.disk import DiskApi
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.events import EventsApi
from moussaillon.sandbox.api.execs import ExecsApi
from moussaillon.sandbox.api.hijack import Hijack
from moussaillon.sandbox.api.images import ImagesApi
from moussaillon.sandbox.api.lifecycle import LifecycleApi
from moussaillon.sandbox.api.networks import NetworksApi
from moussaillon.sandbox.api.observe import ObserveApi
from moussaillon.sandbox.api.streams import StreamsApi
from moussaillon.sandbox.api.system import SystemApi
from moussaillon.sandbox.api.volumes import VolumesApi


class EngineApi(
    SystemApi,
    ContainersApi,
    StreamsApi,
    ExecsApi,
    ImagesApi,
    BuildApi,
    DiskApi,
    NetworksApi,
    VolumesApi,
    LifecycleApi,
    ObserveApi,
    EventsApi,
    ArchiveApi,
):
    """Every area's calls on one object, the one ``SandboxService.engine_api()`` hands out."""


__all__ = ["ApiError", "EngineApi", "Hijack", "create_request", "frames"]
