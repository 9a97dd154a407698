"""The policy on real command lines: what passes (with images resolved) and each refusal."""

from __future__ import annotations

import re
import string

import pytest

from moussaillon.config import Settings
from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.messages import MESSAGES
from moussaillon.sandbox.parser import UNAVAILABLE, parse
from moussaillon.sandbox.policy import Policy, command_name, normalize_image
from moussaillon.sandbox.requests import PullRequest, RunRequest, TagRequest


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_settings(Settings(_env_file=None))  # type: ignore[call-arg]


ALLOWED: list[tuple[str, str | None]] = [
    ("docker run --rm alpine echo hi", "alpine:latest"),
    ("docker run alpine:latest true", "alpine:latest"),
    ("docker run library/alpine true", "alpine:latest"),
    ("docker run docker.io/library/alpine:latest true", "alpine:latest"),
    ("docker run index.docker.io/library/alpine true", "alpine:latest"),
    ("docker run curlimages/curl --version", "curlimages/curl:latest"),
    ("docker run docker.io/curlimages/curl:latest --version", "curlimages/curl:latest"),
    ("docker run -d --name web -p 8080:80 nginx", "nginx:latest"),
    ("docker run -dit --name box alpine", "alpine:latest"),
    ("docker run -d -t busybox top", "busybox:latest"),
    ("docker run -v data:/data alpine ls /data", "alpine:latest"),
    ("docker run -v /data alpine true", "alpine:latest"),
    ("docker run --mount type=tmpfs,target=/cache alpine true", "alpine:latest"),
    ("docker run --mount source=data,target=/d,readonly alpine true", "alpine:latest"),
    ("docker run --network mynet --network-alias db alpine true", "alpine:latest"),
    ("docker run --network none alpine true", "alpine:latest"),
    ("docker run --network bridge alpine true", "alpine:latest"),
    ("docker run --restart on-failure:3 alpine true", "alpine:latest"),
    ("docker run --restart no alpine true", "alpine:latest"),
    ("docker run --cap-drop ALL alpine true", "alpine:latest"),
    ("docker run -e A=1 -w /tmp -u 1000 -h box -l app=web alpine env", "alpine:latest"),
    ("docker run --pull never --init --read-only alpine true", "alpine:latest"),
    ("docker run --entrypoint '' nginx nginx -v", "nginx:latest"),
    ("docker pull nginx", "nginx:latest"),
    ("docker pull docker.io/library/httpd:latest", "httpd:latest"),
    ("docker exec web ls /", None),
    ("docker exec -d web touch /tmp/x", None),
    ("docker exec -e A=1 -u root -w / web env", None),
    ("docker start web", None),
    ("docker logs -f web", None),
    ("docker ps -a", None),
    ("docker rename web web.2", None),
    ("docker volume create data", None),
    ("docker volume create -d local --label course=1 data", None),
    ("docker volume create", None),
    ("docker network create mynet", None),
    ("docker network create -d bridge --internal --attachable mynet", None),
    ("docker network connect --alias db mynet web", None),
    ("docker top web -o pid,comm", None),
    ("docker top web aux", None),
    ("docker rmi mine", None),
    ("docker system prune -f", None),
    ("docker inspect web", None),
    ("docker help run", None),
    ("docker run --help", None),
]


@pytest.mark.parametrize(("line", "image_ref"), ALLOWED, ids=[c[0][:60] for c in ALLOWED])
def test_allowed_requests_pass_with_images_resolved(
    policy: Policy, line: str, image_ref: str | None
) -> None:
    request = parse(line)
    checked = policy.check(request)
    assert type(checked) is type(request)
    assert getattr(checked, "image_ref", None) == image_ref
    assert checked.model_dump(exclude={"image_ref"}) == request.model_dump(exclude={"image_ref"})


def test_check_returns_a_copy_and_leaves_the_parsed_request_alone(policy: Policy) -> None:
    request = parse("docker run alpine true")
    assert isinstance(request, RunRequest)
    checked = policy.check(request)
    assert request.image_ref is None
    assert isinstance(checked, RunRequest) and checked.image_ref == "alpine:latest"


