"""Small subnets for the students' networks, chosen by the sandbox instead of the engine.

Left to itself the engine gives every network a whole /16 or /20 of its default pools, so about
30 networks exhaust it. Here each network gets one /28 (``MOUSSAILLON_SANDBOX_SUBNET_PREFIX``) of
``MOUSSAILLON_SANDBOX_SUBNETS``: the first that overlaps no network on the engine (anyone's, not
only ours) and holds no address of the engine's host (``reserve``; a host address inside a
student's subnet would answer that subnet's ARP).

The engine is the arbiter. Another process may pick the same subnet at the same moment: the
engine refuses the second creation ("Pool overlaps …") and that one tries the next candidate. A
removed network frees its subnet on the engine, so nothing is stored. What this process knows of
the taken subnets is a cache, listed again every ``REFRESH_S``, after a conflict and before the
range is declared full; between listings it only errs towards "taken".
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from ipaddress import IPv4Network
from typing import Any

from moussaillon.config import Settings
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.errors import EngineUnavailable, NetworkSpaceExhausted

log = logging.getLogger(__name__)

REFRESH_S = 60.0
MAX_CONFLICTS = 8
LIST_TIMEOUT_S = 30.0
# The engine lists a network only once its creation is done, but refuses its subnet from the
# start: a subnet we saw refused stays taken this long whatever the listings
# say, or two processes racing would bounce between the same two in-flight subnets.
TAKEN_GRACE_S = 30.0
CONFLICT_PAUSE_S = (0.05, 0.3)  # jittered, so two racing processes fall out of step

Create = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


def engine_subnets(networks: Iterable[dict[str, Any]]) -> list[IPv4Network]:
    """The IPv4 subnets of the engine's networks, as ``GET /networks`` describes them."""
    found = []
    for net in networks:
        for config in (net.get("IPAM") or {}).get("Config") or []:
            try:
                found.append(IPv4Network(config.get("Subnet") or "", strict=False))
            except ValueError:  # IPv6, or no subnet at all (host, none)
                continue
    return found


def _intervals(networks: Iterable[IPv4Network]) -> tuple[list[int], list[int]]:
    """Merged, sorted [start, end] address intervals, as two lists for ``bisect``."""
    starts: list[int] = []
    ends: list[int] = []
    for net in sorted(networks, key=lambda n: int(n.network_address)):
        start, end = int(net.network_address), int(net.broadcast_address)
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def first_free(
    ranges: Sequence[IPv4Network], prefix: int, taken: Iterable[IPv4Network]
) -> IPv4Network | None:
    """The lowest /prefix of the ranges overlapping nothing taken; O(ranges + jumps · log n)."""
    starts, ends = _intervals(taken)
    size = 1 << (32 - prefix)
    for block in ranges:
        candidate, last = int(block.network_address), int(block.broadcast_address)
        while candidate + size - 1 <= last:
            i = bisect.bisect_left(ends, candidate)  # first interval ending at or after it
            if i == len(ends) or starts[i] > candidate + size - 1:
                return IPv4Network((candidate, prefix))
            candidate = (ends[i] // size + 1) * size  # the next aligned block past the interval
    return None


def ipam(subnet: IPv4Network) -> dict[str, Any]:
    gateway = subnet.network_address + 1
    return {"Driver": "default", "Config": [{"Subnet": str(subnet), "Gateway": str(gateway)}]}


def is_overlap(exc: BaseException) -> bool:
    """The engine's refusal of a subnet already taken ("Pool overlaps with other one …")."""
    return "overlap" in str(exc).lower()


class SubnetAllocator:
    """One per process (the service holds it); safe for concurrent creations on one loop."""

    def __init__(
        self,
        ranges: Sequence[IPv4Network],
        prefix: int,
        *,
        refresh_s: float = REFRESH_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ranges = list(ranges)
        self.prefix = prefix
        self.refresh_s = refresh_s
        self.clock = clock
        self.listings = 0  # how many times the engine's networks were listed (for tests)
        self._engine: list[IPv4Network] = []  # the subnets of the last listing
        self._since: dict[IPv4Network, float] = {}  # taken after that listing began
        self._refused: dict[IPv4Network, float] = {}  # refused by the engine: in flight elsewhere
        self._pending: set[IPv4Network] = set()  # being created right now
        self._reserved: set[IPv4Network] = set()  # the engine host's own addresses
        self._listed_at: float | None = None
        self._listing = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> SubnetAllocator:
        return cls(settings.sandbox_subnets, settings.sandbox_subnet_prefix)

    @property
    def capacity(self) -> int:
        return sum(1 << (self.prefix - block.prefixlen) for block in self.ranges)

    def describe(self) -> str:
        return f"{','.join(map(str, self.ranges))} in /{self.prefix}s"

    @property
    def reserved(self) -> frozenset[IPv4Network]:
        return frozenset(self._reserved)

    def reserve(self, networks: Iterable[IPv4Network]) -> None:
        """Never hand out a subnet holding one of these (the host's addresses, from the guard)."""
        self._reserved |= set(networks)

    def pick(self) -> IPv4Network | None:
        taken = [*self._engine, *self._since, *self._refused, *self._pending, *self._reserved]
        return first_free(self.ranges, self.prefix, taken)

    async def refresh(self, engine: Engine) -> None:
        """List the engine's networks again; a listing begun after the call counts as done."""
        asked = self.clock()
        async with self._listing:
            if self._listed_at is not None and self._listed_at >= asked:
                return
            started = self.clock()
            try:
                async with asyncio.timeout(LIST_TIMEOUT_S):
                    networks = await engine.get("networks")
            except TimeoutError:
                raise EngineUnavailable("sandbox.engine.unavailable") from None
            self._engine = engine_subnets(networks)
            self._since = {net: at for net, at in self._since.items() if at >= started}
            fresh = started - TAKEN_GRACE_S
            self._refused = {net: at for net, at in self._refused.items() if at >= fresh}
            self._listed_at = started
            self.listings += 1

    async def create(
        self, engine: Engine, body: dict[str, Any], create: Create | None = None
    ) -> dict[str, Any]:
        """Create the network ``body`` describes on a free subnet; the engine's answer."""
        send = create or (lambda data: engine.post("networks/create", data=data))
        if self._listed_at is None or self.clock() - self._listed_at > self.refresh_s:
            await self.refresh(engine)
        for _ in range(MAX_CONFLICTS):
            subnet = self.pick()
            if subnet is None:
                await self.refresh(engine)  # removed networks have freed their subnets
                subnet = self.pick()
            if subnet is None:
                log.warning(
                    "sandbox: subnet range exhausted: all %d subnets of %s are taken"
                    " (widen MOUSSAILLON_SANDBOX_SUBNETS)",
                    self.capacity,
                    self.describe(),
                )
                raise NetworkSpaceExhausted("sandbox.subnets.exhausted")
            self._pending.add(subnet)
            try:
                created = await send({**body, "IPAM": ipam(subnet)})
            except Exception as exc:
                if not is_overlap(exc):
                    raise
                conflict = exc
                self._refused[subnet] = self.clock()  # taken, even if listings miss it
                # Another process is creating networks in this range right now: give its
                # creations a moment to land in the listing rather than racing it subnet by subnet.
                await asyncio.sleep(random.uniform(*CONFLICT_PAUSE_S))
                await self.refresh(engine)
                continue
            finally:
                self._pending.discard(subnet)
            self._since[subnet] = self.clock()
            return created
        log.warning("sandbox: %d subnet conflicts in a row creating a network", MAX_CONFLICTS)
        raise conflict
