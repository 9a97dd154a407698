from __future__ import annotations

import random
import time

import pytest

from moussaillon.content.deck import parse_deck
from moussaillon.content.model import Course
from moussaillon.content.search import MAX_TERMS, SearchIndex, query_terms
from moussaillon.core.errors import BadInput


@pytest.fixture(scope="module")
def index(french_course: Course) -> SearchIndex:
    return SearchIndex.build(french_course)


def ids(index: SearchIndex, query: str, limit: int = 3) -> list[str]:
    return [hit.section_id for hit in index.search(query, limit=limit)]


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Qu'est-ce qu'une image ?", ["imag"]),
        ("Qu’est-ce qu’une IMAGE ?", ["imag"]),
        ("Les conteneurs et les réseaux", ["conteneur", "reseau"]),
        ("volumes", ["volum"]),
        ("Comment supprimer l'image d'un conteneur ?", ["supprim", "imag", "conteneur"]),
        ("comment voir les logs", ["log"]),
        ("c'est quoi la différence entre CMD et ENTRYPOINT", ["cmd", "entrypoint"]),
        ("how do I list containers", ["list", "conteneur"]),
        ("docker docker DOCKER", ["dock"]),
        ("-p 8080:80", ["p", "8080", "80"]),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("volumes", "les-volumes"),
        ("Qu'est-ce qu'un conteneur ?", "qu-est-ce-qu-un-conteneur"),
        ("c'est quoi un conteneur", "qu-est-ce-qu-un-conteneur"),
        ("comment supprimer un conteneur arrêté ?", "supprimer-un-conteneur"),
        ("comment exposer un port ?", "exposer-un-port"),
        ("créer un réseau", "creer-un-reseau"),
        ("DÉMARRER", "demarrer-un-conteneur"),
        ("les journaux d'un conteneur", "les-journaux"),
        ("docker hub", "le-registre-docker-hub"),
        ("pourquoi pas une machine virtuelle", "la-virtualisation"),
    ],
)
def test_natural_questions_find_the_right_section_first(
    index: SearchIndex, query: str, expected: str
) -> None:
    assert ids(index, query)[0] == expected


@pytest.mark.parametrize("query", ["conteneurs", "Qu'est-ce qu'un conteneur ?", "CONTENEUR"])
def test_common_words_still_rank_title_matches_first(index: SearchIndex, query: str) -> None:
    hits = index.search(query, limit=4)
    assert all("conteneur" in hit.title.lower() for hit in hits)
    assert all(hit.score > 0.1 for hit in hits)


def test_plural_and_singular_meet(index: SearchIndex) -> None:
    assert "le-reseau-bridge" in ids(index, "réseaux", limit=10)
    assert "creer-un-reseau" in ids(index, "réseaux", limit=10)
    assert ids(index, "image", 10)[:2] == ids(index, "images", 10)[:2]


def test_elisions_and_apostrophes(index: SearchIndex) -> None:
    plain = ids(index, "image", limit=10)
    assert ids(index, "l'image", limit=10) == plain
    assert ids(index, "l’image", limit=10) == plain
    assert "images-et-couches" in plain


def test_case_and_accents_are_ignored(index: SearchIndex) -> None:
    assert ids(index, "RÉSEAU", 10) == ids(index, "reseau", 10) == ids(index, "Réseau", 10)
    assert ids(index, "hote", 10) == ids(index, "hôte", 10) != []


def test_title_weighs_more_than_body() -> None:
    deck = (
        "# Chapitre #\n\n"
        "## Autre chose ##\nOn parle ici de cargaison, puis encore de cargaison.\n\n"
        "## Cargaison ##\nTexte sans le mot.\n\n"
        "## Rien ##\nRien du tout.\n"
    )
    index = SearchIndex.build(parse_deck(deck).course)
    hits = index.search("cargaison", limit=5)
    assert [hit.section_id for hit in hits] == ["cargaison", "autre-chose"]
    assert hits[0].score > hits[1].score > 0


def test_a_title_the_question_fully_names_is_boosted() -> None:
    deck = (
        "# Chapitre #\n\n"
        "## Le conteneur jetable ##\nUn conteneur jetable, conteneur supprimé à la fin.\n\n"
        "## Qu'est-ce qu'un conteneur ? ##\nUn processus isolé.\n"
    )
    index = SearchIndex.build(parse_deck(deck).course)
    assert ids(index, "c'est quoi un conteneur ?") == [
        "qu-est-ce-qu-un-conteneur",
        "le-conteneur-jetable",
    ]
    assert ids(index, "conteneur jetable")[0] == "le-conteneur-jetable"


