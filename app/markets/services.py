"""The rules of markets and stalls: who trades where, the 4T facts of each stall, and each market's coverage."""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Integer, case, func, or_, select
from sqlalchemy.orm import selectinload

from app.digital import services as digital
from app.errors import DomainError
from app.extensions import db
from app.markets.models import Market, Stall
from app.people import services as people
from app.people.audiences import Audience
from app.people.models import Person, PersonTag
from app.places.models import Commune, Village
from app.text import clean_text
from app.vietnam import local_today

KINDS: dict[str, LazyString] = {
    "market": _l("Chợ"),
    "trade_point": _l("Điểm kinh doanh"),
    "street": _l("Tuyến phố kinh doanh"),
}
# Where a stall sells online (a registry: add a platform here, nowhere else).
PLATFORMS: dict[str, LazyString] = {
    "zalo": _l("Zalo"),
    "facebook": _l("Facebook"),
    "shopee": _l("Shopee"),
    "tiktok": _l("TikTok Shop"),
    "other": _l("Nền tảng khác"),
}
EARLIEST = dt.date(2000, 1, 1)
MAX_LABEL = 20


@dataclass(frozen=True)
class Fact:
    """One of the 4T facts the plans count for a stall."""

    code: str  # also the Stall column; `<code>_on` and `<code>_by_id` hold when and by whom it was last checked
    label: LazyString
    short: LazyString  # on a phone's toggle button


FACTS: dict[str, Fact] = {
    f.code: f
    for f in (
        Fact("qr_payment", _l("Nhận thanh toán bằng mã QR (VietQR)"), _l("QR")),
        Fact("online_sales", _l("Bán hàng trực tuyến"), _l("Bán online")),
        Fact("digital_savings", _l("Tiết kiệm số (gửi tiết kiệm trực tuyến)"), _l("Tiết kiệm số")),
        Fact("e_invoice", _l("Dùng hóa đơn điện tử"), _l("Hóa đơn điện tử")),
    )
}


# --- markets --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MarketFields:
    """What an officer enters about a market."""

    name: str
    kind: str
    village_id: int | None
    address: str = ""


def save_market(commune: Commune, fields: MarketFields, *, actor: Person | None,
                market: Market | None = None) -> Market:
    """Create or change a market of the commune; raise DomainError for a bad name, kind or village."""
    name = clean_text(fields.name)
    if len(name) < 2 or len(name) > 160:
        raise DomainError(_l("Vui lòng nhập tên chợ hoặc điểm kinh doanh (2 đến 160 ký tự)."), field="name")
    if fields.kind not in KINDS:
        raise DomainError(_l("Loại điểm kinh doanh không hợp lệ."), field="kind")
    village = None
    if fields.village_id:
        village = db.session.get(Village, fields.village_id)
        if village is None or village.commune_id != commune.id:
            raise DomainError(_l("Thôn đã chọn không thuộc xã này."), field="village_id")
    taken = db.session.scalar(select(Market.id).where(
        Market.commune_id == commune.id, func.lower(Market.name) == name.lower(),
        *([Market.id != market.id] if market is not None else [])))
    if taken is not None:
        raise DomainError(_l("Xã đã có “%(name)s”.", name=name), field="name")
    if market is None:
        market = Market(commune_id=commune.id)
        db.session.add(market)
    elif market.commune_id != commune.id:
        raise DomainError(_l("Chợ này thuộc xã khác."), field="name")
    market.name, market.kind, market.address = name, fields.kind, clean_text(fields.address)[:255]
    market.village_id = village.id if village else None
    people.audit(actor, None, "markets.save_market", name)
    db.session.flush()
    return market


def markets_in_reach(commune_id: int, village_ids: Collection[int] | None) -> list[Market]:
    """Return the commune's markets (those of the given villages and the commune-wide ones), by name."""
    stmt = select(Market).where(Market.commune_id == commune_id)
    if village_ids is not None:
        stmt = stmt.where(or_(Market.village_id.is_(None), Market.village_id.in_(list(village_ids))))
    return list(db.session.scalars(stmt.order_by(Market.name, Market.id)))


