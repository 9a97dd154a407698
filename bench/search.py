"""Search quality, latency and cost on the bundled course: old, lexical, semantic and fused.

Quality: the labelled student questions of ``bench.search_eval`` (no accents, typos, SMS,
English), top-1, top-3 and mean reciprocal rank of four rankings side by side: the frozen
pre-stemming search (``bench.search_baseline``), today's lexical search alone, the semantic
model alone, and the fusion the app serves. Three sets: DEV (the fusion was tuned on it), HELD
(never tuned on: the honest figure) and ALL.
Latency: every question end to end (stems, typo fixes, bm25, the question's embedding, fusion,
snippets); cold = the answer cache emptied before each question, warm = asked again.
Cost: start-up (course loaded, index built, model loaded, vectors read from a warm cache) and
peak RSS, each in a fresh process, with and without the model; ``--cold-cache`` adds the one
time cost of embedding the course. ``--tune`` prints the weight grid on DEV.
Run: python -m bench.search [--tune] [--cold-cache] [-v]
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import line, summary
from bench.search_baseline import SearchIndex as BaselineIndex
from bench.search_eval import ALL, DEV, HELD, Scores, score
from bench.search_eval_phone import PHONE
from moussaillon.config import BUNDLED_COURSE
from moussaillon.content import search as search_module
from moussaillon.content.deck import load_course
from moussaillon.content.embeddings import EmbeddingCache
from moussaillon.content.phrasings import for_course
from moussaillon.content.search import Mode, SearchIndex
from moussaillon.content.semantic import SemanticIndex
from moussaillon.core.errors import BadInput

Questions = list[tuple[str, tuple[str, ...]]]
MODES: tuple[Mode, ...] = ("lexical", "semantic", "fused")
CACHE = Path(tempfile.gettempdir()) / "moussaillon-bench-search.db"

STARTUP = """
import json, re, sys, time
started = time.perf_counter()
from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from moussaillon.content.service import CourseService
service = CourseService(load_course(BUNDLED_COURSE).course, embeddings=sys.argv[1] or None)
index = service.index
if index.semantic is not None:
    index.semantic.warm_up()
index.search("comment lancer un conteneur")
peak = re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read())
print(json.dumps({"s": time.perf_counter() - started, "rss_mb": int(peak.group(1)) / 1024}))
"""


def ranked(index: SearchIndex, mode: Mode, questions: Questions) -> Scores:
    return score(lambda q: [h.section_id for h in index.search(q, 10, mode)], 10, questions)


def table(name: str, baseline: BaselineIndex, index: SearchIndex, questions: Questions) -> None:
    rows: dict[str, Scores] = {
        "old": score(lambda q: [h.section_id for h in baseline.search(q, limit=10)], 10, questions)
    }
    for mode in MODES:
        rows[mode] = ranked(index, mode, questions)
    line(f"{name} ({len(questions)} questions)", "".join(f"{n:>10}" for n in rows))
    for metric in ("top1", "top3", "mrr"):
        line(f"  {metric}", "".join(f"{getattr(s, metric):10.3f}" for s in rows.values()))


def latency(
    index: SearchIndex, mode: Mode, *, cold: bool, rounds: int = 2
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per question: on a shared machine the wall figure
    includes waiting for a core, the CPU one is what the question itself costs."""
    wall: list[float] = []
    cpu: list[float] = []
    # Warm: a first round fills the answer cache, the timed rounds are then all hits.
    for round_ in range(rounds + (0 if cold else 1)):
        for question, _good in ALL:
            if cold:
                index.forget()
            start, start_cpu = time.perf_counter(), time.thread_time()
            try:
                index.search(question, 3, mode)
            except BadInput:
                pass
            if cold or round_ > 0:
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu


def startup(embeddings: str, runs: int = 3) -> dict[str, float]:
    """Median of a few fresh processes: one run on a shared machine says little."""
    found = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, embeddings], capture_output=True, text=True, check=True
        ).stdout
        found.append(json.loads(out.strip().splitlines()[-1]))
    return {key: statistics.median(run[key] for run in found) for key in found[0]}


def _with_phrase_weight(weight: float) -> str:
    return search_module.SEARCH_SQL.replace(
        f"0.0, {search_module.PHRASE_WEIGHT})", f"0.0, {weight})"
    )


