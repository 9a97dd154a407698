"""How long a write holds the event loop.

Method: a ticker scheduled every 1 ms records how late each tick fires (the loop's lag) while
2,000 section views are written through ``Store.write``; the same writes done synchronously on
the loop (plain sqlite-utils, same file settings) are the baseline. Run: python -m bench.store
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import line, percentile, summary
from moussaillon.areas import migrations
from moussaillon.core.store import Store, connect

WRITES = 2000


async def measure_lag(work) -> tuple[list[float], float]:
    lags: list[float] = []
    stop = False

    async def ticker() -> None:
        while not stop:
            start = time.perf_counter()
            await asyncio.sleep(0.001)
            lags.append((time.perf_counter() - start - 0.001) * 1000)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await work()
    elapsed = time.perf_counter() - started
    stop = True
    await task
    return lags, elapsed


async def main() -> None:
    folder = Path(tempfile.mkdtemp())
    store = Store(folder / "bench.db", migrations())
    row = lambda i: {"user_id": i % 60, "section_id": f"s{i}", "viewed_at": "2026-01-01"}  # noqa: E731

    async def through_store() -> None:
        for i in range(WRITES):
            await store.write(lambda db, i=i: db["section_views"].insert(row(i)))

    async def concurrent_store() -> None:
        await asyncio.gather(
            *(
                store.write(lambda db, i=i: db["section_views"].insert(row(i)))
                for i in range(WRITES)
            )
        )

    direct = connect(folder / "bench.db")

    async def on_the_loop() -> None:
        for i in range(WRITES):
            with direct.atomic():
                direct["section_views"].insert(row(i))
            await asyncio.sleep(0)

    rows = [row(i) for i in range(20_000)]

    async def bulk_store() -> None:
        for _ in range(5):
            await store.write(lambda db: db["section_views"].insert_all(rows))

    async def bulk_on_the_loop() -> None:
        for _ in range(5):
            with direct.atomic():
                direct["section_views"].insert_all(rows)
            await asyncio.sleep(0)

    for name, work in (
        ("store.write, sequential", through_store),
        ("store.write, 2000 at once", concurrent_store),
        ("baseline: sqlite on the loop", on_the_loop),
        ("store.write, 5 bulk x 20k rows", bulk_store),
        ("baseline: same bulk on the loop", bulk_on_the_loop),
    ):
        lags, elapsed = await measure_lag(work)
        line(
            name,
            f"{WRITES / elapsed:,.0f} writes/s; loop lag {summary(lags)}; "
            f"p99={percentile(lags, 99):.2f} ms",
        )
    store.close()


if __name__ == "__main__":
    asyncio.run(main())
