"""``permissions.check``, the one decision, for each kind of caller, on a real role service (a
real SQLite file: promotions are read from it)."""

import pytest

from moussaillon.areas import migrations
from moussaillon.classes.permissions import (
    DEFAULT_REFUSALS,
    Caller,
    PermissionDenied,
    Via,
    check,
    may,
    refusal,
)
from moussaillon.classes.roles import LINK_ACTIONS, PERMISSIONS, REFUSALS, Role, RoleService
from moussaillon.classes.service import Forbidden
from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t
from moussaillon.core.store import Store
from moussaillon.core.tokens import TokenOwner

CONFIGURED, PROMOTED, STUDENT = 1, 7, 42
INSTRUCTOR_ACTIONS = sorted(a for a, r in PERMISSIONS.items() if r == Role.INSTRUCTOR)
STUDENT_ACTIONS = sorted(a for a, r in PERMISSIONS.items() if r == Role.STUDENT)


@pytest.fixture
async def roles(tmp_path):
    store = Store(tmp_path / "roles.db", migrations())
    try:
        service = RoleService(store, instructors=frozenset({CONFIGURED}))
        await service.promote(PROMOTED, by=CONFIGURED)
        yield service
    finally:
        store.close()


def refused(action: str, caller: Caller, roles: RoleService, **kw) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as caught:
        check(action, caller, roles, **kw)
    assert not may(action, caller, roles, **kw)
    return caught.value


def passes(action: str, caller: Caller, roles: RoleService, **kw) -> None:
    assert check(action, caller, roles, **kw) == caller
    assert may(action, caller, roles, **kw)


def test_the_refusal_is_a_403_of_the_classes_family_carrying_its_sentence():
    assert issubclass(PermissionDenied, Forbidden) and issubclass(Forbidden, MoussaillonError)
    denied = PermissionDenied("classes.forbidden", action="classes.list", caller=Caller.token(None))
    assert denied.status == 403 and denied.action == "classes.list"
    assert denied.message("fr") == t("classes.forbidden", "fr")
    assert denied.message("en") == t("classes.forbidden", "en")


def test_the_data_names_only_actions_of_the_table():
    assert set(REFUSALS) <= set(PERMISSIONS) and LINK_ACTIONS <= set(PERMISSIONS)
    for key in [*REFUSALS.values(), *DEFAULT_REFUSALS.values()]:
        assert t(key, "fr") != key and t(key, "en") != key  # a real sentence in both languages


async def test_telegram_users_get_what_their_live_role_allows(roles):
    for action in INSTRUCTOR_ACTIONS:
        denied = refused(action, Caller.telegram(STUDENT), roles)
        assert denied.key == refusal(action, Via.TELEGRAM) and denied.caller.user_id == STUDENT
        passes(action, Caller.telegram(CONFIGURED), roles)
        passes(action, Caller.telegram(PROMOTED), roles)  # promoted: read from SQLite
    for action in [*STUDENT_ACTIONS, "cours", "docker"]:  # unlisted actions are open to all
        passes(action, Caller.telegram(STUDENT), roles)
        passes(action, Caller.telegram(CONFIGURED), roles)


async def test_telegram_refusals_keep_each_commands_sentence(roles):
    assert refused("corriger", Caller.telegram(STUDENT), roles).key == "classes.instructors_only"
    for action in ("quiz_live", "quiz_stop"):
        assert refused(action, Caller.telegram(STUDENT), roles).key == "quiz.live.instructors_only"


async def test_an_update_without_a_user_runs_nothing_guarded(roles):
    for action in PERMISSIONS:
        assert refused(action, Caller.telegram(None), roles).key == refusal(action, Via.TELEGRAM)


async def test_a_token_minted_as_instructor_carries_the_rights_whatever_the_live_role(roles):
    student_token = Caller.token(TokenOwner(token_id=1, user_id=STUDENT, instructor=False))
    minted = Caller.token(TokenOwner(token_id=2, user_id=STUDENT, instructor=True))
    promoted_later = Caller.token(TokenOwner(token_id=3, user_id=PROMOTED, instructor=False))
    assert minted.instructor_token and not student_token.instructor_token
    for action in INSTRUCTOR_ACTIONS:
        assert refused(action, student_token, roles).key == refusal(action, Via.TOKEN)
        passes(action, minted, roles)
        passes(action, promoted_later, roles)
    for action in STUDENT_ACTIONS:
        passes(action, student_token, roles)
    assert refused("classes.list", student_token, roles).key == "classes.forbidden"
    assert refused("classes.dashboard", student_token, roles).key == "classes.dash_expired"
    assert refused("me.progress", Caller.token(None), roles).key == "classes.forbidden"


async def test_the_minted_flag_means_nothing_outside_a_token(roles):
    forged = Caller(user_id=STUDENT, via=Via.TELEGRAM, instructor_token=True)
    assert refused("corriger", forged, roles).key == "classes.instructors_only"
    forged_link = Caller(user_id=STUDENT, via=Via.LINK, instructor_token=True)
    assert refused("classes.dashboard", forged_link, roles).key == "classes.dash_expired"


async def test_a_signed_link_opens_the_dashboard_only_and_only_for_an_instructor(roles):
    passes("classes.dashboard", Caller.link(CONFIGURED), roles)
    passes("classes.dashboard", Caller.link(PROMOTED), roles)
    assert refused("classes.dashboard", Caller.link(STUDENT), roles).key == "classes.dash_expired"
    assert refused("classes.dashboard", Caller.link(None), roles).key == "classes.dash_expired"
    for action in set(PERMISSIONS) - LINK_ACTIONS:  # even the students' actions
        denied = refused(action, Caller.link(CONFIGURED), roles)
        assert denied.key == refusal(action, Via.LINK)


async def test_an_owned_resource_is_refused_to_every_other_instructor(roles):
    for caller in (
        Caller.link(CONFIGURED),
        Caller.telegram(CONFIGURED),
        Caller.token(TokenOwner(token_id=1, user_id=CONFIGURED, instructor=True)),
    ):
        passes("classes.dashboard", caller, roles, owner=CONFIGURED)
        denied = refused("classes.dashboard", caller, roles, owner=PROMOTED)
        assert denied.key == "classes.dash_expired"


async def test_a_promotion_counts_at_once(roles):
    newcomer = Caller.telegram(99)
    refused("annonce", newcomer, roles)
    await roles.promote(99, by=CONFIGURED)
    passes("annonce", newcomer, roles)