def test_tag_resolves_its_source(policy: Policy) -> None:
    checked = policy.check(parse("docker tag docker.io/library/busybox mine:v1"))
    assert isinstance(checked, TagRequest)
    assert checked.source_ref == "busybox:latest" and checked.target == "mine:v1"


def test_allowlist_maps_student_names_to_local_references() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, sandbox_images="alpine=moussaillon/alpine:3.20,nginx:1.27=nginx:1.27"
    )
    policy = Policy.from_settings(settings)
    run = policy.check(parse("docker run alpine true"))
    assert isinstance(run, RunRequest) and run.image_ref == "moussaillon/alpine:3.20"
    pull = policy.check(parse("docker pull nginx:1.27"))
    assert isinstance(pull, PullRequest) and pull.image_ref == "nginx:1.27"
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse("docker run nginx true"))
    assert caught.value.key == "sandbox.refused.image_tag"
    assert "1.27" in caught.value.message("en")
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse("docker run busybox true"))
    assert caught.value.key == "sandbox.refused.image"
    assert "alpine, nginx:1.27" in caught.value.message("fr")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("alpine", ("alpine", "latest")),
        ("alpine:3.20", ("alpine", "3.20")),
        ("library/alpine:edge", ("alpine", "edge")),
        ("docker.io/library/alpine", ("alpine", "latest")),
        ("docker.io/curlimages/curl:8.1", ("curlimages/curl", "8.1")),
        ("registry-1.docker.io/library/nginx", ("nginx", "latest")),
        ("ghcr.io/owner/app:1", ("ghcr.io/owner/app", "1")),
        ("localhost:5000/app", None),
        ("Alpine", None),
        ("alpine@sha256:" + "0" * 64, None),
        ("alpine:", None),
        ("", None),
        ("../etc", None),
    ],
)
def test_normalize_image(reference: str, expected: tuple[str, str] | None) -> None:
    assert normalize_image(reference) == expected


