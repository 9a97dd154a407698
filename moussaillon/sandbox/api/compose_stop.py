"""``stop`` as Compose v1's ``down`` sends it, until the lifecycle area's ``stop`` takes over.

The branch serving stop/restart/kill (``lifecycle.py``) was not merged when this one was cut;
this is the same call (the chat's ``StopRequest`` and executor, the capped grace period), and
its route comes after theirs in the table, so once both are in theirs answers.
"""

from __future__ import annotations

from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import containers as container_ops
from moussaillon.sandbox.executor.common import Context
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import StopRequest


class ComposeStopApi(ApiBase):
    async def stop_for_compose(self, user_id: int, ref: str, t: str | None) -> None:
        if t not in (None, "") and not t.lstrip("-").isdigit():
            raise ApiError(400, f'strconv.Atoi: parsing "{t[:20]}": invalid syntax')

        async def work(ctx: Context) -> None:
            await self._id(ctx, ref)
            time = int(t) if t else None
            request = StopRequest(raw="api stop", containers=[ref], time=time)
            outcome = await container_ops.stop(ctx, await self.service._check(ctx, request))
            if outcome.exit_code:
                raise DaemonError(outcome.output.strip().splitlines()[-1] if outcome.output else "")

        await self._pipeline(user_id, "stop", work)
