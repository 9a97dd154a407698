"""The ``docker container …`` commands (and their short aliases ``run``, ``ps``, ``logs`` …)."""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser import values as v
from moussaillon.sandbox.parser.flags import Parsed, Spec, flag, ignored, opt, unsupported
from moussaillon.sandbox.parser.table import Command
from moussaillon.sandbox.requests import (
    AttachRequest,
    ContainerInspectRequest,
    ContainerLsRequest,
    ContainerPruneRequest,
    CreateRequest,
    DiffRequest,
    ExecRequest,
    KillRequest,
    LogsRequest,
    PauseRequest,
    PortRequest,
    RenameRequest,
    RestartRequest,
    RmRequest,
    RunRequest,
    StartRequest,
    StatsRequest,
    StopRequest,
    TopRequest,
    UnpauseRequest,
    WaitRequest,
)

FORMAT = opt("-f", "--format")
FILTER = opt("-f", "--filter", dest="filter")
LONG_FILTER = opt("--filter")

_UNSUPPORTED_RUN_VALUES = (
    "-a --attach", "--add-host", "--annotation", "--blkio-weight", "--blkio-weight-device",
    "--cgroup-parent", "--cidfile", "--cpu-period", "--cpu-quota", "--cpu-rt-period",
    "--cpu-rt-runtime", "-c --cpu-shares", "--cpuset-cpus", "--cpuset-mems",
    "--device-cgroup-rule", "--device-read-bps", "--device-read-iops", "--device-write-bps",
    "--device-write-iops", "--detach-keys", "--dns", "--dns-option", "--dns-search",
    "--domainname", "--gpus", "--group-add", "--health-start-interval",
    "--ip", "--ip6", "--isolation", "--kernel-memory", "--label-file", "--link",
    "--link-local-ip", "--log-driver", "--log-opt", "--mac-address",
    "--memory-reservation", "--memory-swap", "--memory-swappiness", "--oom-score-adj",
    "--pids-limit", "--platform", "--shm-size", "--stop-timeout", "--storage-opt", "--ulimit",
    "--volume-driver",
)  # fmt: skip

RUN_SPEC = Spec(
    flags=(
        flag("-d", "--detach"),
        flag("--rm", dest="remove"),
        flag("-i", "--interactive"),
        flag("-t", "--tty"),
        flag("-P", "--publish-all"),
        flag("--privileged"),
        flag("--init"),
        flag("--read-only"),
        opt("--name"),
        opt("-e", "--env"),
        opt("--env-file"),
        opt("-p", "--publish"),
        opt("--expose"),
        opt("-v", "--volume"),
        opt("--mount"),
        opt("--tmpfs"),
        opt("--network", "--net", dest="network"),
        opt("--network-alias", "--net-alias", dest="network_alias"),
        opt("-w", "--workdir"),
        opt("-h", "--hostname"),
        opt("-u", "--user"),
        opt("-l", "--label"),
        opt("--restart"),
        opt("--entrypoint"),
        opt("--pull"),
        opt("--stop-signal"),
        opt("--health-cmd"),
        opt("--health-interval"),
        opt("--health-timeout"),
        opt("--health-start-period"),
        opt("--health-retries"),
        flag("--no-healthcheck"),
        opt("-m", "--memory"),
        opt("--cpus"),
        opt("--cap-add"),
        opt("--cap-drop"),
        opt("--device"),
        opt("--pid"),
        opt("--ipc"),
        opt("--uts"),
        opt("--userns"),
        opt("--cgroupns"),
        opt("--security-opt"),
        opt("--runtime"),
        opt("--sysctl"),
        opt("--volumes-from"),
        ignored("--sig-proxy"),
        ignored("-q", "--quiet"),
        ignored("--disable-content-trust"),
        unsupported("--oom-kill-disable", value=False),
        unsupported("--use-api-socket", value=False),
        *(unsupported(*names.split()) for names in _UNSUPPORTED_RUN_VALUES),
    ),
    interspersed=False,
    short_help=False,
)


def _mounts(p: Parsed, unsupported_seen: list[str]) -> list[Any]:
    mounts = [v.parse_volume(value) for value in p.get_list("volume")]
    for value in p.get_list("mount"):
        mount, keys = v.parse_mount(value)
        mounts.append(mount)
        unsupported_seen.extend(key for key in keys if key not in unsupported_seen)
    mounts.extend(v.parse_tmpfs(value) for value in p.get_list("tmpfs"))
    return mounts


def _entrypoint(p: Parsed) -> list[str] | None:
    if not p.has("entrypoint"):
        return None
    value = p.get_str("entrypoint") or ""
    return [value] if value else []


def _pull(p: Parsed) -> str | None:
    value = p.get_str("pull")
    if value is not None and value not in ("always", "missing", "never"):
        raise CommandSyntaxError(
            "sandbox.syntax.invalid_value",
            value=value,
            flag="--pull",
            command=p.command,
            checked=True,
            reason=f'invalid pull option: \'{value}\': must be one of "always", "missing"'
            ' or "never"',
        )
    return value