# --- coverage -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    """How many stalls a market (or the commune) has, and how many hold each 4T fact."""

    stalls: int
    counts: Mapping[str, int]

    def share(self, fact: str) -> int:
        """Return the whole percentage of stalls holding the fact (0 with no stalls)."""
        return round(100 * self.counts.get(fact, 0) / self.stalls) if self.stalls else 0


def coverage(commune_id: int, village_ids: Collection[int] | None = None, *,
             market_id: int | None = None) -> list[tuple[Market, Coverage]]:
    """Return each market in reach (or just one) with its coverage, in one GROUP BY query."""
    sums = [func.coalesce(func.sum(case((getattr(Stall, code).is_(True), 1), else_=0)), 0).cast(Integer)
            for code in FACTS]
    stmt = (select(Market, func.count(Stall.id), *sums).outerjoin(Stall, Stall.market_id == Market.id)
            .where(Market.commune_id == commune_id).group_by(Market.id).order_by(Market.name, Market.id)
            .options(selectinload(Market.village)))
    if village_ids is not None:
        stmt = stmt.where(or_(Market.village_id.is_(None), Market.village_id.in_(list(village_ids))))
    if market_id is not None:
        stmt = stmt.where(Market.id == market_id)
    return [(market, Coverage(total, dict(zip(FACTS, counts, strict=True))))
            for market, total, *counts in db.session.execute(stmt)]


def market_coverage(market: Market) -> Coverage:
    """Return one market's coverage."""
    found = coverage(market.commune_id, market_id=market.id)
    return found[0][1] if found else Coverage(0, dict.fromkeys(FACTS, 0))


def total(rows: Iterable[tuple[Market, Coverage]]) -> Coverage:
    """Add up the markets' coverage (a few rows already aggregated by the database)."""
    rows = list(rows)
    return Coverage(sum(c.stalls for _, c in rows), {f: sum(c.counts[f] for _, c in rows) for f in FACTS})


# --- stalls ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StallFields:
    """What is entered about a stall (the 4T facts go through `set_facts`)."""

    label: str
    goods: str = ""
    business_name: str = ""
    trader: Person | None = None


def clean_label(raw: str) -> str:
    """Return a stall label as stored: trimmed, one space, upper case ("a-05" and "A-05" are one stall)."""
    return clean_text(raw).upper()


def check_trader(market: Market, trader: Person) -> None:
    """Raise DomainError unless the person may be linked as a trader of a stall in the market."""
    if trader.commune_id != market.commune_id or trader.erased_at is not None:
        raise DomainError(_l("Người bán phải là người dân của xã này."), field="trader_id")
    if not digital.may_record(trader):
        raise DomainError(_l("%(name)s chưa đồng ý cho ghi nhận thông tin hỗ trợ kỹ năng số; hãy hỏi và ghi nhận "
                             "sự đồng ý trước khi gắn với quầy.", name=trader.full_name), field="trader_id")


def save_stall(market: Market, fields: StallFields, *, actor: Person | None, stall: Stall | None = None) -> Stall:
    """Create or change a stall of a market; raise DomainError (bad or duplicate label, a trader not allowed)."""
    label = clean_label(fields.label)
    if not label or len(label) > MAX_LABEL:
        raise DomainError(_l("Vui lòng nhập số quầy (tối đa %(max)s ký tự).", max=MAX_LABEL), field="label")
    if stall is not None and stall.market_id != market.id:
        raise DomainError(_l("Quầy này thuộc chợ khác."), field="label")
    taken = db.session.scalar(select(Stall.id).where(
        Stall.market_id == market.id, Stall.label == label, *([Stall.id != stall.id] if stall is not None else [])))
    if taken is not None:
        raise DomainError(_l("%(market)s đã có quầy số %(label)s.", market=market.name, label=label), field="label")
    if fields.trader is not None:
        check_trader(market, fields.trader)
    if stall is None:
        stall = Stall(market_id=market.id, market=market)
        db.session.add(stall)
    previous = stall.trader_id
    stall.label = label
    stall.goods = clean_text(fields.goods)[:120]
    stall.business_name = clean_text(fields.business_name)[:120]
    stall.trader_id = fields.trader.id if fields.trader is not None else None
    stall.trader = fields.trader
    if previous != stall.trader_id:
        if fields.trader is not None:
            people.audit(actor, fields.trader, "markets.link_trader", f"{market.name} / {label}")
        if previous is not None:
            people.audit(actor, db.session.get(Person, previous), "markets.unlink_trader", f"{market.name} / {label}")
    db.session.flush()
    return stall


