"""The endpoint's Prometheus figures, in the app's registry (``ops.metrics.Metrics.registry``).

Counted in ``server.py``: requests by route kind and status, refusals by reason, connections
and hijacked streams (open now, and opened in all); labels are the route table's names and
the closed set ``REASONS``, never a student or a path they typed. A server built without a
registry (tests, the bench) gets a registry of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from moussaillon.terminal import routes

REASONS = (
    "no_certificate",  # 401: neither a client certificate nor a token
    "revoked",  # 401: a certificate the registry revoked (or never issued)
    "token_refused",  # 401: an unknown, revoked or expired token
    "too_many_connections",  # 429: over the per-credential cap
    "server_full",  # closed before the handshake: over the endpoint's open connections
    "version",  # 400: an API version too new or too old
    "policy",  # 4xx from the sandbox: its policy, scope or limits refused the call
    "rate_limited",  # 429 from the sandbox's rate limit
    "unknown_path",  # 404: a path the endpoint does not serve
    "bad_request",  # 400: malformed HTTP
    "headers_too_large",  # 431
    "body_too_large",  # 413
    "head_timeout",  # the request line and headers took too long
    "body_timeout",  # the body took too long
    "idle_timeout",  # a keep-alive connection said nothing for too long
    "drain_timeout",  # the client did not read what the endpoint wrote
    "handshake",  # the TLS handshake failed or took too long
)


class _Live(Collector):
    """Gauges read from the server at scrape time: nothing to keep in step by hand."""

    def __init__(self, read: Callable[[], tuple[int, int, int]]) -> None:
        self.read = read

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        connections, streams, streams_closed = self.read()
        yield GaugeMetricFamily(
            "moussaillon_terminal_connections",
            "Connections to the terminal endpoint open now (handshaking ones included).",
            value=connections,
        )
        yield GaugeMetricFamily(
            "moussaillon_terminal_streams",
            "Hijacked streams (attach, exec) open now.",
            value=streams,
        )
        yield CounterMetricFamily(
            "moussaillon_terminal_streams_opened",
            "Hijacked streams (attach, exec) opened since the start.",
            value=streams + streams_closed,
        )


def kind(method: str, path: str) -> str:
    """A request's route as a label: ``containers.start``, ``ping``, or ``unknown``."""
    if path == "/_ping":
        return "ping"
    found = routes.find(method, path)
    if found is None:
        return "unknown"
    handler = found[0].handler
    return f"{handler.__module__.rsplit('.', 1)[-1]}.{handler.__name__}"


class TerminalMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "moussaillon_terminal_requests",
            "Requests answered by the terminal endpoint, by route kind and HTTP status.",
            ["route", "status"],
            registry=r,
        )
        self.refusals = Counter(
            "moussaillon_terminal_refusals",
            "Requests or connections the endpoint refused or cut off, by reason.",
            ["reason"],
            registry=r,
        )
        self.accepted = Counter(
            "moussaillon_terminal_connections_accepted",
            "Connections accepted by the terminal endpoint since the start.",
            registry=r,
        )
        for reason in REASONS:  # every series exists from the first scrape, at 0
            self.refusals.labels(reason)

    def watch(self, read: Callable[[], tuple[int, int, int]]) -> None:
        """``read()``: (connections open, streams open, streams closed so far)."""
        self.registry.register(_Live(read))

    def refused(self, reason: str) -> None:
        self.refusals.labels(reason if reason in REASONS else "bad_request").inc()
