"""Real docker command lines, as students type them, through the parser."""

from __future__ import annotations

import random
from typing import Any

import pytest

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser import MAX_LINE_BYTES, parse
from moussaillon.sandbox.requests import (
    VERBS,
    EnvVar,
    Filter,
    Mount,
    PortMapping,
    RestartPolicy,
)
from tests.sandbox.test_parser_projects import PROJECT_LINES

P = PortMapping
VOL = Mount

VALID: list[tuple[str, str, dict[str, Any]]] = [
    # --- run ---
    ("docker run --rm alpine cat /etc/hostname", "container.run",
     {"image": "alpine", "remove": True, "command": ["cat", "/etc/hostname"], "detach": False}),
    ("docker run alpine", "container.run", {"image": "alpine", "command": []}),
    ("Docker run alpine", "container.run", {"image": "alpine"}),
    ("  docker   run   alpine   echo  hi  ", "container.run", {"command": ["echo", "hi"]}),
    ("docker container run -d nginx", "container.run", {"image": "nginx", "detach": True}),
    ("docker run -dit alpine", "container.run",
     {"detach": True, "interactive": True, "tty": True}),
    ("docker run -itd alpine sh", "container.run",
     {"detach": True, "interactive": True, "tty": True, "command": ["sh"]}),
    ("docker run -it alpine sh", "container.run", {"interactive": True, "tty": True}),
    ("docker run -d=false alpine", "container.run", {"detach": False}),
    ("docker run --rm=false alpine", "container.run", {"remove": False}),
    ("docker run --detach=true alpine", "container.run", {"detach": True}),
    ("docker run --name web -d nginx", "container.run", {"name": "web", "detach": True}),
    ("docker run --name=web nginx", "container.run", {"name": "web"}),
    ("docker run -p 8080:80 nginx", "container.run",
     {"publish": [P(host_port=8080, container_port=80)]}),
    ("docker run -p8080:80 nginx", "container.run",
     {"publish": [P(host_port=8080, container_port=80)]}),
    ("docker run -p=8080:80 nginx", "container.run",
     {"publish": [P(host_port=8080, container_port=80)]}),
    ("docker run -p 80 nginx", "container.run", {"publish": [P(container_port=80)]}),
    ("docker run -p 127.0.0.1:8080:80 nginx", "container.run",
     {"publish": [P(host_ip="127.0.0.1", host_port=8080, container_port=80)]}),
    ("docker run -p 127.0.0.1::80 nginx", "container.run",
     {"publish": [P(host_ip="127.0.0.1", container_port=80)]}),
    ("docker run -p [::1]:8080:80 nginx", "container.run",
     {"publish": [P(host_ip="::1", host_port=8080, container_port=80)]}),
    ("docker run -p 53:53/udp alpine", "container.run",
     {"publish": [P(host_port=53, container_port=53, protocol="udp")]}),
    ("docker run -p 8000-8001:80-81 nginx", "container.run",
     {"publish": [P(host_port=8000, container_port=80), P(host_port=8001, container_port=81)]}),
    ("docker run -p 8080:80 -p 8443:443 nginx", "container.run",
     {"publish": [P(host_port=8080, container_port=80), P(host_port=8443, container_port=443)]}),
    ("docker run --publish 9000:9000/tcp alpine", "container.run",
     {"publish": [P(host_port=9000, container_port=9000)]}),
    ("docker run -P nginx", "container.run", {"publish_all": True}),
    ("docker run -e FOO=bar alpine env", "container.run",
     {"env": [EnvVar(key="FOO", value="bar")], "command": ["env"]}),
    ("docker run -eFOO=bar alpine", "container.run", {"env": [EnvVar(key="FOO", value="bar")]}),
    ("docker run -e FOO alpine", "container.run", {"env": [EnvVar(key="FOO", value=None)]}),
    ("docker run -e FOO= alpine", "container.run", {"env": [EnvVar(key="FOO", value="")]}),
    ("docker run -e A=1 -e B=x=y alpine", "container.run",
     {"env": [EnvVar(key="A", value="1"), EnvVar(key="B", value="x=y")]}),
    ("docker run --env 'MSG=hello world' alpine", "container.run",
     {"env": [EnvVar(key="MSG", value="hello world")]}),
    ("docker run -v data:/data alpine", "container.run",
     {"mounts": [VOL(type="volume", source="data", target="/data")]}),
    ("docker run -v data:/data:ro alpine", "container.run",
     {"mounts": [VOL(type="volume", source="data", target="/data", read_only=True)]}),
    ("docker run -v /data alpine", "container.run",
     {"mounts": [VOL(type="volume", source=None, target="/data")]}),
    ("docker run -v /data:ro alpine", "container.run",
     {"mounts": [VOL(type="volume", target="/data", read_only=True)]}),
    ("docker run -v /:/host alpine", "container.run",
     {"mounts": [VOL(type="bind", source="/", target="/host")]}),
    ("docker run -v /var/run/docker.sock:/var/run/docker.sock alpine", "container.run",
     {"mounts": [VOL(type="bind", source="/var/run/docker.sock", target="/var/run/docker.sock")]}),
    ("docker run -v ./site:/usr/share/nginx/html nginx", "container.run",
     {"mounts": [VOL(type="bind", source="./site", target="/usr/share/nginx/html")]}),
    ('docker run -v "$(pwd)":/app alpine', "container.run",
     {"mounts": [VOL(type="bind", source="$(pwd)", target="/app")]}),
    ("docker run -v $PWD/site:/app alpine", "container.run",
     {"mounts": [VOL(type="bind", source="$PWD/site", target="/app")]}),
    ("docker run -v ~/x:/y alpine", "container.run",
     {"mounts": [VOL(type="bind", source="~/x", target="/y")]}),
    ("docker run -v data:/data:rw,nocopy alpine", "container.run",
     {"mounts": [VOL(type="volume", source="data", target="/data")]}),
    ("docker run --mount type=volume,source=data,target=/data alpine", "container.run",
     {"mounts": [VOL(type="volume", source="data", target="/data")]}),
    ("docker run --mount source=data,target=/data,readonly alpine", "container.run",
     {"mounts": [VOL(type="volume", source="data", target="/data", read_only=True)]}),
    ("docker run --mount type=volume,src=data,dst=/data,ro=true alpine", "container.run",
     {"mounts": [VOL(type="volume", source="data", target="/data", read_only=True)]}),
    ("docker run --mount type=volume,target=/data alpine", "container.run",
     {"mounts": [VOL(type="volume", source=None, target="/data")]}),
    ("docker run --mount type=bind,source=/etc,target=/x alpine", "container.run",
     {"mounts": [VOL(type="bind", source="/etc", target="/x")]}),
    ("docker run --mount type=tmpfs,destination=/cache,tmpfs-size=1m alpine", "container.run",
     {"mounts": [VOL(type="tmpfs", target="/cache")]}),
    ("docker run --mount type=volume,source=x,target=/x,volume-opt=o=bind alpine",
     "container.run", {"unsupported": ["--mount volume-opt"]}),
    ("docker run --tmpfs /run:rw,size=1m alpine", "container.run",
     {"mounts": [VOL(type="tmpfs", target="/run")]}),
    ("docker run --network mynet alpine", "container.run", {"network": "mynet"}),
    ("docker run --net=host alpine", "container.run", {"network": "host"}),
    ("docker run --network container:web alpine", "container.run",
     {"network": "container:web"}),
    ("docker run --network mynet --network-alias db --net-alias base alpine", "container.run",
     {"network_aliases": ["db", "base"]}),
    ("docker run -w /tmp alpine pwd", "container.run", {"workdir": "/tmp", "command": ["pwd"]}),
    ("docker run -h box alpine hostname", "container.run", {"hostname": "box"}),
    ("docker run -u 1000:1000 alpine id", "container.run", {"user": "1000:1000"}),
    ("docker run -l app=web -l tier alpine", "container.run",
     {"labels": {"app": "web", "tier": ""}}),
    ("docker run --restart on-failure:3 alpine", "container.run",
     {"restart": RestartPolicy(name="on-failure", max_retries=3)}),
    ("docker run --restart=always nginx", "container.run",
     {"restart": RestartPolicy(name="always")}),
    ("docker run --restart no alpine", "container.run", {"restart": RestartPolicy(name="no")}),
    ("docker run --entrypoint ls alpine -la", "container.run",
     {"entrypoint": ["ls"], "command": ["-la"]}),
    ("docker run --entrypoint '' nginx", "container.run", {"entrypoint": []}),
    ("docker run --privileged alpine", "container.run", {"privileged": True}),
    ("docker run --cap-add NET_ADMIN --cap-drop ALL alpine", "container.run",
     {"cap_add": ["NET_ADMIN"], "cap_drop": ["ALL"]}),
    ("docker run --device /dev/sda alpine", "container.run", {"devices": ["/dev/sda"]}),
    ("docker run --pid=host alpine", "container.run", {"pid": "host"}),
    ("docker run --ipc host --uts host --userns host --cgroupns host alpine", "container.run",
     {"ipc": "host", "uts": "host", "userns": "host", "cgroupns": "host"}),
    ("docker run --security-opt seccomp=unconfined alpine", "container.run",
     {"security_opt": ["seccomp=unconfined"]}),
    ("docker run --runtime runc alpine", "container.run", {"runtime": "runc"}),
    ("docker run --sysctl net.ipv4.ip_forward=1 alpine", "container.run",
     {"sysctls": {"net.ipv4.ip_forward": "1"}}),
    ("docker run --volumes-from web alpine", "container.run", {"volumes_from": ["web"]}),
    ("docker run --env-file .env alpine", "container.run", {"env_file": [".env"]}),
    ("docker run --memory 64m --cpus 1 alpine", "container.run",
     {"memory": 64 * 1024 * 1024, "cpus": 1.0, "unsupported": []}),
    ("docker run -m 1.5g --cpuset-cpus 0 alpine", "container.run",
     {"memory": 1536 * 1024 * 1024, "unsupported": ["--cpuset-cpus"]}),
    ("docker create -it --name web alpine sh", "container.create",
     {"image": "alpine", "detach": True, "tty": True, "interactive": True, "name": "web"}),
    ("docker diff web", "container.diff", {"container": "web"}),
    ("docker container diff web", "container.diff", {"container": "web"}),
    ("docker run -m 64m alpine", "container.run", {"memory": 64 * 1024 * 1024, "unsupported": []}),
    ("docker run --sig-proxy=false alpine", "container.run", {"unsupported": []}),
    ("docker run --init --read-only alpine", "container.run", {"init": True, "read_only": True}),
    ("docker run --pull never alpine", "container.run", {"pull": "never"}),
    ("docker run --stop-signal SIGINT alpine", "container.run", {"stop_signal": "SIGINT"}),
    ("docker run --expose 80 alpine", "container.run", {"expose": ["80"]}),
    ("docker run alpine ls --help", "container.run", {"command": ["ls", "--help"]}),
    ("docker run alpine sh -c 'echo $HOME && ls -la /'", "container.run",
     {"command": ["sh", "-c", "echo $HOME && ls -la /"]}),
    ('docker run alpine echo "a b" c', "container.run", {"command": ["echo", "a b", "c"]}),
    ("docker run alpine -d", "container.run", {"detach": False, "command": ["-d"]}),
    ("docker run -- alpine ls", "container.run", {"image": "alpine", "command": ["ls"]}),
    ("docker run --rm docker.io/library/alpine:latest true", "container.run",
     {"image": "docker.io/library/alpine:latest"}),
    ("docker run alpine echo “hi”", "container.run", {"command": ["echo", "hi"]}),
    ("docker run —rm alpine", "container.run", {"remove": True}),
    ("docker run\u00a0--rm alpine", "container.run", {"remove": True}),
    ("docker run \\\n  --rm alpine ls", "container.run", {"remove": True, "command": ["ls"]}),
    ("docker run alpine sh -c 'ls / | head -3'", "container.run",
     {"command": ["sh", "-c", "ls / | head -3"]}),
    ('docker run alpine sh -c "echo $(hostname) && date"', "container.run",
     {"command": ["sh", "-c", "echo $(hostname) && date"]}),
    ("docker run alpine echo a\\|b", "container.run", {"command": ["echo", "a|b"]}),
    ("docker ps\n", "container.ls", {}),
    # --- exec ---
    ("docker exec web ls /", "container.exec", {"container": "web", "command": ["ls", "/"]}),
    ("docker exec -it web sh", "container.exec", {"interactive": True, "tty": True}),
    ("docker exec -e A=1 -w /tmp -u root web env", "container.exec",
     {"env": [EnvVar(key="A", value="1")], "workdir": "/tmp", "user": "root"}),
    ("docker exec -d web touch /x", "container.exec", {"detach": True}),
    ("docker exec web ls -h", "container.exec", {"command": ["ls", "-h"]}),
    ("docker container exec web cat /etc/os-release", "container.exec",
     {"command": ["cat", "/etc/os-release"]}),
    # --- ps ---
    ("docker ps", "container.ls", {"all": False}),
    ("docker ps -a", "container.ls", {"all": True}),
    ("docker ps -aq", "container.ls", {"all": True, "quiet": True}),
    ("docker ps -qa", "container.ls", {"all": True, "quiet": True}),
    ("docker ps --all --quiet", "container.ls", {"all": True, "quiet": True}),
    ("docker ps -n 2", "container.ls", {"last": 2}),
    ("docker ps -l -s", "container.ls", {"latest": True, "size": True}),
    ("docker ps --filter status=exited -f name=web", "container.ls",
     {"filters": [Filter(key="status", value="exited"), Filter(key="name", value="web")]}),
    ("docker ps --format '{{.Names}}\\t{{.Status}}'", "container.ls",
     {"format": "{{.Names}}\\t{{.Status}}"}),
    ("docker ps --no-trunc", "container.ls", {"no_trunc": True}),
    ("docker container ls -a", "container.ls", {"all": True}),
    ("docker container list", "container.ls", {}),
    ("docker container ps", "container.ls", {}),
    # --- logs ---
    ("docker logs web", "container.logs", {"container": "web", "tail": None, "follow": False}),
    ("docker logs -f web", "container.logs", {"follow": True}),
    ("docker logs --tail 5 web", "container.logs", {"tail": 5}),
    ("docker logs -n 5 -t web", "container.logs", {"tail": 5, "timestamps": True}),
    ("docker logs --tail all web", "container.logs", {"tail": None}),
    ("docker logs web --since 10m", "container.logs", {"since": "10m"}),
    ("docker container logs --details web", "container.logs", {"details": True}),
    # --- lifecycle ---
    ("docker stop web", "container.stop", {"containers": ["web"], "time": None}),
    ("docker stop -t 2 a b", "container.stop", {"containers": ["a", "b"], "time": 2}),
    ("docker stop --timeout=3 web", "container.stop", {"time": 3}),
    ("docker container stop -s SIGINT web", "container.stop", {"signal": "SIGINT"}),
    ("docker start web", "container.start", {"containers": ["web"], "attach": False}),
    ("docker start -ai web", "container.start", {"attach": True, "interactive": True}),
    ("docker restart -t 1 web", "container.restart", {"containers": ["web"], "time": 1}),
    ("docker kill web", "container.kill", {"containers": ["web"], "signal": None}),
    ("docker kill -s HUP web", "container.kill", {"signal": "HUP"}),
    ("docker rm web", "container.rm", {"containers": ["web"], "force": False}),
    ("docker rm -f web db", "container.rm", {"containers": ["web", "db"], "force": True}),
    ("docker rm web -fv", "container.rm", {"force": True, "volumes": True}),
    ("docker container rm --force web", "container.rm", {"force": True}),
    ("docker container remove web", "container.rm", {"containers": ["web"]}),
    ("docker container inspect web", "container.inspect", {"containers": ["web"]}),
    ("docker container inspect -f '{{.State.Status}}' web", "container.inspect",
     {"format": "{{.State.Status}}"}),
    ("docker stats", "container.stats", {"containers": [], "no_stream": False}),
    ("docker stats --no-stream web", "container.stats",
     {"containers": ["web"], "no_stream": True}),
    ("docker stats -a --format '{{.Name}}'", "container.stats", {"all": True}),
    ("docker top web", "container.top", {"container": "web", "ps_args": []}),
    ("docker top web -o pid,comm", "container.top", {"ps_args": ["-o", "pid,comm"]}),
    ("docker port web", "container.port", {"container": "web", "port": None}),
    ("docker port web 80/tcp", "container.port", {"port": 80, "protocol": "tcp"}),
    ("docker port web 53", "container.port", {"port": 53, "protocol": None}),
    ("docker rename web web2", "container.rename", {"container": "web", "new_name": "web2"}),
    ("docker pause web", "container.pause", {"containers": ["web"]}),
    ("docker unpause web", "container.unpause", {"containers": ["web"]}),
    ("docker wait job", "container.wait", {"containers": ["job"]}),
    ("docker container prune", "container.prune", {"force": False}),
    ("docker container prune -f --filter until=1h", "container.prune",
     {"force": True, "filters": [Filter(key="until", value="1h")]}),
    # --- images ---
    ("docker images", "image.ls", {"repository": None}),
    ("docker images alpine", "image.ls", {"repository": "alpine"}),
    ("docker images -q --digests", "image.ls", {"quiet": True, "digests": True}),
    ("docker image ls --format '{{.Repository}}'", "image.ls", {"format": "{{.Repository}}"}),
    ("docker image list -a", "image.ls", {"all": True}),
    ("docker image inspect alpine", "image.inspect", {"images": ["alpine"]}),
    ("docker pull alpine", "image.pull", {"image": "alpine", "all_tags": False}),
    ("docker pull -q nginx:latest", "image.pull", {"image": "nginx:latest", "quiet": True}),
    ("docker image pull --platform linux/amd64 alpine", "image.pull",
     {"platform": "linux/amd64"}),
    ("docker history nginx", "image.history", {"image": "nginx", "human": True}),
    ("docker history -H=false --no-trunc nginx", "image.history",
     {"human": False, "no_trunc": True}),
    ("docker tag alpine mine:v1", "image.tag", {"source": "alpine", "target": "mine:v1"}),
    ("docker build -t app:1 .", "image.build", {"context": ".", "tags": ["app:1"]}),
    ("docker image prune", "image.prune", {"all": False, "force": False}),
    ("docker image prune -a -f", "image.prune", {"all": True, "force": True}),
    ("docker image tag alpine mine", "image.tag", {"target": "mine"}),
    # --- volumes ---
    ("docker volume create", "volume.create", {"name": None}),
    ("docker volume create data", "volume.create", {"name": "data"}),
    ("docker volume create --name data", "volume.create", {"name": "data"}),
    ("docker volume create --label a=b -d local data", "volume.create",
     {"labels": {"a": "b"}, "driver": "local"}),
    ("docker volume create -o type=none -o device=/ -o o=bind x", "volume.create",
     {"options": {"type": "none", "device": "/", "o": "bind"}}),
    ("docker volume ls", "volume.ls", {"quiet": False}),
    ("docker volume list -q -f dangling=true", "volume.ls",
     {"quiet": True, "filters": [Filter(key="dangling", value="true")]}),
    ("docker volume inspect data", "volume.inspect", {"volumes": ["data"]}),
    ("docker volume rm data other", "volume.rm", {"volumes": ["data", "other"]}),
    ("docker volume remove -f data", "volume.rm", {"force": True}),
    ("docker volume prune -a -f", "volume.prune", {"all": True, "force": True}),
    # --- networks ---
    ("docker network create mynet", "network.create", {"name": "mynet", "driver": None}),
    ("docker network create -d bridge --internal mynet", "network.create",
     {"driver": "bridge", "internal": True}),
    ("docker network create --subnet 10.9.0.0/24 net", "network.create",
     {"subnet": ["10.9.0.0/24"]}),
    ("docker network ls", "network.ls", {}),
    ("docker network ls --no-trunc -q", "network.ls", {"no_trunc": True, "quiet": True}),
    ("docker network inspect mynet", "network.inspect", {"networks": ["mynet"]}),
    ("docker network rm mynet", "network.rm", {"networks": ["mynet"]}),
    ("docker network connect --alias db mynet web", "network.connect",
     {"network": "mynet", "container": "web", "aliases": ["db"]}),
    ("docker network disconnect -f mynet web", "network.disconnect",
     {"network": "mynet", "container": "web", "force": True}),
    ("docker network prune -f", "network.prune", {"force": True}),
    # --- system and the rest ---
    ("docker version", "system.version", {"format": None}),
    ("docker version --format '{{.Server.Version}}'", "system.version",
     {"format": "{{.Server.Version}}"}),
    ("docker --version", "system.version", {}),
    ("docker -v", "system.version", {}),
    ("docker info", "system.info", {}),
    ("docker system info", "system.info", {}),
    ("docker system prune -af --volumes", "system.prune",
     {"all": True, "force": True, "volumes": True}),
    ("docker inspect web", "inspect", {"targets": ["web"], "type": None}),
    ("docker inspect --type volume data", "inspect", {"type": "volume"}),
    ("docker inspect -f '{{json .Config}}' a b", "inspect",
     {"targets": ["a", "b"], "format": "{{json .Config}}"}),
    ("docker --debug ps", "container.ls", {}),
    ("docker -D --log-level info ps", "container.ls", {}),
    # --- help ---
    ("docker", "help", {"topic": None}),
    ("docker --help", "help", {"topic": None}),
    ("docker help", "help", {"topic": None}),
    ("docker help run", "help", {"topic": "container.run"}),
    ("docker help container ls", "help", {"topic": "container.ls"}),
    ("docker help network", "help", {"topic": "network"}),
    ("docker help build", "help", {"topic": "image.build"}),
    ("docker help image build", "help", {"topic": "image.build"}),
    ("docker help buildx", "help", {"topic": "buildx"}),
    ("docker run --help", "help", {"topic": "container.run"}),
    ("docker ps -h", "help", {"topic": "container.ls"}),
    ("docker ps --foo --help", "help", {"topic": "container.ls"}),
    ("docker container", "help", {"topic": "container"}),
    ("docker image --help", "help", {"topic": "image"}),
    ("docker volume create --help", "help", {"topic": "volume.create"}),
    ("docker build --help", "help", {"topic": "image.build"}),
    ("docker image build -h", "help", {"topic": "image.build"}),
    ("docker buildx build --help", "help", {"topic": "buildx"}),
    ("docker container cp --help", "help", {"topic": "container.cp"}),
    ("docker commit -h", "help", {"topic": "container.commit"}),
    # --- commands the sandbox does not offer ---
    ("docker buildx build -t x .", "unavailable",
     {"command": "buildx", "args": ["build", "-t", "x", "."]}),
    ("docker builder prune", "unavailable", {"command": "builder"}),
    ("docker attach web", "container.attach", {"container": "web", "no_stdin": False}),
    ("docker container attach --sig-proxy=false --no-stdin web", "container.attach",
     {"container": "web", "no_stdin": True}),
    ("docker login", "unavailable", {"command": "login"}),
    ("docker container create alpine", "container.create", {"image": "alpine"}),
    ("docker system df", "system.df", {"format": None}),
]  # fmt: skip

