"""``moussaillon course check`` also checks the labs of a course folder."""

import shutil
import subprocess
import sys
from pathlib import Path

from moussaillon.content.check import format_report
from moussaillon.labs.check import check_course_and_labs as check_course
from moussaillon.labs.check import main

FIXTURES = Path(__file__).parent.parent / "content" / "fixtures"
ROOT = Path(__file__).parent.parent.parent

LAB = """id = "mon-tp"
order = 1
title = "Un TP"
objective = "Faire un réseau."
prerequisites = ["{section}"]
sandbox = "full"

[[step]]
instruction = "Créez le réseau `net`."
hint = "`docker network create net`"
check = {{ network_exists = "net" }}

[correction]
commands = ["docker network create net"]
explanation = "Un réseau."
"""


def test_the_bundled_course_and_its_labs_have_no_problem(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "moussaillon", "course", "check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env around to point at another course
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.splitlines()[0]
    labs = len(list((ROOT / "moussaillon" / "labs" / "sheets").glob("*.toml")))
    assert f"{labs} labs, 0 errors, 0 warnings" in summary
    assert labs >= 10 and len(done.stdout.splitlines()) == 1


def test_a_broken_lab_beside_a_course_is_reported_with_file_and_line(tmp_path, capsys):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "course", course)
    assert check_course(course).labs is None  # no labs folder: nothing to say about labs
    labs = tmp_path / "labs"
    labs.mkdir()
    (labs / "mon-tp.toml").write_text(LAB.format(section="pas-dans-le-cours"), encoding="utf-8")

    assert main(course) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("1 labs, 1 errors, 0 warnings")
    assert out[1] == (
        f"{labs / 'mon-tp.toml'}:5: error: prerequisites: no section 'pas-dans-le-cours' in the "
        "course"
    )


def test_a_valid_lab_beside_a_course_passes(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "course", course)
    first = check_course(course)
    (tmp_path / "labs").mkdir()
    some_section = _first_section(course)
    (tmp_path / "labs" / "mon-tp.toml").write_text(LAB.format(section=some_section), "utf-8")
    report = check_course(course)
    assert report.errors == first.errors == 0 and report.labs == 1
    assert "1 labs" in format_report(report)


def _first_section(course: Path) -> str:
    from moussaillon.content.deck import load_course

    return load_course(course).course.sections[0].id
