"""Import the course from slide-Markdown decks (reveal.js/pandoc style) without ever giving up.

Instructors edit these decks by hand, so the importer keeps going on bad content and reports
every problem with its file and line instead of raising; only a course with nothing to teach
(missing path, no section at all) is refused with ``CourseError``.

Structure rules (what ``course check`` enforces):

* ``# Title #`` starts a chapter, ``## Title ##`` a section; deeper headings are section content.
  Closing ``#`` are optional; ``{.class #id}`` attributes may follow the heading.
* Text between a chapter heading and its first section becomes an implicit first section named
  after the chapter (a title slide with content is legitimate, no problem reported).
* Content before the first chapter goes into an implicit chapter named after the course, with a
  warning: dropping it would hide text the instructor wrote.
* ``<aside …>`` … ``</aside>`` are instructor notes. An aside left open ends at the next heading
  (warning); a second ``<aside>`` while one is open closes it (warning: the usual typo).
* A code fence left open is an error; it is closed at the next unmistakable heading
  (``## Section``, or ``# Chapter #`` with closing hashes: ``# text`` is often a shell comment)
  so the rest of the deck is still imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from moussaillon.content.model import Chapter, Course, IdAllocator, Section, slugify
from moussaillon.core.errors import CourseError

Severity = Literal["error", "warning"]

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
ATTRIBUTES_AT_END = re.compile(r"\{([^{}]*)\}[ \t]*$")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
ASIDE_OPEN = re.compile(r"<aside\b[^>]*>", re.IGNORECASE)
ASIDE_CLOSE = re.compile(r"</aside\s*>", re.IGNORECASE)
ATTRIBUTE_ITEM = r"(?:[.#][\w-]+|[\w-]+=(?:\"[^\"]*\"|[^\s}]*))"
INLINE_ATTRIBUTES = re.compile(rf"(?<=[`)\]])\{{{ATTRIBUTE_ITEM}(?:[ \t]+{ATTRIBUTE_ITEM})*\}}")
CODE_SPAN = re.compile(r"(`+).*?\1")
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
FRONT_LINE = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    line: int
    severity: Severity
    message: str


class DeckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    course: Course
    problems: list[Problem]


@dataclass
class _Block:
    title: str
    line: int
    source: str
    classes: list[str] = field(default_factory=list)
    explicit_id: str | None = None
    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    sections: list[_Block] = field(default_factory=list)


@dataclass
class _Fence:
    char: str
    length: int
    line: int


@dataclass
class _Scan:
    source: str
    base_dir: Path | None
    broken_fences: frozenset[int]
    default_chapter: str
    chapters: list[_Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    section: _Block | None = None
    fence: _Fence | None = None
    notes_line: int | None = None

    def problem(self, line: int, severity: Severity, message: str) -> None:
        self.problems.append(
            Problem(source=self.source, line=line, severity=severity, message=message)
        )

    def target(self, lineno: int) -> list[str]:
        if self.section is None:
            if not self.chapters:
                self.problem(
                    lineno,
                    "warning",
                    "content before the first chapter heading ('# Title #'); "
                    "kept in an implicit chapter",
                )
                self.chapters.append(_Block(self.default_chapter, lineno, self.source))
            chapter = self.chapters[-1]
            self.section = _Block(chapter.title, chapter.line, self.source)
            chapter.sections.append(self.section)
        return self.section.notes if self.notes_line is not None else self.section.body

    def add(self, lineno: int, text: str) -> None:
        if self.section is None and not text.strip():
            return
        self.target(lineno).append(text)

    def close_notes(self, lineno: int, reason: str) -> None:
        if self.notes_line is not None:
            self.problem(
                self.notes_line,
                "warning",
                f"<aside> opened here is not closed with </aside> ({reason} on line {lineno})",
            )
            self.notes_line = None


def _parse_heading(text: str) -> tuple[str, list[str], str | None]:
    text = CLOSING_HASHES.sub("", text)
    classes: list[str] = []
    explicit_id: str | None = None
    if match := ATTRIBUTES_AT_END.search(text):
        for item in match.group(1).split():
            if item.startswith(".") and len(item) > 1:
                classes.append(item[1:])
            elif item.startswith("#") and len(item) > 1:
                explicit_id = slugify(item[1:])
        text = CLOSING_HASHES.sub("", text[: match.start()])
    title = re.sub(r"`|\*\*|__", "", text).strip()
    return title, classes, explicit_id


def _heading(scan: _Scan, lineno: int, level: int, text: str) -> None:
    scan.close_notes(lineno, "a heading comes first")
    title, classes, explicit_id = _parse_heading(text)
    kind = "chapter" if level == 1 else "section"
    if not title:
        scan.problem(lineno, "error", f"{kind} heading has no title")
        title = "(sans titre)"
    block = _Block(title, lineno, scan.source, classes, explicit_id)
    if level == 1:
        scan.chapters.append(block)
        scan.section = None
        return
    if not scan.chapters:
        scan.problem(
            lineno,
            "warning",
            "section before the first chapter heading ('# Title #'); kept in an implicit chapter",
        )
        scan.chapters.append(_Block(scan.default_chapter, lineno, scan.source))
    scan.chapters[-1].sections.append(block)
    scan.section = block


def _masked(line: str) -> str:
    """The line with inline code blanked out, so `<aside>` written as code is not a tag."""
    return CODE_SPAN.sub(lambda match: " " * len(match.group(0)), line)


def _content(scan: _Scan, lineno: int, line: str) -> None:
    """A line outside any fence: handle asides, attributes and images."""
    if scan.notes_line is None:
        opened = ASIDE_OPEN.search(_masked(line))
        if opened is None:
            _body_line(scan, lineno, line)
            return
        if line[: opened.start()].strip():
            _body_line(scan, lineno, line[: opened.start()])
        scan.target(lineno)
        scan.notes_line = lineno
        line = line[opened.end() :]
    masked = _masked(line)
    closed = ASIDE_CLOSE.search(masked)
    reopened = ASIDE_OPEN.search(masked)
    if reopened is not None and (closed is None or reopened.start() < closed.start()):
        scan.add(lineno, line[: reopened.start()])
        scan.close_notes(lineno, "a new <aside> comes first")
        return
    if closed is None:
        scan.add(lineno, line)
        return
    scan.add(lineno, line[: closed.start()])
    scan.notes_line = None
    rest = line[closed.end() :]
    if rest.strip():
        _content(scan, lineno, rest)


def _body_line(scan: _Scan, lineno: int, line: str) -> None:
    line = INLINE_ATTRIBUTES.sub("", line)
    for src in IMAGE.findall(_masked(line)):
        scan.target(lineno)
        assert scan.section is not None
        scan.section.images.append(src)
        _check_image(scan, lineno, src)
    scan.add(lineno, line)


def _check_image(scan: _Scan, lineno: int, src: str) -> None:
    if scan.base_dir is None or re.match(r"^([a-z][a-z0-9+.-]*:|//)", src, re.IGNORECASE):
        return
    relative = re.split(r"[?#]", src, maxsplit=1)[0].lstrip("/")
    if relative and not (scan.base_dir / relative).exists():
        scan.problem(lineno, "warning", f"image not found: {src}")


def _ends_broken_fence(heading: re.Match[str]) -> bool:
    """Shell comments look like ``# text``: only an unmistakable heading ends a broken fence."""
    text = (heading.group(2) or "").rstrip()
    return len(heading.group(1)) == 2 or (len(heading.group(1)) == 1 and text.endswith("#"))


