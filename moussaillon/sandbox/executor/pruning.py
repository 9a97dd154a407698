"""``prune`` answers as docker does: its ``WARNING! This will remove…`` list, and nothing
removed without ``-f``, since nothing here can answer docker's ``[y/N]`` question.

The warnings are the docker CLI 28.2's against this engine's API (1.41: ``volume prune`` speaks
of all local volumes; a 1.42+ engine gets the "anonymous" wording from a newer CLI).
"""

from __future__ import annotations

from moussaillon.sandbox.executor.common import Context, Outcome

CONTAINERS = "WARNING! This will remove all stopped containers."
VOLUMES = "WARNING! This will remove all local volumes not used by at least one container."
NETWORKS = "WARNING! This will remove all custom networks not used by at least one container."
QUESTION = "Are you sure you want to continue? [y/N] "


def system_warning(all_images: bool, volumes: bool) -> str:
    items = ["all stopped containers", "all networks not used by at least one container"]
    if volumes:
        items.append("all anonymous volumes not used by at least one container")
    if all_images:
        items += ["all images without at least one container associated to them", "all build cache"]
    else:
        items += ["all dangling images", "unused build cache"]
    return "\n".join(["WARNING! This will remove:", *(f"  - {item}" for item in items), ""])


def unconfirmed(ctx: Context, warning: str, command: str) -> Outcome:
    """What ``docker … prune`` prints before its question; the note says how to confirm."""
    outcome = Outcome(output=warning + "\n" + QUESTION.rstrip())
    outcome.notes.append(ctx.note("note.prune_needs_force", command=command))
    return outcome


def reclaimed(sections: list[tuple[str, list[str]]]) -> str:
    """``Deleted Containers:`` … then docker's total (tmpfs-backed objects free no disk)."""
    parts = [f"{title}:\n" + "\n".join(names) + "\n" for title, names in sections if names]
    return "\n".join([*parts, "Total reclaimed space: 0B"])
