"""Run the stand-in alone, for a bot in another process: ``python -m tests.telegram_stub``.

The first line printed is JSON with ``url``, ``base_url`` and ``base_file_url``; drive the
world through the ``/_stub`` control API. Stops on Ctrl-C (SIGINT) or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal

from .stub import DEFAULT_TOKEN, TelegramStub


async def serve(port: int, token: str, bot_username: str, strict_html: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with TelegramStub(token, bot_username=bot_username, port=port,
                            strict_html=strict_html) as stub:
        print(json.dumps({"url": stub.url, "base_url": stub.base_url,
                          "base_file_url": stub.base_file_url, "token": stub.token}), flush=True)
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.telegram_stub")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="moussaillon_bot")
    parser.add_argument("--lenient-html", action="store_true",
                        help="accept a bare & like Telegram does, instead of refusing it")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.token, args.bot_username, not args.lenient_html))


if __name__ == "__main__":
    main()
