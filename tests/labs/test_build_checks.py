"""The check kinds of the build labs (``built_image``, ``size_order``) on hand-built states:
each attribute passes on the image that has it and fails, saying what is missing, on one that
does not; an image only tagged (not built here) fails what only a build can show."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from moussaillon.labs.checks import evaluate, parse_check
from moussaillon.labs.state import ImageState, SandboxState

MB = 1_000_000
GCC = ImageState(
    name="prime:gcc", size=310 * MB, layers=9, stages=1, bases=["gcc"], cmd=["./prime", "10000"]
)
MULTI = ImageState(
    name="prime:multi", size=75 * MB, layers=2, stages=2, bases=["gcc", "debian:12-slim"]
)
SCRATCH = ImageState(
    name="prime:scratch",
    size=790_000,
    layers=1,
    stages=2,
    bases=["gcc"],
    entrypoint=["/prime"],
)
NODE = ImageState(
    name="bonjour:2",
    size=180 * MB,
    layers=12,
    user="bonjour",
    exposed=["3000/tcp"],
    stages=1,
    bases=["node:20"],
)
VEILLEUR = ImageState(
    name="veilleur:3",
    size=8 * MB,
    layers=4,
    user="nobody",
    healthcheck=True,
    stages=1,
    bases=["alpine"],
)
TAGGED = ImageState(name="copie:1", size=8 * MB, layers=4)  # docker tag: no build record
LATEST = ImageState(name="cartopoint:latest", size=9 * MB, stages=1, bases=["nginx:latest"])
STATE = SandboxState(built=[GCC, MULTI, SCRATCH, NODE, VEILLEUR, TAGGED, LATEST])


def verdict(raw: dict, state: SandboxState = STATE, lang: str = "fr"):
    return evaluate(parse_check(raw), state, lang)


@pytest.mark.parametrize(
    "raw",
    [
        {"built_image": "prime:gcc"},
        {"built_image": "prime:gcc", "stages": 1, "base": "gcc"},
        {"built_image": "prime:gcc", "base": "gcc:latest"},
        {"built_image": "prime:multi", "stages": 2, "base": "debian:12-slim"},
        {"built_image": "prime:multi", "base": "gcc"},
        {"built_image": "prime:scratch", "stages": 2, "max_size_mb": 1, "max_layers": 1},
        {"built_image": "bonjour:2", "non_root": True, "exposes": "3000"},
        {"built_image": "bonjour:2", "exposes": "3000/tcp", "healthcheck": False},
        {"built_image": "prime:gcc", "non_root": False},
        {"built_image": "veilleur:3", "healthcheck": True, "non_root": True},
        {"built_image": "cartopoint", "base": "nginx"},
        {"built_image": "copie:1", "max_size_mb": 10},
        {"size_order": ["prime:scratch", "prime:multi", "prime:gcc"]},
        {"size_order": ["prime:scratch", "prime:gcc"]},
    ],
)
def test_passing_build_checks(raw: dict) -> None:
    result = verdict(raw)
    assert result.ok, result.missing


@pytest.mark.parametrize(
    ("raw", "missing"),
    [
        (
            {"built_image": "prime:debian"},
            "Vous n'avez pas encore d'image « prime:debian » : construisez-la avec "
            "docker build -t prime:debian …",
        ),
        (
            {"built_image": "copie:1", "stages": 1},
            "n'a pas été construite ici par docker build",
        ),
        ({"built_image": "copie:1", "base": "alpine"}, "n'a pas été construite ici"),
        (
            {"built_image": "prime:gcc", "stages": 2},
            "L'image « prime:gcc » vient d'un Dockerfile à 1 étape(s), il en faut 2 "
            "(une par FROM).",
        ),
        (
            {"built_image": "prime:multi", "base": "debian:12"},
            "L'image « prime:multi » ne part pas de « debian:12 » "
            "(ses FROM : gcc, debian:12-slim).",
        ),
        ({"built_image": "prime:gcc", "non_root": True}, "tourne encore en root : ajoutez"),
        ({"built_image": "bonjour:2", "non_root": False}, "tourne sous « bonjour »"),
        ({"built_image": "bonjour:2", "healthcheck": True}, "pas de sonde de santé"),
        ({"built_image": "veilleur:3", "healthcheck": False}, "a une sonde de santé"),
        (
            {"built_image": "prime:gcc", "exposes": "80"},
            "L'image « prime:gcc » n'annonce pas le port 80 (EXPOSE : -).",
        ),
        ({"built_image": "bonjour:2", "exposes": "3000/udp"}, "(EXPOSE : 3000/tcp)"),
        (
            {"built_image": "prime:multi", "max_size_mb": 50},
            "L'image « prime:multi » pèse 75 Mo, il faut moins de 50 Mo.",
        ),
        (
            {"built_image": "prime:scratch", "max_size_mb": 0.5},
            "pèse 0.8 Mo, il faut moins de 0.5 Mo",
        ),
        (
            {"built_image": "prime:multi", "max_layers": 1},
            "L'image « prime:multi » a 2 couches, il en faut 1 au plus.",
        ),
        (
            {"size_order": ["prime:multi", "prime:scratch"]},
            "« prime:multi » (75 Mo) devrait être plus petite que « prime:scratch » (0.8 Mo).",
        ),
        ({"size_order": ["prime:scratch", "prime:debian"]}, "pas encore d'image « prime:debian »"),
    ],
)
def test_failing_build_checks_say_what_is_missing(raw: dict, missing: str) -> None:
    result = verdict(raw)
    assert not result.ok
    assert any(missing in text for text in result.missing), result.missing


def test_every_failed_attribute_is_reported_in_english_too() -> None:
    raw = {"built_image": "prime:gcc", "stages": 2, "non_root": True, "max_size_mb": 100}
    result = verdict(raw, lang="en")
    assert [f.key for f in result.details] == [
        "labs.check.built.stages",
        "labs.check.built.root",
        "labs.check.built.size",
    ]
    assert "Image “prime:gcc” still runs as root: add a USER instruction" in result.missing[1]


def test_sizes_equal_are_not_smaller() -> None:
    twin = MULTI.model_copy(update={"name": "prime:twin"})
    state = STATE.model_copy(update={"built": [*STATE.built, twin]})
    assert not verdict({"size_order": ["prime:multi", "prime:twin"]}, state).ok
    ok = verdict({"size_order": ["prime:scratch", "prime:multi", "prime:gcc"]})
    assert ok.details[0].text("fr") == (
        "Les tailles vont dans le bon ordre (en Mo) : "
        "prime:scratch (0.8) < prime:multi (75) < prime:gcc (310)."
    )


@pytest.mark.parametrize("user", ["", "root", "0", "root:root", "0:0", " root ", "0:staff"])
def test_root_in_every_spelling_is_root(user: str) -> None:
    image = NODE.model_copy(update={"user": user})
    assert not verdict(
        {"built_image": "bonjour:2", "non_root": True}, SandboxState(built=[image])
    ).ok


@pytest.mark.parametrize("user", ["nobody", "1000", "1000:1000", "bonjour:bonjour"])
def test_someone_else_is_not_root(user: str) -> None:
    image = NODE.model_copy(update={"user": user})
    assert verdict({"built_image": "bonjour:2", "non_root": True}, SandboxState(built=[image])).ok


def test_only_own_images_count_not_the_shared_ones() -> None:
    state = SandboxState(images=["prime:gcc", "alpine:latest"])  # listed, but not the student's
    assert not verdict({"built_image": "prime:gcc"}, state).ok
    assert not verdict({"size_order": ["alpine", "prime:gcc"]}, state).ok


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"built_image": "Prime:gcc"}, "should match pattern"),
        ({"built_image": "prime:gcc", "stages": 0}, "greater than or equal to 1"),
        ({"built_image": "prime:gcc", "stages": 9}, "less than or equal to 5"),
        ({"built_image": "prime:gcc", "base": "scratch"}, "scratch is no base image"),
        ({"built_image": "prime:gcc", "exposes": "http"}, "must look like 80 or 80/tcp"),
        ({"built_image": "prime:gcc", "max_size_mb": 0}, "greater than 0"),
        ({"built_image": "prime:gcc", "size": 3}, "Extra inputs are not permitted"),
        ({"size_order": ["prime:gcc"]}, "at least 2 items"),
        ({"built_image": "x", "size_order": ["a", "b"]}, "exactly one kind key"),
    ],
)
def test_bad_build_checks_are_refused(raw: dict, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_check(raw)
    assert message in str(caught.value)
