"""The policy's rules: scope by commune and village, owners, assigned staff, administrators."""
from __future__ import annotations

from dataclasses import dataclass, field

from app import policy
from app.policy import Role, Scope


@dataclass
class Assignment:
    role: str
    commune_id: int | None
    village_id: int | None = None


@dataclass
class User:
    id: int
    active_roles: list[Assignment]
    is_authenticated: bool = True
    is_active: bool = True


@dataclass
class Thing:
    access_scope: Scope
    owner_id: int | None = None
    assigned_ids: set[int] = field(default_factory=set)


def test_officer_acts_in_own_commune_only() -> None:
    officer = User(1, [Assignment("officer", 10)])
    assert policy.can(officer, "people.manage", Thing(Scope(10, 5)))
    assert not policy.can(officer, "people.manage", Thing(Scope(11, 7)))


def test_village_role_reaches_its_village_and_commune_wide_things_not_other_villages() -> None:
    member = User(2, [Assignment("team_member", 10, 5)])
    assert policy.can(member, "households.manage", Thing(Scope(10, 5)))
    assert policy.can(member, "households.manage", Thing(Scope(10)))
    assert not policy.can(member, "households.manage", Thing(Scope(10, 6)))


def test_owner_rule_lets_a_person_act_on_their_own_record() -> None:
    learner = User(3, [Assignment("learner", 10)])
    assert policy.can(learner, "people.view", Thing(Scope(10), owner_id=3))
    assert not policy.can(learner, "people.view", Thing(Scope(10), owner_id=4))


def test_assigned_roles_act_only_where_assigned() -> None:
    policy.register("test.mark", policy.rule(Role.OFFICER, assigned=(Role.INSTRUCTOR,)))
    instructor = User(5, [Assignment("instructor", 10)])
    assert policy.can(instructor, "test.mark", Thing(Scope(10), assigned_ids={5}))
    assert not policy.can(instructor, "test.mark", Thing(Scope(10), assigned_ids={6}))
    assert not policy.can(instructor, "test.mark", Thing(Scope(11), assigned_ids={5}))
    assert policy.can(User(6, [Assignment("officer", 10)]), "test.mark", Thing(Scope(10)))


def test_administrator_may_do_anything_anywhere() -> None:
    admin = User(7, [Assignment("admin", None)])
    assert policy.can(admin, "people.sensitive", Thing(Scope(99)))
    assert policy.commune_ids(admin, "people.manage") is None


def test_inactive_or_anonymous_people_may_do_nothing() -> None:
    assert not policy.can(User(8, [Assignment("admin", None)], is_active=False), "home.dashboard")
    assert not policy.can(User(9, [], is_authenticated=False), "home.dashboard")


def test_officers_grant_volunteer_roles_but_not_officer_or_admin() -> None:
    officer = User(1, [Assignment("officer", 10)])
    assert policy.can_grant(officer, Role.INSTRUCTOR, Scope(10))
    assert not policy.can_grant(officer, Role.OFFICER, Scope(10))
    assert not policy.can_grant(officer, Role.INSTRUCTOR, Scope(11))
