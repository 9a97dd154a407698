"""The shell scripts and files that play each stand-in image's part (see prepare.py).

They run under busybox ``sh`` inside the stand-ins; they are data here, not host code.
"""

from __future__ import annotations

ALPINE_VERSION = "3.20.3"

BASH = '#!/bin/sh\n# The real image is Debian-based: busybox sh plays bash.\nexec /bin/sh "$@"\n'

HTTPD_INDEX = (
    "<html><body><h1>It works!</h1>\n"
    "<p>(Moussaillon stand-in for the Apache httpd image.)</p></body></html>\n"
)

HELLO = r"""#!/bin/sh
cat <<'EOF'

Hello from Docker! (well, from Moussaillon's stand-in for hello-world)
This message shows that your installation appears to be working correctly.

To produce it, the following happened:
 1. The Docker client sent your command to the Docker daemon.
 2. The daemon found the "hello-world" image locally. In this offline sandbox it is a
    small stand-in built by Moussaillon, not the image from Docker Hub.
 3. The daemon created a new container from that image, which ran the program
    that prints the text you are reading now.
 4. The daemon streamed that output back to the Docker client, which sent it to you.

To try something more ambitious, run a shell in an Alpine container:
 $ docker run -it alpine sh

EOF
"""

SERVE = r"""#!/bin/sh
# Moussaillon stand-in web server: busybox httpd in the foreground, stopping cleanly on TERM
# (and on QUIT, nginx's stop signal). "busybox httpd" by name: the httpd stand-in puts its own
# httpd first in PATH.
root="${1:-/var/www}"
port="${PORT:-80}"
echo "stand-in web server: serving $root on port $port (busybox httpd)" >&2
busybox httpd -f -vv -p "$port" -h "$root" &
pid=$!
trap 'kill "$pid" 2>/dev/null; exit 0' TERM INT QUIT
wait "$pid"
"""

NGINX = r"""#!/bin/sh
# Moussaillon stand-in for the nginx binary: the flags the course uses, busybox httpd behind.
version="nginx version: nginx/${NGINX_VERSION:-1.27} (Moussaillon stand-in, busybox httpd)"
conf=/etc/nginx/nginx.conf
case "$1" in
  -v) echo "$version" >&2 ;;
  -V) echo "$version" >&2; echo "configure arguments: none (this is not the real nginx)" >&2 ;;
  -t|-T)
    echo "nginx: the configuration file $conf syntax is ok" >&2
    echo "nginx: configuration file $conf test is successful" >&2
    if [ "$1" = -T ]; then cat "$conf" /etc/nginx/conf.d/*.conf; fi ;;
  -s) echo "nginx (stand-in): signal \"$2\" not supported here, use docker restart" >&2; exit 1 ;;
  ""|-g) exec serve /usr/share/nginx/html ;;
  *) echo "nginx: invalid option: \"$1\"" >&2; exit 1 ;;
esac
"""

NGINX_ENTRYPOINT = r"""#!/bin/sh
# Like nginx's /docker-entrypoint.sh: a word when nginx starts, any other command runs as is.
if [ "$1" = nginx ]; then
  echo "$0: Moussaillon stand-in, nothing to configure" >&2
fi
exec "$@"
"""

NGINX_CONF = """# Moussaillon stand-in: here to be read; busybox httpd serves /usr/share/nginx/html.
user  nginx;
worker_processes  auto;
error_log  /var/log/nginx/error.log notice;

events {
    worker_connections  1024;
}

http {
    default_type  application/octet-stream;
    sendfile      on;
    include /etc/nginx/conf.d/*.conf;
}
"""

NGINX_SITE = """# The site on port 80 (in this stand-in, busybox httpd does the serving).
server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    # server errors get a page of their own
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""

HTTPD = r"""#!/bin/sh
# Moussaillon stand-in for Apache's httpd binary: -v and -DFOREGROUND, busybox httpd behind.
case "$1" in
  -v|-V)
    echo "Server version: Apache/2.4 (Unix) (Moussaillon stand-in, busybox httpd)"
    echo "Server built:   offline, for the course sandbox" ;;
  -t) echo "Syntax OK" ;;
  -DFOREGROUND|"") exec serve /usr/local/apache2/htdocs ;;
  *) echo "httpd (stand-in): option $1 not supported" >&2; exit 1 ;;
esac
"""

HTTPD_FOREGROUND = r"""#!/bin/sh
# Like the httpd image's httpd-foreground: Apache in the foreground. The full path, since
# busybox sh runs its own httpd applet for a bare "httpd".
exec /usr/local/apache2/bin/httpd -DFOREGROUND "$@"
"""

WHOAMI = r"""#!/bin/sh
# Moussaillon stand-in for the whoami binary: its flags, busybox httpd behind.
while [ $# -gt 0 ]; do
  case "$1" in
    -port|--port) export PORT="$2"; shift ;;
    -name|--name) export WHOAMI_NAME="$2"; shift ;;
    -verbose|--verbose) ;;
    -h|-help|--help)
      cat <<'USAGE'
