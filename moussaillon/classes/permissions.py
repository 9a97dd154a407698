"""The one answer to "may this caller do that?", for every transport.

The Telegram guard, the REST dependencies and the dashboard each describe who asks as a
``Caller`` and call ``check``; nothing else decides. The rules that used to live in routes are
branches here, fed by the data in ``roles``:

- the role is the live one (configured or promoted instructors), from ``RoleService``;
- a REST token minted as an instructor's (``moussaillon token --instructor``, or any token of a
  configured instructor) carries instructor rights, whatever the live role;
- a signed dashboard link opens only ``roles.LINK_ACTIONS``, and only while its signer is an
  instructor (the signature itself is checked where it is made, ``ClassesHub.verify_link``);
- an action on a resource with an owner (a class's dashboard) is refused to anyone else.

A refusal is ``PermissionDenied`` (a 403 of the classes' ``Forbidden``) carrying the sentence
the transport shows: the action's own in ``roles.REFUSALS``, else the one of the caller's kind.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from moussaillon.classes.roles import LINK_ACTIONS, REFUSALS, Role, RoleService, allowed
from moussaillon.classes.service import Forbidden

if TYPE_CHECKING:
    from moussaillon.core.tokens import TokenOwner


class Via(StrEnum):
    """How the caller proved who they are."""

    TELEGRAM = "telegram"  # Telegram's word for the update's user
    TOKEN = "token"  # a REST bearer token
    LINK = "link"  # a signed, short-lived dashboard link


DEFAULT_REFUSALS: dict[Via, str] = {
    Via.TELEGRAM: "classes.instructors_only",
    Via.TOKEN: "classes.forbidden",
    Via.LINK: "classes.dash_expired",
}


class Caller(BaseModel):
    """Who asks. ``user_id`` is None for nobody: an update without a user, a dashboard visit
    with neither a valid link nor a token."""

    model_config = ConfigDict(frozen=True)

    user_id: int | None
    via: Via
    instructor_token: bool = False

    @classmethod
    def telegram(cls, user_id: int | None) -> Caller:
        return cls(user_id=user_id, via=Via.TELEGRAM)

    @classmethod
    def token(cls, owner: TokenOwner | None) -> Caller:
        if owner is None:
            return cls(user_id=None, via=Via.TOKEN)
        return cls(user_id=owner.user_id, via=Via.TOKEN, instructor_token=owner.instructor)

    @classmethod
    def link(cls, user_id: int | None) -> Caller:
        return cls(user_id=user_id, via=Via.LINK)


class PermissionDenied(Forbidden):
    """The caller may not run the action; ``message`` is what they read."""

    def __init__(self, key: str, /, *, action: str, caller: Caller) -> None:
        super().__init__(key)
        self.action = action
        self.caller = caller


def refusal(action: str, via: Via) -> str:
    """The catalogue key a refused ``action`` shows to a caller coming ``via``."""
    return REFUSALS.get(action, DEFAULT_REFUSALS[via])


def role_of(caller: Caller, roles: RoleService) -> Role:
    role = roles.role(caller.user_id) if caller.user_id is not None else Role.STUDENT
    if caller.via is Via.TOKEN and caller.instructor_token:
        role = Role.INSTRUCTOR
    return role


def _permitted(action: str, caller: Caller, roles: RoleService, owner: int | None) -> bool:
    if caller.user_id is None:
        return False
    if caller.via is Via.LINK and action not in LINK_ACTIONS:
        return False
    if owner is not None and owner != caller.user_id:
        return False
    return allowed(action, role_of(caller, roles))


def check(action: str, caller: Caller, roles: RoleService, *, owner: int | None = None) -> Caller:
    """The caller, when they may run ``action`` (on a resource ``owner`` holds, if given);
    ``PermissionDenied`` otherwise."""
    if not _permitted(action, caller, roles, owner):
        raise PermissionDenied(refusal(action, caller.via), action=action, caller=caller)
    return caller


def may(action: str, caller: Caller, roles: RoleService, *, owner: int | None = None) -> bool:
    """``check`` as a yes or no, for callers that word their own refusal."""
    return _permitted(action, caller, roles, owner)