def build_create(p: Parsed) -> dict[str, Any]:
    """Nothing runs in the foreground: ``-it`` only prepares a terminal for a later start."""
    return {**build_run(p), "detach": True}


def build_run(p: Parsed) -> dict[str, Any]:
    image, *command = p.positionals
    extra: list[str] = []
    restart = p.get_str("restart")
    result: dict[str, Any] = {
        "image": image,
        "command": command,
        "entrypoint": _entrypoint(p),
        "name": p.get_str("name"),
        "detach": p.get_bool("detach"),
        "remove": p.get_bool("remove"),
        "env": [v.parse_env(value) for value in p.get_list("env")],
        "publish": [port for value in p.get_list("publish") for port in v.parse_ports(value)],
        "publish_all": p.get_bool("publish_all"),
        "expose": p.get_list("expose"),
        "mounts": _mounts(p, extra),
        "network": p.get_str("network"),
        "network_aliases": p.get_list("network_alias"),
        "workdir": p.get_str("workdir"),
        "hostname": p.get_str("hostname"),
        "user": p.get_str("user"),
        "labels": v.parse_key_values(p.get_list("label"), "--label", p.command),
        "restart": v.parse_restart(restart) if restart is not None else None,
        "init": p.get_bool("init"),
        "read_only": p.get_bool("read_only"),
        "pull": _pull(p),
        "stop_signal": p.get_str("stop_signal"),
        "healthcheck": v.parse_healthcheck(
            p.get_str("health_cmd"),
            {k: p.get_str(f"health_{k}") for k in ("interval", "timeout", "start_period")},
            p.get_str("health_retries"),
            p.get_bool("no_healthcheck"),
        ),
        "memory": v.parse_memory(p.get_str("memory"), p.shown.get("memory", "-m, --memory")),
        "cpus": v.parse_cpus(p.get_str("cpus")),
        "privileged": p.get_bool("privileged"),
        "cap_add": p.get_list("cap_add"),
        "cap_drop": p.get_list("cap_drop"),
        "devices": p.get_list("device"),
        "pid": p.get_str("pid"),
        "ipc": p.get_str("ipc"),
        "uts": p.get_str("uts"),
        "userns": p.get_str("userns"),
        "cgroupns": p.get_str("cgroupns"),
        "security_opt": p.get_list("security_opt"),
        "runtime": p.get_str("runtime"),
        "sysctls": v.parse_key_values(p.get_list("sysctl"), "--sysctl", p.command),
        "volumes_from": p.get_list("volumes_from"),
        "interactive": p.get_bool("interactive"),
        "tty": p.get_bool("tty"),
        "env_file": p.get_list("env_file"),
    }
    if extra:
        result["unsupported"] = [*p.unsupported, *extra]
    return result


EXEC_SPEC = Spec(
    flags=(
        flag("-d", "--detach"),
        flag("-i", "--interactive"),
        flag("-t", "--tty"),
        flag("--privileged"),
        opt("-e", "--env"),
        opt("--env-file"),
        opt("-w", "--workdir"),
        opt("-u", "--user"),
        unsupported("--detach-keys"),
    ),
    interspersed=False,
)


def build_exec(p: Parsed) -> dict[str, Any]:
    container, *command = p.positionals
    return {
        "container": container,
        "command": command,
        "env": [v.parse_env(value) for value in p.get_list("env")],
        "env_file": p.get_list("env_file"),
        "workdir": p.get_str("workdir"),
        "user": p.get_str("user"),
        "detach": p.get_bool("detach"),
        "interactive": p.get_bool("interactive"),
        "tty": p.get_bool("tty"),
        "privileged": p.get_bool("privileged"),
    }


ATTACH_SPEC = Spec(
    flags=(
        flag("--no-stdin"),
        ignored("--sig-proxy"),
        unsupported("--detach-keys"),
    )
)


def build_attach(p: Parsed) -> dict[str, Any]:
    return {
        "container": p.positionals[0],
        "no_stdin": p.get_bool("no_stdin"),
    }


PS_SPEC = Spec(
    flags=(
        flag("-a", "--all"),
        flag("-q", "--quiet"),
        flag("-l", "--latest"),
        flag("--no-trunc"),
        flag("-s", "--size"),
        opt("-n", "--last"),
        opt("-f", "--filter"),
        opt("--format"),
    )
)


def build_ps(p: Parsed) -> dict[str, Any]:
    return {
        "all": p.get_bool("all"),
        "quiet": p.get_bool("quiet"),
        "latest": p.get_bool("latest"),
        "last": p.get_int("last"),
        "filters": v.parse_filters(p.get_list("filter")),
        "format": p.get_str("format"),
        "no_trunc": p.get_bool("no_trunc"),
        "size": p.get_bool("size"),
    }


LOGS_SPEC = Spec(
    flags=(
        flag("-f", "--follow"),
        flag("-t", "--timestamps"),
        flag("--details"),
        opt("-n", "--tail"),
        opt("--since"),
        opt("--until"),
    )
)