Usage of /whoami (Moussaillon stand-in, busybox httpd):
  -name string
        name shown at the top of each answer (or $WHOAMI_NAME)
  -port string
        port to listen on (default "80")
  -verbose
        accepted, changes nothing here
USAGE
      exit 0 ;;
    *) echo "flag provided but not defined: $1" >&2; exit 2 ;;
  esac
  shift
done
exec serve /www
"""

PRINTENV = r"""#!/bin/sh
# printenv for the stand-ins: this busybox build has no such applet.
[ $# -eq 0 ] && exec env
status=0
for name in "$@"; do
  awk -v name="$name" 'BEGIN { if (name in ENVIRON) print ENVIRON[name]; else exit 1 }' || status=1
done
exit $status
"""

WHOAMI_CGI = r"""#!/bin/sh
# Answers like containous/whoami: who served the request, and the request as received.
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
if [ -n "$WHOAMI_NAME" ]; then echo "Name: $WHOAMI_NAME"; fi
echo "Hostname: $(hostname)"
ip -o addr show 2>/dev/null | while read -r _ _ family addr _; do
  case "$family" in inet|inet6) echo "IP: ${addr%/*}" ;; esac
done
addr=${REMOTE_ADDR#[}; addr=${addr%]}; addr=${addr#::ffff:}
echo "RemoteAddr: ${addr}:${REMOTE_PORT}"
echo "${REQUEST_METHOD:-GET} ${REQUEST_URI:-/} ${SERVER_PROTOCOL:-HTTP/1.1}"
env | grep '^HTTP_' | sort | while IFS='=' read -r name value; do
  header=$(echo "${name#HTTP_}" | tr 'A-Z_' 'a-z-' | awk -F- '{
    for (i = 1; i <= NF; i++) $i = toupper(substr($i, 1, 1)) substr($i, 2); print }' OFS=-)
  echo "$header: $value"
done
"""

CURL_ENTRYPOINT = r"""#!/bin/sh
# Like curlimages/curl's entrypoint: options or a URL go to curl, a command runs as is.
if [ $# -eq 0 ]; then
  set -- curl --help
elif [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1; then
  set -- curl "$@"
fi
exec "$@"
"""

CURL = r"""#!/bin/sh
# Moussaillon stand-in for curl: the usual `curl [-sSfiIL] [-o FILE] [-H LINE] [-d DATA] URL`
# mapped onto busybox wget. It is not the real curl; unknown options are ignored with a note.
usage() {
  cat <<'EOF'
Usage: curl [options...] <url>
Moussaillon stand-in for curl (offline teaching sandbox), built on busybox wget.
 -s, --silent        Silent mode
 -S, --show-error    Show errors even when silent
 -f, --fail          Fail with exit code 22 on HTTP errors
 -i, --include       Include the response headers in the output
 -I, --head          Show the response headers only
 -L, --location      Follow redirects (always on here)
 -o, --output FILE   Write the body to FILE
 -O, --remote-name   Write the body to a file named like the URL's last part
 -H, --header LINE   Send an extra request header
 -d, --data DATA     Send DATA in a POST request
 -A, --user-agent UA Send this User-Agent
 -m, --max-time S    Give up after S seconds
 -w, --write-out FMT Print FMT afterwards (only %{http_code} is understood here)
 -h, --help          This help
EOF
}
# Split grouped short options (-fsSL, -ofile) into separate words.
n=$#
while [ "$n" -gt 0 ]; do
  arg=$1; shift; n=$((n - 1))
  case "$arg" in
    --*|-|-?) set -- "$@" "$arg" ;;
    -*)
      rest=${arg#-}
      while [ -n "$rest" ]; do
        letter=$(printf '%.1s' "$rest"); rest=${rest#?}
        case "$letter" in
          o|H|d|m|X|A|w|u|e) set -- "$@" "-$letter"; [ -n "$rest" ] && set -- "$@" "$rest"; rest= ;;
          *) set -- "$@" "-$letter" ;;
        esac
      done ;;
    *) set -- "$@" "$arg" ;;
  esac
done
silent=0 showerr=0 fail=0 include=0 head=0 verbose=0 out=- remote_name=0 url= data= write_out=
n=$#
while [ "$n" -gt 0 ]; do
  arg=$1; shift; n=$((n - 1))
  case "$arg" in
    -s|--silent) silent=1 ;;
    -S|--show-error) showerr=1 ;;
    -f|--fail) fail=1 ;;
    -i|--include) include=1 ;;
    -I|--head) head=1 ;;
    -v|--verbose) verbose=1 ;;
    -L|--location|-k|--insecure|--compressed) ;;
    -o|--output) out=$1; shift; n=$((n - 1)) ;;
    -O|--remote-name) remote_name=1 ;;
    -H|--header) set -- "$@" --header "$1"; shift; n=$((n - 1)) ;;
    -A|--user-agent) set -- "$@" -U "$1"; shift; n=$((n - 1)) ;;
    -d|--data|--data-raw|--data-binary) data=$1; shift; n=$((n - 1)) ;;
    -m|--max-time|--connect-timeout) set -- "$@" -T "$1"; shift; n=$((n - 1)) ;;
    -w|--write-out) write_out=$1; shift; n=$((n - 1)) ;;
    -X|--request|-u|--user|-e|--referer)
      [ "$silent" = 1 ] || echo "curl (stand-in): option $arg ignored" >&2
      shift; n=$((n - 1)) ;;
    -h|--help) usage; exit 0 ;;
    -V|--version) echo "curl 8.0.0-moussaillon (stand-in built on busybox wget)"; exit 0 ;;
    -*) [ "$silent" = 1 ] || echo "curl (stand-in): option $arg ignored" >&2 ;;
    *) url=$arg ;;
  esac