def test_sections_matching_more_terms_rank_higher() -> None:
    deck = "# C #\n\n" + "".join(
        f"## Section {n} ##\n{body} et du remplissage neutre pour la longueur.\n\n"
        for n, body in enumerate(["hublot", "hublot ancre", "hublot ancre voile", "ancre"])
    )
    index = SearchIndex.build(parse_deck(deck).course)
    hits = index.search("voile ancre hublot", limit=4)
    assert [h.section_id for h in hits][:2] == ["section-2", "section-1"]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hit_fields_and_snippets(index: SearchIndex) -> None:
    [hit] = index.search("journaux", limit=1)
    assert hit.section_id == "les-journaux"
    assert hit.chapter_id == "conteneurs" and hit.chapter_title == "Conteneurs"
    assert hit.title == "Les journaux"
    hit = index.search("processus", limit=1)[0]
    assert "<b>processus</b>" in hit.snippet
    assert "«processus»" in hit.snippet_text
    assert "<b>" not in hit.snippet_text


def test_snippet_is_escaped_telegram_html() -> None:
    deck = "# C #\n\n## S ##\nSi a < b & c > d alors le conteneur <script> démarre.\n"
    hit = SearchIndex.build(parse_deck(deck).course).search("conteneur")[0]
    assert "&lt;" in hit.snippet and "&amp;" in hit.snippet and "<script>" not in hit.snippet
    assert hit.snippet.count("<b>") == hit.snippet.count("</b>") == 1
    assert "<script>" in hit.snippet_text


def test_limit_is_respected(index: SearchIndex) -> None:
    assert len(index.search("conteneur", limit=1)) == 1
    assert len(index.search("conteneur", limit=5)) == 5
    assert len(index.search("conteneur", limit=0)) == 1


@pytest.mark.parametrize(
    "query", ["", "   ", "?!…", '"""', "*:^()", "le la les de du et ou", "qu'est-ce que"]
)
def test_empty_queries_are_bad_input(index: SearchIndex, query: str) -> None:
    with pytest.raises(BadInput) as raised:
        index.search(query)
    assert raised.value.key == "content.search_empty"
    assert raised.value.message("fr") != raised.value.message("en")


@pytest.mark.parametrize(
    "query",
    [
        '"*():^-NEAR',
        "NEAR(conteneur image)",
        "conteneur AND OR NOT",
        "'; DROP TABLE sections;--",
        "title:conteneur",
        "^conteneur",
        "conteneur*",
        '"conteneur',
        "{title body}: image",
        'a"b',
    ],
)
def test_fts_syntax_in_input_is_harmless(index: SearchIndex, query: str) -> None:
    hits = index.search(query, limit=3)
    assert isinstance(hits, list)
    if "conteneur" in query:
        assert hits


def test_huge_question_uses_the_first_terms(index: SearchIndex) -> None:
    rng = random.Random(1)
    filler = " ".join(
        rng.choice(["conteneur", "image", "reseau", "volume", "zzz"]) + str(n) for n in range(2000)
    )
    question = ("Comment exposer un port ? " + filler)[:10_000]
    assert len(question) == 10_000
    assert len(query_terms(question)) == MAX_TERMS
    assert ids(index, question)[0] == "exposer-un-port"


def test_emoji_and_control_characters(index: SearchIndex) -> None:
    assert ids(index, "🐳 volumes\x00\x07\u200b")[0] == "les-volumes"
    with pytest.raises(BadInput):
        index.search("🐳🐳\x00")


def synthetic_course(sections: int) -> Course:
    """Sections of about 80 words drawn from a few hundred, Docker words among them."""
    rng = random.Random(7)
    syllables = ["ba", "cor", "di", "fen", "gu", "lo", "ma", "ni", "pra", "ro", "su", "té", "vi"]
    common = [
        rng.choice(syllables) + rng.choice(syllables) + rng.choice(syllables) for _ in range(300)
    ]
    docker = (
        "conteneur image réseau volume port commande option dossier hôte registre "
        "couche processus noyau journal service machine données fichier"
    ).split()
    chapters = []
    for chapter in range(sections // 10):
        parts = [f"# Chapitre {chapter} #\n"]
        for number in range(10):
            words = " ".join(
                rng.choice(docker if rng.random() < 0.15 else common) for _ in range(80)
            )
            title = f"{rng.choice(docker)} {rng.choice(common)} {chapter}-{number}"
            parts.append(f"## {title} ##\n\n{words}\n")
        chapters.append("\n".join(parts))
    return parse_deck("\n".join(chapters)).course


def test_queries_are_cheap_on_a_realistic_course() -> None:
    """CPU time of one query (what it costs the event loop), not wall time on a busy machine."""
    course = synthetic_course(150)
    assert len(course.sections) == 150
    index = SearchIndex.build(course)
    questions = [
        "comment supprimer un conteneur ?",
        "réseaux et ports",
        "l'image du registre",
        "volumes de données sur l'hôte",
        "journal du processus principal",
    ]
    timings = []
    for _ in range(60):
        for question in questions:
            start = time.thread_time()
            hits = index.search(question)
            timings.append(time.thread_time() - start)
            assert len(hits) == 3
    timings.sort()
    assert timings[int(len(timings) * 0.95)] < 0.005


def test_concurrent_searches_from_threads_agree(index: SearchIndex) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["volumes", "créer un réseau", "l'image", "supprimer un conteneur", "port"] * 40
    expected = {q: ids(index, q) for q in set(questions)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: (q, ids(index, q)), questions))
    assert all(found == expected[q] for q, found in results)