INVALID: list[tuple[str, str]] = [
    ("docker cp web:/etc/hosts", "sandbox.syntax.exact_args"),
    ("docker commit", "sandbox.syntax.range_args"),
    ("", "sandbox.syntax.empty"),
    ("   ", "sandbox.syntax.empty"),
    ("ps -a", "sandbox.syntax.not_docker"),
    ("/docker ps", "sandbox.syntax.not_docker"),
    ("dockerps", "sandbox.syntax.not_docker"),
    ("docker foo", "sandbox.syntax.unknown_command"),
    ("docker container foo", "sandbox.syntax.unknown_command"),
    ("docker help nope", "sandbox.syntax.unknown_command"),
    ("docker container -a", "sandbox.syntax.unknown_shorthand"),
    ("docker run", "sandbox.syntax.min_args_one"),
    ("docker run -d", "sandbox.syntax.min_args_one"),
    ("docker exec web", "sandbox.syntax.min_args"),
    ("docker exec", "sandbox.syntax.min_args"),
    ("docker logs", "sandbox.syntax.exact_args_one"),
    ("docker logs a b", "sandbox.syntax.exact_args_one"),
    ("docker rename web", "sandbox.syntax.exact_args"),
    ("docker tag alpine", "sandbox.syntax.exact_args"),
    ("docker network connect mynet", "sandbox.syntax.exact_args"),
    ("docker ps web", "sandbox.syntax.no_args"),
    ("docker volume ls x", "sandbox.syntax.no_args"),
    ("docker images a b", "sandbox.syntax.max_args_one"),
    ("docker volume create a --name b", "sandbox.syntax.max_args_one"),
    ("docker port", "sandbox.syntax.range_args"),
    ("docker port web 80 81", "sandbox.syntax.range_args"),
    ("docker stop", "sandbox.syntax.min_args_one"),
    ("docker rm", "sandbox.syntax.min_args_one"),
    ("docker run --foo alpine", "sandbox.syntax.unknown_flag"),
    ("docker ps --all=yes", "sandbox.syntax.invalid_value"),
    ("docker ps -x", "sandbox.syntax.unknown_shorthand"),
    ("docker ps -ax", "sandbox.syntax.unknown_shorthand"),
    ("docker run --name", "sandbox.syntax.needs_argument"),
    ("docker logs web --tail", "sandbox.syntax.needs_argument"),
    ("docker run -e", "sandbox.syntax.needs_argument"),
    ("docker ps -n", "sandbox.syntax.needs_argument"),
    ("docker ps -n two", "sandbox.syntax.invalid_value"),
    ("docker logs --tail lots web", "sandbox.syntax.invalid_value"),
    ("docker stop -t soon web", "sandbox.syntax.invalid_value"),
    ("docker run --pull sometimes alpine", "sandbox.syntax.invalid_value"),
    ("docker inspect --type thing x", "sandbox.syntax.invalid_value"),
    ("docker run -p abc alpine", "sandbox.syntax.invalid_port"),
    ("docker run -p 8080: alpine", "sandbox.syntax.invalid_port"),
    ("docker run -p 70000:80 alpine", "sandbox.syntax.invalid_port"),
    ("docker run -p 80/icmp alpine", "sandbox.syntax.invalid_port"),
    ("docker run -p 1:2:3:4 alpine", "sandbox.syntax.invalid_port"),
    ("docker run -p 8000-8002:80-81 alpine", "sandbox.syntax.invalid_port"),
    ("docker run -p 1-60000 alpine", "sandbox.syntax.invalid_port"),
    ("docker port web http", "sandbox.syntax.invalid_port"),
    ("docker run -v data alpine", "sandbox.syntax.invalid_volume"),
    ("docker run -v data:relative alpine", "sandbox.syntax.invalid_volume"),
    ("docker run -v data:/x:bogus alpine", "sandbox.syntax.invalid_volume"),
    ("docker run -v a:b:c:d alpine", "sandbox.syntax.invalid_volume"),
    ("docker run -v :/x alpine", "sandbox.syntax.invalid_volume"),
    ("docker run --mount type=weird,target=/x alpine", "sandbox.syntax.invalid_mount"),
    ("docker run --mount source=x alpine", "sandbox.syntax.invalid_mount"),
    ("docker run --mount type=bind,target=/x alpine", "sandbox.syntax.invalid_mount"),
    ("docker run --mount type=tmpfs,source=x,target=/x alpine", "sandbox.syntax.invalid_mount"),
    ("docker run --mount type=volume,target=/x,colour=red alpine", "sandbox.syntax.invalid_mount"),
    ("docker run --tmpfs relative alpine", "sandbox.syntax.invalid_mount"),
    ("docker run -e =x alpine", "sandbox.syntax.invalid_env"),
    ("docker exec -e '' web ls", "sandbox.syntax.invalid_env"),
    ("docker ps --filter status", "sandbox.syntax.invalid_filter"),
    ("docker ps -f =x", "sandbox.syntax.invalid_filter"),
    ("docker run --restart sometimes alpine", "sandbox.syntax.invalid_restart"),
    ("docker run --restart always:3 alpine", "sandbox.syntax.invalid_restart"),
    ("docker run --restart on-failure:x alpine", "sandbox.syntax.invalid_restart"),
    ("docker run -l =v alpine", "sandbox.syntax.invalid_value"),
    ("docker build", "sandbox.build.syntax.context_required"),
    ("docker image build -t app", "sandbox.build.syntax.context_required"),
    ("docker build a b", "sandbox.build.syntax.context_required"),
    ("docker build -t Foo .", "sandbox.build.syntax.tag_lowercase"),
    ("docker build -t app:1 -t MyApp:2 .", "sandbox.build.syntax.tag_lowercase"),
    ("docker build -t 'a b' .", "sandbox.build.syntax.tag_format"),
    ("docker build -t app: .", "sandbox.build.syntax.tag_format"),
    ("docker build -t -app .", "sandbox.build.syntax.tag_format"),
    ("docker build -t app@sha256:" + "0" * 64 + " .", "sandbox.build.syntax.tag_format"),
    ("docker build -t " + "a" * 256 + " .", "sandbox.build.syntax.tag_length"),
    ("docker build -t " + "a" * 64 + " .", "sandbox.build.syntax.tag_id"),
    ("docker build --build-arg =x .", "sandbox.syntax.invalid_value"),
    ("docker build --label =x .", "sandbox.syntax.invalid_value"),
    ("docker build --quiet=maybe .", "sandbox.syntax.invalid_value"),
    ("docker build --tag", "sandbox.syntax.needs_argument"),
    ("docker build --bogus .", "sandbox.syntax.unknown_flag"),
    ("docker build -x .", "sandbox.syntax.unknown_shorthand"),
    ("docker -H tcp://1.2.3.4:2375 ps", "sandbox.syntax.global_flag"),
    ("docker --host=unix:///x ps", "sandbox.syntax.global_flag"),
    ("docker --context other ps", "sandbox.syntax.global_flag"),
    ("docker -c other ps", "sandbox.syntax.global_flag"),
    ("docker --config /tmp ps", "sandbox.syntax.global_flag"),
    ("docker --tlsverify ps", "sandbox.syntax.global_flag"),
    ("docker --bogus ps", "sandbox.syntax.unknown_flag"),
    ("docker ps | grep web", "sandbox.syntax.shell_operator"),
    ("docker stop $(docker ps -q)", "sandbox.syntax.substitution"),
    ("docker rm -f `docker ps -aq`", "sandbox.syntax.substitution"),
    ("docker ps; docker images", "sandbox.syntax.shell_operator"),
    ("docker ps && docker images", "sandbox.syntax.shell_operator"),
    ("docker logs web > out.txt", "sandbox.syntax.shell_operator"),
    ("docker logs web 2>&1", "sandbox.syntax.shell_operator"),
    ("docker run -d nginx &", "sandbox.syntax.shell_operator"),
    ("docker ps `whoami`", "sandbox.syntax.substitution"),
    ("docker ps\ndocker images", "sandbox.syntax.several_lines"),
    ("docker run 'alpine", "sandbox.syntax.quotes"),
    ('docker run alpine echo "hi', "sandbox.syntax.quotes"),
    ("docker run alpine echo \\", "sandbox.syntax.quotes"),
    ("docker run alpine echo a\x00b", "sandbox.syntax.control_char"),
    ("docker ps\x1b[2J", "sandbox.syntax.control_char"),
    ("docker " + "a" * MAX_LINE_BYTES, "sandbox.syntax.too_long"),
    ("docker run alpine echo " + "é" * (MAX_LINE_BYTES // 2), "sandbox.syntax.too_long"),
]


def _ids(cases: list[tuple[Any, ...]]) -> list[str]:
    return [case[0][:60] or "<empty>" for case in cases]


@pytest.mark.parametrize(("line", "verb", "expected"), VALID, ids=_ids(VALID))
def test_valid_lines_parse_to_the_expected_request(
    line: str, verb: str, expected: dict[str, Any]
) -> None:
    request = parse(line)
    assert request.verb == verb
    assert request.raw == line.strip()
    for name, value in expected.items():
        assert getattr(request, name) == value, name


@pytest.mark.parametrize(("line", "key"), INVALID, ids=_ids(INVALID))
def test_invalid_lines_raise_docker_like_errors(line: str, key: str) -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        parse(line)
    assert caught.value.key == key
    french, english = caught.value.message("fr"), caught.value.message("en")
    assert french and english and french != english
    assert "{" not in english.replace("{{", "")


def test_the_table_is_large_and_reaches_every_verb() -> None:
    assert len(VALID) + len(INVALID) >= 150
    assert {verb for _, verb, _ in VALID + PROJECT_LINES} == set(VERBS)


def test_docker_wording_names_the_command_and_points_to_its_help() -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        parse("docker container run --foo alpine")
    assert caught.value.message("en") == ("unknown flag: --foo\nSee 'docker container run --help'.")
    with pytest.raises(CommandSyntaxError) as caught:
        parse("docker run")
    assert caught.value.message("en") == (
        "\"docker run\" requires at least 1 argument.\nSee 'docker run --help'."
    )
    with pytest.raises(CommandSyntaxError) as caught:
        parse("docker frobnicate")
    assert caught.value.message("en").startswith("docker: 'frobnicate' is not a docker command.")


def test_short_h_is_hostname_for_run_but_help_elsewhere() -> None:
    assert parse("docker run -h web alpine").verb == "container.run"
    assert parse("docker logs -h").verb == "help"


def test_requests_are_frozen_copies() -> None:
    request = parse("docker run alpine")
    with pytest.raises(ValueError):
        request.image = "nginx"  # type: ignore[misc]


ALPHABET = (
    "docker run ps -a -- = : / ' \" \\ ` $ { } [ ] | & ; < > ~ \t \n \r \x00 \x07 \x7f"
    " é ß 漢 😀 👩‍💻 \u200b \u00a0 — “ ” ‘ ’ -it -p8080:80 -v /:/x --mount type=bind"
).split(" ")


def _random_line(rng: random.Random) -> str:
    words = rng.choices([*ALPHABET, " ", "docker", "run", "alpine"], k=rng.randint(0, 30))
    prefix = "docker " if rng.random() < 0.7 else ""
    return prefix + rng.choice(["", " "]).join(words)


def test_random_lines_parse_or_fail_cleanly() -> None:
    rng = random.Random(20261127)
    outcomes = {"parsed": 0, "refused": 0}
    for _ in range(3000):
        line = _random_line(rng)
        try:
            parse(line)
            outcomes["parsed"] += 1
        except CommandSyntaxError as exc:
            assert exc.message("fr") and exc.message("en")
            outcomes["refused"] += 1
    assert outcomes["parsed"] > 0 and outcomes["refused"] > 0


@pytest.mark.parametrize(
    "line",
    [
        "docker run alpine echo " + "x" * (1024 * 1024),
        "x" * (1024 * 1024),
        "\x00" * 100,
        "docker \x00",
        "docker run 😀",
        "docker 😀",
        "docker run alpine echo '😀' \u200b",
        "docker ps " + "-" * 5000,
        "docker run " + "-e A=1 " * 1000,
        "docker run " + "'" * 999,
        "docker\tps",
        "\ufeffdocker ps",
        "docker ps \udcff",
    ],
    ids=lambda line: repr(line[:20]),
)
def test_hostile_lines_never_crash(line: str) -> None:
    try:
        parse(line)
    except CommandSyntaxError as exc:
        assert exc.message("en")
