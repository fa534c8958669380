"""Importing population figures from a spreadsheet (Thôn, Loại, Năm, Số lượng, Nguồn): checked whole, applied whole.

The upload, its size and encoding checks and the stored batch are `app.imports`'; this module brings the columns
and the rules. Every row is checked with `services.check_population`, the same rule as a figure typed on the page.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import vietnam
from app.errors import DomainError
from app.extensions import db
from app.imports import registry
from app.imports.registry import Preview, RowIssue
from app.imports.tabular import Column, Row
from app.indicators import POPULATION_LABELS, Population
from app.people.models import Person
from app.places.models import Commune, Village
from app.reports import services
from app.reports.models import Denominator

KIND = "populations"
COLUMNS = (
    Column("village", "Thôn", ("thôn/tổ dân phố", "tổ dân phố", "thôn, tổ dân phố", "village", "nơi"), required=True),
    Column("kind", "Loại", ("loại dân số", "đối tượng", "kind"), required=True),
    Column("year", "Năm", ("year",), required=True),
    Column("value", "Số lượng", ("số", "số liệu", "value", "count"), required=True),
    Column("source", "Nguồn", ("nguồn số liệu", "source")),
)
WHOLE_COMMUNE = {"toan xa", "ca xa", "toan phuong", "ca phuong", "toan dac khu", "xa", "phuong"}
_NUMBER = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$|^\d+$")


def parse_count(text: str) -> int:
    """Read a count as people write it ("1.250", "1 250", "1250"); raise ValueError otherwise."""
    text = (text or "").strip()
    if not _NUMBER.match(text):
        raise ValueError(text)
    return int(re.sub(r"[.,\s]", "", text))


def _kinds() -> dict[str, Population]:
    found = {}
    for kind, label in POPULATION_LABELS.items():
        found[vietnam.search_key(kind.value)] = kind
        found[vietnam.search_key(str(label))] = kind
    return found


@dataclass(frozen=True)
class Checked:
    """One row read: the entry it makes (None when it has problems), its problems, and the figure it replaces."""

    row: Row
    entry: services.PopulationEntry | None
    problems: list[str]
    replaces: int | None


def _read(row: Row, villages: dict[str, Village], kinds: dict[str, Population], today: Any) -> tuple[Any, list[str]]:
    v, problems = row.values, []
    place = vietnam.search_key(v.get("village", ""))
    village = None
    if not place:
        problems.append(_("thiếu tên thôn (ghi “Toàn xã” cho số liệu của cả xã)"))
    elif place not in WHOLE_COMMUNE:
        village = villages.get(place)
        if village is None:
            problems.append(_("thôn “%(v)s” chưa có trong xã", v=v.get("village", "")))
    kind = kinds.get(vietnam.search_key(v.get("kind", "")))
    if kind is None:
        problems.append(_("loại “%(v)s” không rõ (ví dụ: %(example)s)", v=v.get("kind", ""),
                          example=str(POPULATION_LABELS[Population.ADULTS])))
    year_text = (v.get("year") or "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if year is None:
        problems.append(_("năm “%(v)s” không hợp lệ (ghi 4 chữ số, ví dụ %(y)s)", v=year_text, y=today.year))
    try:
        value = parse_count(v.get("value", ""))
    except ValueError:
        value = None
        problems.append(_("số lượng “%(v)s” không phải một số nguyên", v=v.get("value", "")))
    source = " ".join((v.get("source") or "").split())
    if len(source) > 200:
        problems.append(_("nguồn dài quá 200 ký tự"))
    if problems:
        return None, problems
    return services.PopulationEntry(village, year, kind, value, source), problems  # type: ignore[arg-type]


def _check(commune: Commune, rows: list[Row]) -> Iterator[Checked]:
    """Read every row, check it against the domain's rule, and name duplicates and the figures they replace."""
    today = vietnam.local_today()
    villages = {vietnam.search_key(v.name): v for v in db.session.scalars(
        select(Village).where(Village.commune_id == commune.id))}
    kinds = _kinds()
    stored = {(d.village_id, d.year, d.kind): d.value for d in db.session.scalars(
        select(Denominator).where(Denominator.commune_id == commune.id))}
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        entry, problems = _read(row, villages, kinds, today)
        replaces = None
        if entry is not None:
            key = (entry.village.id if entry.village else None, entry.year, entry.kind.value)
            if key in seen:
                problems.append(_("trùng thôn, loại và năm với dòng %(n)s", n=seen[key]))
            seen.setdefault(key, row.number)
            try:
                services.check_population(commune, entry, today)
            except DomainError as error:
                problems.append(str(error.message))
            replaces = stored.get(key)
        yield Checked(row, None if problems else entry, problems, replaces)


def _place(checked: Checked) -> str:
    entry = checked.entry
    if entry is None:
        return checked.row.values.get("village", "")
    return entry.village.name if entry.village else _("Toàn xã")


def check(commune: Commune, rows: list[Row], _target: Any = None) -> Preview:
    """Check every row without writing anything; every row's outcome goes in the preview's sample."""
    preview = Preview(total=len(rows))
    for checked in _check(commune, rows):
        for problem in checked.problems:
            preview.issues.append(RowIssue(checked.row.number, problem))
        entry = checked.entry
        if entry is None:
            outcome = _("Lỗi: %(problems)s", problems="; ".join(checked.problems))
        elif checked.replaces is None:
            preview.ready += 1
            outcome = _("Số liệu mới")
        else:
            preview.ready += 1
            outcome = _("Thay số cũ %(old)s", old=checked.replaces)
        v = checked.row.values
        preview.sample.append({
            _("Dòng"): checked.row.number, _("Thôn"): _place(checked),
            _("Loại"): str(POPULATION_LABELS[entry.kind]) if entry else v.get("kind", ""),
            _("Năm"): entry.year if entry else v.get("year", ""),
            _("Số lượng"): entry.value if entry else v.get("value", ""),
            _("Nguồn"): entry.source if entry else v.get("source", ""), _("Kết quả"): outcome})
    return preview


def apply(commune: Commune, rows: list[Row], _target: Any, actor: Person | None) -> dict[str, int]:
    """Record every row's population (replacing earlier figures), or none if any row is wrong."""
    if actor is None:
        raise DomainError(_l("Cần biết ai nhập số liệu."))
    created = updated = 0
    today = vietnam.local_today()
    for checked in _check(commune, rows):
        if checked.entry is None:
            raise DomainError(_l("Tệp đã thay đổi so với lúc kiểm tra; hãy kiểm tra lại."))
        services.set_population(commune, checked.entry, actor=actor, today=today)
        if checked.replaces is None:
            created += 1
        else:
            updated += 1
    return {"created": created, "updated": updated}


registry.register(registry.ImportKind(
    code=KIND,
    label=_l("Nhập số liệu dân số"),
    action="reports.manage",
    columns=COLUMNS,
    check=check,
    apply=apply,
    done_url=lambda commune, _target: url_for("reports.populations", commune_id=commune.id),
    example=[["Thôn Đông", "Người trưởng thành (từ 18 tuổi)", "2026", "850", "Số liệu dân số của Công an xã 01/2026"],
             ["Toàn xã", "Hộ gia đình", "2026", "2.140", "Số liệu dân số của Công an xã 01/2026"]],
))
