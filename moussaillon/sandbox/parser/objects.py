"""The ``docker image|volume|network|system …`` commands and plain ``docker inspect``."""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser import values as v
from moussaillon.sandbox.parser.build import BUILD
from moussaillon.sandbox.parser.flags import Parsed, Spec, flag, ignored, opt, unsupported
from moussaillon.sandbox.parser.table import Command
from moussaillon.sandbox.requests import (
    HistoryRequest,
    ImageInspectRequest,
    ImageLsRequest,
    ImagePruneRequest,
    ImageRmRequest,
    InfoRequest,
    InspectRequest,
    NetworkConnectRequest,
    NetworkCreateRequest,
    NetworkDisconnectRequest,
    NetworkInspectRequest,
    NetworkLsRequest,
    NetworkPruneRequest,
    NetworkRmRequest,
    PullRequest,
    SystemDfRequest,
    SystemPruneRequest,
    TagRequest,
    VersionRequest,
    VolumeCreateRequest,
    VolumeInspectRequest,
    VolumeLsRequest,
    VolumePruneRequest,
    VolumeRmRequest,
)

FORMAT = opt("-f", "--format")
QUIET = flag("-q", "--quiet")
FILTER = opt("-f", "--filter")
FORCE = flag("-f", "--force")


def _filters(p: Parsed) -> list[Any]:
    return v.parse_filters(p.get_list("filter"))


def _format_only(p: Parsed) -> dict[str, Any]:
    return {"format": p.get_str("format")}


def _prune(p: Parsed) -> dict[str, Any]:
    return {"force": p.get_bool("force"), "filters": _filters(p)}


# --- images -----------------------------------------------------------------------------------

IMAGES_SPEC = Spec(
    flags=(
        flag("-a", "--all"),
        QUIET,
        flag("--digests"),
        flag("--no-trunc"),
        FILTER,
        opt("--format"),
        unsupported("--tree", value=False),
    )
)


def build_images(p: Parsed) -> dict[str, Any]:
    return {
        "repository": p.positionals[0] if p.positionals else None,
        "all": p.get_bool("all"),
        "quiet": p.get_bool("quiet"),
        "digests": p.get_bool("digests"),
        "no_trunc": p.get_bool("no_trunc"),
        "filters": _filters(p),
        "format": p.get_str("format"),
    }


PULL_SPEC = Spec(
    flags=(
        flag("-a", "--all-tags"),
        QUIET,
        opt("--platform"),
        ignored("--disable-content-trust"),
    )
)
HISTORY_SPEC = Spec(
    flags=(
        flag("-H", "--human"),
        QUIET,
        flag("--no-trunc"),
        opt("--format"),
        unsupported("--platform"),
    )
)
RMI_SPEC = Spec(flags=(FORCE, flag("--no-prune"), unsupported("--platform")))

IMAGE_COMMANDS: dict[str, Command] = {
    "ls": Command(ImageLsRequest, IMAGES_SPEC, build_images, max_args=1),
    "inspect": Command(
        ImageInspectRequest,
        Spec(flags=(FORMAT, unsupported("--platform"))),
        lambda p: {"images": list(p.positionals), "format": p.get_str("format")},
        min_args=1,
    ),
    "pull": Command(
        PullRequest,
        PULL_SPEC,
        lambda p: {
            "image": p.positionals[0],
            "all_tags": p.get_bool("all_tags"),
            "quiet": p.get_bool("quiet"),
            "platform": p.get_str("platform"),
        },
        min_args=1,
        max_args=1,
    ),
    "history": Command(
        HistoryRequest,
        HISTORY_SPEC,
        lambda p: {
            "image": p.positionals[0],
            "human": p.get_bool("human", default=True),
            "quiet": p.get_bool("quiet"),
            "no_trunc": p.get_bool("no_trunc"),
            "format": p.get_str("format"),
        },
        min_args=1,
        max_args=1,
    ),
    "tag": Command(
        TagRequest,
        Spec(),
        lambda p: {"source": p.positionals[0], "target": p.positionals[1]},
        min_args=2,
        max_args=2,
    ),
    "rm": Command(
        ImageRmRequest,
        RMI_SPEC,
        lambda p: {
            "images": list(p.positionals),
            "force": p.get_bool("force"),
            "no_prune": p.get_bool("no_prune"),
        },
        min_args=1,
    ),
}
IMAGE_COMMANDS["build"] = BUILD
IMAGE_COMMANDS["prune"] = Command(
    ImagePruneRequest,
    Spec(flags=(flag("-a", "--all"), FORCE, unsupported("--filter"))),
    lambda p: {"all": p.get_bool("all"), "force": p.get_bool("force")},
    max_args=0,
)
IMAGE_COMMANDS["list"] = IMAGE_COMMANDS["ls"]
IMAGE_COMMANDS["remove"] = IMAGE_COMMANDS["rm"]

