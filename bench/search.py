"""Search quality and latency on the bundled course, before and after French stemming.

Quality: the labelled student questions of ``bench.search_eval`` (no accents, typos, SMS,
English), ranked by the frozen pre-stemming search (``bench.search_baseline``) and by today's,
side by side: top-1, top-3 and mean reciprocal rank; then the same on ``HELD_OUT``, questions
written after the tuning and never tuned on, which says how much of the gain is real.
Latency: every question timed end to end (query reduction, typo correction, FTS5 bm25,
snippets) with the answer cache emptied before each one, so the figure is the cold one a new
question costs. Run: python -m bench.search
"""

from __future__ import annotations

import sys
import time

from bench.common import line, summary
from bench.search_baseline import SearchIndex as BaselineIndex
from bench.search_eval import EVAL, HELD_OUT, score
from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from moussaillon.content.search import SearchIndex
from moussaillon.core.errors import BadInput


def cold_latency(index: SearchIndex | BaselineIndex, rounds: int = 3) -> list[float]:
    times: list[float] = []
    for _ in range(rounds):
        for question, _good in EVAL:
            if isinstance(index, SearchIndex):
                index.forget()
            else:
                index._cached.cache_clear()  # the frozen copy has no forget()
            start = time.perf_counter()
            try:
                index.search(question, limit=3)
            except BadInput:
                pass
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    course = load_course(BUNDLED_COURSE).course
    started = time.perf_counter()
    index = SearchIndex.build(course)
    build_ms = (time.perf_counter() - started) * 1000
    baseline = BaselineIndex.build(course)
    before = score(lambda q: [hit.section_id for hit in baseline.search(q, limit=10)])
    after = score(lambda q: [hit.section_id for hit in index.search(q, limit=10)])
    line("index build", f"{len(course.sections)} sections in {build_ms:.1f} ms")
    line("questions", str(len(EVAL)))
    line("", f"{'before':>8} {'after':>8}")
    for name in ("top1", "top3", "mrr"):
        old, new = getattr(before, name), getattr(after, name)
        line(name, f"{old:8.3f} {new:8.3f}")
    held_before = score(
        lambda q: [h.section_id for h in baseline.search(q, limit=10)], 10, HELD_OUT
    )
    held_after = score(lambda q: [h.section_id for h in index.search(q, limit=10)], 10, HELD_OUT)
    line(f"held out ({len(HELD_OUT)}, never tuned on)", "")
    for name in ("top1", "top3", "mrr"):
        old, new = getattr(held_before, name), getattr(held_after, name)
        line(f"  {name}", f"{old:8.3f} {new:8.3f}")
    line("latency before, cold cache", summary(cold_latency(baseline)))
    line("latency after, cold cache", summary(cold_latency(index)))
    if "-v" in sys.argv:
        for question, found in after.misses:
            print(f"  miss: {question!r} -> {found}")


if __name__ == "__main__":
    main()
