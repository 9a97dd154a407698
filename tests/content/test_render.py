from __future__ import annotations

import random
import re

import pytest

from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from moussaillon.content.render import (
    split_telegram,
    to_html,
    to_plain_text,
    to_telegram_html,
    truncate_telegram,
    utf16_len,
    visible_text,
)
from tests.telegram_stub.telegram_html import parse_html

ALLOWED = {"b", "i", "s", "u", "code", "pre", "a", "blockquote"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")


def assert_telegram_valid(markup: str) -> None:
    """Only Telegram's tags, well nested, with only the attributes Telegram reads.

    On top of our stricter shape rules, the text must pass the Telegram HTML parser of the
    test stub (a port of tdlib's), which also gives the visible text Telegram would count.
    """
    visible, _ = parse_html(markup)
    assert visible == visible_text(markup).replace("\r", "")
    stack: list[str] = []
    for match in TAG.finditer(markup):
        closing, name, attrs = match.group(1) == "/", match.group(2), match.group(3)
        assert name in ALLOWED, f"tag <{name}> in {markup!r}"
        if closing:
            assert stack and stack[-1] == name, f"unbalanced </{name}> in {markup!r}"
            stack.pop()
            continue
        if name == "a":
            assert re.fullmatch(r' href="https?://[^"<>]*"', attrs), attrs
        elif name == "code" and attrs:
            assert re.fullmatch(r' class="language-[\w+#.-]+"', attrs), attrs
        else:
            assert attrs == "", f"<{name}{attrs}>"
        assert "pre" not in stack or (name == "code" and stack[-1] == "pre"), f"<{name}> in pre"
        assert "code" not in stack, f"<{name}> inside <code>"
        if name in ("a", "code", "pre", "blockquote"):
            # Telegram: only b, i, u, s may nest with other entities.
            assert not {"a", "blockquote"} & set(stack), f"<{name}> inside {stack}"
        stack.append(name)
    assert stack == [], f"unclosed {stack} in {markup!r}"
    bare = TAG.sub("", markup)
    assert "<" not in bare and ">" not in bare
    assert re.fullmatch(r"(?:[^&]|&(?:lt|gt|amp|quot);)*", bare, re.DOTALL), bare


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


SAMPLE = """# Titre *important*

Du **gras**, de l'_italique_, `code <b>`, ~~barré~~, 1 < 2 & 3 > 2,
[la doc](https://docs.docker.com/?a=1&b=2), [piège](javascript:alert(1)) et <script>x</script>.

- un
  - deux
    - trois
- quatre

3. troisième
4. quatrième

> une citation

```bash
echo "<hello>" && ls
# commentaire
```

| Option | Rôle |
| --: | :-- |
| `--rm` | supprime le conteneur |
| `-d` | arrière-plan |

![Schéma des couches](img/couches.png)

![](img/sans-alt.png)

---
"""


def test_to_html_renders_tables_strike_and_escapes_raw_html() -> None:
    out = to_html(SAMPLE)
    assert "<table>" in out and '<th style="text-align:right">Option</th>' in out
    assert "<s>barré</s>" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "javascript:" not in out.split("piège")[0][-40:]
    assert 'href="javascript' not in out
    assert '<code class="language-bash">' in out


def test_telegram_html_uses_only_supported_tags() -> None:
    assert_telegram_valid(to_telegram_html(SAMPLE))


def test_telegram_html_shapes() -> None:
    out = to_telegram_html(SAMPLE)
    blocks = out.split("\n\n")
    assert blocks[0] == "<b>Titre <i>important</i></b>"
    assert "<code>code &lt;b&gt;</code>" in out
    assert "1 &lt; 2 &amp; 3 &gt; 2" in out
    assert '<a href="https://docs.docker.com/?a=1&amp;b=2">la doc</a>' in out
    assert "javascript" not in re.sub(r"\[piège\]\(javascript:alert\(1\)\)", "", out)
    assert "&lt;script&gt;x&lt;/script&gt;" in out
    assert "• un\n    • deux\n        • trois\n• quatre" in out
    assert "3. troisième\n4. quatrième" in out
    assert "<blockquote>une citation</blockquote>" in out
    assert (
        '<pre><code class="language-bash">echo "&lt;hello&gt;" &amp;&amp; ls\n'
        "# commentaire</code></pre>"
    ) in out
    assert "🖼 Schéma des couches" in out and "🖼 sans-alt.png" in out
    assert blocks[-1].strip("─") == ""


def test_reflow_joins_hand_wrapped_lines_and_keeps_every_block() -> None:
    wrapped = (
        "Un conteneur arrêté n'est pas\nsupprimé tout seul : `docker rm`,\nou *--rm*.  \n"
        "Ligne forcée.\n\n- une liste\n  sur deux lignes\n- deux\n\n```\nligne 1\nligne 2\n```"
    )
    kept = to_telegram_html(wrapped)
    assert "n'est pas\nsupprimé" in kept  # slides keep their breaks
    out = to_telegram_html(wrapped, reflow=True)
    assert_telegram_valid(out)
    assert out.split("\n\n") == [
        "Un conteneur arrêté n'est pas supprimé tout seul : <code>docker rm</code>, ou"
        " <i>--rm</i>.\nLigne forcée.",  # a hard break (two spaces) stays a break
        "• une liste sur deux lignes\n• deux",
        "<pre>ligne 1\nligne 2</pre>",
    ]


def test_truncate_keeps_one_message_cut_at_a_space_with_tags_closed() -> None:
    assert truncate_telegram("<b>court</b>", 10) == "<b>court</b>"
    markup = "<b>Titre</b>\n\n<pre>" + "ligne &lt;x&gt; numéro\n" * 50 + "</pre>"
    cut = truncate_telegram(markup, 100)
    assert_telegram_valid(cut)
    visible = visible_text(cut)
    assert utf16_len(visible) <= 100 and visible.endswith("\n…")
    assert cut.startswith("<b>Titre</b>\n\n<pre>ligne &lt;x&gt; numéro\n") and "</pre>" in cut
    assert visible.removesuffix("\n…").split("\n")[-1] in ("ligne", "ligne <x>", "ligne <x> numéro")
    endless = truncate_telegram("x" * 50, 10)
    assert endless == "x" * 8 + "\n…"


def test_nesting_follows_telegram_rules() -> None:
    markdown = (
        "## Titre **gras** et `code`\n\n"
        "[la commande `docker ps`](https://docs.docker.com/ps)\n\n"
        "> Citation avec `code`, [un lien](https://exemple.org) et **gras**.\n"
        ">\n> ```bash\n> ls\n> ```\n>\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n"
    )
    out = to_telegram_html(markdown)
    assert_telegram_valid(out)
    blocks = out.split("\n\n")
    assert blocks[0] == "<b>Titre gras et <code>code</code></b>"
    assert blocks[1] == '<a href="https://docs.docker.com/ps">la commande docker ps</a>'
    assert blocks[2].startswith(
        "<blockquote>Citation avec code, un lien (https://exemple.org) et <b>gras</b>.\nls\n"
    )
    assert blocks[2].endswith("</blockquote>")


def test_tables_become_aligned_monospace() -> None:
    out = to_telegram_html(SAMPLE)
    [table] = re.findall(r"<pre>(?!<code)(.*?)</pre>", out, re.DOTALL)
    lines = table.split("\n")
    assert lines[0].startswith("Option | Rôle")
    assert set(lines[1]) <= {"-", "+"}
    assert lines[2] == "  --rm | supprime le conteneur"
    assert lines[3] == "    -d | arrière-plan"
    assert len({line.index("|") for line in lines if "|" in line}) == 1


def test_long_table_cells_wrap() -> None:
    long = "mot " * 30
    out = to_telegram_html(f"| a | b |\n|---|---|\n| x | {long} |\n")
    assert all(len(line) <= 40 for line in visible_text(out).splitlines())


def test_plain_text_drops_syntax() -> None:
    text = to_plain_text(
        "# Titre *important*\n\nDu **gras** et [la doc](https://x.org).\n\n"
        "```bash\necho ok\n```\n\n| a | b |\n|--|--|\n| `-d` | fond |\n\n![Schéma](s.png)"
    )
    assert text.split("\n") == [
        "Titre important",
        "Du gras et la doc.",
        "echo ok",
        "a",
        "b",
        "-d",
        "fond",
        "Schéma",
    ]


def test_short_text_is_one_message() -> None:
    markup = to_telegram_html(SAMPLE)
    assert split_telegram(markup) == [markup]
    assert split_telegram("") == []


def test_cuts_fall_between_blocks() -> None:
    paragraphs = [
        f"Paragraphe {n} : " + "du texte " * random.Random(n).randint(3, 12) for n in range(40)
    ]
    markup = to_telegram_html("\n\n".join(paragraphs))
    parts = split_telegram(markup, 300)
    assert len(parts) > 3
    expected = [p.strip() for p in paragraphs]
    rebuilt = [block for part in parts for block in visible_text(part).split("\n\n")]
    assert rebuilt == expected


def test_huge_code_block_is_split_into_closed_pre_blocks() -> None:
    code = "\n".join(f"echo ligne {n} <&>" for n in range(2000))
    markup = to_telegram_html(f"```bash\n{code}\n```")
    parts = split_telegram(markup)
    assert len(parts) >= 8
    for part in parts:
        assert part.startswith('<pre><code class="language-bash">')
        assert part.endswith("</code></pre>")
        assert_telegram_valid(part)
        assert utf16_len(visible_text(part)) <= 4096
    lines = [line for part in parts for line in visible_text(part).split("\n")]
    assert lines == [f"echo ligne {n} <&>" for n in range(2000)]


def test_a_single_endless_word_is_hard_cut() -> None:
    markup = "<b>" + "x" * 10_000 + "</b>"
    parts = split_telegram(markup, 4096)
    assert [len(visible_text(p)) for p in parts] == [4096, 4096, 1808]
    for part in parts:
        assert_telegram_valid(part)


def test_limit_counts_utf16_code_units() -> None:
    markup = "🐳" * 3000
    parts = split_telegram(markup, 4096)
    assert [utf16_len(visible_text(p)) for p in parts] == [4096, 1904]
    assert "".join(parts) == markup


def test_bundled_course_renders_for_telegram() -> None:
    """Every section of the course shipped with the bot is valid Telegram HTML once split."""
    course = load_course(BUNDLED_COURSE).course
    assert len(course.sections) > 20
    for section in course.sections:
        markup = to_telegram_html(section.body)
        assert_telegram_valid(markup)
        for part in split_telegram(markup, 3800):
            assert_telegram_valid(part)
            assert utf16_len(visible_text(part)) <= 3800


WORDS = [
    "docker",
    "conteneur",
    "<img>",
    "a&b",
    "é",
    "🐳",
    "l'image",
    "**x**",
    "`ls`",
    "[lien](https://exemple.org/a?b=1&c=2)",
    "~~vieux~~",
    "_it_",
    "x" * 50,
]


def random_markdown(rng: random.Random) -> str:
    blocks: list[str] = []
    for _ in range(rng.randint(1, 20)):
        kind = rng.choice(["para", "list", "code", "table", "quote", "heading"])
        words = lambda n: " ".join(rng.choice(WORDS) for _ in range(n))  # noqa: E731
        if kind == "para":
            blocks.append(words(rng.randint(1, 200)))
        elif kind == "list":
            blocks.append(
                "\n".join(
                    ("  " * rng.randint(0, 2) if i else "") + "- " + words(rng.randint(1, 20))
                    for i in range(rng.randint(1, 15))
                )
            )
        elif kind == "code":
            lines = "\n".join(words(rng.randint(0, 15)) for _ in range(rng.randint(1, 60)))
            blocks.append(f"```{rng.choice(['bash', 'yaml', ''])}\n{lines}\n```")
        elif kind == "table":
            rows = [f"| {words(2)} | {words(rng.randint(1, 12))} |" for _ in range(6)]
            blocks.append("| a | b |\n|--|--:|\n" + "\n".join(rows))
        elif kind == "quote":
            blocks.append("> " + words(rng.randint(1, 60)))
        else:
            blocks.append("## " + words(rng.randint(1, 6)))
    return "\n\n".join(blocks)


@pytest.mark.parametrize("seed", range(25))
def test_split_properties_on_generated_sections(seed: int) -> None:
    rng = random.Random(seed)
    markup = to_telegram_html(random_markdown(rng))
    assert_telegram_valid(markup)
    for limit in (rng.randint(40, 200), 1000, 4096):
        parts = split_telegram(markup, limit)
        for part in parts:
            assert_telegram_valid(part)
            assert 0 < utf16_len(visible_text(part)) <= limit
        assert squeeze("".join(visible_text(p) for p in parts)) == squeeze(visible_text(markup))
