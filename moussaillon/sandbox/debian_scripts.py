"""The files the Debian-based offline images add over Debian's own packages.

Written for Moussaillon: each entrypoint does what the official image's documented interface
promises (its variables, its default command, where it logs), in as few lines as that takes,
and within the sandbox's forced limits (read-only root, tmpfs ``/run``, 64 pids, 128 MB).
"""

from __future__ import annotations

# dpkg and apt as the Docker images of Debian set them: no documentation, manual pages or
# translations land in a layer, no package cache is kept, and dpkg skips fsync (a layer is
# written once; a crash means a rebuild anyway).
DPKG_SLIM = """\
# Moussaillon offline image: keep layers small, as Debian's slim images do.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
force-unsafe-io
"""

_APT_CACHE = (
    "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb"
    " /var/cache/apt/*.bin || true"
)
APT_CLEAN = f"""\
// Moussaillon offline image: no package cache left in a layer.
DPkg::Post-Invoke {{ "{_APT_CACHE}"; }};
APT::Update::Post-Invoke {{ "{_APT_CACHE}"; }};
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
"""

# What ``node``'s image does with its arguments: a flag or a script is handed to node.
NODE_ENTRYPOINT = """\
#!/bin/sh
set -e
case "$1" in
  -*) set -- node "$@" ;;
  *)
    if [ -n "$1" ] && ! command -v "$1" >/dev/null 2>&1; then
      set -- node "$@"
    fi ;;
esac
exec "$@"
"""

PHP_ENTRYPOINT = """\
#!/bin/sh
set -e
# Flags alone go to Apache, as with the official php:*-apache images.
case "$1" in -*) set -- apache2-foreground "$@" ;; esac
exec "$@"
"""

# /run is an empty tmpfs in the sandbox: the directories Debian's Apache expects are made here.
APACHE_FOREGROUND = """\
#!/bin/bash
set -e
: "${APACHE_CONFDIR:=/etc/apache2}"
: "${APACHE_ENVVARS:=$APACHE_CONFDIR/envvars}"
if [ -f "$APACHE_ENVVARS" ]; then
  . "$APACHE_ENVVARS"
fi
mkdir -p /run/lock
for dir in "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR"; do
  [ -n "$dir" ] && mkdir -p "$dir"
done
rm -f "${APACHE_PID_FILE:-/run/apache2/apache2.pid}"
exec apache2 -DFOREGROUND "$@"
"""

APACHE_CONF = """\
# Moussaillon offline php:apache image: PHP first, and a process count that fits the sandbox.
DirectoryIndex disabled
DirectoryIndex index.php index.html
<FilesMatch \\.php$>
    SetHandler application/x-httpd-php
</FilesMatch>
<IfModule mpm_prefork_module>
    StartServers 2
    MinSpareServers 1
    MaxSpareServers 3
    ServerLimit 16
    MaxRequestWorkers 16
</IfModule>
"""

PHP_INI = """\
; Moussaillon offline php:apache image: the root file system is read-only in the sandbox.
session.save_path = "/tmp"
upload_tmp_dir = "/tmp"
"""

# ``docker-php-ext-install mysqli pdo_mysql`` is in every LAMP Dockerfile; Debian's php-mysql
# already holds those, and others come from Debian's packages when the build has a mirror.
PHP_EXT_INSTALL = """\
#!/bin/sh
set -e
[ $# -gt 0 ] || { echo "usage: $(basename "$0") EXTENSION..." >&2; exit 1; }
missing=
for ext in "$@"; do
  case "$ext" in -*) continue ;; esac
  if php -m | grep -qix "$ext"; then
    echo "$ext: already part of this image (Debian's php8.2 packages)"
  else
    missing="$missing php8.2-${ext#pdo_}"
  fi
done
if [ -n "$missing" ]; then
  echo "installing from Debian:$missing"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
  rm -rf /var/lib/apt/lists/*
fi
"""

