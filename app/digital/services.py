"""Recording a person's digital facts (with consent, dated, with their source) and reading them back."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, delete, func, select

from app.auth import identity
from app.digital.models import DigitalFact
from app.errors import DomainError
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.vietnam import local_today

PURPOSE = "digital_support"  # the consent every record about a person's digital life needs
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Fact:
    """One thing the plans count about a person, and the values it takes (0 always means "not yet")."""

    code: str
    label: LazyString
    values: Mapping[int, LazyString]

    @property
    def highest(self) -> int:
        return max(self.values)


YES_NO = {0: _l("Chưa"), 1: _l("Có")}
FACTS: dict[str, Fact] = {
    f.code: f
    for f in (
        Fact("smartphone", _l("Có điện thoại thông minh"), YES_NO),
        Fact("vneid", _l("Tài khoản định danh điện tử VNeID"),
             {0: _l("Chưa có"), 1: _l("Mức 1"), 2: _l("Mức 2")}),
        Fact("payment_account", _l("Có tài khoản thanh toán điện tử"), YES_NO),
        Fact("public_services", _l("Sử dụng dịch vụ công trực tuyến"), YES_NO),
        Fact("ai_tools", _l("Sử dụng công cụ trí tuệ nhân tạo (AI)"), YES_NO),
    )
}

SOURCES: dict[str, LazyString] = {
    "self": _l("Người dân tự khai"),
    "visit": _l("Tổ công nghệ số thấy khi đến nhà"),
    "contact": _l("Đại sứ số hướng dẫn"),
    "helpdesk": _l("Cán bộ xã hỗ trợ tại bộ phận một cửa"),
    "vneid": _l("Đăng nhập bằng VNeID"),
    "class": _l("Trong lớp học"),
}


def may_record(person: Person) -> bool:
    """Tell whether the person has consented to having their digital life recorded."""
    return person.erased_at is None and people.active_consent(person, PURPOSE) is not None


def check(fact: str, value: int, observed_on: dt.date, source: str, *, today: dt.date | None = None) -> None:
    """Raise DomainError unless the fact, its value, its date and its source are all acceptable."""
    known = FACTS.get(fact)
    if known is None:
        raise DomainError(_l("Thông tin kỹ năng số không hợp lệ."), field="fact")
    if isinstance(value, bool) or not isinstance(value, int) or value not in known.values:
        raise DomainError(_l("Giá trị của “%(fact)s” không hợp lệ.", fact=known.label), field=fact)
    if source not in SOURCES:
        raise DomainError(_l("Nguồn thông tin không hợp lệ."), field="source")
    today = today or local_today()
    if observed_on > today:
        raise DomainError(_l("Ngày ghi nhận không được ở tương lai."), field="observed_on")
    if observed_on < EARLIEST:
        raise DomainError(_l("Ngày ghi nhận phải từ năm %(year)s.", year=EARLIEST.year), field="observed_on")


def record(person: Person, fact: str, value: int, *, observed_on: dt.date, source: str, actor: Person | None,
           reference: str | None = None, today: dt.date | None = None) -> DigitalFact:
    """Record one fact about a person, or raise DomainError (no consent, a bad value, a date in the future).

    The same value on the same day from an earlier record is not written twice.
    """
    check(fact, value, observed_on, source, today=today)
    if not may_record(person):
        raise DomainError(_l("%(name)s chưa đồng ý cho ghi nhận thông tin kỹ năng số; hãy hỏi và ghi nhận sự "
                             "đồng ý trước.", name=person.full_name), field="consent")
    latest = current(person).get(fact)
    if latest is not None and latest.value == value and latest.observed_on == observed_on:
        return latest
    row = DigitalFact(person_id=person.id, fact=fact, value=value, observed_on=observed_on, source=source,
                      reference=reference, recorded_by_id=actor.id if actor else None)
    db.session.add(row)
    people.audit(actor, person, "digital.record", f"{fact}={value} ({source})")
    db.session.flush()
    return row


def record_many(person: Person, values: Mapping[str, int], **kwargs: object) -> list[DigitalFact]:
    """Record several facts observed together (a visit, a form); all are checked before any is written."""
    observed_on = kwargs["observed_on"]
    source = kwargs["source"]
    for fact, value in values.items():
        check(fact, value, observed_on, source, today=kwargs.get("today"))  # type: ignore[arg-type]
    return [record(person, fact, value, **kwargs) for fact, value in values.items()]  # type: ignore[arg-type]


def current(person: Person, *, on: dt.date | None = None) -> dict[str, DigitalFact]:
    """Return the latest record of each fact about the person (on or before `on`), in one query."""
    rows = db.session.scalars(
        select(DigitalFact).where(DigitalFact.person_id == person.id,
                                  *([DigitalFact.observed_on <= on] if on else []))
        .order_by(DigitalFact.observed_on, DigitalFact.id)
    )
    return {row.fact: row for row in rows}


def history(person: Person) -> list[DigitalFact]:
    """Return every record about the person, newest first."""
    return list(db.session.scalars(
        select(DigitalFact).where(DigitalFact.person_id == person.id)
        .order_by(DigitalFact.observed_on.desc(), DigitalFact.id.desc())
    ))


def latest_values(fact: str, on: dt.date) -> Select[int, int]:
    """Select (person_id, value) of each person's latest record of a fact on or before a day (a window query)."""
    ranked = select(
        DigitalFact.person_id, DigitalFact.value,
        func.row_number().over(partition_by=DigitalFact.person_id,
                               order_by=(DigitalFact.observed_on.desc(), DigitalFact.id.desc())).label("rank"),
    ).where(DigitalFact.fact == fact, DigitalFact.observed_on <= on).subquery()
    return select(ranked.c.person_id, ranked.c.value).where(ranked.c.rank == 1)