REFUSED: list[tuple[str, str]] = [
    ("docker run --memory-swap 1g alpine", "unsupported_flag"),
    ("docker run --add-host x:1.2.3.4 alpine", "unsupported_flag"),
    ("docker run --mount type=volume,source=x,target=/x,volume-opt=o=bind alpine",
     "unsupported_flag"),
    ("docker exec --detach-keys ctrl-x web ls", "unsupported_flag"),
    ("docker pull --platform linux/arm64 alpine", "unsupported_flag"),
    ("docker images --tree", "unsupported_flag"),
    ("docker network create --aux-address a=1.2.3.4 n", "unsupported_flag"),
    ("docker run --privileged alpine", "privileged"),
    ("docker exec --privileged web ls", "privileged"),
    ("docker run --cap-add SYS_ADMIN alpine", "cap_add"),
    ("docker run --device /dev/kvm alpine", "device"),
    ("docker run --pid host alpine", "namespace"),
    ("docker run --pid container:web alpine", "namespace"),
    ("docker run --ipc=host alpine", "namespace"),
    ("docker run --uts host alpine", "namespace"),
    ("docker run --userns host alpine", "namespace"),
    ("docker run --cgroupns host alpine", "namespace"),
    ("docker run --security-opt apparmor=unconfined alpine", "security_opt"),
    ("docker run --runtime nvidia alpine", "runtime"),
    ("docker run --sysctl kernel.shmmax=1 alpine", "sysctl"),
    ("docker run --volumes-from web alpine", "volumes_from"),
    ("docker run --env-file .env alpine", "env_file"),
    ("docker exec --env-file .env web env", "env_file"),
    ("docker run --restart always nginx", "restart"),
    ("docker run --restart unless-stopped nginx", "restart"),
    ("docker run --pull always alpine", "pull_always"),
    ("docker pull -a alpine", "pull_all_tags"),
    ("docker run -v /:/host alpine", "bind"),
    ("docker run -v /etc:/etc:ro alpine", "bind"),
    ("docker run -v ./site:/usr/share/nginx/html nginx", "bind"),
    ("docker run -v ~/x:/y alpine", "bind"),
    ('docker run -v "$(pwd)":/app alpine', "bind"),
    ("docker run --mount type=bind,source=/,target=/host alpine", "bind"),
    ("docker run -v /var/run/docker.sock:/var/run/docker.sock alpine", "docker_socket"),
    ("docker run -v /run/docker.sock:/s alpine", "docker_socket"),
    ("docker run --name -web alpine", "invalid_name"),
    ("docker run --name 'my web' alpine", "invalid_name"),
    ("docker run --name " + "a" * 65 + " alpine", "invalid_name"),
    ("docker run -v 'x:/x' alpine", "invalid_name"),
    ("docker run -v 'bad name:/x' alpine", "invalid_name"),
    ("docker run --network 'bad/net' alpine", "invalid_name"),
    ("docker run --network-alias '-db' --network n alpine", "invalid_name"),
    ("docker rename web 'new name'", "invalid_name"),
    ("docker volume create x", "invalid_name"),
    ("docker network create bad/name", "invalid_name"),
    ("docker network connect --alias 'a b' n web", "invalid_name"),
    ("docker run -l moussaillon.owner=u1 alpine", "reserved_label"),
    ("docker volume create --label moussaillon.sandbox=1 data", "reserved_label"),
    ("docker network create --label moussaillon.owner=u2 n", "reserved_label"),
    ("docker run --network host alpine", "network_host"),
    ("docker network connect host web", "network_host"),
    ("docker run --network container:web alpine", "network_container"),
    ("docker volume create -d nfs data", "volume_driver"),
    ("docker volume create -o type=none -o device=/ -o o=bind data", "volume_options"),
    ("docker network create -d overlay n", "network_driver"),
    ("docker network create -d macvlan n", "network_driver"),
    ("docker network create -o com.docker.network.bridge.name=eth0 n", "network_options"),
    ("docker network create --subnet 10.0.0.0/8 n", "network_ipam"),
    ("docker network create --gateway 10.0.0.1 n", "network_ipam"),
    ("docker network create bridge", "network_builtin"),
    ("docker network create host", "network_builtin"),
    ("docker tag alpine MyImage", "invalid_reference"),
    ("docker tag alpine 'a b'", "invalid_reference"),
    ("docker top web '$(reboot)'", "top_args"),
    ("docker top web 'a;b'", "top_args"),
    ("docker run ubuntu bash", "image"),
    ("docker run alpine@sha256:" + "0" * 64 + " true", "image"),
    ("docker run ghcr.io/x/alpine true", "image"),
    ("docker run Alpine true", "image"),
    ("docker pull ubuntu", "image"),
    ("docker tag ubuntu mine", "image"),
    ("docker run alpine:3.19 true", "image_tag"),
    ("docker pull nginx:alpine", "image_tag"),
    ("docker checkpoint ls", "command.generic"),
    *((f"docker {command}", f"command.{command.replace(' ', '_')}") for command in sorted(
        UNAVAILABLE - {"checkpoint", "debug", "init", "scout"}
    )),
    ("docker debug web", "command.generic"),
    ("docker image push mine", "command.push"),
]  # fmt: skip

INSTEAD_EN = re.compile(
    r"\b(remove|use|run|pass|pick|type|create|put|mount|see|keep|show|look|start|carry on)\b",
    re.IGNORECASE,
)
INSTEAD_FR = re.compile(
    r"\b(retirez|utilisez|lancez|passez|choisissez|tapez|créez|mettez|montez|voyez|gardez"
    r"|affichez|regardez|recréez|supprimez|continuez)",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("line", "key"), REFUSED, ids=[c[0][:60] for c in REFUSED])