def _scan(lines: list[str], start: int, scan: _Scan) -> int | None:
    """Walk the deck once; returns the line of a fence still open at the end, if any."""
    for index in range(start, len(lines)):
        lineno, line = index + 1, lines[index]
        heading = HEADING.match(line)
        if scan.fence is not None:
            fence = FENCE.match(line)
            if (
                fence
                and fence.group(1)[0] == scan.fence.char
                and not fence.group(2).strip()
                and len(fence.group(1)) >= scan.fence.length
            ):
                scan.add(lineno, line)
                scan.fence = None
                continue
            if not (
                heading and scan.fence.line in scan.broken_fences and _ends_broken_fence(heading)
            ):
                scan.add(lineno, line)
                continue
            scan.add(lineno, scan.fence.char * scan.fence.length)
            scan.fence = None
        if heading and len(heading.group(1)) <= 2:
            _heading(scan, lineno, len(heading.group(1)), heading.group(2) or "")
            continue
        fence = FENCE.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            scan.fence = _Fence(fence.group(1)[0], len(fence.group(1)), lineno)
            scan.add(lineno, line)
            continue
        _content(scan, lineno, line)
    if scan.fence is not None:
        if scan.fence.line in scan.broken_fences:
            scan.add(len(lines), scan.fence.char * scan.fence.length)
            return None
        return scan.fence.line
    if scan.notes_line is not None:
        scan.close_notes(len(lines), "the file ends")
    return None


def _front_matter(
    lines: list[str], source: str
) -> tuple[dict[str, str] | None, int, list[Problem]]:
    """Front matter between two ``---`` lines at the top: ``key : value`` lines."""
    if not lines or lines[0].strip() != "---":
        return None, 0, []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return (
            None,
            0,
            [
                Problem(
                    source=source,
                    line=1,
                    severity="warning",
                    message="front matter opened with '---' is never closed",
                )
            ],
        )
    front: dict[str, str] = {}
    problems: list[Problem] = []
    for index in range(1, end):
        text = lines[index].strip()
        if not text or text.startswith("#"):
            continue
        match = FRONT_LINE.match(text)
        if match is None:
            problems.append(
                Problem(
                    source=source,
                    line=index + 1,
                    severity="warning",
                    message=f"front matter line is not 'key : value': {text}",
                )
            )
            continue
        front[match.group(1).lower()] = match.group(2).strip().strip("\"'").strip()
    if not front.get("title"):
        problems.append(
            Problem(
                source=source, line=1, severity="warning", message="front matter has no 'title'"
            )
        )
    return front, end + 1, problems


