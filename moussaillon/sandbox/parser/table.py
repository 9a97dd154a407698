"""What a command needs to be parsed: its flags, how many arguments, and how to build the model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser.flags import Parsed, Spec
from moussaillon.sandbox.requests import BaseRequest

Builder = Callable[[Parsed], dict[str, Any]]


@dataclass(frozen=True)
class Command:
    model: type[BaseRequest]
    spec: Spec
    build: Builder
    min_args: int = 0
    max_args: int | None = None

    @property
    def verb(self) -> str:
        return str(self.model.model_fields["verb"].default)

    def check_args(self, parsed: Parsed) -> None:
        count, low, high = len(parsed.positionals), self.min_args, self.max_args
        if low <= count and (high is None or count <= high):
            return
        command = parsed.command
        if high == 0:
            raise CommandSyntaxError("sandbox.syntax.no_args", command=command)
        one = "_one" if (high if low == 0 else low) == 1 else ""
        if high == low:
            raise CommandSyntaxError(f"sandbox.syntax.exact_args{one}", command=command, count=low)
        if high is None:
            raise CommandSyntaxError(f"sandbox.syntax.min_args{one}", command=command, count=low)
        if low == 0:
            raise CommandSyntaxError(f"sandbox.syntax.max_args{one}", command=command, count=high)
        raise CommandSyntaxError("sandbox.syntax.range_args", command=command, low=low, high=high)
