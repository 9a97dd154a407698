"""Go templates as students copy them from docker's documentation."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from typing import Any

import pytest

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.gotemplate import (
    MAX_DEPTH,
    MAX_OUTPUT,
    MAX_SECONDS,
    MAX_STEPS,
    MAX_TEMPLATE_CHARS,
    MAX_WIDTH,
    Budget,
    TemplateError,
    execute,
    is_table,
    parse,
    render,
    to_text,
)
from moussaillon.sandbox.requests import EnvVar

CONTAINER: dict[str, Any] = {
    "ID": "4f1c2d",
    "Names": "web",
    "Image": "nginx",
    "Status": "Up 2 minutes",
    "Ports": [80, 443],
    "Labels": {"tier": "front", "app": "shop"},
    "State": {"Running": True, "Status": "running", "Pid": 0, "ExitCode": 0},
    "Config": {"Env": ["A=1", "B=2"], "Cmd": None, "Labels": {"a.b": "c"}},
    "NetworkSettings": {"Networks": {"mynet": {"IPAddress": "172.18.0.2"}}},
    "Mem": 1.5,
    "Limit": 134217728,
    "Empty": "",
    "Html": "<b>&",
}

CASES: list[tuple[str, str]] = [
    ("{{.Names}}", "web"),
    ("plain text", "plain text"),
    ("", ""),
    ("{{.Names}}\\t{{.Status}}", "web\tUp 2 minutes"),
    ("{{.ID}}\\n{{.Image}}", "4f1c2d\nnginx"),
    ("{{.State.Status}}", "running"),
    ("{{.NetworkSettings.Networks.mynet.IPAddress}}", "172.18.0.2"),
    ("{{json .Labels}}", '{"tier":"front","app":"shop"}'),
    ("{{json .Ports}}", "[80,443]"),
    ("{{json .Config.Cmd}}", "null"),
    ("{{json .Html}}", '"\\u003cb\\u003e\\u0026"'),
    ("{{json .State}}",
     '{"Running":true,"Status":"running","Pid":0,"ExitCode":0}'),
    ('{{index .Labels "tier"}}', "front"),
    ('{{index .Config.Labels "a.b"}}', "c"),
    ('{{index .Labels "missing"}}', "<no value>"),
    ("{{index .Ports 1}}", "443"),
    ("{{range .Ports}}{{.}} {{end}}", "80 443 "),
    ("{{range .Labels}}{{.}},{{end}}", "shop,front,"),
    ("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}", "app=shop;tier=front;"),
    ("{{range $i, $p := .Ports}}{{$i}}:{{$p}} {{end}}", "0:80 1:443 "),
    ("{{range $p := .Ports}}[{{$p}}]{{end}}", "[80][443]"),
    ("{{range .Config.Cmd}}x{{else}}none{{end}}", "none"),
    ("{{range $net, $conf := .NetworkSettings.Networks}}{{$net}} {{$conf.IPAddress}}{{end}}",
     "mynet 172.18.0.2"),
    ("{{if .State.Running}}up{{else}}down{{end}}", "up"),
    ("{{if .State.Pid}}pid{{else}}no pid{{end}}", "no pid"),
    ("{{if .Empty}}x{{end}}", ""),
    ("{{if .State.Pid}}a{{else if .State.Running}}b{{else}}c{{end}}", "b"),
    ("{{if .State.Pid}}a{{else if .Empty}}b{{else}}c{{end}}", "c"),
    ("{{if not .Empty}}empty{{end}}", "empty"),
    ('{{if eq .Names "web"}}yes{{end}}', "yes"),
    ('{{if eq .Names "db" "web"}}one of{{end}}', "one of"),
    ('{{if ne .Image "nginx"}}other{{else}}nginx{{end}}', "nginx"),
    ("{{if gt .Limit 1000}}big{{end}}", "big"),
    ("{{with .State}}{{.Status}}/{{.ExitCode}}{{end}}", "running/0"),
    ("{{with .Empty}}x{{else}}nothing{{end}}", "nothing"),
    ('{{join .Config.Env ","}}', "A=1,B=2"),
    ('{{join .Ports "-"}}', "80-443"),
    ('{{split "a:b:c" ":"}}', "[a b c]"),
    ("{{upper .Names}}", "WEB"),
    ("{{lower \"ABC\"}}", "abc"),
    ("{{title \"hello world\"}}", "Hello World"),
    ("{{.Names | upper}}", "WEB"),
    ("{{.Status | lower | upper}}", "UP 2 MINUTES"),
    ("{{truncate .ID 2}}", "4f"),
    ("{{pad .Names 1 2}}|", " web  |"),
    ("{{println .Names}}", "web\n"),
    ("{{println .Names .Image}}", "web nginx\n"),
    ("{{print .Names .Image}}", "webnginx"),
    ('{{printf "%s:%d" .Names .Limit}}', "web:134217728"),
    ('{{printf "%-6s|" .Names}}', "web   |"),
    ('{{printf "%5.1f" .Mem}}', "  1.5"),
    ('{{printf "%q" .Names}}', '"web"'),
    ("{{len .Ports}} {{len .Labels}} {{len .Names}}", "2 2 3"),
    ("{{.Ports}}", "[80 443]"),
    ("{{.Labels}}", "map[app:shop tier:front]"),
    ("{{.Config.Cmd}}", "<no value>"),
    ("{{.State.Running}}", "true"),
    ("{{.Mem}} {{.Limit}}", "1.5 134217728"),
    ("{{ .Names }}", "web"),
    ("{{- .Names -}}  !", "web!"),
    ("a  {{- .Names}}", "aweb"),
    ("{{/* a comment */}}ok", "ok"),
    ("{{$n := .Names}}{{$n}}-{{$n}}", "web-web"),
    ("{{range .Ports}}{{$.Names}}:{{.}} {{end}}", "web:80 web:443 "),
    ("{{(index .Ports 0)}}", "80"),
    ('{{(index .NetworkSettings.Networks "mynet").IPAddress}}', "172.18.0.2"),
    ("{{if and .State.Running .Names}}both{{end}}", "both"),
    ("{{if or .Empty .Names}}either{{end}}", "either"),
    ('{{"quoted \\"text\\""}}', 'quoted "text"'),
    ("{{`raw \\n`}}", "raw \\n"),
    ("{{true}} {{false}} {{3}} {{-2}} {{1.25}}", "true false 3 -2 1.25"),
]  # fmt: skip


@pytest.mark.parametrize(("template", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_render(template: str, expected: str) -> None:
    assert render(template, CONTAINER) == expected


ERRORS: list[tuple[str, str]] = [
    ("{{.Foo}}", "can't evaluate field Foo"),
    ("{{.State.Nope}}", "can't evaluate field Nope"),
    ("{{.Config.Cmd.X}}", "nil pointer evaluating .X"),
    ("{{nosuch .Names}}", 'function "nosuch" not defined'),
    ("{{.Names", "unclosed action"),
    ("{{if .Names}}x", "unexpected EOF"),
    ("{{end}}", "unexpected {{end}}"),
    ("{{else}}", "unexpected {{else}}"),
    ("{{if .Names}}a{{else}}b{{else}}c{{end}}", "unexpected {{else}}"),
    ("{{index .Ports 9}}", "index out of range"),
    ("{{range .Names}}x{{end}}", "range can't iterate over web"),
    ("{{$nope}}", "undefined variable: $nope"),
    ("{{.Names .Image}}", "can't give argument to non-function"),
    ("{{(index .Ports 0}}", "unclosed left paren"),
    ("{{ ) }}", 'unexpected ")"'),
    ("{{ # }}", "unexpected '#'"),
    ('{{define "x"}}{{end}}', "define is not supported"),
    ('{{template "x"}}', "template is not supported"),
    ("{{join .Names}}", "error calling join"),
    ("{{ | }}", "missing value for command"),
    ("{{lt .Names 3}}", "incompatible types"),
]


@pytest.mark.parametrize(("template", "fragment"), ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_are_clean_and_go_like(template: str, fragment: str) -> None:
    with pytest.raises(TemplateError) as caught:
        render(template, CONTAINER)
    assert fragment in caught.value.detail
    assert caught.value.detail.startswith("template: ")
    assert isinstance(caught.value, CommandSyntaxError)
    assert fragment in caught.value.message("en") and caught.value.message("fr")


def test_unknown_field_error_points_at_the_field_like_docker() -> None:
    with pytest.raises(TemplateError) as caught:
        render("{{.Foo}}", {"Name": "x"})
    assert caught.value.detail == (
        'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo'
    )


def test_output_is_capped() -> None:
    data = {"Items": list(range(2000))}
    with pytest.raises(TemplateError):
        render("{{range .Items}}{{range $.Items}}xxxxxxxxxx{{end}}{{end}}", data)
    assert len(render("{{range .Items}}{{.}}{{end}}", data)) < MAX_OUTPUT


def test_pydantic_models_are_data_too() -> None:
    env = EnvVar(key="A", value="1")
    assert render("{{.key}}={{.value}} {{json .}}", env) == 'A=1 {"key":"A","value":"1"}'
    with pytest.raises(TemplateError):
        render("{{.model_dump}}", env)


def test_no_python_is_ever_evaluated() -> None:
    for template in ("{{__import__}}", "{{.__class__}}", "{{ 1+1 }}", "{{os.system}}"):
        with pytest.raises(TemplateError):
            render(template, CONTAINER)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("table {{.ID}}\\t{{.Names}}", (True, "{{.ID}}\\t{{.Names}}")),
        ("table", (True, "")),
        ("{{.ID}}", (False, "{{.ID}}")),
        ("json", (False, "json")),
    ],
)
def test_is_table(template: str, expected: tuple[bool, str]) -> None:
    assert is_table(template) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "<no value>"),
        (True, "true"),
        (3, "3"),
        (2.5, "2.5"),
        (1e6, "1e+06"),
        (123456.0, "123456"),
        (0.00001, "1e-05"),
        ([1, None, "a"], "[1 <nil> a]"),
        ({"b": 1, "a": [2]}, "map[a:[2] b:1]"),
    ],
)
def test_values_print_like_go(value: Any, text: str) -> None:
    assert to_text(value) == text


PIECES = [
    "{{", "}}", ".", ".Names", ".Ports", ".Labels", "$", "$k", ":=", ",", "|", "(", ")", " ",
    "if", "else", "end", "range", "with", "json", "index", "join", "printf", "and", "or", "eq",
    "len", "not", '"%d"', '"x"', "`", "0", "-1", "1e309", "\\", "\\t", "😀", "\x00",
]  # fmt: skip


def test_random_templates_render_or_fail_cleanly() -> None:
    rng = random.Random(42)
    outcomes = {"rendered": 0, "failed": 0}
    for _ in range(5000):
        template = "".join(rng.choices(PIECES, k=rng.randint(1, 14)))
        try:
            render(template, CONTAINER)
            outcomes["rendered"] += 1
        except TemplateError as exc:
            assert exc.message("en")
            outcomes["failed"] += 1
    assert outcomes["rendered"] > 100 and outcomes["failed"] > 100


# --- budgets: a hostile template stops fast, with the reason, and allocates nothing big --------

BOMBS: list[tuple[str, str]] = [
    ("{{range 1000000}}{{range 1000000}}{{end}}{{end}}", "sandbox.template.steps"),
    ("{{range $i := 100000000}}{{range $.Labels}}{{end}}{{end}}", "sandbox.template.steps"),
    ("{{range 1000000}}{{.}}{{end}}", "sandbox.template.output"),
    ('{{printf "%3000000000s" "x"}}', "sandbox.template.width"),
    ('{{printf "%-3000000000s" "x"}}', "sandbox.template.width"),
    ('{{printf "%03000000000d" 7}}', "sandbox.template.width"),
    ('{{printf "%.3000000000f" 1.5}}', "sandbox.template.width"),
    ('{{printf "%.3000000000s" "x"}}', "sandbox.template.width"),
    ('{{printf "%' + "9" * 4000 + 's" "x"}}', "sandbox.template.width"),
    ('{{pad "x" 3000000000 0}}', "sandbox.template.width"),
    ('{{pad "x" 0 3000000000}}', "sandbox.template.width"),
    ('{{pad "x" -1 0}}', "sandbox.template.width"),
    (
        '{{$a := printf "%4096s" "x"}}'
        + "".join(
            f"{{{{${b} := print {' '.join(['$' + a] * 16)}}}}}"
            for a, b in zip("abcdefg", "bcdefgh", strict=True)
        )
        + "{{len $h}}",
        "sandbox.template.memory",
    ),
    ('{{$a := printf "%4096s" "x"}}{{range 100000}}{{$b := print $a $a $a $a}}{{end}}',
     "sandbox.template.memory"),
    ('{{range 100000}}{{$j := json (printf "%4000s" "")}}{{end}}', "sandbox.template.memory"),
    ("{{" + "(" * 30 + "1" + ")" * 30 + "}}", "sandbox.template.too_deep"),
    ("{{if 1}}" * 30 + "x" + "{{end}}" * 30, "sandbox.template.too_deep"),
    ("{{if 0}}{{" + "else if 0}}{{" * 30 + "end}}", "sandbox.template.too_deep"),
    ("{{.Names}}" * 500, "sandbox.template.too_long"),
]  # fmt: skip


@pytest.mark.parametrize(("template", "key"), BOMBS, ids=[f"{k}-{t[:40]}" for t, k in BOMBS])
def test_bombs_stop_within_the_budget_with_a_clear_error(template: str, key: str) -> None:
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render(template, CONTAINER, Budget(max_output=64 * 1024))
    assert time.monotonic() - started < MAX_SECONDS + 0.5
    assert caught.value.key == key
    assert caught.value.detail.startswith("template: ")
    french, english = caught.value.message("fr"), caught.value.message("en")
    assert caught.value.detail in french and caught.value.detail in english
    assert french != english and "bac à sable" in french and "sandbox" in english


def test_the_step_error_reads_like_docker_and_says_why() -> None:
    with pytest.raises(TemplateError) as caught:
        render("{{range 1000000}}{{range 1000000}}{{end}}{{end}}", {})
    assert caught.value.detail == "template: :1:19: execution stopped: too many steps"
    assert f"{MAX_STEPS}" in caught.value.message("en")
    assert "range" in caught.value.message("fr")


def test_wall_time_stops_what_steps_alone_would_let_run() -> None:
    budget = Budget(max_steps=10**12, max_seconds=0.05)
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render("{{range 1000000}}{{range 1000000}}{{end}}{{end}}", {}, budget)
    assert time.monotonic() - started < 0.5
    assert caught.value.key == "sandbox.template.timeout"
    assert caught.value.detail.endswith("execution stopped: timeout")


def test_a_cancelled_budget_stops_at_its_next_step() -> None:
    budget = Budget()
    budget.cancel()
    with pytest.raises(TemplateError) as caught:
        render("{{range 1000}}{{end}}", {}, budget)
    assert caught.value.key == "sandbox.template.cancelled"


def test_one_budget_is_shared_by_every_row() -> None:
    blocks = parse("{{range 300}}{{end}}")
    budget = Budget(max_steps=1000)
    execute(blocks, {}, budget)
    execute(blocks, {}, budget)
    with pytest.raises(TemplateError, match="too many steps"):
        for _ in range(10):
            execute(blocks, {}, budget)


def test_output_stops_at_the_given_limit_and_not_before() -> None:
    assert render("{{range 50}}xx{{end}}", {}, Budget(max_output=100)) == "xx" * 50
    with pytest.raises(TemplateError) as caught:
        render("{{range 51}}xx{{end}}", {}, Budget(max_output=100))
    assert caught.value.key == "sandbox.template.output"
    assert "100" in caught.value.message("en")


def test_the_bounds_themselves_are_allowed() -> None:
    assert render(f'{{{{printf "%{MAX_WIDTH}s" "x"}}}}', {}) == " " * (MAX_WIDTH - 1) + "x"
    assert render(f'{{{{printf "%-{MAX_WIDTH}s|" "x"}}}}', {}).endswith(" |")
    assert len(render(f'{{{{printf "%.{MAX_WIDTH}f" 1.5}}}}', {})) == MAX_WIDTH + 2
    assert render(f'{{{{pad "x" {MAX_WIDTH} 0}}}}', {}) == " " * MAX_WIDTH + "x"
    assert render('{{truncate "abc" 3000000000}}', {}) == "abc"
    nested = "{{if 1}}" * MAX_DEPTH + "deep" + "{{end}}" * MAX_DEPTH
    assert render(nested, {}) == "deep"
    assert render("{{" + "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH + "}}", {}) == "1"
    longest = "{{.Names}}" + "x" * (MAX_TEMPLATE_CHARS - len("{{.Names}}"))
    assert render(longest, CONTAINER).startswith("webxx")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{pad "" 2 2}}|', "|"),  # docker's pad leaves an empty string alone
        ('{{split "abc" ""}}', "[a b c]"),  # Go's strings.Split on ""
        ('{{printf "%.f" 2.5}}', "2"),
        ('{{printf "%05d" 42}}', "00042"),
    ],
)
def test_helpers_behave_like_docker(template: str, expected: str) -> None:
    assert render(template, CONTAINER) == expected


_RSS_PROBE = """
import resource, sys
from moussaillon.sandbox.gotemplate import Budget, TemplateError, render

with open("/proc/self/statm") as statm:  # a net for a run without the fix: no GB allocations
    room = int(statm.read().split()[0]) * resource.getpagesize() + 512 * 2**20
resource.setrlimit(resource.RLIMIT_AS, (room, room))
render("{{.x}}", {"x": 1})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
keys = []
for template in sys.argv[1:]:
    try:
        render(template, {}, Budget(max_output=64 * 1024))
        keys.append("rendered")
    except TemplateError as exc:
        keys.append(exc.key)
    except MemoryError:
        keys.append("MemoryError")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) // 1024, *keys)
"""


def test_width_and_repeat_bombs_allocate_nothing_big() -> None:
    """Peak RSS of a fresh interpreter that renders every bomb: under +50 MB in all."""
    memory_bombs = [
        t for t, key in BOMBS if key in ("sandbox.template.width", "sandbox.template.memory")
    ]
    run = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, *memory_bombs],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    grown_mb, *keys = run.stdout.split()
    assert keys == [key for t, key in BOMBS if t in memory_bombs]
    assert int(grown_mb) < 50, f"peak RSS grew by {grown_mb} MB"
