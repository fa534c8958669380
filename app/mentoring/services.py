"""The rules of digital ambassadors: linking mentees (one active ambassador each, with consent), logging guidance
contacts (online or from a device's outbox, exactly once) and the commune's mentee target. The office help desk
is in `helpdesk.py`."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, distinct, exists, func, select
from sqlalchemy.exc import IntegrityError

from app import inputs
from app.catalog.models import LessonRead
from app.catalog.services import current_framework
from app.certificates.milestones import BASIC
from app.certificates.models import SkillMilestone
from app.digital import services as digital
from app.errors import DomainError
from app.extensions import db, utcnow
from app.mentoring.models import Contact, MentoringSettings, Mentorship
from app.people import services as people
from app.people.models import Person, RoleAssignment
from app.places.models import Commune, Village
from app.policy import Role
from app.quizzes.models import Attempt
from app.text import clean_text
from app.vietnam import local_today

DEFAULT_TARGET = 5
TARGET_LIMITS = (1, 50)
NOTE_MAX = 200
OLDEST_DAYS = 60  # a contact or help-desk entry older than this is a typo, not a late sync
# What an ambassador may tick that the mentee can now do, and the digital fact (and value) it records.
CAN_NOW: dict[str, tuple[str, int]] = {
    "smartphone": ("smartphone", 1),
    "vneid": ("vneid", 2),
    "payment_account": ("payment_account", 1),
    "public_services": ("public_services", 1),
    "ai_tools": ("ai_tools", 1),
}
CAN_NOW_LABELS = {
    "smartphone": _l("Tự dùng được điện thoại thông minh"),
    "vneid": _l("Có tài khoản VNeID mức 2"),
    "payment_account": _l("Có tài khoản thanh toán điện tử"),
    "public_services": _l("Tự dùng dịch vụ công trực tuyến"),
    "ai_tools": _l("Dùng trợ lý AI an toàn"),
}


# --- the commune's target ----------------------------------------------------------------------

def target_for(commune_id: int) -> int:
    """Return how many mentees each ambassador of the commune should guide."""
    row = db.session.get(MentoringSettings, commune_id)
    return row.mentee_target if row else DEFAULT_TARGET


def target_in_force(commune_id: Any) -> ColumnElement[int]:
    """An SQL expression for the commune's target, to read with other rows instead of a query of its own."""
    own = select(MentoringSettings.mentee_target).where(MentoringSettings.commune_id == commune_id)
    return func.coalesce(own.scalar_subquery(), DEFAULT_TARGET)


def save_target(commune: Commune, value: Any, *, actor: Person | None) -> MentoringSettings:
    """Set the commune's mentee target (1–50)."""
    low, high = TARGET_LIMITS
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(_l("Chỉ tiêu phải từ %(low)s đến %(high)s người.", low=low, high=high), field="mentee_target")
    row = db.session.get(MentoringSettings, commune.id)
    if row is None:
        row = MentoringSettings(commune_id=commune.id)
        db.session.add(row)
    row.mentee_target = value
    row.updated_by_id = actor.id if actor else None
    db.session.flush()
    return row


# --- links ---------------------------------------------------------------------------------

def active_link(mentee_id: int) -> Mentorship | None:
    """Return the mentee's active link, if any."""
    return db.session.scalar(select(Mentorship).where(Mentorship.mentee_id == mentee_id,
                                                      Mentorship.ended_at.is_(None)))


def link(ambassador: Person, mentee: Person, *, commune_id: int, actor: Person | None,
         today: dt.date | None = None) -> Mentorship:
    """Link a mentee to an ambassador in a commune, or raise DomainError (another commune, no consent, linked)."""
    if mentee.erased_at is not None or mentee.commune_id != commune_id:
        raise DomainError(_l("Không tìm thấy người này trong xã."), field="person_id")
    if mentee.id == ambassador.id:
        raise DomainError(_l("Đại sứ số không tự hướng dẫn chính mình."), field="person_id")
    if not digital.may_record(mentee):
        raise DomainError(_l("%(name)s chưa đồng ý cho ghi nhận việc hỗ trợ kỹ năng số; hãy hỏi và ghi nhận sự "
                             "đồng ý trước.", name=mentee.full_name), field="consent")
    existing = active_link(mentee.id)
    if existing is not None:
        if existing.ambassador_id == ambassador.id:
            raise DomainError(_l("%(name)s đã là người bạn hướng dẫn.", name=mentee.full_name), field="person_id")
        raise DomainError(_l("%(name)s đang được đại sứ số %(other)s hướng dẫn; một người chỉ có một đại sứ. "
                             "Hãy trao đổi với %(other)s hoặc cán bộ xã.", name=mentee.full_name,
                             other=existing.ambassador.full_name), field="person_id")
    row = Mentorship(commune_id=commune_id, ambassador_id=ambassador.id, mentee_id=mentee.id,
                     since=today or local_today(), created_by_id=actor.id if actor else None)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # another ambassador linked them a moment ago
        raise DomainError(_l("%(name)s vừa được một đại sứ khác nhận hướng dẫn.", name=mentee.full_name),
                          field="person_id") from None
    people.audit(actor, mentee, "mentoring.link", f"ambassador={ambassador.id}")
    return row


