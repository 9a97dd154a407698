"""Keep the README honest: every setting, bot command and CLI command is documented."""

import re
from pathlib import Path

from moussaillon.cli import build_parser
from moussaillon.config import Settings
from moussaillon.core.i18n import LANGUAGES, catalogue
from moussaillon.handlers.telegram.commands import COMMANDS

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_every_setting_is_in_the_readme_table():
    documented = set(re.findall(r"^\| `(MOUSSAILLON_[A-Z_]+)` \|", README, re.M))
    expected = {f"MOUSSAILLON_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set(), "undocumented settings"
    assert documented - expected == set(), "documented settings that do not exist"


def test_every_bot_command_is_documented_and_described_in_both_languages():
    messages = catalogue()
    for name, _, key in COMMANDS:
        assert f"`/{name}" in README, name
        assert all(messages[key][lang] for lang in LANGUAGES)


def test_every_cli_command_is_documented():
    parser = build_parser()
    groups = parser._subparsers._group_actions[0].choices
    for group, sub in groups.items():
        actions = sub._subparsers._group_actions[0].choices if sub._subparsers else {None: None}
        for action in actions:
            words = f"{group} {action}" if action else group
            assert f"`{words}" in README, words


def test_the_readme_gives_the_two_set_up_commands():
    assert "make run" in README and "make test" in README
