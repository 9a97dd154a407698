"""What a check may look at: one student's sandbox, in the names the student typed.

``snapshot.py`` builds it from the engine; tests build it by hand. Nothing here knows about
internal engine names, so a check can never leak or depend on another student's objects.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

RUNNING_STATES = frozenset({"running", "paused", "restarting"})


def image_key(reference: str) -> str:
    """``alpine``, ``alpine:latest`` and ``docker.io/library/alpine:latest`` are one image."""
    name = reference.strip()
    for registry in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        name = name.removeprefix(registry)
    if name.startswith("library/") and name.count("/") == 1:
        name = name.removeprefix("library/")
    last = name.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in last:
        name += ":latest"
    return name


class PublishedPort(BaseModel):
    """A ``-p`` mapping as recorded by the sandbox (which never opens the host port)."""

    model_config = ConfigDict(frozen=True)

    host_ip: str | None = None
    host_port: int | None = None
    container_port: int
    protocol: str = "tcp"


class MountState(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str = "volume"
    name: str = Field(default="", description="the student's volume name, '' for tmpfs/anonymous")
    target: str
    read_only: bool = False


class ContainerState(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    id: str = Field(default="", description="the engine id, to tell a recreated container apart")
    image: str = Field(description="the image as the student typed it")
    state: str = Field(default="running", description="docker's State: running, exited …")
    networks: list[str] = Field(default_factory=list)
    published: list[PublishedPort] = Field(default_factory=list)
    mounts: list[MountState] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES


class FileState(BaseModel):
    """A file read from a container for a ``file`` check; ``content`` is None when it is not
    there (or not a regular file)."""

    model_config = ConfigDict(frozen=True)

    container: str
    path: str
    content: str | None = None


ROOT_USERS = frozenset({"", "root", "0"})


class ImageState(BaseModel):
    """One image of the student's own (built, tagged or committed), as the sandbox reads it."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description='"prime:scratch" as the student sees it')
    id: str = ""
    size: int = Field(default=0, description="bytes")
    layers: int = 0
    user: str = Field(default="", description='the image\'s USER, "" for root')
    healthcheck: bool = False
    exposed: list[str] = Field(default_factory=list, description='"80/tcp"')
    cmd: list[str] = Field(default_factory=list)
    entrypoint: list[str] = Field(default_factory=list)
    stages: int | None = Field(default=None, description="None when not built here")
    bases: list[str] = Field(default_factory=list, description="external FROM images, as typed")
    labels: dict[str, str] = Field(default_factory=dict)

    @property
    def built_here(self) -> bool:
        return self.stages is not None

    @property
    def runs_as_root(self) -> bool:
        """``USER`` unset, ``root``, ``0``, or ``root:…``/``0:…`` (a group does not change it)."""
        return self.user.strip().partition(":")[0] in ROOT_USERS


class SandboxState(BaseModel):
    model_config = ConfigDict(frozen=True)

    containers: list[ContainerState] = Field(default_factory=list)
    volumes: list[str] = Field(default_factory=list)
    networks: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list, description="repo:tag the student can see")
    built: list[ImageState] = Field(
        default_factory=list, description="the student's own images, with what a build left"
    )
    removed_containers: list[str] = Field(
        default_factory=list,
        description="names of containers the student removed recently (engine events)",
    )
    last_output: str = ""
    last_command: str = Field(default="", description="the command line that printed last_output")
    files: list[FileState] = Field(default_factory=list, description="what file checks read")

    def container(self, name: str) -> ContainerState | None:
        return next((c for c in self.containers if c.name == name), None)

    def file(self, container: str, path: str) -> str | None:
        found = next((f for f in self.files if (f.container, f.path) == (container, path)), None)
        return found.content if found is not None else None

    def own_image(self, reference: str) -> ImageState | None:
        wanted = image_key(reference)
        return next((image for image in self.built if image_key(image.name) == wanted), None)

    def has_image(self, reference: str) -> bool:
        wanted = image_key(reference)
        return any(image_key(image) == wanted for image in self.images)
