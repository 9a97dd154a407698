"""What the Debian-based offline images are: one bookworm root filesystem and images over it.

The busybox stand-ins (``prepare.py``) play a part; these are the real programs, installed from
Debian's own packages, so the Dockerfile labs build and run real compilers and servers offline.
Versions are Debian bookworm's: node is 18, MariaDB 10.11; the tags the labs type
(``node:20``, ``mariadb:11``) point at them and the labels say so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from moussaillon.sandbox import labels
from moussaillon.sandbox.debian_scripts import (
    APACHE_CONF,
    APACHE_FOREGROUND,
    MARIADB_CNF,
    MARIADB_ENTRYPOINT,
    NODE_ENTRYPOINT,
    PHP_ENTRYPOINT,
    PHP_EXT_INSTALL,
    PHP_INI,
)

SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The engine ref every layered image starts FROM, whatever tags the base gets for students.
BASE_REF = "moussaillon-offline/debian:bookworm"


@dataclass(frozen=True)
class DebianImage:
    """One image: Debian packages over the base, the files and settings that make it behave
    like the official image of that name. No packages: the base itself."""

    key: str
    tags: tuple[str, ...]  # the course names it answers to ("gcc", "gcc:12")
    title: str
    description: str
    packages: tuple[str, ...] = ()
    files: Mapping[str, tuple[str, int]] = field(default_factory=dict)  # path -> (text, mode)
    setup: tuple[str, ...] = ()  # shell lines run after the install, in the same layer
    env: tuple[str, ...] = ()
    workdir: str = ""
    expose: tuple[int, ...] = ()
    volumes: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ("bash",)
    stopsignal: str = ""

    def image_labels(self, revision: str) -> dict[str, str]:
        return {
            labels.STANDIN: "1",
            labels.STANDIN_KIND: "debian",
            "maintainer": "Moussaillon (offline image from Debian packages)",
            "org.opencontainers.image.title": self.title,
            "org.opencontainers.image.description": self.description,
            "org.opencontainers.image.vendor": "Moussaillon",
            "org.opencontainers.image.version": f"debian-{SUITE}",
            "org.opencontainers.image.revision": revision,
        }

    def settings_lines(self, revision: str) -> list[str]:
        """The Dockerfile lines after the file system: what ``docker inspect`` shows."""
        lines = ["ENV " + " ".join((PATH_ENV, *self.env))]
        if self.workdir:
            lines.append(f"WORKDIR {self.workdir}")
        pairs = self.image_labels(revision).items()
        lines.append("LABEL " + " ".join(f"{json.dumps(k)}={json.dumps(v)}" for k, v in pairs))
        lines += [f"EXPOSE {' '.join(map(str, self.expose))}"] if self.expose else []
        lines += [f"VOLUME {json.dumps(list(self.volumes))}"] if self.volumes else []
        if self.stopsignal:
            lines.append(f"STOPSIGNAL {self.stopsignal}")
        if self.entrypoint:
            lines.append(f"ENTRYPOINT {json.dumps(list(self.entrypoint))}")
        lines.append(f"CMD {json.dumps(list(self.cmd))}")
        return lines

    def dockerfile(self, revision: str, base: str = BASE_REF) -> str:
        """The classic builder's recipe: one layer of files, one of packages, then settings."""
        lines = [f"FROM {base}"]
        if self.files:
            lines.append("COPY rootfs/ /")
        steps = []
        if self.packages:
            steps += [
                "apt-get update",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                + " ".join(self.packages),
            ]
        steps += list(self.setup)
        if self.packages:
            steps.append(
                "rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log"
                " /var/cache/debconf/*-old"
            )
        if steps:
            lines.append("RUN set -eux; " + "; ".join(steps))
        return "\n".join(lines + self.settings_lines(revision)) + "\n"

    def revision(self, base_revision: str) -> str:
        """Everything that shapes the image: this recipe and the base it is built on."""
        digest = hashlib.sha256(base_revision.encode())
        digest.update(repr(replace(self, tags=())).encode())
        digest.update(self.dockerfile("-").encode())
        return digest.hexdigest()[:16]


DEBIAN = DebianImage(
    "debian",
    (
        "debian",
        "debian:12",
        "debian:12-slim",
        "debian:bookworm",
        "debian:bookworm-slim",
        "debian:stable-slim",
    ),
    "debian",
    "Debian 12 (bookworm) minbase from Debian's packages, slim (no docs, man pages, locales)",
)