def holders(fact: str, on: dt.date, minimum: int = 1) -> Select[int]:
    """Select the ids of people whose latest record of a fact, on or before a day, is at least `minimum`."""
    latest = latest_values(fact, on).subquery()
    return select(latest.c.person_id.label("person_id")).where(latest.c.value >= minimum)


def summary(people_ids: Iterable[int], on: dt.date | None = None) -> dict[int, dict[str, int]]:
    """Return each person's latest value of every fact (for a list of people), with one query per fact."""
    ids = list(people_ids)
    found: dict[int, dict[str, int]] = {pid: {} for pid in ids}
    if not ids:
        return found
    day = on or local_today()
    for code in FACTS:
        latest = latest_values(code, day).subquery()
        for person_id, value in db.session.execute(select(latest).where(latest.c.person_id.in_(ids))):
            found[person_id][code] = value
    return found


# --- added for the person's page, the data export and erasure ---------------------------------------------------

def overview(person: Person) -> tuple[dict[str, DigitalFact], list[DigitalFact]]:
    """Return the latest record of each fact and the whole history (newest first), with who recorded each, in one
    query."""
    from sqlalchemy.orm import joinedload

    rows = list(db.session.scalars(
        select(DigitalFact).where(DigitalFact.person_id == person.id)
        .options(joinedload(DigitalFact.recorded_by))
        .order_by(DigitalFact.observed_on.desc(), DigitalFact.id.desc())
    ))
    latest: dict[str, DigitalFact] = {}
    for row in rows:
        latest.setdefault(row.fact, row)
    return latest, rows


def value_label(fact: str, value: int) -> str:
    """Name a recorded value in words ("Có", "Mức 2"); an unknown fact or value shows as the number."""
    known = FACTS.get(fact)
    label = known.values.get(value) if known else None
    return str(label) if label is not None else str(value)


def forget(person: Person) -> int:
    """Delete every fact recorded about a person (their erasure); return how many were deleted."""
    result = db.session.execute(delete(DigitalFact).where(DigitalFact.person_id == person.id)
                                .execution_options(synchronize_session=False))
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def summary_of(people_ids: Select[int], on: dt.date | None = None) -> dict[int, dict[str, int]]:
    """Return the latest value of every fact for the people a query selects (one column of ids), in one statement
    (for long lists, where `summary`'s bound id lists grow with the list)."""
    day = on or local_today()
    ranked = select(
        DigitalFact.person_id, DigitalFact.fact, DigitalFact.value,
        func.row_number().over(partition_by=(DigitalFact.person_id, DigitalFact.fact),
                               order_by=(DigitalFact.observed_on.desc(), DigitalFact.id.desc())).label("rank"),
    ).where(DigitalFact.observed_on <= day, DigitalFact.person_id.in_(people_ids)).subquery()
    found: dict[int, dict[str, int]] = {}
    for person_id, fact, value in db.session.execute(
            select(ranked.c.person_id, ranked.c.fact, ranked.c.value).where(ranked.c.rank == 1)):
        found.setdefault(person_id, {})[fact] = value
    return found


def record_vneid_login(person: Person, level: int | None, *, today: dt.date | None = None) -> DigitalFact | None:
    """After a VNeID sign-in at an assurance level (1 or 2), record that level as seen today (source "vneid").

    Quietly does nothing without the person's consent, for an unknown level, or when a record already shows that
    level or a higher one: a sign-in must never fail because of this.
    """
    if level not in (1, 2) or not may_record(person):
        return None
    latest = current(person).get("vneid")
    if latest is not None and latest.value >= level:
        return None
    return record(person, "vneid", level, observed_on=today or local_today(), source="vneid", actor=person,
                  reference="vneid:login")


identity.SIGN_IN_HOOKS.append(lambda person, verified: record_vneid_login(person, verified.assurance_level))