# --- volumes ----------------------------------------------------------------------------------


def build_volume_create(p: Parsed) -> dict[str, Any]:
    names = [*p.positionals, *p.get_list("name")]
    if len(set(names)) > 1:
        raise CommandSyntaxError("sandbox.syntax.max_args_one", command=p.command, count=1)
    return {
        "name": names[0] if names else None,
        "driver": p.get_str("driver"),
        "labels": v.parse_key_values(p.get_list("label"), "--label", p.command),
        "options": v.parse_key_values(p.get_list("opt"), "--opt", p.command),
    }


VOLUME_CREATE_SPEC = Spec(
    flags=(
        opt("-d", "--driver"),
        opt("--label"),
        opt("-o", "--opt"),
        opt("--name"),
        *(
            unsupported(name)
            for name in (
                "--availability",
                "--group",
                "--limit-bytes",
                "--required-bytes",
                "--scope",
                "--secret",
                "--sharing",
                "--topology-preferred",
                "--topology-required",
                "--type",
            )
        ),
    )
)

VOLUME_COMMANDS: dict[str, Command] = {
    "create": Command(VolumeCreateRequest, VOLUME_CREATE_SPEC, build_volume_create, max_args=1),
    "ls": Command(
        VolumeLsRequest,
        Spec(flags=(QUIET, FILTER, opt("--format"), unsupported("--cluster", value=False))),
        lambda p: {
            "quiet": p.get_bool("quiet"),
            "filters": _filters(p),
            "format": p.get_str("format"),
        },
        max_args=0,
    ),
    "inspect": Command(
        VolumeInspectRequest,
        Spec(flags=(FORMAT,)),
        lambda p: {"volumes": list(p.positionals), "format": p.get_str("format")},
        min_args=1,
    ),
    "rm": Command(
        VolumeRmRequest,
        Spec(flags=(FORCE,)),
        lambda p: {"volumes": list(p.positionals), "force": p.get_bool("force")},
        min_args=1,
    ),
    "prune": Command(
        VolumePruneRequest,
        Spec(flags=(flag("-a", "--all"), FORCE, opt("--filter"))),
        lambda p: {**_prune(p), "all": p.get_bool("all")},
        max_args=0,
    ),
}
VOLUME_COMMANDS["list"] = VOLUME_COMMANDS["ls"]
VOLUME_COMMANDS["remove"] = VOLUME_COMMANDS["rm"]

# --- networks ---------------------------------------------------------------------------------

NETWORK_CREATE_SPEC = Spec(
    flags=(
        opt("-d", "--driver"),
        opt("--label"),
        opt("-o", "--opt"),
        flag("--internal"),
        flag("--attachable"),
        flag("--ipv6"),
        opt("--subnet"),
        opt("--gateway"),
        opt("--ip-range"),
        *(
            unsupported(name)
            for name in (
                "--aux-address",
                "--config-from",
                "--ipam-driver",
                "--ipam-opt",
                "--scope",
                "--ipv4",
            )
        ),
        unsupported("--config-only", value=False),
        unsupported("--ingress", value=False),
    )
)


def build_network_create(p: Parsed) -> dict[str, Any]:
    return {
        "name": p.positionals[0],
        "driver": p.get_str("driver"),
        "labels": v.parse_key_values(p.get_list("label"), "--label", p.command),
        "options": v.parse_key_values(p.get_list("opt"), "--opt", p.command),
        "internal": p.get_bool("internal"),
        "attachable": p.get_bool("attachable"),
        "ipv6": p.get_bool("ipv6"),
        "subnet": p.get_list("subnet"),
        "gateway": p.get_list("gateway"),
        "ip_range": p.get_list("ip_range"),
    }