def _parse(
    text: str, source: str, base_dir: Path | None, default_chapter: str
) -> tuple[dict[str, str] | None, list[_Block], list[Problem]]:
    lines = text.removeprefix("\ufeff").splitlines()
    front, start, problems = _front_matter(lines, source)
    chapter_name = (front or {}).get("title") or default_chapter
    broken: set[int] = set()
    while True:
        scan = _Scan(source, base_dir, frozenset(broken), chapter_name)
        unclosed = _scan(lines, start, scan)
        if unclosed is None:
            break
        broken.add(unclosed)
    for line in sorted(broken):
        scan.problem(line, "error", "code fence opened here is never closed")
    for chapter in scan.chapters:
        if not chapter.sections:
            scan.problem(chapter.line, "warning", f"chapter '{chapter.title}' has no section")
        for section in chapter.sections:
            if not any(line.strip() for line in section.body):
                scan.problem(section.line, "warning", f"section '{section.title}' is empty")
    problems.extend(scan.problems)
    problems.sort(key=lambda p: p.line)
    return front, scan.chapters, problems


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n").rstrip()


def _build(front: dict[str, str] | None, chapters: list[_Block], fallback_title: str) -> Course:
    front = front or {}
    chapter_ids = IdAllocator(c.explicit_id for c in chapters if c.explicit_id)
    section_ids = IdAllocator(s.explicit_id for c in chapters for s in c.sections if s.explicit_id)
    built: list[Chapter] = []
    for number, raw in enumerate(chapters, start=1):
        chapter_id = (
            chapter_ids.explicit(raw.explicit_id)
            if raw.explicit_id
            else chapter_ids.automatic(slugify(raw.title, "chapitre"))
        )
        sections = [
            Section(
                id=(
                    section_ids.explicit(s.explicit_id)
                    if s.explicit_id
                    else section_ids.automatic(slugify(s.title))
                ),
                chapter_id=chapter_id,
                number=position,
                title=s.title,
                body=_join(s.body),
                notes=_join(s.notes).strip(),
                images=s.images,
                classes=s.classes,
                source=s.source,
                line=s.line,
            )
            for position, s in enumerate(raw.sections, start=1)
        ]
        built.append(
            Chapter(
                id=chapter_id,
                number=number,
                title=raw.title,
                sections=sections,
                source=raw.source,
                line=raw.line,
            )
        )
    title = front.get("title") or (chapters[0].title if chapters else fallback_title)
    return Course(
        title=title,
        subtitle=front.get("sub-title", front.get("subtitle", "")),
        author=front.get("author", ""),
        date=front.get("date", ""),
        chapters=built,
    )


def parse_deck(text: str, source: str = "<deck>", base_dir: Path | None = None) -> DeckResult:
    """Parse one deck held in memory; image paths are checked only when ``base_dir`` is given."""
    front, chapters, problems = _parse(text, source, base_dir, "Introduction")
    if not chapters:
        problems.append(
            Problem(
                source=source,
                line=1,
                severity="error",
                message="no chapter: expected '# Chapter #' headings",
            )
        )
    return DeckResult(course=_build(front, chapters, Path(source).stem), problems=problems)


def _read(path: Path, problems: list[Problem]) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                source=str(path),
                line=line,
                severity="error",
                message="file is not valid UTF-8; bad bytes replaced",
            )
        )
        return data.decode("utf-8", errors="replace")


def deck_files(path: Path) -> list[Path]:
    """The decks of a course folder, in name order; a README is documentation, not course."""
    return sorted(p for p in path.glob("*.md") if p.is_file() and p.name.lower() != "readme.md")


def load_course(path: Path) -> DeckResult:
    """Load a single ``.md`` deck, or every ``*.md`` of a folder as consecutive chapters."""
    path = Path(path)
    if not path.exists():
        raise CourseError("content.course_missing", path=str(path))
    files = deck_files(path) if path.is_dir() else [path]
    front: dict[str, str] | None = None
    chapters: list[_Block] = []
    problems: list[Problem] = []
    for file in files:
        text = _read(file, problems)
        file_front, file_chapters, file_problems = _parse(
            text, str(file), file.parent, front.get("title", "") if front else file.stem
        )
        front = front or file_front
        chapters.extend(file_chapters)
        problems.extend(file_problems)
    if not any(chapter.sections for chapter in chapters):
        raise CourseError("content.course_empty", path=str(path))
    fallback = path.stem if path.is_file() else path.name
    return DeckResult(course=_build(front, chapters, fallback), problems=problems)
