"""The issue's bad compose files: each refused before the work it would cost, with a clear
message (500 services, a YAML bomb, deep nesting, a recursive extends, a bind of /, …)."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.compose import ComposeError, load_project
from moussaillon.sandbox.compose.yamlread import MAX_NODES
from tests.sandbox.compose.support import load, refusal, service, workspace


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["x-lol0: &lol0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"x-lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\nservices:\n  web:\n    image: alpine\n"


def test_a_billion_laughs_is_refused_while_expanding() -> None:
    error = refusal(billion_laughs())
    assert error.key == "sandbox.compose.yaml.expansion"
    assert error.params == {"limit": MAX_NODES}
    assert "YAML bomb" in error.message("en")


def test_a_small_expansion_is_fine() -> None:
    assert load(billion_laughs(levels=3, width=3)).services["web"].image == "alpine"


def test_too_many_aliases_are_refused_while_composing() -> None:
    text = "x-a: &a 1\nx-list: [" + ", ".join(["*a"] * 300) + "]\n" + service("")
    assert refusal(text).key == "sandbox.compose.yaml.aliases"


@pytest.mark.parametrize(
    "deep",
    [
        "x: " + "[" * 20_000 + "]" * 20_000 + "\n",
        "x: " + "[1, " * 15_000 + "\n",
        "x: " + "{a: " * 15_000 + "\n",
        "".join(f"{' ' * level}k{level}:\n" for level in range(40)),
    ],
)
def test_deep_nesting_is_refused_without_recursing(deep: str) -> None:
    error = refusal(deep, max_kb=1024)
    assert error.key == "sandbox.compose.yaml.depth"
    assert error.params == {"limit": 32}


def test_five_hundred_services_are_counted_before_being_read() -> None:
    text = "services:\n" + "".join(f"  s{i}:\n    image: alpine\n" for i in range(500))
    error = refusal(text)
    assert error.key == "sandbox.compose.too_many_services"
    assert error.params == {"limit": 10}
    assert error.line == 1


def test_the_service_bound_is_a_setting() -> None:
    text = "services:\n" + "".join(f"  s{i}:\n    image: alpine\n" for i in range(12))
    assert len(load(text, max_services=12).services) == 12
    assert refusal(text, max_services=11).key == "sandbox.compose.too_many_services"


def test_a_file_over_the_size_bound_is_refused_before_it_is_parsed() -> None:
    text = service("") + "# " + "x" * 70_000 + "\n"
    error = refusal(text)
    assert error.key == "sandbox.compose.too_big"
    assert error.params == {"file": "compose.yaml", "size_kb": 69, "limit": 64}
    assert load(text, max_kb=80).services


def test_a_recursive_extends_is_refused_at_the_first_extends() -> None:
    text = """\
services:
  a:
    image: x
    extends: b
  b:
    image: x
    extends: a
"""
    error = refusal(text)
    assert (error.key, error.path, error.line) == (
        "sandbox.compose.refused.extends",
        "services.a.extends",
        4,
    )


def test_an_extends_of_another_file_is_refused_too() -> None:
    error = refusal(service("extends:\n  file: compose.yaml\n  service: web"))
    assert error.key == "sandbox.compose.refused.extends"


def test_bind_mounting_the_root_is_refused() -> None:
    for body in ("volumes: ['/:/host']", "volumes:\n  - type: bind\n    source: /\n    target: /h"):
        error = refusal(service(body))
        assert error.key == "sandbox.compose.host_path", body


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("services:\n  web:\n    image: x\n   bad: indent\n", "sandbox.compose.yaml.syntax", 4),
        ("services: [\n", "sandbox.compose.yaml.syntax", 2),
        ("services:\n  web:\n    image: x\n    image: y\n", "sandbox.compose.yaml.duplicate", 4),
        ("services: !!python/object:os.system {}\n", "sandbox.compose.yaml.tag", 1),
        ("services:\n  web:\n    image: !custom x\n", "sandbox.compose.yaml.tag", 3),
        ("x: &a {}\nservices:\n  <<: [1]\n", "sandbox.compose.yaml.merge", 3),
        ("? [a, b]\n: 1\n", "sandbox.compose.yaml.key", 1),
    ],
)
def test_broken_yaml_names_its_line(text: str, key: str, line: int) -> None:
    error = refusal(text)
    assert (error.key, error.line) == (key, line)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    assert refusal(text).key == "sandbox.compose.empty"


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(ComposeError) as caught:
        load_project({"compose.yaml": b"services:\n  web:\n    image: \xff\n"})
    assert caught.value.key == "sandbox.compose.not_utf8"


def test_a_top_level_list_is_a_schema_error() -> None:
    error = refusal("- a\n- b\n")
    assert error.key == "sandbox.compose.schema.type"


def test_a_bad_env_line_names_the_env_file_and_line() -> None:
    files = workspace(service(""))
    files[".env"] = b"OK=1\nthis is not a pair\n"
    with pytest.raises(ComposeError) as caught:
        load_project(files)
    assert (caught.value.path, caught.value.line) == (".env", 2)
