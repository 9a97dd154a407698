"""What a student does in each step of a build lab, read from the lab sheet itself, so that the
chat and REST walks test the sheet as written (a changed command or file is a changed test).

A sheet holds the starter files, each step's commands and the correction's final files; it
does not say which file a step edits. The student writes a file at the step whose statement
or hint names it (`` `Dockerfile.multi` ``, ``/fichier site/index.html``), in its corrected
version. ``edits`` raises when a corrected file is named by no step: the sheet would leave the
student without a word about that file.
"""

from __future__ import annotations

import re

from moussaillon.labs.loader import load_labs
from moussaillon.labs.model import Lab

BUILD_LABS = [lab for lab in load_labs() if lab.starter]
NAMED = re.compile(r"`(?:/fichier\s+)?([^`\s]+)`")
CURL_REFUSED = 7  # curl's exit code while the server in the other container is still starting
CURL_TRIES = 10


def allowlist(standin_images: dict[str, str], debian_images: dict[str, str]) -> str:
    """The ``sandbox_images`` setting: the default allowlist, the stand-ins, the Debian bases."""
    from moussaillon.config import Settings

    images = {**Settings().sandbox_images, **standin_images, **debian_images}
    return ",".join(f"{name}={ref}" for name, ref in images.items())


def named_in(text: str) -> set[str]:
    return set(NAMED.findall(text))


def edits(lab: Lab) -> list[dict[str, str]]:
    """Per step (index 0 = step 1), the files the student writes before its commands: the
    correction's files the step names that differ from what the workspace holds then."""
    plan: list[dict[str, str]] = []
    held = dict(lab.starter)
    for step in lab.steps:
        names = named_in(step.instruction) | named_in(step.hint)
        files = {
            path: text
            for path, text in lab.correction.files.items()
            if path in names and held.get(path) != text
        }
        plan.append(files)
        held.update(files)
    unnamed = sorted(path for path, text in lab.correction.files.items() if held.get(path) != text)
    if unnamed:
        raise AssertionError(f"{lab.id}: no step names the corrected files {unnamed}")
    return plan


def is_probe(line: str) -> bool:
    """A request from a throwaway ``alpine/curl``: retried while the server starts."""
    return "alpine/curl" in line


def is_build(line: str) -> bool:
    return line.split()[:2] == ["docker", "build"]