# The variables of the official mariadb image (and their MYSQL_* spellings), the first start
# initialising /var/lib/mysql, /docker-entrypoint-initdb.d/ run once, the server as ``mysql``.
MARIADB_ENTRYPOINT = r"""#!/bin/bash
set -eo pipefail
say() { echo "$(date -u '+%Y-%m-%d %H:%M:%S') 0 [Note] [Entrypoint]: $*"; }
die() { echo "$(date -u '+%Y-%m-%d %H:%M:%S') 0 [ERROR] [Entrypoint]: $*" >&2; exit 1; }
env_of() { local name=MARIADB_$1 old=MYSQL_$1; printf '%s' "${!name:-${!old:-}}"; }
sql_string() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }
sql_name() { printf '`%s`' "${1//\`/\`\`}"; }

case "$1" in -*) set -- mariadbd "$@" ;; esac
if [ "$1" != mariadbd ] && [ "$1" != mysqld ]; then
  exec "$@"
fi
datadir=/var/lib/mysql
socket=/run/mysqld/mysqld.sock
mkdir -p /run/mysqld
if [ "$(id -u)" = 0 ]; then
  chown mysql:mysql /run/mysqld "$datadir"
  set -- "$1" --user=mysql "${@:2}"
fi

if [ ! -d "$datadir/mysql" ]; then
  root_password=$(env_of ROOT_PASSWORD)
  allow_empty=$(env_of ALLOW_EMPTY_ROOT_PASSWORD)
  [ -n "$allow_empty" ] || allow_empty=${MYSQL_ALLOW_EMPTY_PASSWORD:-}
  random_root=$(env_of RANDOM_ROOT_PASSWORD)
  database=$(env_of DATABASE)
  user=$(env_of USER)
  password=$(env_of PASSWORD)
  root_host=$(env_of ROOT_HOST); root_host=${root_host:-%}
  if [ -z "$root_password" ] && [ -z "$allow_empty" ] && [ -z "$random_root" ]; then
    die "Database is uninitialized and password option is not specified
	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" \
      "and MARIADB_RANDOM_ROOT_PASSWORD"
  fi
  if [ -n "$random_root" ]; then
    root_password=$(head -c 18 /dev/urandom | base64)
    say "GENERATED ROOT PASSWORD: $root_password"
  fi
  if [ "$user" = root ]; then
    die "MARIADB_USER=root: the root account is set with MARIADB_ROOT_PASSWORD"
  fi
  if [ -n "$user" ] && [ -z "$password" ]; then
    die "MARIADB_USER is set but not MARIADB_PASSWORD"
  fi
  say "Initializing database files"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
    --auth-root-authentication-method=socket --skip-name-resolve >/dev/null
  say "Starting temporary server"
  "$@" --skip-networking --socket="$socket" --datadir="$datadir" &
  pid=$!
  for _ in $(seq 60); do
    mariadb-admin --socket="$socket" ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || die "the temporary server did not start"
    sleep 0.5
  done
  client() { mariadb --protocol=socket --socket="$socket" -uroot "$@"; }
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DELETE FROM mysql.global_priv WHERE User='' OR (User='root' AND Host<>'localhost');"
    echo "SET PASSWORD FOR 'root'@'localhost' = PASSWORD($(sql_string "$root_password"));"
    if [ "$root_host" != localhost ]; then
      host=$(sql_string "$root_host")
      echo "CREATE USER 'root'@$host IDENTIFIED BY $(sql_string "$root_password");"
      echo "GRANT ALL ON *.* TO 'root'@$host WITH GRANT OPTION;"
    fi
    if [ -n "$database" ]; then
      echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$database");"
    fi
    if [ -n "$user" ]; then
      echo "CREATE USER $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$password");"
      if [ -n "$database" ]; then
        echo "GRANT ALL ON $(sql_name "$database").* TO $(sql_string "$user")@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | client
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) say "running $f"; . "$f" ;;
      *.sql) say "running $f"; client ${database:+"$database"} < "$f" ;;
      *.sql.gz) say "running $f"; gunzip -c "$f" | client ${database:+"$database"} ;;
      *) [ -e "$f" ] && say "ignoring $f" ;;
    esac
  done
  say "Stopping temporary server"
  kill "$pid"
  wait "$pid" || true
  say "Database initialized"
fi
say "MariaDB init process done. Ready for start up."
exec "$@"
"""

# Debian's 50-server.cnf listens on 127.0.0.1 only and sizes InnoDB for a server; a sandbox
# container has 128 MB, data on a 64 MB tmpfs and 64 pids.
MARIADB_CNF = """\
# Moussaillon offline mariadb image: reachable by other containers, sized for the sandbox.
[mariadbd]
bind-address = 0.0.0.0
skip-name-resolve
performance_schema = OFF
innodb_buffer_pool_size = 16M
innodb_log_file_size = 8M
innodb_log_buffer_size = 2M
innodb_flush_method = fsync
innodb_use_native_aio = 0
key_buffer_size = 1M
aria_pagecache_buffer_size = 2M
max_connections = 20
thread_cache_size = 2
table_open_cache = 200
skip-log-bin
"""
