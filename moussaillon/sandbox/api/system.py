"""``/version`` and ``/info``: the engine's versions, and a sandbox-sized picture of it."""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import images as image_ops
from moussaillon.sandbox.executor.common import Context


class SystemApi(ApiBase):
    async def version(self) -> dict[str, Any]:
        """The engine's own versions (the CLI negotiates on ``ApiVersion``), no host details."""
        v = await self.service.engine.get("version")
        keep = ("Version", "ApiVersion", "MinAPIVersion", "GitCommit", "GoVersion", "Os", "Arch")
        shown = {k: v.get(k, "") for k in keep}
        shown["KernelVersion"] = ""
        shown["BuildTime"] = v.get("BuildTime", "")
        shown["Platform"] = {"Name": "Moussaillon sandbox"}
        shown["Components"] = [
            {"Name": "Engine", "Version": v.get("Version", ""), "Details": {}},
        ]
        return shown

    async def info(self, user_id: int) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            mine = await ctx.scope.containers(ctx.engine)
            running = sum(1 for c in mine if c.get("State") == "running")
            paused = sum(1 for c in mine if c.get("State") == "paused")
            shown_images = await image_ops.visible(ctx)
            v = await ctx.engine.get("version")
            return {
                "ID": "",
                "Containers": len(mine),
                "ContainersRunning": running,
                "ContainersPaused": paused,
                "ContainersStopped": len(mine) - running - paused,
                "Images": len(shown_images),
                "Driver": "overlay2",
                "ServerVersion": v.get("Version", ""),
                "OperatingSystem": "Moussaillon sandbox",
                "OSType": "linux",
                "Architecture": v.get("Arch", ""),
                "KernelVersion": "",
                "Name": "moussaillon",
                "NCPU": max(1, round(ctx.settings.sandbox_cpus)),
                "MemTotal": ctx.settings.sandbox_memory_mb * 1024 * 1024,  # one container's share
                "Swarm": {"LocalNodeState": "inactive"},
                "Plugins": {"Volume": ["local"], "Network": ["bridge"], "Log": []},
                "SecurityOptions": [],
                "Labels": [],
                "Warnings": [],
                "ExperimentalBuild": False,
            }

        return await self._pipeline(user_id, "info", work)
