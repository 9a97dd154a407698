"""One student's slice of the engine: internal names, labels, and name resolution.

Students type the names they chose (``web``, ``lamp``); the engine holds ``m-u42-web`` labelled
with the owner and the student's name. Everything the executor lists or touches goes through a
``Scope``, so another student's objects are invisible: an unknown name and someone else's name
give the same ``No such container: web`` docker would print.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.output import DaemonError

# Labels only the executor reads (the shared vocabulary lives in labels.py).
IMAGE = "moussaillon.image"  # the image reference as the student typed it
PORTS = "moussaillon.ports"  # JSON list of the -p mappings asked for (never opened)
KIND = "moussaillon.kind"  # "default" on the default network, "keeper" on volume keepers
KEEPER = "keeper"

VALID_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")

_LEFT = (
    "admiring",
    "brave",
    "clever",
    "eager",
    "festive",
    "gallant",
    "happy",
    "jolly",
    "keen",
    "lucid",
    "nifty",
    "quirky",
    "serene",
    "sharp",
    "upbeat",
    "vibrant",
    "wizardly",
    "zealous",
)
_RIGHT = (
    "babbage",
    "curie",
    "darwin",
    "euler",
    "fermat",
    "galileo",
    "hopper",
    "kepler",
    "lovelace",
    "meitner",
    "noether",
    "pasteur",
    "shannon",
    "tesla",
    "turing",
    "volta",
    "wozniak",
    "yonath",
)


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def random_name(rng: random.Random | None = None) -> str:
    """A docker-style ``adjective_scientist`` name for containers started without ``--name``."""
    pick = rng or random.SystemRandom()
    return f"{pick.choice(_LEFT)}_{pick.choice(_RIGHT)}"


@dataclass(frozen=True)
class Scope:
    owner: str  # labels.owner_key(user_id), e.g. "u42"

    @classmethod
    def for_user(cls, user_id: int) -> Scope:
        return cls(labels.owner_key(user_id))

    @property
    def prefix(self) -> str:
        return f"m-{self.owner}-"

    @property
    def default_network(self) -> str:
        return self.internal("bridge")

    @property
    def image_repo(self) -> str:
        """Repository prefix under which the student's own tags live (``m-u42/myapp:v1``)."""
        return f"m-{self.owner}/"

    def internal(self, name: str) -> str:
        return self.prefix + name

    def student(self, obj_labels: dict[str, str] | None, internal: str = "") -> str:
        """The student's name: the engine name wins (``rename`` changes it, labels are fixed)."""
        internal = internal.lstrip("/")
        if internal.startswith(self.prefix):
            return internal.removeprefix(self.prefix)
        return (obj_labels or {}).get(labels.NAME) or internal

    def labels(self, name: str, **extra: str) -> dict[str, str]:
        stamp = now_iso()
        return {
            labels.SANDBOX: "1",
            labels.OWNER: self.owner,
            labels.NAME: name,
            labels.CREATED: stamp,
            labels.LAST_USED: stamp,
            **extra,
        }

    def label_filters(self, *extra: str) -> list[str]:
        return [f"{labels.SANDBOX}=1", f"{labels.OWNER}={self.owner}", *extra]

    def filters(self, *extra_labels: str, **more: list[str]) -> str:
        return json.dumps({"label": self.label_filters(*extra_labels), **more})

    def owns(self, obj_labels: dict[str, str] | None) -> bool:
        found = obj_labels or {}
        return found.get(labels.SANDBOX) == "1" and found.get(labels.OWNER) == self.owner

    # -- listings ---------------------------------------------------------------------------

    async def containers(
        self, engine: Engine, *, all: bool = True, size: bool = False
    ) -> list[dict[str, Any]]:
        """The student's containers, without the hidden keepers that hold their volumes;
        ``size`` asks the engine for ``SizeRw``/``SizeRootFs`` (``docker ps -s``, slower)."""
        params = {"all": "1" if all else "0", "filters": self.filters()}
        if size:
            params["size"] = "1"
        found = await engine.get("containers/json", params=params)
        return [c for c in found if (c.get("Labels") or {}).get(KIND) != KEEPER]

    async def keepers(self, engine: Engine) -> list[dict[str, Any]]:
        params = {"all": "1", "filters": self.filters(f"{KIND}={KEEPER}")}
        found: list[dict[str, Any]] = await engine.get("containers/json", params=params)
        return found

    def keeper_name(self, volume: str) -> str:
        """``m-u42--keep-data``: a student's container name cannot start with ``-``."""
        return f"{self.prefix}-keep-{volume}"

    async def volumes(self, engine: Engine) -> list[dict[str, Any]]:
        found = await engine.get("volumes", params={"filters": self.filters()})
        listed: list[dict[str, Any]] = found.get("Volumes") or []
        return listed

    async def networks(self, engine: Engine) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await engine.get(
            "networks", params={"filters": self.filters()}
        )
        return found

    # -- resolution (exact id, then student name, then unique id prefix, like docker) -------

    async def container(self, engine: Engine, ref: str) -> dict[str, Any]:
        return _pick(await self.containers(engine), ref.lstrip("/"), self, "container")

    async def network(self, engine: Engine, ref: str) -> dict[str, Any]:
        return _pick(await self.networks(engine), ref, self, "network")

    async def volume(self, engine: Engine, ref: str) -> dict[str, Any]:
        for volume in await self.volumes(engine):
            if self.student(volume.get("Labels"), volume["Name"]) == ref:
                return volume
        raise DaemonError(f"Error response from daemon: get {ref}: no such volume")


def _name_of(obj: dict[str, Any], scope: Scope) -> str:
    names = obj.get("Names") or [obj.get("Name", "")]
    return scope.student(obj.get("Labels"), names[0] if names else "")


def _pick(objects: list[dict[str, Any]], ref: str, scope: Scope, kind: str) -> dict[str, Any]:
    for obj in objects:
        if obj["Id"] == ref:
            return obj
    for obj in objects:
        if _name_of(obj, scope) == ref:
            return obj
    matches = [obj for obj in objects if ref and obj["Id"].startswith(ref.lower())]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise DaemonError(
            f"Error response from daemon: multiple IDs found with provided prefix: {ref}"
        )
    if kind == "container":
        raise DaemonError(f"Error response from daemon: No such container: {ref}")
    raise DaemonError(f"Error response from daemon: network {ref} not found")
