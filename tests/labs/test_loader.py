"""The bundled labs load cleanly; broken lab files are reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from moussaillon.core.errors import CourseError, NotFound
from moussaillon.labs.loader import BUNDLED_LABS, check_labs, load_labs

GOOD = """\
id = "{id}"
order = {order}
title = "Un TP"
objective = "Apprendre."
prerequisites = ["premier-conteneur-hello-world"]
sandbox = "full"

[[step]]
instruction = "Faites ceci."
hint = "Comme ça."
check = {{ network_exists = "lamp" }}

[correction]
commands = ["docker network create lamp"]
explanation = "Voilà."
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_labs_have_no_problem_against_the_bundled_course() -> None:
    course = load_course(BUNDLED_COURSE).course
    assert check_labs(BUNDLED_LABS, course) == []
    assert check_labs(BUNDLED_LABS, BUNDLED_COURSE) == []


def test_bundled_labs_cover_the_deck() -> None:
    labs = load_labs()
    assert len(labs) == 17
    assert [lab.order for lab in labs] == list(range(1, 18))
    by_level = {
        level: [lab.id for lab in labs if lab.sandbox == level]
        for level in ("full", "partial", "none")
    }
    assert len(by_level["full"]) == 7 and len(by_level["none"]) == 1
    assert {"lamp", "nextcloud", "creer-un-reseau", "demo-kubernetes"} <= set(labs.ids)
    for lab in labs:
        assert lab.sandbox == "full" or lab.limitations.strip(), lab.id
        assert lab.correction.commands and lab.correction.explanation
        if lab.sandbox != "none":
            assert lab.checked_steps >= 1, lab.id
    assert sum(lab.checked_steps for lab in labs) == 64
    assert sum(len(lab.steps) for lab in labs) == 82


BUILD_LABS = [
    "dockerfile-cartopoint",
    "atelier-dockerfile",
    "image-nodejs",
    "programme-c",
    "libreqr",
    "lamp-compose",  # a build inside docker compose
]


def test_the_build_labs_bring_their_files_and_check_every_step() -> None:
    labs = load_labs()
    assert [lab.id for lab in labs if lab.starter] == BUILD_LABS
    for lab_id in BUILD_LABS:
        lab = labs.get(lab_id)
        assert lab.correction.files, lab_id
        assert lab.checked_steps == len(lab.steps), lab_id
        assert all(step.sandbox_commands for step in lab.steps), lab_id
        assert any("Dockerfile" in path for path in lab.correction.files), lab_id
    assert list(labs.get("programme-c").starter) == ["prime.c"]
    assert set(labs.get("programme-c").correction.files) >= {
        "Dockerfile",
        "Dockerfile.multi",
        "Dockerfile.scratch",
    }
    assert ".dockerignore" in labs.get("atelier-dockerfile").correction.files
    assert "brouillon/essai.sh" in labs.get("atelier-dockerfile").starter
    node = labs.get("image-nodejs")
    assert "npm ci --omit=dev" in node.correction.files["Dockerfile"]
    assert '"dependencies"' not in node.starter["package.json"]  # npm ci works offline
    assert "FROM php:8.2-apache" in labs.get("libreqr").correction.files["Dockerfile"]
    every_file = [
        text
        for lab_id in BUILD_LABS
        for files in (labs.get(lab_id).starter, labs.get(lab_id).correction.files)
        for text in files.values()
    ]
    assert not any("7.4" in text or "--production" in text for text in every_file)


def test_lab_files_come_from_the_folder_beside_the_sheet(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD.format(id="a", order=1))
    (tmp_path / "a" / "starter" / "src").mkdir(parents=True)
    (tmp_path / "a" / "starter" / "src" / "main.c").write_text("int main(void) {}\n", "utf-8")
    (tmp_path / "a" / "starter" / ".dockerignore").write_text("notes\n", "utf-8")
    (tmp_path / "a" / "correction").mkdir()
    (tmp_path / "a" / "correction" / "Dockerfile").write_text("FROM gcc\n", "utf-8")
    lab = load_labs(tmp_path).get("a")
    assert lab.starter == {".dockerignore": "notes\n", "src/main.c": "int main(void) {}\n"}
    assert lab.correction.files == {"Dockerfile": "FROM gcc\n"}


