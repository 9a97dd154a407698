"""Classes over REST: who may call what, progress as JSON and CSV, broadcasts, releases, tokens."""

import csv
import io

import pytest

from tests.classes.rest_harness import STUDENTS, TEACHER, class_world


@pytest.fixture
async def world(tmp_path):
    async with class_world(tmp_path) as built:
        yield built


INSTRUCTOR_ROUTES = [
    ("GET", "/api/v1/classes", None),
    ("GET", "/api/v1/classes/{cid}/progress", None),
    ("POST", "/api/v1/classes/{cid}/broadcasts", {"text": "hello"}),
    ("GET", "/api/v1/classes/{cid}/broadcasts/1", None),
    ("POST", "/api/v1/classes/{cid}/labs/premiers-conteneurs/release", {}),
]


async def test_every_class_route_needs_a_token_and_students_get_403(world):
    for method, path, body in INSTRUCTOR_ROUTES:
        url = path.format(cid=world.class_id)
        anonymous = await world.client.request(method, url, json=body)
        assert anonymous.status_code == 401, url
        assert anonymous.json()["error"]["code"] == "api.unauthorized"
        student = await world.client.request(method, url, json=body, headers=world.student)
        assert student.status_code == 403, url
    assert (await world.client.get("/api/v1/me/progress")).status_code == 401
    assert (await world.services.classes.broadcasts.recent(world.class_id)) == []


async def test_an_instructor_acts_only_on_their_own_classes(world):
    listed = (await world.client.get("/api/v1/classes", headers=world.teacher)).json()
    assert [c["id"] for c in listed] == [world.class_id] and listed[0]["members"] == 3
    for method, path, body in INSTRUCTOR_ROUTES[1:]:
        url = path.format(cid=world.other_class_id)
        answer = await world.client.request(method, url, json=body, headers=world.teacher)
        assert answer.status_code == 404, url
    assert await world.services.classes.releases.of_class(world.other_class_id) == []


async def test_progress_json_and_csv_show_each_student(world):
    first = world.services.course.course.sections[0].id
    await world.services.progress.record_view(STUDENTS[1], first)
    url = f"/api/v1/classes/{world.class_id}/progress"
    rows = (await world.client.get(url, headers=world.teacher)).json()
    assert [r["user_id"] for r in rows] == list(STUDENTS)
    assert [r["sections_read"] for r in rows] == [0, 1, 0]
    answer = await world.client.get(url, params={"format": "csv"}, headers=world.teacher)
    assert answer.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(answer.text)))
    assert [int(r["user_id"]) for r in table] == list(STUDENTS)
    assert table[1]["name"] == "Élève1" and table[1]["sections_read"] == "1"


async def test_a_student_reads_only_their_own_progress(world):
    first = world.services.course.course.sections[0].id
    await world.services.progress.record_view(STUDENTS[0], first)
    mine = (await world.client.get("/api/v1/me/progress", headers=world.student)).json()
    assert mine["user_id"] == STUDENTS[0] and mine["sections_read"] == 1


async def test_broadcast_is_queued_and_its_report_reads_back(world):
    url = f"/api/v1/classes/{world.class_id}/broadcasts"
    created = await world.client.post(url, json={"text": "Salle 2"}, headers=world.teacher)
    assert created.status_code == 202 and created.json()["total"] == 3
    bid = created.json()["id"]
    report = (await world.client.get(f"{url}/{bid}", headers=world.teacher)).json()
    assert (report["total"], report["pending"], report["sent"]) == (3, 3, 0)  # no bot attached
    empty = await world.client.post(url, json={"text": ""}, headers=world.teacher)
    assert empty.status_code == 422


async def test_release_now_and_at_a_time(world):
    base = f"/api/v1/classes/{world.class_id}/labs"
    later = await world.client.post(
        f"{base}/premiers-conteneurs/release", json={"at": "2099-01-02T10:00:00+01:00"},
        headers=world.teacher)
    assert later.status_code == 200
    assert later.json()["status"] == "pending"
    assert later.json()["due_at"] == "2099-01-02T09:00:00+00:00"
    now = await world.client.post(f"{base}/premiers-conteneurs/release", headers=world.teacher)
    assert now.json()["status"] == "released"
    assert await world.services.labs.correction(STUDENTS[0], "premiers-conteneurs")
    unknown = await world.client.post(f"{base}/no-such-lab/release", headers=world.teacher)
    assert unknown.status_code == 404


async def test_tokens_are_listed_and_revoked_by_their_owner_only(world):
    listed = (await world.client.get("/api/v1/me/tokens", headers=world.student)).json()
    assert [t["user_id"] for t in listed] == [STUDENTS[0]]
    teacher_tokens = (await world.client.get("/api/v1/me/tokens", headers=world.teacher)).json()
    foreign = await world.client.delete(
        f"/api/v1/me/tokens/{teacher_tokens[0]['id']}", headers=world.student)
    assert foreign.status_code == 404
    assert (await world.client.get("/api/v1/classes", headers=world.teacher)).status_code == 200
    gone = await world.client.delete(f"/api/v1/me/tokens/{listed[0]['id']}", headers=world.student)
    assert gone.status_code == 204
    assert (await world.client.get("/api/v1/me/progress", headers=world.student)).status_code == 401


async def test_dashboard_signed_link_bearer_and_refusals(world):
    hub = world.services.classes
    query = hub.dashboard_query(world.class_id, TEACHER)
    page = await world.client.get(f"/classes/{world.class_id}?{query}")
    assert page.status_code == 200 and "Docker A" in page.text and "Élève2" in page.text
    csv_link = await world.client.get(f"/classes/{world.class_id}/progress.csv?{query}")
    assert csv_link.status_code == 200 and "Élève0" in csv_link.text
    tampered = query[:-1] + ("0" if query[-1] != "0" else "1")
    assert (await world.client.get(f"/classes/{world.class_id}?{tampered}")).status_code == 403
    assert (await world.client.get(f"/classes/{world.other_class_id}?{query}")).status_code == 403
    expired = hub.dashboard_query(world.class_id, TEACHER).replace("exp=", "exp=1")
    assert (await world.client.get(f"/classes/{world.class_id}?{expired}")).status_code == 403
    assert (await world.client.get(f"/classes/{world.class_id}")).status_code == 403
    bearer = await world.client.get(f"/classes/{world.class_id}", headers=world.teacher)
    assert bearer.status_code == 200
    other = await world.client.get(f"/classes/{world.class_id}", headers=world.other_teacher)
    assert other.status_code == 403
    student = await world.client.get(f"/classes/{world.class_id}", headers=world.student)
    assert student.status_code == 403


async def test_the_dashboard_counts_in_words_and_shows_times_on_the_courses_clock(tmp_path):
    async with class_world(tmp_path, timezone="America/Montreal") as world:

        def command_at_noon_utc(db):
            db["sandbox_commands"].insert(
                {"user_id": STUDENTS[0], "command": "docker ps", "verb": "ps",
                 "verdict": "ran", "created_at": "2026-01-15T12:00:00+00:00"}
            )

        await world.services.store.write(command_at_noon_utc)
        page = await world.client.get(f"/classes/{world.class_id}", headers=world.teacher)
        assert page.status_code == 200
        assert ">3 élèves ·" in page.text and "élève(s)" not in page.text
        assert '<td class="when">2026-01-15 07:00</td>' in page.text  # noon UTC in Montreal
