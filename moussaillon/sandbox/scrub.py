"""Engine paths never reach a student: one rewrite for every output and every daemon error.

The engine names its own files in inspect fields and in error texts (``/var/lib/docker/
overlay2/<id>/merged/etc/hosts``, ``/var/run/docker/netns/<id>``, ``(via /proc/self/fd/6)``).
They tell a student the host's layout, layer and sandbox ids, and for volumes other names, so:

* a path inside a container's root file system becomes the path the student knows
  (``…/overlay2/<id>/merged/etc/hosts`` → ``/etc/hosts``);
* a student volume's data directory becomes the volume's name (the caller hides the prefix);
* every other engine path becomes ``…``.

Patterns are found by shape (``overlay2/<64 hex>``, ``volumes/<name>/_data``, ``netns/<id>``,
``/proc/<pid>/``, any path with a 64-hex component) as well as under the usual engine roots, so
an engine with another ``data-root`` is scrubbed too. Every pattern is linear: no nested
repetition, so a long output costs one pass.
"""

from __future__ import annotations

import re
from typing import Any

HIDDEN = "…"

_STOP = "\\s\"'`\\\\:,;()\\[\\]{}<>|*?="  # what ends a path as engines print them
_PART = f"[^{_STOP}]"
_SEP = f"(?<![^{_STOP}])"  # a path starts after a stop or at the start: one start per path
_HEX64 = r"[0-9a-f]{64}"
_ROOTS = r"/(?:var/)?(?:lib|run)/(?:docker|containerd)(?:-\w+)?"

_LAYER = re.compile(
    rf"{_SEP}/{_PART}*?/overlay2?/{_HEX64}(?:-init)?/(?P<kind>merged|diff|work)(?P<rest>/{_PART}*)?"
)
_VOLUME = re.compile(
    rf"{_SEP}/{_PART}*?/volumes/(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]*)/_data(?P<rest>/{_PART}*)?"
)
_OTHER = re.compile(
    rf"{_SEP}(?:{_ROOTS}(?![\w.-])(?:/{_PART}*)?"
    rf"|/proc/(?:\d+|self|thread-self)(?:/{_PART}*)?"
    rf"|/{_PART}*?/(?:overlay2?/l|netns|image/overlay2?)/{_PART}+"
    rf"|/{_PART}*?{_HEX64}{_PART}*)"
)


def scrub_paths(text: str, prefix: str) -> str:
    """``text`` without engine paths; ``prefix`` (``m-u42-``) marks the student's own volumes."""
    if "/" not in text:
        return text
    text = _LAYER.sub(_layer, text)
    text = _VOLUME.sub(lambda m: _volume(m, prefix), text)
    return _OTHER.sub(HIDDEN, text)


def _layer(match: re.Match[str]) -> str:
    rest = match.group("rest")
    if rest:
        return rest
    return "/" if match.group("kind") == "merged" else HIDDEN


def _volume(match: re.Match[str], prefix: str) -> str:
    name = match.group("name")
    if not name.startswith(prefix):
        return HIDDEN
    return name + (match.group("rest") or "")


PATH_FIELDS = frozenset(
    {"ResolvConfPath", "HostnamePath", "HostsPath", "LogPath", "SandboxKey", "Mountpoint"}
)


def blank_engine_fields(data: Any) -> Any:
    """Engine JSON with its host-path fields emptied, wherever they sit (inspect of a container,
    volume, image or network): the keys stay, so ``--format '{{.LogPath}}'`` still renders.

    ``GraphDriver`` keeps its name (the course teaches ``overlay2``) but not its directories;
    a volume mount's ``Source`` is its data directory on the host, so it goes too."""
    if isinstance(data, list):
        return [blank_engine_fields(item) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in PATH_FIELDS and isinstance(value, str):
            out[key] = ""
        elif key == "GraphDriver" and isinstance(value, dict):
            out[key] = {"Data": None, "Name": value.get("Name", "")}
        else:
            out[key] = blank_engine_fields(value)
    if out.get("Type") == "volume" and isinstance(out.get("Source"), str):
        out["Source"] = ""
    return out