def test_bad_lab_files_are_reported(tmp_path: Path) -> None:
    inline = GOOD.format(id="a", order=1).replace(
        'sandbox = "full"', 'sandbox = "full"\nstarter = { "x.txt" = "x" }'
    )
    write(tmp_path, "a.toml", inline)
    (tmp_path / "a" / "starter").mkdir(parents=True)
    (tmp_path / "a" / "starter" / "y.txt").write_text("y", "utf-8")
    deep = GOOD.format(id="b", order=2).replace(
        'sandbox = "full"', 'sandbox = "full"\nstarter = { "a/b/c/d/e.txt" = "x", "../up" = "" }'
    )
    write(tmp_path, "b.toml", deep)
    write(tmp_path, "c.toml", GOOD.format(id="c", order=3))
    (tmp_path / "c" / "correction").mkdir(parents=True)
    (tmp_path / "c" / "correction" / "big.txt").write_text("x" * 20_000, "utf-8")
    messages = [str(problem) for problem in check_labs(tmp_path)]
    assert "a.toml:1: starter: given both in the sheet and in starter/" in messages
    assert any("b.toml" in m and "'a/b/c/d/e.txt' is not a relative path" in m for m in messages)
    assert any("c.toml" in m and "'big.txt' is longer than" in m for m in messages)
    assert len(messages) == 3


def test_labs_related_to_a_section() -> None:
    related = [lab.id for lab in load_labs().related("creer-un-reseau-docker-network-create")]
    assert related == ["creer-un-reseau", "lamp", "nextcloud"]
    assert load_labs().related("pourquoi-virtualiser") == []


def test_unknown_lab_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        load_labs().get("nope")
    assert caught.value.message("fr") == "Je ne connais pas de TP « nope »."


def test_a_good_file_loads(tmp_path: Path) -> None:
    write(tmp_path, "mon-tp.toml", GOOD.format(id="mon-tp", order=1))
    assert check_labs(tmp_path) == []
    assert load_labs(tmp_path).get("mon-tp").steps[0].hint == "Comme ça."


def test_unknown_prerequisite_section_is_reported_only_with_a_course(tmp_path: Path) -> None:
    text = GOOD.format(id="mon-tp", order=1).replace("premier-conteneur-hello-world", "inconnue")
    write(tmp_path, "mon-tp.toml", text)
    assert check_labs(tmp_path) == []
    problems = check_labs(tmp_path, load_course(BUNDLED_COURSE).course)
    assert [(p.line, p.field) for p in problems] == [(5, "prerequisites")]
    assert "no section 'inconnue'" in problems[0].message


def test_broken_files_report_every_problem_with_its_line(tmp_path: Path) -> None:
    text = GOOD.format(id="mon-tp", order=1)
    text = text.replace('instruction = "Faites ceci."\n', "")
    text = text.replace('network_exists = "lamp"', 'network_exist = "lamp"')
    text += (
        '\n[[step]]\ninstruction = "Encore."\nhint = "  "\n'
        'check = { container = "web", publish = "80" }\n'
    )
    write(tmp_path, "mon-tp.toml", text)
    found = {(p.line, p.field): p.message for p in check_labs(tmp_path)}
    assert found[(8, "step[1].instruction")] == "required field is missing"
    assert "unknown check: got network_exist" in found[(10, "step[1].check")]
    assert found[(18, "step[2].hint")] == "must not be blank"
    assert found[(19, "step[2].check.container.publish")] == "Extra inputs are not permitted"
    assert len(found) == 4


def test_duplicates_wrong_file_name_and_honesty_rules(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD.format(id="a", order=1))
    write(tmp_path, "b.toml", GOOD.format(id="a", order=1))
    partial = GOOD.format(id="c", order=3).replace('sandbox = "full"', 'sandbox = "partial"')
    write(tmp_path, "c.toml", partial)
    none = GOOD.format(id="d", order=4).replace(
        'sandbox = "full"', 'sandbox = "none"\nlimitations = "x"'
    )
    write(tmp_path, "d.toml", none)
    write(tmp_path, "e.toml", "id = \n")
    messages = [str(p) for p in check_labs(tmp_path)]
    assert "b.toml:1: id: id 'a' in b.toml" in messages
    assert "b.toml:1: id: duplicate id 'a', already used in a.toml" in messages
    assert "b.toml:1: order: duplicate order 1, already used in a.toml" in messages
    limits = 'c.toml:6: limitations: sandbox = "partial" needs limitations saying what to do'
    assert limits + " instead" in messages
    assert any(m.startswith("d.toml:9: step: step 1 has a check") for m in messages)
    assert any(m.startswith("e.toml:1: TOML: ") for m in messages)
    assert len(messages) == 6


def test_load_stops_on_the_first_problem(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD.format(id="a", order=1).replace("order = 1", "order = 0"))
    with pytest.raises(CourseError) as caught:
        load_labs(tmp_path)
    assert caught.value.message("en").startswith("Lab a.toml:2 is invalid: Input should be")


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    assert [p.message for p in check_labs(tmp_path)] == ["no *.toml lab file"]
