"""Search latency over 200 varied French queries on the bundled course.

Queries: hand-written student questions, plus section-title words in the forms students type
(plural, elision, no accents, capitals). Each query is timed end to end (query reduction,
FTS5 bm25, snippets). Run: python -m bench.search
"""

from __future__ import annotations

import random
import time
import unicodedata

from bench.common import line, summary
from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from moussaillon.content.service import CourseService
from moussaillon.core.errors import BadInput

QUESTIONS = [
    "c'est quoi un conteneur ?",
    "différence entre image et conteneur",
    "comment lancer nginx",
    "supprimer tous les conteneurs arrêtés",
    "pourquoi mes données disparaissent",
    "volume nommé ou bind mount",
    "comment publier un port",
    "réseau bridge par défaut",
    "les conteneurs peuvent-ils se parler par leur nom",
    "qu'est-ce qu'un Dockerfile",
    "multi-stage build",
    "réduire la taille d'une image",
    "utilisateur non root",
    "docker compose up",
    "depends_on",
    "kubernetes pod",
    "qu'est-ce qu'un namespace",
    "configmap et secret",
    "proxy d'entreprise",
    "insecure registries",
    "daemon.json",
    "docker exec dans un conteneur",
    "copier un fichier avec docker cp",
    "docker system prune",
    "voir les logs d'un conteneur",
    "redémarrer automatiquement",
    "variables d'environnement",
    "les couches d'une image",
    "tag latest",
    "registre docker hub",
    "cgroups et namespaces",
    "virtualisation complète",
    "hyperviseur",
    "qu'est-ce que l'OCI",
    "containerd et runc",
    "installer docker sur debian",
    "hello-world",
    "mettre en pause un conteneur",
    "différence entre CMD et ENTRYPOINT",
    "healthcheck",
]


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def queries(course, count: int = 200, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = sorted(
        {
            w.strip(".,:;!?()«»'\"`").lower()
            for s in course.sections
            for w in s.title.split()
            if len(w) > 4
        }
    )
    forms = [
        lambda w: w,
        lambda w: w if w[-1] in "sx" else w + "s",
        lambda w: "l'" + w,
        fold,
        str.upper,
        lambda w: f"comment utiliser {w}",
    ]
    out = list(QUESTIONS)
    while len(out) < count:
        out.append(rng.choice(forms)(rng.choice(words)))
    return out[:count]


def main() -> None:
    course = load_course(BUNDLED_COURSE).course
    service = CourseService(course)
    started = time.perf_counter()
    _ = service.index  # build once, as the app does at start-up
    build_ms = (time.perf_counter() - started) * 1000
    items = queries(course)
    for q in ("échauffement", "préchauffage du moteur"):
        service.search(q)  # warm-up, on words no measured query uses: every timing is a miss
    times, empty, refused = [], 0, 0
    for q in items:
        start = time.perf_counter()
        try:
            hits = service.search(q, limit=3)
        except BadInput:  # only stop-words: answered with a friendly message
            hits, refused = [], refused + 1
        times.append((time.perf_counter() - start) * 1000)
        empty += not hits
    line("index build", f"{len(course.sections)} sections in {build_ms:.1f} ms")
    line("search, 200 French queries", summary(times))
    line("queries with no hit", f"{empty}/{len(items)} ({refused} only stop-words)")


if __name__ == "__main__":
    main()
