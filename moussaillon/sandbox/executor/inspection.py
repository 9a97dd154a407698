"""``inspect`` output for every kind of object: the families' lookups, shown like docker does.

A leaf of the executor (the families import it, it imports none of them), so ``docker inspect``
of containers, images, volumes and networks shares one renderer without an import cycle.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from moussaillon.sandbox.executor.common import Context, Outcome, render_each
from moussaillon.sandbox.output import DaemonError


async def show_objects(
    ctx: Context,
    refs: list[str],
    lookup: Callable[[Context, str], Awaitable[dict[str, Any]]],
    template: str | None,
) -> Outcome:
    """``inspect``: a JSON array like docker, or one rendered template per object."""
    found: list[dict[str, Any]] = []
    errors: list[str] = []
    for ref in refs:
        try:
            found.append(await lookup(ctx, ref))
        except DaemonError as exc:
            errors.append(exc.text)  # as the docker CLI 28 prints them, daemon prefix kept
    if template:
        out = await render_each(ctx, template, found)
    else:
        out = [json.dumps(found, indent=4, ensure_ascii=False)] if found or not errors else ["[]"]
    return Outcome(output="\n".join(out + errors), exit_code=1 if errors else 0)
