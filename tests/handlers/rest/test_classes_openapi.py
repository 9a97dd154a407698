"""Property-based: the class and "me" routes, driven by their own OpenAPI schema with any input
and any caller, never answer 500, and answer 401/403 exactly where authentication says so."""

import asyncio
import threading
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.classes.rest_harness import OTHER_TEACHER, STUDENTS, TEACHER, bearer, class_world

CALLERS = ("anonymous", "garbage", "student", "teacher", "other_teacher")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=6,
)


@pytest.fixture
def world(tmp_path):
    """The world on an event loop of its own thread: Hypothesis drives sync tests, and each
    example hands its request to that loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    context = class_world(tmp_path)
    built = asyncio.run_coroutine_threadsafe(context.__aenter__(), loop).result()
    built.run = lambda coro: asyncio.run_coroutine_threadsafe(coro, loop).result(30)
    try:
        yield built
    finally:
        built.run(context.__aexit__(None, None, None))
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def _value(schema: dict, ids: list[int]) -> st.SearchStrategy:
    kinds = {s.get("type") for s in schema.get("anyOf", [schema])}
    options: list[st.SearchStrategy] = [st.text(max_size=30)]
    if "integer" in kinds:
        options += [st.sampled_from(ids), st.integers(-(2**70), 2**70)]
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
    return st.one_of(options)


def _body(schema: dict | None) -> st.SearchStrategy:
    if schema is None:
        return st.just(None)
    shaped = st.fixed_dictionaries(
        {},
        optional={
            "text": st.text(max_size=4000) | JSON,
            "at": st.datetimes(timezones=st.timezones() | st.none()).map(lambda d: d.isoformat())
            | st.text(max_size=30) | JSON,
        },
    )
    return st.one_of(st.none(), shaped, JSON)


def operations(spec: dict) -> list[tuple[str, str, dict]]:
    found = []
    for path, methods in spec["paths"].items():
        if path.startswith(("/api/v1/classes", "/api/v1/me")):
            found += [(method.upper(), path, op) for method, op in methods.items()]
    return found


@st.composite
def requests(draw, spec: dict, ids: list[int]):
    method, path, op = draw(st.sampled_from(operations(spec)))
    url, query = path, {}
    for param in op.get("parameters", []):
        value = draw(_value(param.get("schema", {}), ids))
        if param["in"] == "path":
            url = url.replace("{" + param["name"] + "}", quote(str(value), safe=""))
        elif param["in"] == "query" and draw(st.booleans()):
            query[param["name"]] = str(value)
    has_body = "requestBody" in op
    body = draw(_body({} if has_body else None))
    return method, path, url, query, body, draw(st.sampled_from(CALLERS))


def test_no_input_or_caller_makes_a_class_route_fail(world):
    spec = world.run(world.client.get("/openapi.json")).json()
    assert len(operations(spec)) >= 8
    ids = [world.class_id, world.other_class_id, 1, 0]
    seen: set[int] = set()
    owners = {"student": STUDENTS[0], "teacher": TEACHER, "other_teacher": OTHER_TEACHER}

    @settings(max_examples=400, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(requests(spec, ids))
    def check(request):
        method, template, url, query, body, caller = request
        headers = {}
        if caller == "garbage":
            headers = {"Authorization": "Bearer mss_not-a-token"}
        elif caller in owners:  # fresh each time: a DELETE may have revoked the last one
            headers = bearer(world.run(world.services.tokens.create(owners[caller])))
        kwargs = {"params": query, "headers": headers}
        if body is not None:
            kwargs["json"] = body
        answer = world.run(world.client.request(method, url, **kwargs))
        seen.add(answer.status_code)
        assert answer.status_code < 500, (method, url, body, answer.text)
        # an empty or slash-bearing path value leaves the route (Starlette's 404/405/redirect)
        routed = answer.status_code not in (307, 405) and (
            answer.status_code != 404 or answer.json()["error"]["code"] != "api.http")
        if caller in ("anonymous", "garbage") and routed:
            assert answer.status_code == 401, (method, url, answer.text)
        elif caller == "student" and template.startswith("/api/v1/classes") and routed:
            assert answer.status_code == 403, (method, url, answer.text)
        elif caller == "student":
            assert answer.status_code not in (401, 403), (method, url, answer.text)
        elif caller == "teacher" and f"/classes/{world.other_class_id}/" in url:
            assert answer.status_code in (404, 422), (method, url, answer.text)
        if answer.status_code not in (204, 307):
            kind = answer.headers["content-type"].split(";")[0]
            assert kind in ("application/json", "text/csv"), (method, url, kind)

    check()
    assert {200, 401, 403, 404, 422} <= seen, seen  # the examples did reach every outcome
