"""Go templates as students copy them from docker's documentation."""

from __future__ import annotations

import random
from typing import Any

import pytest

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.gotemplate import MAX_OUTPUT, TemplateError, is_table, render, to_text
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