def end(mentorship: Mentorship, *, actor: Person | None) -> None:
    """End a link (the contacts stay as history)."""
    if mentorship.ended_at is not None:
        return
    mentorship.ended_at = utcnow()
    people.audit(actor, mentorship.mentee, "mentoring.end", f"ambassador={mentorship.ambassador_id}")
    db.session.flush()


# --- contacts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ContactFields:
    """What a contact says, read from a form or a device's outbox item."""

    mentee_id: int
    skill: str
    contacted_on: dt.date
    note: str = ""
    can_now: tuple[str, ...] = field(default_factory=tuple)


def _int(value: Any) -> int | None:
    """Read a record id from a device's item (a number or digits as text); None unless it is one."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return inputs.record_id(value)
    except ValueError:  # not digits (a superscript "²" passes isdigit() but not int()), or out of range
        return None


def _day(value: Any, *, today: dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        return today
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise DomainError(_l("Ngày không hợp lệ."), field="contacted_on") from None


def read_contact(raw: Mapping[str, Any], *, today: dt.date | None = None) -> ContactFields:
    """Read a contact's fields from what a device or form sent, or raise DomainError naming what is wrong."""
    today = today or local_today()
    mentee_id = _int(raw.get("mentee_id"))
    if mentee_id is None:
        raise DomainError(_l("Hãy chọn người được hướng dẫn."), field="mentee_id")
    skill = raw.get("skill")
    if not isinstance(skill, str) or not skill:
        raise DomainError(_l("Hãy chọn kỹ năng đã hướng dẫn."), field="skill")
    note = raw.get("note") or ""
    if not isinstance(note, str):
        raise DomainError(_l("Ghi chú không hợp lệ."), field="note")
    note = clean_text(note)
    if len(note) > NOTE_MAX:
        raise DomainError(_l("Ghi chú tối đa %(n)s ký tự.", n=NOTE_MAX), field="note")
    can_now = raw.get("can_now") or []
    if isinstance(can_now, str):
        can_now = [can_now]
    if not isinstance(can_now, list) or any(c not in CAN_NOW for c in can_now):
        raise DomainError(_l("Điều người này làm được chưa hợp lệ."), field="can_now")
    day = _day(raw.get("contacted_on"), today=today)
    return ContactFields(mentee_id, skill, day, note, tuple(dict.fromkeys(can_now)))


def skill_titles(lang: str = "vi") -> dict[str, str]:
    """Return the framework's skills (code -> title) in force, for the skill choice."""
    framework = current_framework()
    return framework.skill_titles(lang) if framework else {}


def check_day(day: dt.date, today: dt.date, field_name: str) -> None:
    if day > today:
        raise DomainError(_l("Ngày không được ở tương lai."), field=field_name)
    if day < today - dt.timedelta(days=OLDEST_DAYS):
        raise DomainError(_l("Chỉ ghi được việc trong %(n)s ngày gần đây.", n=OLDEST_DAYS), field=field_name)


def record_contact(ambassador: Person, fields: ContactFields, *, actor: Person | None, client_id: str,
                   device_time: dt.datetime | None = None, today: dt.date | None = None) -> Contact:
    """Log a guidance contact with one of the ambassador's own mentees, or raise DomainError; writes nothing then.

    What the ambassador ticked that the mentee can now do is recorded as the mentee's digital facts (source
    "contact"), with their consent.
    """
    today = today or local_today()
    link_row = active_link(fields.mentee_id)
    if link_row is None or link_row.ambassador_id != ambassador.id:
        raise DomainError(_l("Người này không phải người bạn đang hướng dẫn."), field="mentee_id")
    mentee = link_row.mentee
    if fields.skill not in skill_titles():
        raise DomainError(_l("Kỹ năng không có trong khung kỹ năng số."), field="skill")
    check_day(fields.contacted_on, today, "contacted_on")
    if fields.contacted_on < link_row.since:
        raise DomainError(_l("Ngày hướng dẫn trước ngày nhận hướng dẫn người này."), field="contacted_on")
    if not digital.may_record(mentee):
        raise DomainError(_l("%(name)s đã rút lại sự đồng ý cho ghi nhận việc hỗ trợ kỹ năng số.",
                             name=mentee.full_name), field="consent")
    contact = Contact(commune_id=link_row.commune_id, ambassador_id=ambassador.id, mentee_id=mentee.id,
                      contacted_on=fields.contacted_on, skill=fields.skill, note=fields.note, client_id=client_id,
                      device_time=device_time)
    db.session.add(contact)
    db.session.flush()
    if fields.can_now:
        digital.record_many(mentee, dict(CAN_NOW[c] for c in fields.can_now), observed_on=fields.contacted_on,
                            source="contact", actor=actor, reference=f"contact:{contact.id}", today=today)
    return contact


