"""What the sandbox answers: a command's result, a student's status, the engine's counts.

A leaf module (pydantic only), so the service, its observers and the transports share these
types without importing each other.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class CommandResult(BaseModel):
    exit_code: int | None
    output: str
    refused: bool
    reason: str | None
    duration_ms: int
    verdict: str  # ran | refused | rate_limited | timed_out | error
    truncated: bool = False
    notes: list[str] = []
    retry_after: float | None = None
    error_type: str | None = None  # the SandboxError class of a refusal, for exit codes


class SandboxStatus(BaseModel):
    containers: int
    max_containers: int
    running: int
    volumes: int
    max_volumes: int
    networks: int
    max_networks: int
    names: list[str]  # the student's containers, as they named them
    commands_left: int | None
    expires_at: datetime | None  # when the reaper will clear an idle sandbox


class EngineCounts(BaseModel):
    """Every student's objects on the engine at once, for the operators' gauges."""

    containers: dict[str, int]  # by docker State (running, exited …), volume keepers aside


__all__ = ["CommandResult", "EngineCounts", "SandboxStatus"]
