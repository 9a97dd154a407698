"""All settings, read once from the environment (prefix ``MOUSSAILLON_``) or a ``.env`` file.

Every field here is documented in the README's settings table; ``tests/test_docs.py`` keeps the
two in step. A bad value stops start-up with one line naming the variable (see ``load_settings``).
"""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BUNDLED_COURSE = Path(__file__).parent / "content" / "course"
BUNDLED_QUIZZES = Path(__file__).parent / "quiz" / "questions"

DEFAULT_IMAGES = (
    "alpine=alpine:latest,busybox=busybox:latest,hello-world=hello-world:latest,"
    "nginx=nginx:latest,httpd=httpd:latest,containous/whoami=containous/whoami:latest,"
    "alpine/curl=alpine/curl:latest,curlimages/curl=curlimages/curl:latest,"
    # Bases for the Dockerfile labs (offline: Debian-based, sandbox/debian_images.py).
    "debian,debian:12,debian:12-slim,debian:bookworm,debian:bookworm-slim,debian:stable-slim,"
    "gcc,gcc:12,node,node:20,node:lts,node:18,php:8.2-apache,php:apache,"
    "mariadb,mariadb:11,mariadb:10.11"
)
# Private (RFC 1918) yet clear of 10.0-10.10, 192.168 and 172.16-31 (Docker's own pools).
DEFAULT_SUBNETS = "10.213.0.0/16"
SMALLEST_SUBNET = 29  # a gateway and 5 containers, the default container quota


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MOUSSAILLON_", env_file=".env", extra="ignore", frozen=True
    )

    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_rate_limiter: bool = True
    db_path: Path = Path("./data/moussaillon.db")
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=0, le=65535)
    # The largest legitimate body is a few hundred KiB (a workspace file of at most 256 KiB,
    # base64 in JSON); commands and broadcasts are a few KiB.
    http_max_body_kb: int = Field(default=1024, ge=1)
    http_max_connections: int = Field(default=256, ge=1)
    metrics_token: SecretStr | None = None
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # The student's own terminal (moussaillon/terminal/): an Engine-API endpoint over TLS.
    terminal_port: int | None = Field(default=None, ge=0, le=65535)
    terminal_bind: str = "0.0.0.0"
    terminal_host: str = "localhost"  # the name in the students' docker context and the cert
    terminal_max_connections: int = Field(default=32, ge=1)
    # Hijacked streams (attach, exec): open at once per student, their life, their traffic.
    terminal_max_streams: int = Field(default=4, ge=1)
    terminal_stream_idle_s: float = Field(default=1800, gt=0)
    terminal_stream_max_s: float = Field(default=7200, gt=0)
    terminal_stream_output_mb: int = Field(default=64, ge=1)
    terminal_stdin_kb_s: int = Field(default=256, ge=1)
    terminal_follow_max_mb: int = Field(default=16, ge=1)  # bytes one logs -f may carry
    terminal_max_open: int = Field(default=1024, ge=1)  # all students' connections together
    course_path: Path = BUNDLED_COURSE
    search_semantic: bool = True
    search_cache_path: Path | None = None
    instructors: Annotated[list[int], NoDecode] = []
    default_language: Literal["fr", "en"] = "fr"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    labs_corrections_always: bool = False
    timezone: str = "Europe/Paris"
    public_url: str | None = None
    dashboard_link_ttl_min: float = Field(default=60, gt=0)
    broadcast_per_second: float = Field(default=30, gt=0)
    broadcast_per_chat_per_second: float = Field(default=1, gt=0)
    broadcast_group_per_minute: float = Field(default=20, gt=0)
    broadcast_max_attempts: int = Field(default=4, ge=1)
    broadcast_backoff_s: float = Field(default=1.0, ge=0)
    quiz_path: Path = BUNDLED_QUIZZES
    quiz_streak_bonus: bool = False
    quiz_solo_seconds: int = Field(default=30, ge=2, le=600)
    quiz_live_seconds: int = Field(default=20, ge=2, le=600)

    docker_host: str | None = None
    docker_tls_verify: bool = False
    docker_cert_path: Path | None = None
    sandbox_commands_per_minute: float = Field(default=10, gt=0)
    sandbox_burst: int = Field(default=5, ge=1)
    sandbox_max_containers: int = Field(default=5, ge=0)
    sandbox_max_volumes: int = Field(default=5, ge=0)
    sandbox_max_networks: int = Field(default=3, ge=0)
    sandbox_memory_mb: int = Field(default=128, ge=6)
    sandbox_cpus: float = Field(default=0.5, gt=0)
    sandbox_pids: int = Field(default=64, ge=8)
    sandbox_timeout_s: float = Field(default=20, gt=0)
    # docker's own default grace period; the tests shorten it where the grace is not the subject.
    sandbox_stop_s: int = Field(default=10, ge=0)
    sandbox_idle_ttl_min: float = Field(default=30, gt=0)
    sandbox_concurrency: int = Field(default=8, ge=1)
    sandbox_runtime: str | None = None
    sandbox_output_kb: int = Field(default=64, ge=1)
    sandbox_tmpfs_mb: int = Field(default=64, ge=1)
    # A writable root file system where the engine can bound its size (sandbox/rootfs.py).
    sandbox_root: Literal["auto", "writable", "readonly"] = "auto"
    sandbox_root_mb: int = Field(default=64, ge=16)
    sandbox_shells_per_user: int = Field(default=1, ge=0, le=2)
    sandbox_shell_idle_s: float = Field(default=600, gt=0)
    sandbox_shell_burst_kb: int = Field(default=16, ge=1, le=256)
    # The default is the env's format, parsed by _parse_images (pydantic-settings validates it).
    sandbox_images: Annotated[dict[str, str], NoDecode] = Field(
        default=DEFAULT_IMAGES  # type: ignore[arg-type]  # a str, parsed into the dict
    )
    sandbox_subnets: Annotated[list[IPv4Network], NoDecode] = Field(
        default=DEFAULT_SUBNETS  # type: ignore[arg-type]  # a str, parsed into the list
    )
    sandbox_subnet_prefix: int = Field(default=28, ge=1, le=SMALLEST_SUBNET)
    # The student's files (build context, compose project): small, kept in SQLite.
    workspace_max_files: int = Field(default=64, ge=1, le=10_000)
    workspace_max_total_kb: int = Field(default=256, ge=1)
    workspace_max_file_kb: int = Field(default=64, ge=1)
    workspace_max_depth: int = Field(default=4, ge=1, le=16)
    workspace_ttl_days: float = Field(default=90, gt=0)
    build_max_instructions: int = Field(default=100, ge=1)
    build_max_stages: int = Field(default=5, ge=1)
    build_dockerfile_max_kb: int = Field(default=64, ge=1)
    sandbox_max_images: int = Field(default=10, ge=0)
    sandbox_max_images_mb: int = Field(default=1024, ge=1)
    build_memory_mb: int = Field(default=256, ge=16)
    build_cpus: float = Field(default=1.0, gt=0)
    build_pids: int = Field(default=128, ge=16)
    build_shm_mb: int = Field(default=64, ge=1)
    build_timeout_s: float = Field(default=180, gt=0)
    build_disk_mb: int = Field(default=256, ge=1)
    build_output_kb: int = Field(default=512, ge=1)
    build_max_layers: int = Field(default=40, ge=1)
    build_concurrency: int = Field(default=2, ge=1)
    build_cgroup_parent: str = Field(default="moussaillon-build", pattern=r"^[A-Za-z0-9_.-]+$")
    build_cgroup_external: bool = False
    build_proxy: str | None = None
    build_proxy_container: str | None = None
    compose_wait_s: float = Field(default=120, gt=0)
    compose_max_kb: int = Field(default=64, ge=1)
    compose_max_services: int = Field(default=10, ge=1)

    @field_validator("instructors", mode="before")
    @classmethod
    def _parse_instructors(cls, value: object) -> object:
        return _split(value)

    @field_validator("metrics_token")
    @classmethod
    def _long_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("use at least 16 random characters (e.g. openssl rand -hex 32)")
        return value

    @field_validator("metrics_port")
    @classmethod
    def _own_port(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and value == info.data.get("http_port"):
            raise ValueError("must differ from MOUSSAILLON_HTTP_PORT")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (e.g. Europe/Paris)") from None
        return value

    @field_validator("sandbox_images", mode="before")
    @classmethod
    def _parse_images(cls, value: object) -> object:
        """``name=local-ref`` pairs; a bare name maps to itself (``alpine`` → ``alpine:latest``)."""
        items = _split(value)
        if not isinstance(items, list):
            return items
        images: dict[str, str] = {}
        for item in items:
            name, _, local = item.partition("=")
            name, local = name.strip(), (local.strip() or name.strip())
            if ":" not in local.rsplit("/", 1)[-1]:
                local += ":latest"
            images[name] = local
        return images

    @field_validator("sandbox_subnets", mode="before")
    @classmethod
    def _parse_subnets(cls, value: object) -> object:
        return _split(value)

    @field_validator("sandbox_subnets")
    @classmethod
    def _usable_subnets(cls, ranges: list[IPv4Network]) -> list[IPv4Network]:
        """Ranges the students' networks can live in: no loopback, link-local, multicast or
        reserved block, and no two ranges overlapping (one subnet would be counted twice)."""
        if not ranges:
            raise ValueError("give at least one IPv4 range, e.g. 10.213.0.0/16")
        for net in ranges:
            if net.is_loopback or net.is_link_local or net.is_multicast or net.is_reserved:
                raise ValueError(f"{net} is a special-purpose range; use a private one")
            if int(net.network_address) == 0:
                raise ValueError(f"{net} includes 0.0.0.0; use a private range")
        for i, net in enumerate(ranges):
            for other in ranges[i + 1 :]:
                if net.overlaps(other):
                    raise ValueError(f"ranges {net} and {other} overlap")
        return ranges

    @field_validator("sandbox_subnet_prefix")
    @classmethod
    def _prefix_fits(cls, prefix: int, info: ValidationInfo) -> int:
        smallest = max((r.prefixlen for r in info.data.get("sandbox_subnets") or []), default=0)
        if prefix < smallest:
            raise ValueError(
                f"/{prefix} does not fit in a /{smallest} range; use /{smallest} to /29"
            )
        return prefix

    @field_validator("workspace_max_file_kb")
    @classmethod
    def _file_fits_the_workspace(cls, value: int, info: ValidationInfo) -> int:
        total = info.data.get("workspace_max_total_kb")
        if total is not None and value > total:
            raise ValueError(f"a file cannot be bigger than the workspace ({total} KiB)")
        return value

    @field_validator(
        "sandbox_runtime",
        "docker_host",
        "docker_cert_path",
        "public_url",
        "metrics_token",
        "metrics_port",
        "terminal_port",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def terminal_dir(self) -> Path:
        """The terminal's CA, server certificate and keys, beside the database."""
        return self.db_path.parent / "terminal"

    @property
    def token(self) -> str | None:
        return self.telegram_token.get_secret_value() if self.telegram_token else None

    @property
    def public_base_url(self) -> str:
        """Where people reach the web server: every link the bot hands out starts here."""
        return (self.public_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")


def load_settings(**overrides: Any) -> Settings:
    """Build the settings or exit with one readable line naming the bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        secret = "token" in field  # a rejected token is still a secret: never echo it
        shown = "[redacted]" if secret else repr(first.get("input"))
        raise SystemExit(
            f"moussaillon: bad setting MOUSSAILLON_{field.upper()}: {first['msg']} (got {shown})"
        ) from None
