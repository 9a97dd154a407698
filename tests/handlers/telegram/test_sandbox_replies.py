"""What the chat adds around a result: the answer's text, and the file a long output comes in."""

import pytest

from moussaillon.handlers.telegram.sandbox_replies import (
    INLINE_OUTPUT,
    log_file,
    log_filename,
    result_html,
)
from moussaillon.sandbox import CommandResult


def ran(output: str, exit_code: int = 0, notes: list[str] | None = None) -> CommandResult:
    return CommandResult(
        exit_code=exit_code,
        output=output,
        refused=False,
        reason=None,
        duration_ms=1,
        verdict="ran",
        notes=notes or [],
    )


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("docker build -t app:1 .", "build.log"),
        ("docker image build .", "build.log"),
        ("DOCKER  Build .", "build.log"),
        ("docker buildx build .", "build.log"),
        ("docker run --rm alpine echo build", "output.txt"),
        ("docker images", "output.txt"),
        ("docker image ls", "output.txt"),
    ],
)
def test_a_builds_long_output_is_its_log(line, name):
    assert log_filename(line) == name


def test_a_short_output_is_shown_whole_with_no_file():
    result = ran("Successfully built 0123\n<none>\n", exit_code=1, notes=["une note"])
    html = result_html(result, "fr")
    assert html.startswith("<pre>Successfully built 0123\n&lt;none&gt;\n</pre>")
    assert "<i>une note</i>" in html and "<i>code de sortie 1</i>" in html
    assert log_file(result) is None


def test_a_long_output_shows_its_tail_and_the_file_holds_it_all():
    output = "".join(f"Step {n}\n" for n in range(2000))
    html = result_html(ran(output), "en")
    assert html.startswith("<pre>…") and "Step 1999" in html and "Step 1\n" not in html
    assert len(html) < INLINE_OUTPUT + 200
    assert html.endswith(f"({len(output.encode()):,} bytes).")
    assert log_file(ran(output)) == output.encode()


def test_nothing_printed_is_a_tick():
    assert result_html(ran(""), "fr") == "✅"
