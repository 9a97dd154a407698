"""REST throughput: GET /sections/{id} and GET /search against a bare FastAPI route.

One uvicorn process serves the real app (bench/rest_app.py adds the bare route to it); wrk
(Debian package `wrk`) loads it from one thread with 32 connections for 5 s per route, all in
the same run, so the ratio compares like with like. Run: python -m bench.rest
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from bench.common import line

DURATION = "5s"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{DURATION}", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench.rest needs wrk: apt-get install wrk")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.rest_app", str(port)],
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bare", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        import json

        tree = json.load(urllib.request.urlopen(f"{base}/api/v1/course"))
        section = tree["chapters"][1]["sections"][2]["id"]
        query = urllib.parse.quote("comment publier le port d'un conteneur")
        bare = wrk(f"{base}/bare")
        line("baseline: bare FastAPI route", f"{bare:,.0f} req/s")
        for name, path in (
            (f"GET /sections/{section}", f"/api/v1/sections/{section}"),
            ("GET /search?q=…", f"/api/v1/search?q={query}"),
        ):
            rps = wrk(base + path)
            line(name, f"{rps:,.0f} req/s = {rps / bare:.2f}x the bare route")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