done
if [ -z "$url" ]; then
  echo "curl: no URL specified" >&2
  echo "curl: try 'curl --help' for more information" >&2
  exit 2
fi
case "$url" in *://*) ;; *) url="http://$url" ;; esac
host=${url#*://}; host=${host%%/*}
[ "$remote_name" = 1 ] && out=$(basename "${url%%\?*}")
body=$(mktemp) err=$(mktemp)
trap 'rm -f "$body" "$err"' EXIT
if [ -n "$data" ]; then
  set -- "$@" --post-data "$data" --header "Content-Type: application/x-www-form-urlencoded"
fi
if [ "$head" = 1 ]; then
  wget -S --spider "$@" "$url" 2>"$err"
else
  wget -S -O "$body" "$@" "$url" 2>"$err"
fi
status=$?
headers() { grep '^  [^ ]' "$err" | sed 's/^  //'; }
http_code() { headers | sed -n 's/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' | tail -n 1; }
finish() {
  if [ -n "$write_out" ]; then
    code=$(http_code)
    printf '%b' "$(echo "$write_out" | sed "s/%{http_code}/${code:-000}/g")"
  fi
  exit "$1"
}
if [ "$verbose" = 1 ]; then headers | sed 's/^/< /' >&2; fi
if [ "$status" -ne 0 ]; then
  reason=$(grep '^wget: ' "$err" | tail -n 1)
  code=$(echo "$reason" | sed -n 's/.*server returned error: HTTP\/[0-9.]* \([0-9]*\).*/\1/p')
  complain() { [ "$silent" = 0 ] || [ "$showerr" = 1 ] && echo "$1" >&2; }
  if [ -n "$code" ]; then
    if [ "$fail" = 1 ]; then
      complain "curl: (22) The requested URL returned error: $code"
      finish 22
    fi
    if [ "$include" = 1 ] || [ "$head" = 1 ]; then headers; fi
    finish 0
  fi
  case "$reason" in
    *"bad address"*) complain "curl: (6) Could not resolve host: ${host%%:*}"; finish 6 ;;
    *refused*|*"can't connect"*)
      complain "curl: (7) Failed to connect to ${host%%:*}: Connection refused"; finish 7 ;;
    *"timed out"*) complain "curl: (28) Operation timed out"; finish 28 ;;
    *) complain "curl: (56) ${reason#wget: }"; finish 56 ;;
  esac
fi
if [ "$head" = 1 ]; then headers; finish 0; fi
if [ "$include" = 1 ]; then headers; echo; fi
if [ "$out" = - ]; then cat "$body"; else cp "$body" "$out"; fi
finish 0
"""

NOT_OFFLINE = r"""#!/bin/sh
echo "{tool}: not available in this Moussaillon stand-in image (the sandbox is offline)." >&2
exit 1
"""


def page(title: str, what: str) -> str:
    """A welcome page in the spirit of the real image's, saying it is a stand-in."""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<title>" + title + "</title>\n</head>\n<body>\n"
        "<h1>" + title + "</h1>\n"
        "<p>If you see this page, the web server is successfully installed and working.</p>\n"
        "<p>This is Moussaillon's offline stand-in for " + what + " image: busybox httpd "
        "serves this directory; mount your own files over it to publish them.</p>\n"
        "</body>\n</html>\n"
    )


def error_page(what: str) -> str:
    """The server-error page shipped beside the welcome page (nginx's 50x.html)."""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n"
        "<h1>An error occurred.</h1>\n"
        "<p>Sorry, the page you are looking for is currently unavailable.</p>\n"
        "<p>(Moussaillon's offline stand-in for " + what + " image.)</p>\n"
        "</body>\n</html>\n"
    )


def alpine_release(flavour: str) -> dict[str, tuple[str, int]]:
    """The files that tell an Alpine-based image apart (``cat /etc/alpine-release``)."""
    os_release = (
        'NAME="Alpine Linux"\n'
        "ID=alpine\n"
        f"VERSION_ID={ALPINE_VERSION}\n"
        f'PRETTY_NAME="Alpine Linux v{ALPINE_VERSION.rsplit(".", 1)[0]}'
        f' (Moussaillon stand-in: {flavour}, busybox, offline)"\n'
        'HOME_URL="https://alpinelinux.org/"\n'
    )
    return {
        "/etc/alpine-release": (ALPINE_VERSION + "\n", 0o644),
        "/etc/os-release": (os_release, 0o644),
    }