def test_refusals_say_why_and_what_to_do_instead(policy: Policy, line: str, key: str) -> None:
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse(line))
    assert caught.value.key == f"sandbox.refused.{key}"
    french, english = caught.value.message("fr"), caught.value.message("en")
    assert french and english and french != english
    assert "\n" not in english and "\n" not in french, "a refusal is one line"
    assert INSTEAD_EN.search(english), english
    assert INSTEAD_FR.search(french), french
    assert "{" not in english + french


def test_every_refusal_message_is_exercised() -> None:
    tested = {f"sandbox.refused.{key}" for _, key in REFUSED}
    defined = {key for key in MESSAGES if key.startswith("sandbox.refused.")}
    assert defined - tested == set()


def test_refusal_names_the_exact_flag(policy: Policy) -> None:
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse("docker run --cpuset-cpus 0 alpine"))
    assert "--cpuset-cpus" in caught.value.message("en")
    assert "docker run" in caught.value.message("en")
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse("docker run --pid=host alpine"))
    assert "--pid host" in caught.value.message("fr")


def test_refused_image_lists_the_allowed_ones(policy: Policy) -> None:
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse("docker run ubuntu true"))
    message = caught.value.message("en")
    for name in ("alpine", "busybox", "nginx", "curlimages/curl"):
        assert name in message


@pytest.mark.parametrize(
    ("verb", "name"),
    [
        ("container.run", "docker run"),
        ("container.ls", "docker ps"),
        ("image.ls", "docker images"),
        ("image.rm", "docker rmi"),
        ("image.inspect", "docker image inspect"),
        ("volume.create", "docker volume create"),
        ("system.version", "docker version"),
        ("system.prune", "docker system prune"),
        ("inspect", "docker inspect"),
    ],
)
def test_command_name(verb: str, name: str) -> None:
    assert command_name(verb) == name


def test_both_languages_use_the_same_placeholders() -> None:
    formatter = string.Formatter()
    for key, texts in MESSAGES.items():
        fields = [{f for _, f, _, _ in formatter.parse(texts[lang]) if f} for lang in ("fr", "en")]
        assert fields[0] == fields[1], key


# --- docker build: flags the sandbox forces itself, contexts it cannot fetch --------------------

BUILD_ALLOWED = [
    "docker build .",
    "docker build -t app:1 -t app:latest .",
    "docker build -f app/Dockerfile.prod -t app app",
    "docker build -f Dockerfile.outside app",
    "docker build ./app/",
    "docker build --build-arg V=1 --target build --no-cache --pull -q --label k=v .",
    "docker build --rm --force-rm .",
]

