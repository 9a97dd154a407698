"""The server the REST benchmark loads: the real API plus a bare constant route as the baseline.

Run by bench/rest.py as ``python -m bench.rest_app PORT``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import uvicorn

from moussaillon.app import build_services
from moussaillon.config import Settings
from moussaillon.handlers.rest.app import create_api


async def main(port: int) -> None:
    settings = Settings(_env_file=None, db_path=Path(tempfile.mkdtemp()) / "bench.db")
    async with build_services(settings, sandbox=False) as services:
        api = create_api(services)

        @api.get("/bare")
        async def bare() -> dict[str, str]:
            return {"status": "ok"}

        config = uvicorn.Config(
            api, host="127.0.0.1", port=port, log_level="warning", access_log=False
        )
        await uvicorn.Server(config).serve()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
