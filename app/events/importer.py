"""A village's list of people signing up for an event (collected on paper by the village head or the youth union),
from a CSV or Excel file: every row checked before any is written, then each person registered once.

The file is for one event, chosen as the import's target (the imports page's `?target=<event id>`, linked from the
event's participants page), as an enrolment file is for one class. People already known are found again (by phone,
or by name, birth year and village); people already signed up are counted, not registered twice, so the same file
can be applied again. Consent was given on the paper form: a row that does not say so is refused.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import vietnam
from app.errors import DomainError
from app.events import services, signup
from app.events.models import Event, Participant
from app.extensions import db
from app.imports import registry
from app.imports.registry import Preview, RowIssue
from app.imports.tabular import Column, Row
from app.people import names
from app.people import services as people
from app.people.importer import YES
from app.people.models import Person
from app.people.services import OLDEST_BIRTH_YEAR
from app.places.models import Commune, Village

KIND = "event_signups"
NAME_MAX = 120
NO = {"", "khong", "chua", "no", "n", "0", "false"}
COLUMNS = (
    Column("full_name", "Họ và tên", ("họ tên", "tên", "full name", "name"), required=True),
    Column("birth_year", "Năm sinh", ("ngày sinh", "birth year", "year of birth"), required=True),
    Column("village", "Thôn/Tổ dân phố", ("thôn", "tổ dân phố", "thôn/xóm", "village"), required=True),
    Column("phone", "Số điện thoại", ("sđt", "điện thoại", "phone")),
    Column("consent", "Đã đồng ý", ("đồng ý", "đã đồng ý xử lý dữ liệu", "đã ký phiếu đồng ý", "consent"),
           required=True),
    Column("wants_class", "Muốn học lớp", ("muốn tham gia lớp học", "học lớp", "wants class")),
)


def _year(text: str, problems: list[str]) -> int | None:
    text = text.strip()
    if not text:
        problems.append(_("thiếu năm sinh"))
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        problems.append(_("năm sinh \"%(v)s\" không hợp lệ (ghi 4 chữ số, ví dụ 1958)", v=text))
        return None
    year = int(text)
    if not OLDEST_BIRTH_YEAR <= year <= datetime.now(UTC).year:
        problems.append(_("năm sinh %(y)s không hợp lệ", y=year))
        return None
    return year


def _parse(row: Row, villages: dict[str, Village]) -> tuple[dict[str, Any], list[str]]:
    v, problems = row.values, []
    name = vietnam.clean_name(v.get("full_name", ""))
    if len(name) < 2:
        problems.append(_("thiếu họ và tên"))
    elif len(name) > NAME_MAX:
        problems.append(_("họ và tên dài quá %(max)s ký tự", max=NAME_MAX))
    birth_year = _year(v.get("birth_year", ""), problems)
    village_text = v.get("village", "").strip()
    village = villages.get(vietnam.search_key(village_text))
    if not village_text:
        problems.append(_("thiếu thôn/tổ dân phố"))
    elif village is None:
        problems.append(_("thôn/tổ dân phố \"%(v)s\" chưa có trong xã", v=village_text))
    try:
        phone = names.normalise_phone(v.get("phone"))
    except ValueError:
        phone = None
        problems.append(_("số điện thoại \"%(v)s\" không hợp lệ", v=v.get("phone")))
    if vietnam.search_key(v.get("consent", "")) not in YES:
        problems.append(_("chưa có sự đồng ý tham gia (cột \"Đã đồng ý\" phải ghi \"Có\"); người chưa đồng ý thì "
                          "không ghi tên vào danh sách"))
    wants = vietnam.search_key(v.get("wants_class", ""))
    if wants not in YES and wants not in NO:
        problems.append(_("cột \"Muốn học lớp\": \"%(v)s\" không hiểu (ghi Có hoặc Không)", v=v.get("wants_class")))
    return {"full_name": name, "birth_year": birth_year, "village": village, "phone": phone,
            "wants_class": wants in YES}, problems


def _classify(commune: Commune, event: Event, rows: list[Row]) -> Iterator[tuple[Row, dict[str, Any], list[str],
                                                                               Person | None]]:
    """Yield each row with its values, its problems and the person of the commune it names, when already known."""
    if event.commune_id != commune.id:  # never match (and name) people of a commune the event is not in
        raise DomainError(_l("Danh sách này không dành cho xã đã chọn."))
    villages = {vietnam.search_key(v.name): v for v in commune.villages}
    parsed = [(row, *_parse(row, villages)) for row in rows]
    phones = [p["phone"] for _r, p, _e in parsed if p["phone"]]
    by_phone = ({p.phone: p for p in db.session.scalars(select(Person).where(Person.phone.in_(phones)))}
                if phones else {})
    keys = {vietnam.search_key(p["full_name"]) for _r, p, _e in parsed}
    by_key: dict[tuple[Any, ...], Person] = {}
    for found in db.session.scalars(select(Person).where(
            Person.commune_id == commune.id, Person.erased_at.is_(None), Person.name_search.in_(keys))
            .order_by(Person.id)):
        by_key.setdefault((found.name_search, found.birth_year, found.village_id), found)
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
        if phone and phone in seen_phone:
            problems.append(_("trùng số điện thoại với dòng %(n)s", n=seen_phone[phone]))
        elif key in seen_key:
            problems.append(_("trùng họ tên, năm sinh và thôn với dòng %(n)s", n=seen_key[key]))
        if phone:
            seen_phone.setdefault(phone, row.number)
        seen_key.setdefault(key, row.number)
        yield row, values, problems, None if problems else person


def _registered(event: Event) -> set[int]:
    return set(db.session.scalars(select(Participant.person_id).where(Participant.event_id == event.id)))


def _closed(event: Event, rows: list[Row]) -> list[RowIssue]:
    """A list for an event that is over is refused as a whole (named at the first row)."""
    if signup.state(event) != signup.PAST:
        return []
    return [RowIssue(rows[0].number if rows else 1,
                     _("hoạt động \"%(event)s\" đã diễn ra ngày %(day)s: không nhận thêm danh sách đăng ký trước",
                       event=event.name, day=vietnam.day(event.held_on)))]


def check(commune: Commune, rows: list[Row], event: Event) -> Preview:
    """Check every row without writing anything; say who is new, known, or already signed up."""
    preview = Preview(total=len(rows), issues=_closed(event, rows))
    registered = _registered(event)
    for row, values, problems, person in _classify(commune, event, rows):
        preview.issues.extend(RowIssue(row.number, problem) for problem in problems)
        if problems:
            continue
        if person is not None and person.id in registered:
            preview.existing += 1
            continue
        preview.ready += 1
        if len(preview.sample) < 10:
            preview.sample.append({_("Dòng"): row.number, _("Họ và tên"): values["full_name"],
                                   _("Năm sinh"): values["birth_year"], _("Thôn"): values["village"].name,
                                   _("Người"): _("đã có") if person else _("mới"),
                                   _("Muốn học lớp"): _("Có") if values["wants_class"] else _("Không")})
    return preview


def apply(commune: Commune, rows: list[Row], event: Event, actor: Person | None) -> dict[str, int]:
    """Register everyone in the file for the event (not arrived yet; consent given on paper)."""
    if _closed(event, rows):
        raise DomainError(_l("Hoạt động đã diễn ra; không nhận thêm danh sách đăng ký trước."))
    registered = _registered(event)
    created = existing = 0
    for _row, values, problems, _person in list(_classify(commune, event, rows)):
        if problems:
            raise DomainError(_l("Tệp đã thay đổi so với lúc kiểm tra; hãy kiểm tra lại."))
        participant = services.register_newcomer(
            event, services.Newcomer(full_name=values["full_name"], birth_year=values["birth_year"],
                                     village_id=values["village"].id, phone=values["phone"]),
            source="import", actor=actor, consent_method="paper", arrived=False, wants_class=values["wants_class"])
        if participant.person_id in registered:
            existing += 1
        else:
            registered.add(participant.person_id)
            created += 1
    people.audit(actor, None, "events.import", f"event={event.id} created={created} existing={existing}")
    return {"created": created, "existing": existing}


registry.register(registry.ImportKind(
    code=KIND,
    label=_l("Danh sách đăng ký tham gia của thôn"),
    action="events.manage",
    columns=COLUMNS,
    check=check,
    apply=apply,
    done_url=lambda _commune, event: url_for("events.participants", event_id=event.id),
    example=[["Nguyễn Thị Hương", "1958", "Thôn Đông", "0912345678", "Có", "Có"],
             ["Trần Văn Bình", "1950", "Thôn Đông", "", "Có", "Không"]],
    load_target=lambda target_id: db.session.get(Event, target_id),
))
