"""Digital families: which households count, the commune's coverage per village, and the households still to reach.

A household counts when, by the end of a day, at least one of its members had completed the basic digital skills
(rule `one_member`), or, under `all_adults`, also every member of 18 or more had (a household with no adult then
needs one member who completed). Erased people are not members. Everything is one SQL aggregate or a fixed number
of statements, however many households the commune has.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from app.certificates import milestones
from app.certificates.models import SkillMilestone
from app.digital import services as digital
from app.errors import DomainError
from app.extensions import db
from app.families import settings
from app.indicators import ADULT_AGE
from app.people.models import Household, Person
from app.places.models import Commune, Village
from app.text import clean_text
from app.vietnam import VIETNAM

ALLEY_MAX = 80
# What a member still lacks, as the village team reads it (a fact counts once its latest record reaches the value).
NEEDS = {"smartphone": (1, _l("chưa có điện thoại thông minh")), "vneid": (2, _l("chưa có VNeID mức 2")),
         "payment_account": (1, _l("chưa có tài khoản thanh toán điện tử")),
         "public_services": (1, _l("chưa dùng dịch vụ công trực tuyến"))}
NOT_BASIC = _l("chưa hoàn thành kỹ năng số cơ bản")


def day_end(on: dt.date) -> dt.datetime:
    """The end of a day in Vietnam, in UTC (milestones reached before it count)."""
    return dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), VIETNAM).astimezone(dt.UTC)


def _done(person: Any, moment: dt.datetime) -> ColumnElement[bool]:
    """The person (a column or alias) had completed the basic digital skills before the moment."""
    return exists(milestones.reached_before(milestones.BASIC, moment).where(SkillMilestone.person_id == person.id))


def _adult(person: Any, year: int) -> ColumnElement[bool]:
    # As the commune's adult figures count them: someone with no birth year recorded counts as an adult.
    return or_(person.birth_year <= year - ADULT_AGE, person.birth_year.is_(None))


def covered(moment: dt.datetime, year: int, rule: str | ColumnElement[str]) -> ColumnElement[bool]:
    """A condition on `Household`: it is a digital family under the rule (a rule's code, or an SQL expression giving
    each commune's), counting milestones reached before the moment and adults by their age in `year`.

    Both halves are uncorrelated sets of household ids (`IN (SELECT …)`), which the database builds once and hashes
    whatever its statistics say, rather than a lookup per household.
    """
    member, adult = aliased(Person), aliased(Person)
    done = milestones.reached_before(milestones.BASIC, moment)
    with_one_done = (select(member.household_id)
                     .where(member.household_id.is_not(None), member.erased_at.is_(None), member.id.in_(done)))
    with_adult_missing = (select(adult.household_id)
                          .where(adult.household_id.is_not(None), adult.erased_at.is_(None), _adult(adult, year),
                                 adult.id.not_in(done)))
    one = Household.id.in_(with_one_done)
    missing = Household.id.in_(with_adult_missing)
    if isinstance(rule, str):
        return and_(one, ~missing) if rule == "all_adults" else one
    return and_(one, or_(rule != literal("all_adults"), ~missing))


@dataclass(frozen=True)
class VillageCoverage:
    """Households of a village (or the whole commune: village None) and how many are digital families."""

    village_id: int | None
    name: str
    households: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.households - self.covered

    @property
    def percent(self) -> str:
        return "—" if not self.households else f"{round(100 * self.covered / self.households)}%"


@dataclass(frozen=True)
class Coverage:
    """A commune's coverage on a day, per village and in all, under its rule."""

    on: dt.date
    rule: str
    villages: list[VillageCoverage]
    total: VillageCoverage


def coverage(commune: Commune, on: dt.date, *, rule: str | None = None) -> Coverage:
    """Count households and digital families per village of the commune on a day, in one GROUP BY statement."""
    rule = rule or settings.rule_for(commune.id)
    condition = covered(day_end(on), on.year, rule)
    rows = db.session.execute(
        select(Village.id, Village.name, func.count(Household.id),
               func.coalesce(func.sum(case((condition, 1), else_=0)), 0))
        .select_from(Village).outerjoin(Household, Household.village_id == Village.id)
        .where(Village.commune_id == commune.id)
        .group_by(Village.id, Village.name).order_by(Village.name, Village.id)
    ).all()
    villages = [VillageCoverage(vid, name, int(n), int(c)) for vid, name, n, c in rows]
    total = VillageCoverage(None, commune.name, sum(v.households for v in villages), sum(v.covered for v in villages))
    return Coverage(on, rule, villages, total)


@dataclass
class Member:
    """A member of a household not yet covered, and what they still lack."""

    person: Person
    done: bool
    counts: bool  # whether the rule looks at them (every member under one_member; adults under all_adults)
    needs: list[str] = field(default_factory=list)


@dataclass
class Uncovered:
    """A household that is not yet a digital family, with its members."""

    household: Household
    village: str
    members: list[Member] = field(default_factory=list)


def uncovered_query(commune: Commune, on: dt.date, rule: str, *,
                    village_ids: set[int] | None = None) -> Select[Household, str]:
    """Select (household, village name) of the households not yet covered, by village, alley and address."""
    query = (select(Household, Village.name).join(Village, Village.id == Household.village_id)
             .where(Household.commune_id == commune.id, ~covered(day_end(on), on.year, rule)))
    if village_ids is not None:
        query = query.where(Household.village_id.in_(village_ids))
    return query.order_by(Village.name, Household.alley, Household.address, Household.id)


def uncovered(commune: Commune, on: dt.date, *, village_ids: set[int] | None = None,
              rule: str | None = None) -> list[Uncovered]:
    """List the households not yet covered with their members and what each lacks (a fixed number of statements:
    households, members, one per digital fact)."""
    rule = rule or settings.rule_for(commune.id)
    query = uncovered_query(commune, on, rule, village_ids=village_ids)
    found = [Uncovered(household, village) for household, village in db.session.execute(query)]
    if not found:
        return found
    by_id = {u.household.id: u for u in found}
    ids = query.with_only_columns(Household.id).order_by(None).subquery()
    moment = day_end(on)
    in_list = [Person.household_id.in_(select(ids.c.id)), Person.erased_at.is_(None)]
    members = db.session.execute(
        select(Person, _done(Person, moment).label("done"), _adult(Person, on.year).label("adult"))
        .where(*in_list).order_by(Person.household_id, Person.birth_year, Person.id)
    ).all()
    facts = digital.summary_of(select(Person.id).where(*in_list), on)
    for person, done, adult in members:
        if person.household_id is None:  # not selected: members are read by household
            continue
        needs = [] if done else [str(NOT_BASIC)]
        known = facts.get(person.id, {})
        needs += [str(label) for code, (wanted, label) in NEEDS.items() if code in known and known[code] < wanted]
        by_id[person.household_id].members.append(
            Member(person, bool(done), rule != "all_adults" or bool(adult), needs))
    return found


EXPORT_HEADERS = (_l("Thôn"), _l("Ngõ, xóm, cụm"), _l("Địa chỉ"), _l("Thành viên"), _l("Năm sinh"),
                  _l("Kỹ năng số cơ bản"), _l("Còn thiếu"))


def export_rows(households: list[Uncovered]) -> list[list[Any]]:
    """One row per member (a household with no member recorded: one row), for the team's spreadsheet."""
    rows: list[list[Any]] = []
    for item in households:
        place = [item.village, item.household.alley, item.household.address]
        if not item.members:
            rows.append([*place, str(_l("(chưa ghi nhận thành viên)")), None, "", ""])
        for m in item.members:
            rows.append([*place, m.person.full_name, m.person.birth_year,
                         str(_l("Đã hoàn thành")) if m.done else str(_l("Chưa")), "; ".join(m.needs)])
    return rows


def set_alley(household: Household, alley: Any, *, actor: Person | None = None) -> Household:
    """Set the alley, lane or cluster a household is on (empty clears it); raise DomainError if too long."""
    text = clean_text(alley) if isinstance(alley, str) else ""
    if len(text) > ALLEY_MAX:
        raise DomainError(_l("Tên ngõ, xóm tối đa %(max)s ký tự.", max=ALLEY_MAX), field="alley")
    household.alley = text
    db.session.flush()
    return household
