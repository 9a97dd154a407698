"""A file's content taken out of a chat message, and text told from binary."""

import pytest

from moussaillon.workspace.text import inline_file, is_text, unwrap_fence


def test_a_fenced_block_is_unwrapped_whole_and_only_whole():
    assert unwrap_fence("```dockerfile\nFROM alpine\nRUN echo\n```") == "FROM alpine\nRUN echo"
    assert unwrap_fence("```\nx\n```\n") == "x"
    kept = "Voici:\n```\nx\n```"
    assert unwrap_fence(kept) == kept


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Dockerfile\nFROM alpine\nCMD sh", ("Dockerfile", "FROM alpine\nCMD sh\n")),
        ("Dockerfile\n```\nFROM alpine\n```", ("Dockerfile", "FROM alpine\n")),
        ("notes.txt bonjour à tous", ("notes.txt", "bonjour à tous\n")),
        ("app/index.php \n<?php echo 1;\n", ("app/index.php", "<?php echo 1;\n")),
        ("vide", ("vide", "")),
        ("", None),
        ("\nFROM alpine", None),
    ],
)
def test_the_name_then_the_content(text, parsed):
    assert inline_file(text) == parsed


def test_text_is_utf8_without_nul():
    assert is_text("é\n".encode())
    assert not is_text(b"\x7fELF\x00\x01")
    assert not is_text(b"\xff\xfe")