PHP_FILES = {
    "/usr/local/bin/apache2-foreground": (APACHE_FOREGROUND, 0o755),
    "/usr/local/bin/docker-php-entrypoint": (PHP_ENTRYPOINT, 0o755),
    "/usr/local/bin/docker-php-ext-install": (PHP_EXT_INSTALL, 0o755),
    "/usr/local/bin/docker-php-ext-enable": (PHP_EXT_INSTALL, 0o755),
    "/etc/apache2/conf-available/moussaillon-php.conf": (APACHE_CONF, 0o644),
    "/etc/php/8.2/apache2/conf.d/90-moussaillon.ini": (PHP_INI, 0o644),
}

LAYERED: tuple[DebianImage, ...] = (
    DebianImage(
        "gcc",
        ("gcc", "gcc:12"),
        "gcc",
        "GCC 12 compiler image (gcc, libc6-dev, make) from Debian bookworm's packages",
        packages=("gcc", "libc6-dev", "make"),
    ),
    DebianImage(
        "node",
        ("node", "node:20", "node:lts", "node:18"),
        "node",
        "Node.js 18 and npm 9 from Debian bookworm's packages (tagged node:20 for the labs),"
        " user node (1000)",
        packages=("nodejs", "npm"),
        files={"/usr/local/bin/docker-entrypoint.sh": (NODE_ENTRYPOINT, 0o755)},
        setup=("groupadd --gid 1000 node", "useradd --uid 1000 --gid node -m -s /bin/bash node"),
        entrypoint=("docker-entrypoint.sh",),
        cmd=("node",),
    ),
    DebianImage(
        "php",
        ("php:8.2-apache", "php:apache"),
        "php",
        "PHP 8.2 with Apache 2.4 (mod_php, mysqli, pdo_mysql) from Debian bookworm's packages;"
        " document root /var/www/html, logs on stdout/stderr",
        packages=("apache2", "libapache2-mod-php", "php-mysql"),
        files=PHP_FILES,
        setup=(
            "a2enconf moussaillon-php",
            "rm -f /var/www/html/index.html",
            "chown www-data:www-data /var/www/html",
            "ln -sfT /dev/stderr /var/log/apache2/error.log",
            "ln -sfT /dev/stdout /var/log/apache2/access.log",
            "ln -sfT /dev/stdout /var/log/apache2/other_vhosts_access.log",
        ),
        env=("APACHE_CONFDIR=/etc/apache2", "APACHE_ENVVARS=/etc/apache2/envvars"),
        workdir="/var/www/html",
        expose=(80,),
        entrypoint=("docker-php-entrypoint",),
        cmd=("apache2-foreground",),
        stopsignal="SIGWINCH",
    ),
    DebianImage(
        "mariadb",
        ("mariadb", "mariadb:11", "mariadb:10.11"),
        "mariadb",
        "MariaDB 10.11 server and client from Debian bookworm's packages (tagged mariadb:11 for"
        " the labs); the official image's MARIADB_*/MYSQL_* variables, data in /var/lib/mysql",
        packages=("mariadb-server",),
        files={
            "/usr/local/bin/docker-entrypoint.sh": (MARIADB_ENTRYPOINT, 0o755),
            "/etc/mysql/mariadb.conf.d/90-moussaillon.cnf": (MARIADB_CNF, 0o644),
        },
        setup=(
            "rm -rf /var/lib/mysql",
            "mkdir -p /var/lib/mysql /run/mysqld /docker-entrypoint-initdb.d",
            "chown mysql:mysql /var/lib/mysql /run/mysqld",
        ),
        expose=(3306,),
        volumes=("/var/lib/mysql",),
        entrypoint=("docker-entrypoint.sh",),
        cmd=("mariadbd",),
    ),
)

IMAGES: dict[str, DebianImage] = {image.key: image for image in (DEBIAN, *LAYERED)}


def by_course_name() -> dict[str, DebianImage]:
    """``gcc:12`` -> its image, every tag spelled with its tag (``debian`` -> ``debian:latest``)."""
    found: dict[str, DebianImage] = {}
    for image in IMAGES.values():
        for tag in image.tags:
            found[tag if ":" in tag else f"{tag}:latest"] = image
    return found


def allowlist() -> str:
    """The ``name=local`` pairs of every tag, as the images setting spells them."""
    return ",".join(f"{tag}={tag}" for image in IMAGES.values() for tag in image.tags)
