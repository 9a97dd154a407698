"""Running a parsed template against data, within a ``Budget`` (steps, time, output, text)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from moussaillon.sandbox.gotemplate.budget import Budget
from moussaillon.sandbox.gotemplate.errors import TemplateError
from moussaillon.sandbox.gotemplate.functions import FUNCTIONS, to_text, truth
from moussaillon.sandbox.gotemplate.syntax import Block, Operand, Pipeline, parse


@dataclass
class _State:
    scopes: list[dict[str, Any]]
    budget: Budget
    out: list[str] = field(default_factory=list)

    def write(self, text: str) -> None:
        self.budget.write(len(text))
        self.out.append(text)

    def lookup(self, name: str, where: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        raise TemplateError(f"template: {where}: undefined variable: {name}", parsing=False)


def _field(value: Any, chain: tuple[str, ...], where: str, shown: str) -> Any:
    for name in chain:
        if isinstance(value, Mapping) and name in value:
            value = value[name]
        elif isinstance(value, BaseModel) and name in type(value).model_fields:
            value = getattr(value, name)
        elif value is None:
            raise TemplateError(
                f'template: {where}: executing "" at <{shown}>: nil pointer evaluating .{name}',
                parsing=False,
            )
        else:
            raise TemplateError(
                f'template: {where}: executing "" at <{shown}>: can\'t evaluate field {name}',
                parsing=False,
            )
    return value


def _operand(operand: Operand, dot: Any, state: _State, where: str) -> Any:
    state.budget.step(where)
    if operand.kind == "literal":
        return operand.value
    if operand.kind == "dot":
        return dot
    if operand.kind == "field":
        return _field(dot, operand.chain, where, "." + ".".join(operand.chain))
    if operand.kind == "var":
        base = state.lookup(operand.value, where)
        return _field(base, operand.chain, where, operand.value)
    if operand.kind == "pipeline":
        return _field(_pipeline(operand.value, dot, state), operand.chain, where, "(…)")
    return _call(operand.value, [], dot, state, where)


def _call(name: str, args: list[Any], dot: Any, state: _State, where: str) -> Any:
    function = FUNCTIONS.get(name)
    if function is None:
        raise TemplateError(f'template: {where}: function "{name}" not defined', parsing=True)
    state.budget.step(where)
    try:
        return function(state.budget, *args)
    except TemplateError:
        raise
    except Exception as exc:  # only our own pure helpers run here: any failure is the template's
        raise TemplateError(
            f'template: {where}: executing "" at <{name}>: error calling {name}: {exc}',
            parsing=False,
        ) from None


def _pipeline(pipeline: Pipeline, dot: Any, state: _State) -> Any:
    value: Any = None
    for position, command in enumerate(pipeline.commands):
        state.budget.step(pipeline.where)
        head, *rest = command
        args = [_operand(op, dot, state, pipeline.where) for op in rest]
        if position > 0:
            args.append(value)
        if head.kind == "ident":
            value = _call(head.value, args, dot, state, pipeline.where)
        elif args:
            raise TemplateError(
                f"template: {pipeline.where}: can't give argument to non-function", parsing=False
            )
        else:
            value = _operand(head, dot, state, pipeline.where)
    return value


def _execute(blocks: list[Block], dot: Any, state: _State) -> None:
    for block in blocks:
        state.budget.step(block.pipeline.where if block.pipeline else "")
        if block.kind == "text":
            state.write(block.text)
            continue
        assert block.pipeline is not None
        value = _pipeline(block.pipeline, dot, state)
        if block.kind == "output":
            if block.pipeline.declare:
                state.scopes[-1][block.pipeline.declare[0]] = value
            else:
                state.write(to_text(value))
        elif block.kind == "if":
            _execute(block.body if truth(value) else block.orelse, dot, state)
        elif block.kind == "with" and truth(value):
            _execute(block.body, value, state)
        elif block.kind == "with":
            _execute(block.orelse, dot, state)
        else:
            _range(block, value, dot, state)


def _range(block: Block, value: Any, dot: Any, state: _State) -> None:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, Mapping):
        items, count = sorted(value.items(), key=lambda kv: str(kv[0])), len(value)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items, count = enumerate(value), len(value)
    elif value is None:
        items, count = (), 0
    elif isinstance(value, int) and not isinstance(value, bool):
        items, count = ((i, i) for i in range(value)), max(value, 0)  # lazy: steps end it
    else:
        raise TemplateError(f"template: range can't iterate over {to_text(value)}", parsing=False)
    if not count:
        _execute(block.orelse, dot, state)
        return
    names = block.pipeline.declare if block.pipeline else []
    where = block.pipeline.where if block.pipeline else ""
    for key, item in items:
        state.budget.step(where)
        scope: dict[str, Any] = {}
        if len(names) == 1:
            scope[names[0]] = item
        elif len(names) == 2:
            scope[names[0]], scope[names[1]] = key, item
        state.scopes.append(scope)
        try:
            _execute(block.body, item, state)
        finally:
            state.scopes.pop()


def execute(blocks: list[Block], data: Any, budget: Budget) -> str:
    """Run a parsed template against ``data``; ``budget`` may be shared by several runs."""
    budget.start()
    state = _State(scopes=[{"$": data}], budget=budget)
    _execute(blocks, data, state)
    return "".join(state.out)


def render(template: str, data: Any, budget: Budget | None = None) -> str:
    """Render a Go template against ``data`` (dicts, lists, scalars, pydantic models).

    Synchronous and CPU-bound (within its budget): the sandbox calls it off the event loop.
    """
    return execute(parse(template), data, budget or Budget())
