"""Help texts: every command in both languages, phone-sized, advertising only accepted flags."""

from __future__ import annotations

import pytest

from moussaillon.core.i18n import t
from moussaillon.sandbox.help import GROUP_SUMMARIES, TOPICS, help_text
from moussaillon.sandbox.messages import MESSAGES
from moussaillon.sandbox.parser import GROUPS, TOP_LEVEL, UNAVAILABLE, parse
from moussaillon.sandbox.parser.table import Command
from moussaillon.sandbox.requests import VERBS, HelpRequest

# compose's subcommands share one help topic ("compose"), tested in tests/sandbox/compose_run
COMMAND_VERBS = [
    verb
    for verb in VERBS
    if verb not in ("help", "unavailable") and not verb.startswith("compose.")
]
COMMANDS: dict[str, Command] = {
    command.verb: command
    for command in [*TOP_LEVEL.values(), *(c for g in GROUPS.values() for c in g.values())]
}
PATHS = [f"docker {name}" for name in TOP_LEVEL] + [
    f"docker {group} {sub}" for group, subs in GROUPS.items() for sub in subs
]


@pytest.mark.parametrize("verb", COMMAND_VERBS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_command_has_phone_sized_help(verb: str, lang: str) -> None:
    text = help_text(verb, lang)
    other = help_text(verb, "en" if lang == "fr" else "fr")
    assert text != other
    assert text.startswith("Usage")
    assert "docker " in text
    lines = text.splitlines()
    assert len(lines) <= 30
    assert max(len(line) for line in lines) <= 80


@pytest.mark.parametrize("verb", COMMAND_VERBS)
def test_help_advertises_only_flags_the_parser_accepts(verb: str) -> None:
    spec = COMMANDS[verb].spec
    for flags, _, _ in TOPICS[verb].options:
        names = [word.rstrip(",") for word in flags.split() if word.startswith("-")]
        assert names, flags
        for name in names:
            found = spec.lookup(name)
            assert found is not None, f"{verb}: {name}"
            assert not found.unsupported and not found.ignored, f"{verb}: {name}"


@pytest.mark.parametrize("path", PATHS)
def test_help_flag_on_every_command_opens_its_help(path: str) -> None:
    request = parse(f"{path} --help")
    assert isinstance(request, HelpRequest)
    assert request.topic in TOPICS
    assert help_text(request.topic, "fr").startswith("Usage")


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_group_help_lists_its_commands(group: str, lang: str) -> None:
    request = parse(f"docker {group}")
    assert isinstance(request, HelpRequest) and request.topic == group
    text = help_text(group, lang)
    assert GROUP_SUMMARIES[group][0 if lang == "fr" else 1] in text
    for name, command in GROUPS[group].items():
        if name not in ("list", "ps", "remove"):
            assert f"  {name} " in text
            assert TOPICS[command.verb].summary[0 if lang == "fr" else 1] in text
    assert "version" not in text


@pytest.mark.parametrize("command", sorted(UNAVAILABLE))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unavailable_commands_explain_why(command: str, lang: str) -> None:
    text = help_text(command, lang)
    assert f"docker {command}" in text
    key = f"sandbox.refused.command.{command.replace(' ', '_')}"
    if key not in MESSAGES:
        key = "sandbox.refused.command.generic"
    assert text == t(key, lang, command=command)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_names_every_short_command(lang: str) -> None:
    text = help_text(None, lang)
    assert help_text("docker", lang) == text
    for name in TOP_LEVEL:
        assert name in text
    for group in GROUPS:
        assert group in text


def test_unknown_topic_falls_back_to_the_overview() -> None:
    text = help_text("container.nope!", "en")
    assert "No help for 'container.nope!'" in text
    assert "Usage: docker COMMAND" in text


def test_english_help_has_no_french_placeholders() -> None:
    for verb in COMMAND_VERBS:
        text = help_text(verb, "en")
        for word in ("CONTENEUR", "COMMANDE", "CHEMIN", "RESEAU", "donnees", "monreseau"):
            assert word not in text, (verb, word)
