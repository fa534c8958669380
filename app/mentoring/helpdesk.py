"""The commune office's help desk ("at least one person at the commune office helps citizens with online public
services"): each citizen helped is logged — anonymously, or as a known resident who consented to digital support —
and the month's entries are counted per service."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import indicators
from app.digital import services as digital
from app.errors import DomainError
from app.extensions import db
from app.indicators import AGE_BAND_LABELS
from app.mentoring import services
from app.mentoring.models import HelpdeskEntry
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune, Village
from app.text import clean_text
from app.vietnam import local_today

SERVICES = {
    "vneid": _l("Tài khoản định danh điện tử VNeID"),
    "public_service": _l("Nộp hồ sơ trên Cổng dịch vụ công"),
    "civil_status": _l("Khai sinh, khai tử, kết hôn trực tuyến"),
    "residence": _l("Đăng ký cư trú trực tuyến"),
    "payment": _l("Thanh toán trực tuyến (phí, lệ phí, điện, nước)"),
    "health": _l("Sức khỏe, bảo hiểm y tế, bảo hiểm xã hội (VssID)"),
    "other": _l("Việc khác"),
}


@dataclass(frozen=True)
class HelpdeskFields:
    """One help-desk entry as the officer typed it."""

    helped_on: dt.date
    service: str
    phone: str = ""
    age_band: str = ""
    village_id: int | None = None
    note: str = ""


def record(commune: Commune, helper: Person, fields: HelpdeskFields, *, client_id: str,
                    device_time: dt.datetime | None = None, today: dt.date | None = None) -> HelpdeskEntry:
    """Log a citizen helped at the commune office, or raise DomainError; a known resident needs their consent."""
    today = today or local_today()
    services.check_day(fields.helped_on, today, "helped_on")
    if fields.service not in SERVICES:
        raise DomainError(_l("Hãy chọn việc đã hỗ trợ."), field="service")
    note = clean_text(fields.note or "")
    if len(note) > services.NOTE_MAX:
        raise DomainError(_l("Ghi chú tối đa %(n)s ký tự.", n=services.NOTE_MAX), field="note")
    person = None
    age_band, village_id = fields.age_band, fields.village_id
    if fields.phone:
        digits = "".join(c for c in fields.phone if c.isdigit())
        person = db.session.scalar(select(Person).where(Person.phone == digits, Person.commune_id == commune.id,
                                                        Person.erased_at.is_(None)))
        if person is None:
            raise DomainError(_l("Không có người dân nào của xã với số điện thoại này; để trống để ghi ẩn danh."),
                              field="phone")
        if not digital.may_record(person):
            raise DomainError(_l("%(name)s chưa đồng ý cho ghi nhận việc hỗ trợ kỹ năng số; để trống số điện thoại "
                                 "để ghi ẩn danh.", name=person.full_name), field="phone")
        age_band, village_id = indicators.age_band(person.birth_year, today.year) or "", person.village_id
    if age_band and age_band not in AGE_BAND_LABELS:
        raise DomainError(_l("Nhóm tuổi không hợp lệ."), field="age_band")
    if village_id is not None and db.session.scalar(
            select(Village.id).where(Village.id == village_id, Village.commune_id == commune.id)) is None:
        raise DomainError(_l("Thôn không thuộc xã này."), field="village_id")
    entry = HelpdeskEntry(commune_id=commune.id, helper_id=helper.id, helped_on=fields.helped_on, person_id=(
        person.id if person else None), age_band=age_band, village_id=village_id, service=fields.service, note=note,
        client_id=client_id, device_time=device_time)
    db.session.add(entry)
    db.session.flush()
    if person is not None:
        people.audit(helper, person, "mentoring.helpdesk", fields.service)
    return entry


def month(commune_id: int, *, today: dt.date | None = None,
                   limit: int = 100) -> tuple[list[Any], dict[str, int]]:
    """This month's help-desk entries (newest first) and the count per service (GROUP BY)."""
    start, stop = services.month_of(today or local_today())
    helper = Person.__table__.alias("helper")
    where = (HelpdeskEntry.commune_id == commune_id, HelpdeskEntry.helped_on >= start, HelpdeskEntry.helped_on < stop)
    rows = list(db.session.execute(
        select(HelpdeskEntry.id, HelpdeskEntry.helped_on, HelpdeskEntry.service, HelpdeskEntry.age_band,
               HelpdeskEntry.note, Person.full_name.label("person"), Village.name.label("village"),
               helper.c.full_name.label("helper"))
        .outerjoin(Person, Person.id == HelpdeskEntry.person_id)
        .outerjoin(helper, helper.c.id == HelpdeskEntry.helper_id)
        .outerjoin(Village, Village.id == HelpdeskEntry.village_id)
        .where(*where).order_by(HelpdeskEntry.helped_on.desc(), HelpdeskEntry.id.desc()).limit(limit)
    ))
    counts = dict(db.session.execute(select(HelpdeskEntry.service, func.count()).where(*where)
                                     .group_by(HelpdeskEntry.service)).all())
    return rows, counts