def tune(index: SearchIndex) -> None:
    """The fusion's weights, then reciprocal rank fusion, on DEV only (and its phone half)."""
    sql, cosine, boost = (
        search_module.SEARCH_SQL,
        search_module.SEMANTIC_WEIGHT,
        search_module.TITLE_BOOST,
    )
    phone_dev = [question for question in DEV if question in PHONE]
    for phrase, weight, title in itertools.product(
        (4.0, 8.0, 12.0), (0.75, 1.0, 1.5, 2.0, 3.0), (0.0, 1.0, 2.0, 4.0)
    ):
        search_module.SEARCH_SQL = _with_phrase_weight(phrase)
        search_module.SEMANTIC_WEIGHT, search_module.TITLE_BOOST = weight, title
        index.forget()
        s, p = ranked(index, "fused", DEV), ranked(index, "fused", phone_dev)
        line(
            f"  phrases={phrase} cosine={weight} title={title}",
            f"{s.top1:.3f} {s.top3:.3f} {s.mrr:.3f}  phone {p.top1:.3f} {p.top3:.3f} {p.mrr:.3f}",
        )
    search_module.SEARCH_SQL, search_module.SEMANTIC_WEIGHT = sql, cosine
    search_module.TITLE_BOOST = boost
    index.forget()
    lists = {
        mode: {q: [h.section_id for h in _safe(index, q, mode)] for q, _ in DEV}
        for mode in ("lexical", "semantic")
    }
    for k in (2, 5, 10, 30, 60):
        for weight in (0.5, 1.0):

            def rrf(q: str, k: int = k, weight: float = weight) -> list[str]:
                fused: dict[str, float] = {}
                for mode, w in (("lexical", 1.0), ("semantic", weight)):
                    for rank, section in enumerate(lists[mode][q]):
                        fused[section] = fused.get(section, 0.0) + w / (k + rank + 1)
                return sorted(fused, key=lambda section: -fused[section])

            s = score(rrf, 10, DEV)
            line(f"  rrf k={k} w={weight}", f"{s.top1:.3f} {s.top3:.3f} {s.mrr:.3f}")


def _safe(index: SearchIndex, question: str, mode: Mode) -> list[search_module.Hit]:
    try:
        return index.search(question, 50, mode)
    except BadInput:
        return []


def main() -> None:
    course = load_course(BUNDLED_COURSE).course
    if "--cold-cache" in sys.argv:
        CACHE.unlink(missing_ok=True)
        started = time.perf_counter()
        SemanticIndex(course, EmbeddingCache(CACHE), phrasings=for_course(course)).warm_up()
        line("embedding the course (cold cache)", f"{time.perf_counter() - started:.1f} s")
    phrasings = for_course(course)
    semantic = SemanticIndex(course, EmbeddingCache(CACHE), phrasings=phrasings)
    semantic.warm_up()
    index = SearchIndex.build(course, semantic, phrasings)
    baseline = BaselineIndex.build(course)
    for name, questions in (("DEV", DEV), ("HELD", HELD), ("ALL", ALL)):
        table(name, baseline, index, questions)
    for mode, cold in (("lexical", True), ("semantic", True), ("fused", True), ("fused", False)):
        wall, cpu = latency(index, mode, cold=cold)
        name = f"latency {mode}, {'cold' if cold else 'warm'}"
        line(f"{name}, wall", summary(wall))
        line(f"{name}, CPU", summary(cpu))
    without, with_model = startup(""), startup(str(CACHE))
    line("start-up, lexical only", f"{without['s']:.2f} s, RSS {without['rss_mb']:.0f} MB")
    line(
        "start-up, with the model (warm cache)",
        f"{with_model['s']:.2f} s, RSS {with_model['rss_mb']:.0f} MB "
        f"(+{with_model['s'] - without['s']:.2f} s, "
        f"+{with_model['rss_mb'] - without['rss_mb']:.0f} MB)",
    )
    if "--tune" in sys.argv:
        tune(index)
    if "-v" in sys.argv:
        for question, found in ranked(index, "fused", ALL).misses:
            print(f"  miss: {question!r} -> {found}")


if __name__ == "__main__":
    main()
