"""Importing and exporting a commune's people list (CSV or Excel, Vietnamese headers)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import vietnam
from app.errors import DomainError
from app.extensions import db
from app.imports import registry
from app.imports.registry import Preview, RowIssue
from app.imports.tabular import Column, Row
from app.people import names
from app.people.audiences import LABELS, Audience
from app.people.models import Consent, Household, Person, PersonTag
from app.people.services import GENDERS, OLDEST_BIRTH_YEAR, audit, parse_tag_labels
from app.places.models import Commune, Village

COLUMNS = (
    Column("full_name", "Họ và tên", ("họ tên", "tên", "full name", "name"), required=True),
    Column("birth_year", "Năm sinh", ("ngày sinh", "birth year", "year of birth")),
    Column("gender", "Giới tính", ("gender", "sex")),
    Column("phone", "Số điện thoại", ("sđt", "điện thoại", "phone")),
    Column("village", "Thôn/Tổ dân phố", ("thôn", "tổ dân phố", "thôn/xóm", "village"), required=True),
    Column("household", "Địa chỉ hộ", ("hộ gia đình", "địa chỉ", "household", "address")),
    Column("tags", "Đối tượng", ("nhóm đối tượng", "audience")),
    Column("consent", "Đã đồng ý xử lý dữ liệu", ("đồng ý", "đã ký phiếu đồng ý", "consent"), required=True),
)
YES = {"co", "x", "yes", "y", "1", "da dong y", "dong y", "true"}
_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](\d{4})$")
_GENDER_WORDS = {"nam": "male", "nu": "female", "khac": "other", "male": "male", "female": "female",
                 "other": "other"}


def _birth_year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text)
    if match:  # a full birth date: keep only the year (collect no more than needed)
        text = match.group(1)
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def _parse(row: Row, villages: dict[str, Village]) -> tuple[dict[str, Any], list[str]]:
    """Turn one row into clean values and a list of problems."""
    v, problems = row.values, []
    name = vietnam.clean_name(v.get("full_name", ""))
    if len(name) < 2:
        problems.append(_("thiếu họ và tên"))
    this_year = datetime.now(UTC).year
    try:
        birth_year = _birth_year(v.get("birth_year", ""))
        if birth_year is not None and not OLDEST_BIRTH_YEAR <= birth_year <= this_year:
            problems.append(_("năm sinh %(y)s không hợp lệ", y=birth_year))
    except ValueError:
        birth_year = None
        problems.append(_("năm sinh \"%(v)s\" không hợp lệ (ghi 4 chữ số, ví dụ 1958)", v=v.get("birth_year")))
    gender_text = vietnam.search_key(v.get("gender", ""))
    gender = _GENDER_WORDS.get(gender_text) if gender_text else None
    if gender_text and gender is None:
        problems.append(_("giới tính \"%(v)s\" không hợp lệ (Nam, Nữ hoặc Khác)", v=v.get("gender")))
    try:
        phone = names.normalise_phone(v.get("phone"))
    except ValueError:
        phone = None
        problems.append(_("số điện thoại \"%(v)s\" không hợp lệ", v=v.get("phone")))
    village = villages.get(vietnam.search_key(v.get("village", "")))
    if village is None:
        problems.append(_("thôn/tổ dân phố \"%(v)s\" chưa có trong xã", v=v.get("village", "")))
    try:
        tags = parse_tag_labels(v.get("tags", ""))
    except DomainError as error:
        tags = []
        problems.append(str(error.message))
    if vietnam.search_key(v.get("consent", "")) not in YES:
        problems.append(_("chưa có sự đồng ý xử lý dữ liệu cá nhân (cột \"Đã đồng ý xử lý dữ liệu\" ghi \"Có\")"))
    household = " ".join(v.get("household", "").split())[:255]
    return {"full_name": name, "birth_year": birth_year, "gender": gender, "phone": phone, "village": village,
            "tags": tags, "household": household}, problems


def _classify(commune: Commune, rows: list[Row]) -> Iterator[tuple[Row, dict[str, Any], list[str], bool]]:
    """Yield each row with its values, problems and whether the person is already known."""
    villages = {vietnam.search_key(v.name): v for v in commune.villages}
    parsed = [(row, *_parse(row, villages)) for row in rows]
    phones = [p["phone"] for _r, p, _e in parsed if p["phone"]]
    by_phone = ({p.phone: p for p in db.session.scalars(select(Person).where(Person.phone.in_(phones)))}
                if phones else {})
    keys = {vietnam.search_key(p["full_name"]) for _r, p, _e in parsed}
    known = {(p.name_search, p.birth_year, p.village_id) for p in db.session.scalars(
        select(Person).where(Person.commune_id == commune.id, Person.name_search.in_(keys)))}
    seen_phone: dict[str, int] = {}
    seen_key: dict[tuple[Any, ...], int] = {}
    for row, values, problems in parsed:
        existing = False
        key = (vietnam.search_key(values["full_name"]), values["birth_year"],
               values["village"].id if values["village"] else None)
        phone = values["phone"]
        if phone and phone in by_phone:
            if by_phone[phone].name_search == key[0]:
                existing = True
            else:
                problems.append(_("số điện thoại %(p)s đã được dùng cho một người khác", p=phone))
        elif key in known:
            existing = True
        if phone and phone in seen_phone:
            problems.append(_("trùng số điện thoại với dòng %(n)s", n=seen_phone[phone]))
        elif key in seen_key:
            problems.append(_("trùng họ tên, năm sinh và thôn với dòng %(n)s", n=seen_key[key]))
        if phone:
            seen_phone.setdefault(phone, row.number)
        seen_key.setdefault(key, row.number)
        yield row, values, problems, existing


def check(commune: Commune, rows: list[Row], _target: Any = None) -> Preview:
    """Check every row without writing anything."""
    preview = Preview(total=len(rows))
    for row, values, problems, existing in _classify(commune, rows):
        for problem in problems:
            preview.issues.append(RowIssue(row.number, problem))
        if problems:
            continue
        if existing:
            preview.existing += 1
            continue
        preview.ready += 1
        if len(preview.sample) < 10:
            preview.sample.append({_("Dòng"): row.number, _("Họ và tên"): values["full_name"],
                                   _("Năm sinh"): values["birth_year"] or "", _("Thôn"): values["village"].name})
    return preview


def apply(commune: Commune, rows: list[Row], _target: Any, actor: Person | None) -> dict[str, int]:
    """Create everyone new in the file, with their consent; people already known are left as they are."""
    households: dict[tuple[int, str], Household] = {
        (h.village_id, vietnam.search_key(h.address)): h
        for h in db.session.scalars(select(Household).where(Household.commune_id == commune.id))}
    version = current_app.config["CONSENT_POLICY_VERSION"]
    created = existing = 0
    for _row, values, problems, known in _classify(commune, rows):
        if problems:
            raise DomainError(_l("Tệp đã thay đổi so với lúc kiểm tra; hãy kiểm tra lại."))
        if known:
            existing += 1
            continue
        village = values["village"]
        household = None
        if values["household"]:
            hkey = (village.id, vietnam.search_key(values["household"]))
            household = households.get(hkey)
            if household is None:
                household = households[hkey] = Household(commune_id=commune.id, village_id=village.id,
                                                         address=values["household"])
                db.session.add(household)
        person = Person(full_name=values["full_name"], birth_year=values["birth_year"], gender=values["gender"],
                        phone=values["phone"], commune_id=commune.id, village_id=village.id, household=household,
                        created_by_id=actor.id if actor else None, tags=[PersonTag(tag=t) for t in values["tags"]])
        person.consents.append(Consent(purpose="learning", method="paper", policy_version=version,
                                       recorded_by_id=actor.id if actor else None,
                                       note=str(_l("Nhập từ danh sách"))))
        db.session.add(person)
        created += 1
    db.session.flush()
    audit(actor, None, "people.import", f"commune={commune.id} created={created} existing={existing}")
    return {"created": created, "existing": existing}


def export_rows(commune: Commune) -> tuple[list[str], Iterator[list[Any]]]:
    """Return headers and rows of a commune's people list, in the import's own format."""
    stmt = (select(Person).where(Person.commune_id == commune.id, Person.erased_at.is_(None))
            .options(selectinload(Person.village), selectinload(Person.household), selectinload(Person.consents))
            .order_by(Person.village_id, Person.name_search))

    def rows() -> Iterator[list[Any]]:
        for p in db.session.scalars(stmt):
            stored = sorted(Audience(t.tag) for t in p.tags)
            consented = any(c.purpose == "learning" and c.active for c in p.consents)
            yield [p.full_name, p.birth_year or "", str(GENDERS[p.gender]) if p.gender else "", p.phone or "",
                   p.village.name if p.village else "", p.household.address if p.household else "",
                   "; ".join(str(LABELS[a]) for a in stored), "Có" if consented else "Không"]

    return [c.header for c in COLUMNS], rows()


registry.register(registry.ImportKind(
    code="people",
    label=_l("Nhập danh sách người dân"),
    action="people.import",
    columns=COLUMNS,
    check=check,
    apply=apply,
    done_url=lambda commune, _target: url_for("people.index", commune_id=commune.id),
    example=[["Nguyễn Thị Hương", "1958", "Nữ", "0912345678", "Thôn Đông", "Số 12, xóm Giữa", "tiểu thương", "Có"]],
))