def build_logs(p: Parsed) -> dict[str, Any]:
    tail = p.get_str("tail")
    return {
        "container": p.positionals[0],
        "follow": p.get_bool("follow"),
        "timestamps": p.get_bool("timestamps"),
        "details": p.get_bool("details"),
        "tail": None if tail is None or tail == "all" else p.get_int("tail"),
        "since": p.get_str("since"),
        "until": p.get_str("until"),
    }


def _containers(p: Parsed) -> dict[str, Any]:
    return {"containers": list(p.positionals)}


STOP_SPEC = Spec(flags=(opt("-t", "--time", "--timeout", dest="time"), opt("-s", "--signal")))


def build_stop(p: Parsed) -> dict[str, Any]:
    return {**_containers(p), "time": p.get_int("time"), "signal": p.get_str("signal")}


START_SPEC = Spec(
    flags=(
        flag("-a", "--attach"),
        flag("-i", "--interactive"),
        unsupported("--detach-keys"),
        unsupported("--checkpoint"),
        unsupported("--checkpoint-dir"),
    )
)


def build_start(p: Parsed) -> dict[str, Any]:
    return {
        **_containers(p),
        "attach": p.get_bool("attach"),
        "interactive": p.get_bool("interactive"),
    }


KILL_SPEC = Spec(flags=(opt("-s", "--signal"),))
RM_SPEC = Spec(flags=(flag("-f", "--force"), flag("-v", "--volumes"), unsupported("-l", "--link")))
INSPECT_SPEC = Spec(flags=(FORMAT, flag("-s", "--size")))
STATS_SPEC = Spec(
    flags=(flag("-a", "--all"), flag("--no-stream"), flag("--no-trunc"), opt("--format"))
)
PRUNE_SPEC = Spec(flags=(flag("-f", "--force"), LONG_FILTER))


def build_port(p: Parsed) -> dict[str, Any]:
    result: dict[str, Any] = {"container": p.positionals[0]}
    if len(p.positionals) > 1:
        result["port"], result["protocol"] = v.parse_container_port(p.positionals[1])
    return result


def build_stats(p: Parsed) -> dict[str, Any]:
    return {
        **_containers(p),
        "all": p.get_bool("all"),
        "no_stream": p.get_bool("no_stream"),
        "no_trunc": p.get_bool("no_trunc"),
        "format": p.get_str("format"),
    }


def _positional_command(model: type) -> Command:
    return Command(model, Spec(), _containers, min_args=1)


CONTAINER_COMMANDS: dict[str, Command] = {
    "run": Command(RunRequest, RUN_SPEC, build_run, min_args=1),
    "create": Command(CreateRequest, RUN_SPEC, build_create, min_args=1),
    "diff": Command(
        DiffRequest, Spec(), lambda p: {"container": p.positionals[0]}, min_args=1, max_args=1
    ),
    "exec": Command(ExecRequest, EXEC_SPEC, build_exec, min_args=2),
    "attach": Command(AttachRequest, ATTACH_SPEC, build_attach, min_args=1, max_args=1),
    "ls": Command(ContainerLsRequest, PS_SPEC, build_ps, max_args=0),
    "logs": Command(LogsRequest, LOGS_SPEC, build_logs, min_args=1, max_args=1),
    "stop": Command(StopRequest, STOP_SPEC, build_stop, min_args=1),
    "start": Command(StartRequest, START_SPEC, build_start, min_args=1),
    "restart": Command(RestartRequest, STOP_SPEC, build_stop, min_args=1),
    "kill": Command(
        KillRequest, KILL_SPEC, lambda p: {**_containers(p), "signal": p.get_str("signal")}, 1
    ),
    "rm": Command(
        RmRequest,
        RM_SPEC,
        lambda p: {
            **_containers(p),
            "force": p.get_bool("force"),
            "volumes": p.get_bool("volumes"),
        },
        min_args=1,
    ),
    "inspect": Command(
        ContainerInspectRequest,
        INSPECT_SPEC,
        lambda p: {**_containers(p), "format": p.get_str("format"), "size": p.get_bool("size")},
        min_args=1,
    ),
    "stats": Command(StatsRequest, STATS_SPEC, build_stats),
    "top": Command(
        TopRequest,
        Spec(interspersed=False),
        lambda p: {"container": p.positionals[0], "ps_args": p.positionals[1:]},
        min_args=1,
    ),
    "port": Command(PortRequest, Spec(), build_port, min_args=1, max_args=2),
    "rename": Command(
        RenameRequest,
        Spec(),
        lambda p: {"container": p.positionals[0], "new_name": p.positionals[1]},
        min_args=2,
        max_args=2,
    ),
    "pause": _positional_command(PauseRequest),
    "unpause": _positional_command(UnpauseRequest),
    "wait": _positional_command(WaitRequest),
    "prune": Command(
        ContainerPruneRequest,
        PRUNE_SPEC,
        lambda p: {"force": p.get_bool("force"), "filters": v.parse_filters(p.get_list("filter"))},
        max_args=0,
    ),
}
CONTAINER_COMMANDS["list"] = CONTAINER_COMMANDS["ps"] = CONTAINER_COMMANDS["ls"]
CONTAINER_COMMANDS["remove"] = CONTAINER_COMMANDS["rm"]