def delete_stall(stall: Stall, *, actor: Person | None) -> None:
    """Remove a stall that no longer trades."""
    people.audit(actor, stall.trader, "markets.delete_stall", f"{stall.market.name} / {stall.label}")
    db.session.delete(stall)
    db.session.flush()


def _check_day(on: dt.date, today: dt.date | None) -> None:
    if on > (today or local_today()):
        raise DomainError(_l("Ngày kiểm tra không được ở tương lai."), field="checked_on")
    if on < EARLIEST:
        raise DomainError(_l("Ngày kiểm tra phải từ năm %(year)s.", year=EARLIEST.year), field="checked_on")


def set_facts(stall: Stall, values: Mapping[str, bool], *, on: dt.date, actor: Person | None,
              platforms: Collection[str] | None = None, today: dt.date | None = None) -> None:
    """Record what was checked at a stall on a day: each given 4T fact (and, for online sales, the platforms).

    Everything is checked before anything changes; a fact given is marked checked that day even when unchanged.
    """
    _check_day(on, today)
    for code, value in values.items():
        if code not in FACTS or not isinstance(value, bool):
            raise DomainError(_l("Thông tin 4T không hợp lệ."), field="fact")
    if platforms is not None and not set(platforms) <= set(PLATFORMS):
        raise DomainError(_l("Nền tảng bán hàng không hợp lệ."), field="platforms")
    for code, value in values.items():
        setattr(stall, code, value)
        setattr(stall, f"{code}_on", on)
        setattr(stall, f"{code}_by_id", actor.id if actor else None)
    if platforms is not None:
        stall.platforms = ",".join(code for code in PLATFORMS if code in platforms)
    if not stall.online_sales:
        stall.platforms = ""
    if stall.trader is not None:
        people.audit(actor, stall.trader, "markets.check_stall",
                     ", ".join(f"{code}={int(value)}" for code, value in values.items()))
    db.session.flush()


def toggle(stall: Stall, fact: str, *, actor: Person | None, today: dt.date | None = None) -> bool:
    """Flip one 4T fact of a stall from a phone (checked today); return its new value."""
    if fact not in FACTS:
        raise DomainError(_l("Thông tin 4T không hợp lệ."), field="fact")
    day = today or local_today()
    value = not getattr(stall, fact)
    set_facts(stall, {fact: value}, on=day, actor=actor, today=day)
    return value


def market_stalls(market: Market, *, missing: str | None = None) -> list[Stall]:
    """Return a market's stalls by label (with their traders, in one more query); `missing` keeps those without."""
    stmt = select(Stall).where(Stall.market_id == market.id).options(selectinload(Stall.trader))
    if missing in FACTS:
        stmt = stmt.where(getattr(Stall, missing).is_(False))
    # Numbers sort as numbers ("2" before "10"), then signs like "A-05" by text.
    return sorted(db.session.scalars(stmt), key=lambda s: (not s.label.isdigit(), len(s.label), s.label))


def trader_candidates(commune_id: int, village_ids: Collection[int] | None, *, keep: int | None = None,
                      limit: int = 500) -> list[Person]:
    """Return the people who may be picked as a stall's trader: the commune's residents marked as traders."""
    stmt = (select(Person).join(PersonTag, PersonTag.person_id == Person.id)
            .where(Person.commune_id == commune_id, Person.erased_at.is_(None), PersonTag.tag == Audience.TRADER.value))
    if village_ids is not None:
        stmt = stmt.where(Person.village_id.in_(list(village_ids)))
    found = list(db.session.scalars(stmt.order_by(Person.name_search, Person.id).limit(limit)))
    if keep is not None and all(p.id != keep for p in found) and (kept := db.session.get(Person, keep)):
        found.insert(0, kept)
    return found
