"""Stalls of a market from a CSV or Excel list (a market survey): every row checked before any is written.

No trader is linked from a file (linking a person needs their consent, checked one by one on the stall's form);
a stall already in the market is left as it is, so the same file can be applied again safely.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
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
from app.markets import services
from app.markets.models import Market, Stall
from app.people import services as people
from app.people.importer import YES
from app.people.models import Person
from app.places.models import Commune

NO = {"", "khong", "chua", "no", "n", "0", "false"}
COLUMNS = (
    Column("label", "Số quầy", ("quầy", "số", "stall", "number"), required=True),
    Column("goods", "Mặt hàng", ("hàng", "goods")),
    Column("business_name", "Tên cửa hàng", ("cửa hàng", "biển hiệu", "shop")),
    Column("qr_payment", "Nhận thanh toán QR", ("qr", "vietqr", "thanh toán qr")),
    Column("online_sales", "Bán hàng trực tuyến", ("bán online", "online")),
    Column("platforms", "Nền tảng", ("nền tảng bán hàng", "platforms")),
    Column("digital_savings", "Tiết kiệm số", ("tiết kiệm", "savings")),
    Column("e_invoice", "Hóa đơn điện tử", ("hóa đơn", "e-invoice")),
    Column("checked_on", "Ngày kiểm tra", ("ngày", "date")),
)
PLATFORM_NAMES = {vietnam.search_key(str(label)): code for code, label in services.PLATFORMS.items()} | {
    code: code for code in services.PLATFORMS} | {"tiktok shop": "tiktok", "khac": "other"}


def _yes_no(text: str, header: str, problems: list[str]) -> bool:
    key = vietnam.search_key(text or "")
    if key in YES:
        return True
    if key not in NO:
        problems.append(_("cột \"%(col)s\": \"%(v)s\" không hiểu (ghi Có hoặc Không)", col=header, v=text))
    return False


def _day(text: str, today: dt.date, problems: list[str]) -> dt.date:
    text = (text or "").strip()
    if not text:
        return today
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day > today:
            problems.append(_("ngày kiểm tra %(v)s ở tương lai", v=text))
        elif day < services.EARLIEST:
            problems.append(_("ngày kiểm tra %(v)s quá xa", v=text))
        return day
    problems.append(_("ngày kiểm tra \"%(v)s\" không hợp lệ (ghi ngày/tháng/năm)", v=text))
    return today


def _parse(row: Row, today: dt.date) -> tuple[dict[str, Any], list[str]]:
    v, problems = row.values, []
    label = services.clean_label(v.get("label", ""))
    if not label or len(label) > services.MAX_LABEL:
        problems.append(_("thiếu số quầy hoặc số quầy dài quá %(max)s ký tự", max=services.MAX_LABEL))
    facts = {col.key: _yes_no(v.get(col.key, ""), col.header, problems) for col in COLUMNS if col.key in services.FACTS}
    platforms = []
    for name in (p.strip() for p in (v.get("platforms") or "").replace(";", ",").split(",")):
        if not name:
            continue
        code = PLATFORM_NAMES.get(vietnam.search_key(name))
        if code is None:
            problems.append(_("nền tảng \"%(v)s\" không có trong danh sách", v=name))
        elif code not in platforms:
            platforms.append(code)
    if platforms and not facts["online_sales"]:
        facts["online_sales"] = True  # a stall that names where it sells online does sell online
    values = {"label": label, "goods": v.get("goods", "")[:120], "business_name": v.get("business_name", "")[:120],
              "facts": facts, "platforms": platforms, "checked_on": _day(v.get("checked_on", ""), today, problems)}
    return values, problems


def _classify(commune: Commune, market: Market, rows: list[Row],
              today: dt.date) -> Iterator[tuple[Row, dict[str, Any], list[str], bool]]:
    """Yield each row with its values, its problems and whether the market already has that stall."""
    if market.commune_id != commune.id:
        raise DomainError(_l("Danh sách này không dành cho xã đã chọn."))
    taken = set(db.session.scalars(select(Stall.label).where(Stall.market_id == market.id)))
    seen: dict[str, int] = {}
    for row in rows:
        values, problems = _parse(row, today)
        label = values["label"]
        if label and label in seen:
            problems.append(_("trùng số quầy với dòng %(n)s", n=seen[label]))
        seen.setdefault(label, row.number)
        yield row, values, problems, label in taken


def check(commune: Commune, rows: list[Row], market: Market) -> Preview:
    """Check every row without writing anything; stalls the market already has are counted, not changed."""
    preview = Preview(total=len(rows))
    for row, values, problems, exists in _classify(commune, market, rows, vietnam.local_today()):
        preview.issues.extend(RowIssue(row.number, problem) for problem in problems)
        if problems:
            continue
        if exists:
            preview.existing += 1
            continue
        preview.ready += 1
        if len(preview.sample) < 10:
            preview.sample.append({_("Dòng"): row.number, _("Số quầy"): values["label"],
                                   _("Mặt hàng"): values["goods"],
                                   _("Nhận thanh toán QR"): _("Có") if values["facts"]["qr_payment"] else _("Chưa")})
    return preview


def apply(commune: Commune, rows: list[Row], market: Market, actor: Person | None) -> dict[str, int]:
    """Add every new stall of the file with its 4T facts; stalls already there are left unchanged."""
    created = existing = 0
    today = vietnam.local_today()
    for _row, values, problems, exists in list(_classify(commune, market, rows, today)):
        if problems:
            raise DomainError(_l("Tệp đã thay đổi so với lúc kiểm tra; hãy kiểm tra lại."))
        if exists:
            existing += 1
            continue
        stall = services.save_stall(market, services.StallFields(values["label"], values["goods"],
                                                                 values["business_name"]), actor=actor)
        services.set_facts(stall, values["facts"], on=values["checked_on"], actor=actor,
                           platforms=values["platforms"], today=today)
        created += 1
    people.audit(actor, None, "markets.import", f"market={market.id} created={created}")
    return {"created": created, "existing": existing}


registry.register(registry.ImportKind(
    code="stalls",
    label=_l("Nhập danh sách quầy của chợ"),
    action="markets.manage",
    columns=COLUMNS,
    check=check,
    apply=apply,
    done_url=lambda _commune, market: url_for("markets.show", market_id=market.id),
    example=[["12", "Rau củ", "Rau sạch Trung Hòa", "Có", "Có", "Zalo, Facebook", "Không", "Không", "04/12/2026"]],
    load_target=lambda target_id: db.session.get(Market, target_id),
))
