"""Teams and their door-to-door visits: who is in a team, and recording a visit (with its effect on people's records).

A helped person without consent to `digital_support` is not recorded: the help is kept against the household only
(the kind of help, no person), and their digital facts are left alone. With consent, each kind of help that shows a
digital fact records it with source "visit" and a reference to the visit.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import inputs
from app.digital import services as digital
from app.errors import DomainError
from app.extensions import db
from app.people import services as people
from app.people.models import Household, Person, RoleAssignment
from app.places.models import Commune, Village
from app.policy import Role
from app.teams.kinds import HELP_KINDS, facts_of
from app.teams.models import Team, TeamMember, Visit, VisitHelp, VisitMember
from app.text import clean_text
from app.vietnam import local_today

STILL_NEEDED_MAX = 300
FOLLOW_UP_WITHIN = dt.timedelta(days=366)
HOUSEHOLD = 0  # the key of help given to the household as a whole in VisitInput.helps


# --- teams ---------------------------------------------------------------------------------------

def create_team(commune: Commune, village: Village, name: str, *, actor: Person | None) -> Team:
    """Create the team of a village, or raise DomainError (another commune's village, a village with a team)."""
    if village.commune_id != commune.id:
        raise DomainError(_l("Thôn/tổ dân phố không thuộc xã này."), field="village_id")
    name = clean_text(name or "") or str(_l("Tổ công nghệ số cộng đồng %(village)s", village=village.name))
    if len(name) > 120:
        raise DomainError(_l("Tên tổ dài quá 120 ký tự."), field="name")
    if db.session.scalar(select(Team.id).where(Team.village_id == village.id)) is not None:
        raise DomainError(_l("%(village)s đã có Tổ công nghệ số cộng đồng; mỗi thôn một tổ.", village=village.name),
                          field="village_id")
    team = Team(commune_id=commune.id, village_id=village.id, name=name)
    db.session.add(team)
    db.session.flush()
    return team


def membership(team: Team, person: Person) -> TeamMember | None:
    """Return the person's place in the team, if they are in it."""
    return next((m for m in team.members if m.person_id == person.id), None)


def add_member(team: Team, person: Person, *, actor: Person | None) -> TeamMember:
    """Add a person of the commune to the team, giving them the team member's role for its village."""
    if person.commune_id != team.commune_id or person.erased_at is not None:
        raise DomainError(_l("Người này không thuộc xã của tổ."), field="person_id")
    found = membership(team, person)
    if found is not None:
        return found
    member = TeamMember(person_id=person.id, is_leader=False)
    team.members.append(member)
    people.grant_role(person, Role.TEAM_MEMBER, commune=team.village.commune, village=team.village, granted_by=actor)
    db.session.flush()
    return member


def remove_member(team: Team, person: Person, *, actor: Person | None) -> None:
    """Take a person out of the team, with the team member's role for its village; their past visits stay."""
    member = membership(team, person)
    if member is None:
        raise DomainError(_l("%(name)s không có trong tổ.", name=person.full_name), field="person_id")
    team.members.remove(member)
    held = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.person_id == person.id, RoleAssignment.role == Role.TEAM_MEMBER.value,
        RoleAssignment.commune_id == team.commune_id, RoleAssignment.village_id == team.village_id))
    if held is not None:
        people.revoke_role(held, actor=actor)
    db.session.flush()


def set_leader(team: Team, person: Person) -> None:
    """Make a member the team's leader (tổ trưởng); a team has one leader."""
    member = membership(team, person)
    if member is None:
        raise DomainError(_l("%(name)s không có trong tổ.", name=person.full_name), field="person_id")
    for other in team.members:
        other.is_leader = other is member
    db.session.flush()


def team_of(person: Person) -> Team | None:
    """Return the team the person is in (the first, if in several)."""
    return db.session.scalar(select(Team).join(TeamMember).where(TeamMember.person_id == person.id)
                             .order_by(Team.id).limit(1))


# --- reading a visit ------------------------------------------------------------------------------

@dataclass(frozen=True)
class VisitInput:
    """A visit as entered: the household, the day, who went, what help went to whom, what is left, when to return."""

    household_id: int
    visited_on: dt.date
    visitors: tuple[int, ...]
    helps: Mapping[int, tuple[str, ...]]  # person id (HOUSEHOLD: the household as a whole) -> kinds of help
    still_needed: str = ""
    follow_up_on: dt.date | None = None


