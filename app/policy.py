"""Who may do what, and where: the one place access is decided.

Every route carries exactly one marker: `@requires(action)` (signed in, and holding a role that
the action allows somewhere) or `@public`. Inside the route, `authorize(action, target)` checks
the same action against the target's commune and village. The route x role matrix test fails
for any route without a marker.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])
PUBLIC = "public"


class Role(StrEnum):
    """Roles a person can hold, each scoped to a commune (and optionally one village)."""

    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    AMBASSADOR = "ambassador"
    TEAM_MEMBER = "team_member"
    OFFICER = "officer"
    LEADER = "leader"
    YOUTH_ORGANISER = "youth_organiser"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.LEARNER: _l("Học viên"),
    Role.INSTRUCTOR: _l("Người hướng dẫn (tình nguyện viên)"),
    Role.AMBASSADOR: _l("Đại sứ số"),
    Role.TEAM_MEMBER: _l("Thành viên Tổ công nghệ số cộng đồng"),
    Role.OFFICER: _l("Cán bộ xã (Phòng Văn hóa - Xã hội)"),
    Role.LEADER: _l("Lãnh đạo UBND xã"),
    Role.YOUTH_ORGANISER: _l("Cán bộ Đoàn Thanh niên"),
    Role.ADMIN: _l("Quản trị hệ thống"),
}

STAFF = frozenset({Role.INSTRUCTOR, Role.AMBASSADOR, Role.TEAM_MEMBER, Role.OFFICER,
                   Role.YOUTH_ORGANISER})


@dataclass(frozen=True)
class Scope:
    """Where a thing lives: its commune and, when it belongs to one, its village."""

    commune_id: int | None
    village_id: int | None = None
    # Residents and households belong to a village even when it is not recorded: a role held for one
    # village reaches only that village's residents, never those of another or of none.
    resident: bool = False


class Scoped(Protocol):
    """Anything access can be checked against exposes its scope."""

    @property
    def access_scope(self) -> Scope: ...


@dataclass(frozen=True)
class Rule:
    """Roles allowed to take an action within the target's scope."""

    roles: frozenset[Role]
    owner: bool = False  # the person the target belongs to may too
    any_user: bool = False  # every signed-in person may
    assigned: frozenset[Role] = frozenset()  # these roles only where they are assigned (target.assigned_ids)


def rule(*roles: Role, owner: bool = False, any_user: bool = False, assigned: tuple[Role, ...] = ()) -> Rule:
    """Build a rule: `roles` anywhere in the target's scope; `assigned` roles only on targets they are assigned to."""
    return Rule(frozenset(roles), owner=owner, any_user=any_user, assigned=frozenset(assigned))


RULES: dict[str, Rule] = {
    # Home and own account.
    "home.dashboard": rule(any_user=True),
    "account.manage": rule(any_user=True),
    # Places.
    "places.view": rule(*STAFF),
    "places.manage": rule(Role.OFFICER),
    "places.admin": rule(),  # adding communes: administrators only
    # People.
    "people.view": rule(*STAFF, owner=True),
    "people.search": rule(*STAFF),
    "people.create": rule(Role.OFFICER, Role.INSTRUCTOR, Role.AMBASSADOR, Role.TEAM_MEMBER,
                           Role.YOUTH_ORGANISER),
    "people.manage": rule(Role.OFFICER),
    "people.export": rule(Role.OFFICER),
    "people.import": rule(Role.OFFICER),
    "people.consent": rule(Role.OFFICER, Role.INSTRUCTOR, Role.AMBASSADOR, Role.TEAM_MEMBER,
                            Role.YOUTH_ORGANISER, owner=True),
    "people.sensitive": rule(Role.OFFICER),
    "people.roles": rule(Role.OFFICER),
    "people.credentials": rule(Role.OFFICER, Role.INSTRUCTOR),
    "households.manage": rule(Role.OFFICER, Role.TEAM_MEMBER),
}

# Roles an officer may hand out within their commune; the rest need an administrator.
GRANTABLE_BY_OFFICER = frozenset({Role.LEARNER, Role.INSTRUCTOR, Role.AMBASSADOR,
                                  Role.TEAM_MEMBER, Role.YOUTH_ORGANISER})


def register(action: str, rule: Rule) -> None:
    """Add an action's rule; features call this for their own actions at import time."""
    if action in RULES and RULES[action] != rule:
        raise ValueError(f"policy action {action!r} registered twice with different rules")
    RULES[action] = rule


def _assignments(user: Any) -> Iterable[Any]:
    return getattr(user, "active_roles", ())