NETWORK_CONNECT_SPEC = Spec(
    flags=(
        opt("--alias"),
        opt("--ip"),
        opt("--ip6"),
        unsupported("--link"),
        unsupported("--link-local-ip"),
        unsupported("--driver-opt"),
        unsupported("--gw-priority"),
    )
)

NETWORK_COMMANDS: dict[str, Command] = {
    "create": Command(
        NetworkCreateRequest, NETWORK_CREATE_SPEC, build_network_create, min_args=1, max_args=1
    ),
    "ls": Command(
        NetworkLsRequest,
        Spec(flags=(QUIET, FILTER, opt("--format"), flag("--no-trunc"))),
        lambda p: {
            "quiet": p.get_bool("quiet"),
            "filters": _filters(p),
            "format": p.get_str("format"),
            "no_trunc": p.get_bool("no_trunc"),
        },
        max_args=0,
    ),
    "inspect": Command(
        NetworkInspectRequest,
        Spec(flags=(FORMAT, flag("-v", "--verbose"))),
        lambda p: {
            "networks": list(p.positionals),
            "format": p.get_str("format"),
            "verbose": p.get_bool("verbose"),
        },
        min_args=1,
    ),
    "rm": Command(
        NetworkRmRequest,
        Spec(flags=(FORCE,)),
        lambda p: {"networks": list(p.positionals), "force": p.get_bool("force")},
        min_args=1,
    ),
    "connect": Command(
        NetworkConnectRequest,
        NETWORK_CONNECT_SPEC,
        lambda p: {
            "network": p.positionals[0],
            "container": p.positionals[1],
            "aliases": p.get_list("alias"),
            "ip": p.get_str("ip"),
            "ip6": p.get_str("ip6"),
        },
        min_args=2,
        max_args=2,
    ),
    "disconnect": Command(
        NetworkDisconnectRequest,
        Spec(flags=(FORCE,)),
        lambda p: {
            "network": p.positionals[0],
            "container": p.positionals[1],
            "force": p.get_bool("force"),
        },
        min_args=2,
        max_args=2,
    ),
    "prune": Command(NetworkPruneRequest, Spec(flags=(FORCE, opt("--filter"))), _prune, max_args=0),
}
NETWORK_COMMANDS["list"] = NETWORK_COMMANDS["ls"]
NETWORK_COMMANDS["remove"] = NETWORK_COMMANDS["rm"]

# --- system -----------------------------------------------------------------------------------

VERSION = Command(VersionRequest, Spec(flags=(FORMAT,)), _format_only, max_args=0)
INFO = Command(InfoRequest, Spec(flags=(FORMAT,)), _format_only, max_args=0)

SYSTEM_COMMANDS: dict[str, Command] = {
    "info": INFO,
    "df": Command(
        SystemDfRequest,
        Spec(flags=(opt("--format"), unsupported("-v", "--verbose", value=False))),
        _format_only,
        max_args=0,
    ),
    "prune": Command(
        SystemPruneRequest,
        Spec(flags=(flag("-a", "--all"), FORCE, flag("--volumes"), opt("--filter"))),
        lambda p: {**_prune(p), "all": p.get_bool("all"), "volumes": p.get_bool("volumes")},
        max_args=0,
    ),
}

_TYPES = ("container", "image", "volume", "network")


def build_inspect(p: Parsed) -> dict[str, Any]:
    kind = p.get_str("type")
    if kind is not None and kind not in _TYPES:
        raise CommandSyntaxError(
            "sandbox.syntax.invalid_value", value=kind, flag="--type", command=p.command
        )
    return {
        "targets": list(p.positionals),
        "type": kind,
        "format": p.get_str("format"),
        "size": p.get_bool("size"),
    }


INSPECT = Command(
    InspectRequest,
    Spec(flags=(FORMAT, flag("-s", "--size"), opt("--type"))),
    build_inspect,
    min_args=1,
)