def _date(value: Any, field: str, label: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(_l("%(what)s không hợp lệ (cần dạng ngày/tháng/năm).", what=label), field=field) from None


def _id(value: Any, field: str) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        return inputs.record_id(value)
    except (ValueError, TypeError):
        raise DomainError(_l("Lựa chọn không hợp lệ."), field=field) from None


def read_visit(raw: Mapping[str, Any], *, today: dt.date | None = None) -> VisitInput:
    """Read a visit from a form or a device's item (JSON shapes), or raise DomainError naming what is wrong."""
    today = today or local_today()
    if not raw.get("household_id"):
        raise DomainError(_l("Hãy chọn hộ gia đình."), field="household_id")
    household_id = _id(raw.get("household_id"), "household_id")
    visited_on = _date(raw.get("visited_on") or today.isoformat(), "visited_on", _l("Ngày đến nhà"))
    if visited_on > today:
        raise DomainError(_l("Ngày đến nhà không được ở tương lai."), field="visited_on")
    if visited_on < digital.EARLIEST:
        raise DomainError(_l("Ngày đến nhà phải từ năm %(year)s.", year=digital.EARLIEST.year), field="visited_on")
    follow_up_on = None
    if raw.get("follow_up_on"):
        follow_up_on = _date(raw["follow_up_on"], "follow_up_on", _l("Ngày quay lại"))
        if not visited_on <= follow_up_on <= visited_on + FOLLOW_UP_WITHIN:
            raise DomainError(_l("Ngày quay lại phải từ ngày đến nhà đến một năm sau đó."), field="follow_up_on")
    visitors = raw.get("visitors")
    if not isinstance(visitors, list | tuple) or not visitors:
        raise DomainError(_l("Hãy chọn ai đã đến nhà."), field="visitors")
    helps_raw = raw.get("helps") or {}
    if not isinstance(helps_raw, Mapping):
        raise DomainError(_l("Lựa chọn không hợp lệ."), field="helps")
    helps: dict[int, tuple[str, ...]] = {}
    for key, kinds in helps_raw.items():
        person_id = HOUSEHOLD if str(key).strip() == str(HOUSEHOLD) else _id(key, "helps")
        if not isinstance(kinds, list | tuple) or any(not isinstance(k, str) or k not in HELP_KINDS for k in kinds):
            raise DomainError(_l("Loại hỗ trợ không hợp lệ."), field="helps")
        if kinds:
            helps[person_id] = tuple(dict.fromkeys(kinds))
    still = raw.get("still_needed") or ""
    still = clean_text(still, multiline=True) if isinstance(still, str) else None
    if still is None or len(still) > STILL_NEEDED_MAX:
        raise DomainError(_l("Phần “còn cần hỗ trợ” tối đa %(n)s ký tự.", n=STILL_NEEDED_MAX), field="still_needed")
    return VisitInput(household_id, visited_on, tuple(dict.fromkeys(_id(v, "visitors") for v in visitors)), helps,
                      still, follow_up_on)


# --- recording a visit ---------------------------------------------------------------------------

def record_visit(team: Team, data: VisitInput, *, actor: Person | None, client_id: str,
                 device_time: dt.datetime | None = None, may_act_on: Callable[[Person], bool] | None = None,
                 today: dt.date | None = None) -> Visit:
    """Record a visit of the team, or raise DomainError and write nothing.

    `may_act_on` tells whether the actor may change a person's records (rank); a helped person it refuses, or one
    without consent, is recorded as help to the household only.
    """
    today = today or local_today()
    if data.visited_on > today:
        raise DomainError(_l("Ngày đến nhà không được ở tương lai."), field="visited_on")
    household = db.session.get(Household, data.household_id)
    if household is None or household.commune_id != team.commune_id or household.village_id != team.village_id:
        raise DomainError(_l("Hộ gia đình này không thuộc thôn của tổ."), field="household_id")
    members = {m.person_id for m in team.members}
    strangers = [v for v in data.visitors if v not in members]
    if strangers:
        raise DomainError(_l("Người đến nhà phải là thành viên của tổ."), field="visitors")
    residents = {p.id: p for p in db.session.scalars(select(Person).where(
        Person.household_id == household.id, Person.erased_at.is_(None)))}
    if any(pid != HOUSEHOLD and pid not in residents for pid in data.helps):
        raise DomainError(_l("Người được hỗ trợ phải là thành viên của hộ này."), field="helps")
    visit = Visit(team_id=team.id, household_id=household.id, commune_id=household.commune_id,
                  village_id=household.village_id, visited_on=data.visited_on, still_needed=data.still_needed,
                  follow_up_on=data.follow_up_on, client_id=client_id, device_time=device_time,
                  recorded_by_id=actor.id if actor else None)
    visit.visitors = [VisitMember(person_id=pid) for pid in data.visitors]
    db.session.add(visit)
    db.session.flush()
    for pid, kinds in data.helps.items():
        person = residents.get(pid)
        # Named only with their consent and when the recorder may act on them; else the help is the household's.
        named = person if person is not None and digital.may_record(person) and (
            may_act_on is None or may_act_on(person)) else None
        visit.helps.extend(VisitHelp(person_id=named.id if named else None, kind=k) for k in kinds)
        facts = facts_of(list(kinds))
        if named is not None and facts:
            digital.record_many(named, facts, observed_on=data.visited_on, source="visit", actor=actor,
                                reference=f"visit:{visit.id}", today=today)
    db.session.flush()
    return visit


def known_client_ids(ids: list[str]) -> set[str]:
    """Return which of the client ids are already stored as visits."""
    return set(db.session.scalars(select(Visit.client_id).where(Visit.client_id.in_(ids))))
