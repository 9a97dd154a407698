"""The exception tree. Every error carries the sentence the user will read, in their language.

    MoussaillonError            key + params into the i18n catalogue, an HTTP status
    ├── NotFound                 unknown section, lab, quiz … (404)
    ├── BadInput                 empty query, oversized message, stale button (422)
    ├── ConfigError              a bad setting; stops start-up with one line
    ├── CourseError              a deck that cannot be loaded at all
    └── SandboxError             (moussaillon.sandbox.errors) everything the sandbox refuses
        ├── CommandSyntaxError   the command line does not parse (exit 125, like docker)
        ├── SandboxRefused       parsed, but the policy says no (forbidden flag, image, path …)
        ├── RateLimited          too many commands; carries retry_after seconds (429)
        ├── QuotaExceeded        too many containers/volumes/networks (429)
        └── EngineUnavailable    the Docker engine cannot be reached (503)
"""

from __future__ import annotations

from moussaillon.core.i18n import t


class MoussaillonError(Exception):
    status: int = 400

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


class NotFound(MoussaillonError):
    status = 404


class BadInput(MoussaillonError):
    status = 422


class ConfigError(MoussaillonError):
    status = 500


class CourseError(MoussaillonError):
    status = 500