def active_assignments(user: Any) -> Iterable[Any]:
    """Return the role assignments every decision about the user rests on."""
    return _assignments(user)


def is_admin(user: Any) -> bool:
    """Tell whether the user administers the whole system."""
    return getattr(user, "is_authenticated", False) and any(
        a.role == Role.ADMIN for a in _assignments(user)
    )


def roles_in(user: Any, scope: Scope) -> set[Role]:
    """Return the roles the user holds that reach the given scope."""
    held: set[Role] = set()
    for a in _assignments(user):
        if a.commune_id != scope.commune_id:
            continue
        # A village-scoped role reaches its own village and commune-wide things, not other villages.
        if a.village_id is None or a.village_id == scope.village_id or (
                scope.village_id is None and not scope.resident):
            held.add(Role(a.role))
    return held


def _owner_id(target: Any) -> int | None:
    return getattr(target, "owner_id", None)


def can(user: Any, action: str, target: Scoped | None = None) -> bool:
    """Decide whether the user may take the action on the target (or anywhere, with no target)."""
    rule = RULES[action]
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if is_admin(user) or rule.any_user:
        return True
    if target is None:
        return rule.owner or any(Role(a.role) in rule.roles | rule.assigned for a in _assignments(user))
    if rule.owner and _owner_id(target) == user.id:
        return True
    held = roles_in(user, target.access_scope)
    if held & rule.roles:
        return True
    # e.g. an instructor may mark attendance only in the classes they teach
    return bool(held & rule.assigned) and user.id in getattr(target, "assigned_ids", ())


def commune_ids(user: Any, action: str) -> set[int] | None:
    """Return the communes where the user may take the action, or None for everywhere."""
    if is_admin(user):
        return None
    rule = RULES[action]
    allowed = rule.roles | rule.assigned
    return {a.commune_id for a in _assignments(user) if Role(a.role) in allowed and a.commune_id}


def village_ids(user: Any, action: str, commune_id: int) -> set[int] | None:
    """Return the villages of the commune where the user may take the action, or None for all of it."""
    if is_admin(user):
        return None
    rule = RULES[action]
    villages: set[int] = set()
    for a in _assignments(user):
        if a.commune_id != commune_id or Role(a.role) not in rule.roles | rule.assigned:
            continue
        if a.village_id is None:
            return None
        villages.add(a.village_id)
    return villages


def authorize(action: str, target: Scoped | None = None) -> None:
    """Stop the request with 403 unless the current user may take the action on the target."""
    if not can(current_user, action, target):
        abort(403)


def requires(action: str) -> Callable[[F], F]:
    """Mark a route as needing a signed-in user who may take the action somewhere."""
    if action not in RULES:
        raise KeyError(f"unknown policy action {action!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        wrapped.policy_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a route as open to everyone, signed in or not."""
    view.policy_action = PUBLIC  # type: ignore[attr-defined]
    return view


def can_grant(user: Any, role: Role, scope: Scope) -> bool:
    """Tell whether the user may give someone the role within the scope."""
    if is_admin(user):
        return True
    return role in GRANTABLE_BY_OFFICER and Role.OFFICER in roles_in(user, scope)


# --- rank: nobody acts on someone of equal or higher rank -------------------------------------

# Learners (and people with no role) rank lowest; the commune's volunteers and organisers next;
# the commune officer above them; administrators above everyone.
RANKS: dict[Role, int] = {
    Role.LEARNER: 0,
    Role.INSTRUCTOR: 1, Role.AMBASSADOR: 1, Role.TEAM_MEMBER: 1, Role.YOUTH_ORGANISER: 1,
    Role.OFFICER: 2, Role.LEADER: 2,
    Role.ADMIN: 3,
}


def rank_of(person: Any) -> int:
    """Return the highest rank the person holds anywhere."""
    return max((RANKS[Role(a.role)] for a in _assignments(person)), default=0)


def rank_in(user: Any, scope: Scope) -> int:
    """Return the highest rank the user holds over things in the scope (-1 when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return -1
    if is_admin(user):
        return RANKS[Role.ADMIN]
    return max((RANKS[role] for role in roles_in(user, scope)), default=0)


def outranks(user: Any, person: Scoped) -> bool:
    """Tell whether the user ranks above the person where the person lives (so may act on them)."""
    return rank_in(user, person.access_scope) > rank_of(person)


def authorize_over(person: Scoped) -> None:
    """Stop the request with 403 unless the current user outranks the person they act on."""
    if not outranks(current_user, person):
        abort(403)