BUILD_REFUSED: list[tuple[str, str]] = [
    ("docker build --network none .", "build.policy.network"),
    ("docker build --network=host .", "build.policy.network"),
    ("docker build --secret id=token,src=t .", "build.policy.secret"),
    ("docker build --ssh default .", "build.policy.secret"),
    ("docker build --platform linux/arm64 .", "build.policy.platform"),
    ("docker build -o type=local,dest=out .", "build.policy.output"),
    ("docker build --output out .", "build.policy.output"),
    ("docker build --push -t app .", "build.policy.output"),
    ("docker build --load .", "build.policy.output"),
    ("docker build --cache-from app:1 .", "build.policy.cache"),
    ("docker build --cache-to type=inline .", "build.policy.cache"),
    ("docker build --iidfile id.txt .", "build.policy.iidfile"),
    ("docker build --metadata-file m.json .", "build.policy.iidfile"),
    ("docker build --isolation hyperv .", "build.policy.limits"),
    ("docker build --cgroup-parent /x .", "build.policy.limits"),
    ("docker build --memory 4g .", "build.policy.limits"),
    ("docker build -m 4g .", "build.policy.limits"),
    ("docker build --memory-swap -1 .", "build.policy.limits"),
    ("docker build -c 1024 .", "build.policy.limits"),
    ("docker build --cpu-quota 100000 .", "build.policy.limits"),
    ("docker build --shm-size 1g .", "build.policy.limits"),
    ("docker build --ulimit nproc=100000 .", "build.policy.limits"),
    ("docker build --add-host db:10.0.0.1 .", "build.policy.add_host"),
    ("docker build --security-opt seccomp=unconfined .", "build.policy.security_opt"),
    ("docker build --builder x .", "build.policy.buildx"),
    ("docker build --build-context x=y .", "build.policy.buildx"),
    ("docker build --squash .", "refused.unsupported_flag"),
    ("docker build -", "build.policy.stdin"),
    ("docker build -f - .", "build.policy.stdin"),
    ("docker build https://example.com/ctx.tar.gz", "build.policy.url"),
    ("docker build http://example.com/", "build.policy.url"),
    ("docker build ftp://example.com/x", "build.policy.url"),
    ("docker build https://github.com/docker/app.git", "build.policy.git"),
    ("docker build https://github.com/docker/app.git#main:sub", "build.policy.git"),
    ("docker build git@github.com:docker/app.git", "build.policy.git"),
    ("docker build git://example.com/app", "build.policy.git"),
    ("docker build github.com/docker/app", "build.policy.git"),
    ("docker build /etc", "build.context.invalid"),
    ("docker build ../other", "build.context.invalid"),
    ("docker build -f /etc/passwd .", "build.context.invalid"),
    ("docker build -f ../Dockerfile .", "build.context.invalid"),
    ("docker build " + " ".join(f"-t a:{i}" for i in range(11)) + " .",
     "build.policy.too_many_tags"),
    ("docker build --label moussaillon.owner=u1 .", "refused.reserved_label"),
]  # fmt: skip

BUILD_INSTEAD_EN = re.compile(r"\b(remove|use|pass|send|keep|name|give|pick)\b", re.IGNORECASE)
BUILD_INSTEAD_FR = re.compile(
    r"\b(retirez|utilisez|passez|envoyez|gardez|nommez|donnez|choisissez)", re.IGNORECASE
)


@pytest.mark.parametrize("line", BUILD_ALLOWED)
def test_build_lines_the_sandbox_builds_pass_unchanged(policy: Policy, line: str) -> None:
    request = parse(line)
    assert policy.check(request) == request


@pytest.mark.parametrize(("line", "key"), BUILD_REFUSED, ids=[c[0][:60] for c in BUILD_REFUSED])
def test_build_refusals_say_why_and_what_to_do_instead(policy: Policy, line: str, key: str) -> None:
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse(line))
    assert caught.value.key == f"sandbox.{key}"
    french, english = caught.value.message("fr"), caught.value.message("en")
    assert french != english
    assert "\n" not in english + french, "a refusal is one line"
    assert BUILD_INSTEAD_EN.search(english), english
    assert BUILD_INSTEAD_FR.search(french), french
    assert "{" not in english + french


def test_build_refusal_names_the_flag_as_typed(policy: Policy) -> None:
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse("docker build -m 4g ."))
    assert caught.value.message("en").startswith("-m is not available")
    with pytest.raises(SandboxRefused) as caught:
        policy.check(parse("docker build --cpu-period=1000 ."))
    assert caught.value.message("fr").startswith("--cpu-period n'est pas disponible")


def test_every_build_policy_message_is_exercised() -> None:
    from moussaillon.sandbox.build_messages import MESSAGES as BUILD_MESSAGES

    tested = {f"sandbox.{key}" for _, key in BUILD_REFUSED}
    defined = {key for key in BUILD_MESSAGES if key.startswith("sandbox.build.policy.")}
    assert defined - tested == set()


def test_buildx_and_builder_point_to_docker_build(policy: Policy) -> None:
    for line in ("docker buildx build -t app .", "docker buildx ls", "docker builder prune"):
        with pytest.raises(SandboxRefused) as caught:
            policy.check(parse(line))
        assert "docker build -t" in caught.value.message("en")
        assert "\n" not in caught.value.message("fr")
