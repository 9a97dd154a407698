"""Class services on a real SQLite file: roles persist, one open class per student, progress
tolerates the tables other areas may not have created."""

from moussaillon.app import build_services
from moussaillon.classes.progress import ProgressReader
from moussaillon.content.deck import load_course
from moussaillon.core.store import Store
from moussaillon.labs.loader import load_labs
from tests.conftest import make_settings


async def test_promotions_survive_a_restart(tmp_path):
    settings = make_settings(tmp_path, instructors=[1])
    async with build_services(settings, sandbox=False) as services:
        roles = services.classes.roles
        assert roles.is_instructor(1) and not roles.is_instructor(7)
        assert await services.classes.roles.promote(7, by=1)
        assert not await services.classes.roles.promote(7, by=1)
    async with build_services(settings, sandbox=False) as services:
        assert services.classes.roles.is_instructor(7)
        assert services.classes.roles.instructors() == [1, 7]


async def test_joining_another_class_moves_the_student(tmp_path):
    async with build_services(make_settings(tmp_path), sandbox=False) as services:
        classes = services.classes.classes
        a = await classes.create(1, "A")
        b = await classes.create(1, "  B   bis ")
        assert b.name == "B bis" and a.code != b.code
        await classes.join(5, a.code)
        await classes.join(5, f" {b.code.lower()} ")
        assert [m.user_id for m in await classes.members(a.id)] == []
        assert (await classes.of_student(5)).id == b.id
        assert (await classes.current(1)).id == b.id


async def test_progress_without_quiz_lab_or_sandbox_tables(tmp_path):
    from moussaillon.core import schema as core

    store = Store(tmp_path / "core-only.db", migrations=[core.MIGRATIONS])
    try:
        course = load_course(make_settings(tmp_path).course_path).course
        reader = ProgressReader(store, course, load_labs())
        first = course.chapters[0].sections[0].id
        store.write_sync(lambda db: db["section_views"].insert(
            {"user_id": 3, "section_id": first, "viewed_at": "2026-01-01T00:00:00+00:00"}))
        progress = await reader.student(3)
        assert (progress.sections_read, progress.quiz_answers, progress.labs_done) == (1, 0, 0)
        assert progress.sandbox_commands == 0 and progress.last_activity.startswith("2026-01-01")
    finally:
        store.close()
