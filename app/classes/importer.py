"""Bulk enrolment from a CSV or Excel list: match people already known or create them, then enrol everyone."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import vietnam
from app.classes import enrolment as enrolments
from app.classes.models import Class, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.imports import registry
from app.imports.registry import Preview, RowIssue
from app.imports.tabular import Column, Row
from app.people import names
from app.people import services as people
from app.people.importer import YES, _birth_year
from app.people.models import Person
from app.people.services import OLDEST_BIRTH_YEAR
from app.places.models import Commune, Village

COLUMNS = (
    Column("full_name", "Họ và tên", ("họ tên", "tên", "full name", "name"), required=True),
    Column("phone", "Số điện thoại", ("sđt", "điện thoại", "phone")),
    Column("birth_year", "Năm sinh", ("ngày sinh", "birth year", "year of birth")),
    Column("village", "Thôn/Tổ dân phố", ("thôn", "tổ dân phố", "thôn/xóm", "village")),
    Column("consent", "Đã đồng ý xử lý dữ liệu", ("đồng ý", "đã ký phiếu đồng ý", "consent"), required=True),
)


def _parse(row: Row, villages: dict[str, Village]) -> tuple[dict[str, Any], list[str]]:
    v, problems = row.values, []
    name = vietnam.clean_name(v.get("full_name", ""))
    if len(name) < 2:
        problems.append(_("thiếu họ và tên"))
    try:
        birth_year = _birth_year(v.get("birth_year", ""))
        if birth_year is not None and not OLDEST_BIRTH_YEAR <= birth_year <= datetime.now(UTC).year:
            problems.append(_("năm sinh %(y)s không hợp lệ", y=birth_year))
    except ValueError:
        birth_year = None
        problems.append(_("năm sinh \"%(v)s\" không hợp lệ (ghi 4 chữ số, ví dụ 1958)", v=v.get("birth_year")))
    try:
        phone = names.normalise_phone(v.get("phone"))
    except ValueError:
        phone = None
        problems.append(_("số điện thoại \"%(v)s\" không hợp lệ", v=v.get("phone")))
    village_text = v.get("village", "").strip()
    village = villages.get(vietnam.search_key(village_text)) if village_text else None
    if village_text and village is None:
        problems.append(_("thôn/tổ dân phố \"%(v)s\" chưa có trong xã", v=village_text))
    if vietnam.search_key(v.get("consent", "")) not in YES:
        problems.append(_("chưa có sự đồng ý xử lý dữ liệu cá nhân (cột \"Đã đồng ý xử lý dữ liệu\" ghi \"Có\")"))
    return {"full_name": name, "birth_year": birth_year, "phone": phone, "village": village}, problems


def _classify(commune: Commune, klass: Class, rows: list[Row]) -> Iterator[tuple[Row, dict[str, Any], list[str],
                                                                               Person | None]]:
    """Yield each row with its values, its problems and the person it names, when already known."""
    if klass.commune_id != commune.id:  # never match (and name) people of a commune the class is not in
        raise DomainError(_l("Danh sách này không dành cho xã đã chọn."))
    if klass.status not in enrolments.STAFF_ENROL_STATUSES:
        raise DomainError(_l("Lớp \"%(title)s\" không nhận ghi danh lúc này.", title=klass.title))
    villages = {vietnam.search_key(v.name): v for v in commune.villages}
    parsed = [(row, *_parse(row, villages)) for row in rows]
    phones = [p["phone"] for _r, p, _e in parsed if p["phone"]]
    by_phone = ({p.phone: p for p in db.session.scalars(select(Person).where(Person.phone.in_(phones)))}
                if phones else {})
    keys = {vietnam.search_key(p["full_name"]) for _r, p, _e in parsed}
    by_key = {(p.name_search, p.birth_year, p.village_id): p for p in db.session.scalars(
        select(Person).where(Person.commune_id == commune.id, Person.erased_at.is_(None),
                             Person.name_search.in_(keys)))}
    seen_phone: dict[str, int] = {}
    seen_key: dict[tuple[Any, ...], int] = {}
    for row, values, problems in parsed:
        key = (vietnam.search_key(values["full_name"]), values["birth_year"],
               values["village"].id if values["village"] else None)
        phone, person = values["phone"], None
        if phone and phone in by_phone:
            person = by_phone[phone]
            if person.commune_id != commune.id or person.erased_at is not None:
                problems.append(_("số điện thoại %(p)s thuộc một người không ở xã này", p=phone))
            elif person.name_search != key[0]:
                problems.append(_("số điện thoại %(p)s đã được dùng cho %(name)s", p=phone, name=person.full_name))
        else:
            person = by_key.get(key)
        if person is None and values["village"] is None and not problems:
            problems.append(_("người mới cần ghi thôn/tổ dân phố"))
        if phone and phone in seen_phone:
            problems.append(_("trùng số điện thoại với dòng %(n)s", n=seen_phone[phone]))
        elif key in seen_key:
            problems.append(_("trùng họ tên, năm sinh và thôn với dòng %(n)s", n=seen_key[key]))
        if phone:
            seen_phone.setdefault(phone, row.number)
        seen_key.setdefault(key, row.number)
        yield row, values, problems, None if problems else person


def _current(klass: Class) -> dict[int, str]:
    return dict(db.session.execute(select(Enrolment.person_id, Enrolment.status).where(
        Enrolment.class_id == klass.id)).all())  # type: ignore[arg-type]


def check(commune: Commune, rows: list[Row], klass: Class) -> Preview:
    """Check every row without writing anything; say who is new and who would wait for a seat."""
    preview = Preview(total=len(rows))
    current = _current(klass)
    free = klass.capacity - enrolments.enrolled_count(klass) - len(enrolments.waiting_list(klass))
    for row, values, problems, person in _classify(commune, klass, rows):
        for problem in problems:
            preview.issues.append(RowIssue(row.number, problem))
        if problems:
            continue
        if person is not None and current.get(person.id) in ("enrolled", "waitlisted"):
            preview.existing += 1
            continue
        preview.ready += 1
        free -= 1
        if len(preview.sample) < 10:
            preview.sample.append({_("Dòng"): row.number, _("Họ và tên"): values["full_name"],
                                   _("Năm sinh"): values["birth_year"] or "",
                                   _("Người"): _("đã có") if person else _("mới"),
                                   _("Kết quả"): _("ghi danh") if free >= 0 else _("danh sách chờ")})
    return preview


def apply(commune: Commune, rows: list[Row], klass: Class, actor: Person | None) -> dict[str, int]:
    """Enrol everyone in the file (creating newcomers, recording consent given on paper); known places are kept."""
    current = _current(klass)
    created = existing = waitlisted = enrolled = 0
    for _row, values, problems, person in list(_classify(commune, klass, rows)):
        if problems:
            raise DomainError(_l("Tệp đã thay đổi so với lúc kiểm tra; hãy kiểm tra lại."))
        if person is not None and current.get(person.id) in ("enrolled", "waitlisted"):
            existing += 1
            continue
        if person is None:
            person = people.create_person(commune=commune, full_name=values["full_name"],
                                          birth_year=values["birth_year"], village=values["village"],
                                          phone=values["phone"], created_by=actor)
            created += 1
        row = enrolments.enrol(klass, person, source="import", actor=actor, consent_method="paper")
        if row.status == "enrolled":
            enrolled += 1
        else:
            waitlisted += 1
    people.audit(actor, None, "class.import", f"class={klass.id} enrolled={enrolled} waitlisted={waitlisted}")
    return {"created": enrolled + waitlisted, "existing": existing, "enrolled": enrolled, "waitlisted": waitlisted,
            "new_people": created}


registry.register(registry.ImportKind(
    code="enrolments",
    label=_l("Ghi danh học viên từ danh sách"),
    action="classes.teach",
    columns=COLUMNS,
    check=check,
    apply=apply,
    done_url=lambda _commune, klass: url_for("classes.roster", class_id=klass.id),
    example=[["Nguyễn Thị Hương", "0912345678", "1958", "Thôn Đông", "Có"]],
    load_target=lambda target_id: db.session.get(Class, target_id),
))