def known_contacts(ids: list[str]) -> set[str]:
    """Return which of these client ids are already stored as contacts."""
    return set(db.session.scalars(select(Contact.client_id).where(Contact.client_id.in_(ids))))


# --- what the ambassador sees -----------------------------------------------------------------

def mentees(ambassador_id: int) -> list[Any]:
    """The ambassador's active mentees with their progress, in one statement (however many mentees)."""
    person = Person.id
    lessons = select(func.count()).where(LessonRead.person_id == person).scalar_subquery()
    modules = select(func.count(distinct(LessonRead.module_id))).where(LessonRead.person_id == person)
    passed = select(func.count(distinct(Attempt.module_id))).where(Attempt.person_id == person,
                                                                    Attempt.passed.is_(True))
    basic = exists().where(SkillMilestone.person_id == person, SkillMilestone.milestone == BASIC)
    contacts = select(func.count()).where(Contact.mentee_id == person, Contact.ambassador_id == ambassador_id)
    last = select(func.max(Contact.contacted_on)).where(Contact.mentee_id == person,
                                                        Contact.ambassador_id == ambassador_id)
    return list(db.session.execute(
        select(Mentorship.id.label("mentorship_id"), Mentorship.since, Person.id, Person.full_name,
               Person.birth_year, Village.name.label("village"), lessons.label("lessons"),
               modules.scalar_subquery().label("modules"), passed.scalar_subquery().label("quizzes"),
               basic.label("basic"), contacts.scalar_subquery().label("contacts"),
               last.scalar_subquery().label("last_contact"))
        .join(Person, Person.id == Mentorship.mentee_id)
        .outerjoin(Village, Village.id == Person.village_id)
        .where(Mentorship.ambassador_id == ambassador_id, Mentorship.ended_at.is_(None))
        .order_by(Person.name_search, Person.id)
    ))


def recent_contacts(ambassador_id: int, limit: int = 10) -> list[Any]:
    """The ambassador's latest contacts, newest first."""
    return list(db.session.execute(
        select(Contact.contacted_on, Contact.skill, Contact.note, Person.full_name)
        .join(Person, Person.id == Contact.mentee_id)
        .where(Contact.ambassador_id == ambassador_id)
        .order_by(Contact.contacted_on.desc(), Contact.id.desc()).limit(limit)
    ))


def candidates(commune_id: int, query: str, *, villages: Iterable[int] | None, limit: int = 20) -> list[Any]:
    """People an ambassador may look for to link, with who guides them now (one statement)."""
    guide = Person.__table__.alias("guide")
    active = Mentorship.__table__.alias("active")
    stmt = people.search(commune_id, query, villages=villages).limit(limit).subquery()
    return list(db.session.execute(
        select(stmt.c.id, stmt.c.full_name, stmt.c.birth_year, Village.name.label("village"),
               guide.c.full_name.label("guide"), guide.c.id.label("guide_id"))
        .outerjoin(Village, Village.id == stmt.c.village_id)
        .outerjoin(active, and_(active.c.mentee_id == stmt.c.id, active.c.ended_at.is_(None)))
        .outerjoin(guide, guide.c.id == active.c.ambassador_id)
        .order_by(stmt.c.name_search, stmt.c.id)
    ))


# --- what the officer sees --------------------------------------------------------------------

def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first day of the day's month and the first day of the next."""
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def ambassadors(commune_id: int, *, today: dt.date | None = None) -> list[Any]:
    """The commune's ambassadors with active mentees, contacts this month and whether they are below target."""
    start, stop = month_of(today or local_today())
    target = target_in_force(commune_id)
    count = select(func.count()).where(Mentorship.ambassador_id == Person.id, Mentorship.ended_at.is_(None),
                                       Mentorship.commune_id == commune_id).scalar_subquery()
    contacts = select(func.count()).where(Contact.ambassador_id == Person.id, Contact.commune_id == commune_id,
                                          Contact.contacted_on >= start, Contact.contacted_on < stop)
    holders = select(RoleAssignment.person_id).where(RoleAssignment.role == Role.AMBASSADOR.value,
                                                     RoleAssignment.commune_id == commune_id)
    return list(db.session.execute(
        select(Person.id, Person.full_name, Village.name.label("village"), count.label("mentees"),
               contacts.scalar_subquery().label("contacts"), target.label("target"),
               (count < target).label("below"))
        .outerjoin(Village, Village.id == Person.village_id)
        .where(Person.id.in_(holders), Person.erased_at.is_(None))
        .order_by((count < target).desc(), Person.name_search, Person.id)
    ))


def guided_between(start: dt.date, stop: dt.date) -> Select[int]:
    """Select the ids of people guided by an ambassador on a day in [start, stop)."""
    return (select(Contact.mentee_id.label("person_id"))
            .where(Contact.contacted_on >= start, Contact.contacted_on < stop).distinct())
