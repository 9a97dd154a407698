"""The words students use for each section, kept beside the course's own words.

A section says « Redémarrage automatique : --restart »; a student asks "mon conteneur revient
pas après un reboot". ``data/phrasings.toml`` gives each section of the bundled course a few
such questions and keywords, written from what the section teaches. The search indexes them
as one more weighted field and embeds them as extra passages; ``course check`` fails on an id
the course does not have, so a renamed section cannot silently lose them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from moussaillon.content.model import Course

PHRASINGS = Path(__file__).parent / "data" / "phrasings.toml"
BUNDLED = Path(__file__).parent / "course"

Phrasings = dict[str, list[str]]


def load_phrasings(path: Path = PHRASINGS) -> Phrasings:
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("phrasings", {})
    return {str(key): [str(text) for text in value] for key, value in table.items()}


def for_course(course: Course, path: Path = PHRASINGS) -> Phrasings:
    """The phrasings of the sections this course has: another course gets none by accident."""
    ids = {section.id for section in course.sections}
    return {key: value for key, value in load_phrasings(path).items() if key in ids}


def unknown_ids(course: Course, path: Path = PHRASINGS) -> list[str]:
    ids = {section.id for section in course.sections}
    return sorted(key for key in load_phrasings(path) if key not in ids)
