"""What the markets feature holds about a person, for their right of access and for erasure."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from app.extensions import db
from app.markets.models import Market, Stall
from app.markets.services import FACTS
from app.people import rights
from app.people.models import Person


@rights.data_section("market_stalls")
def stalls(person: Person) -> list[dict[str, Any]]:
    """Every stall the person is linked to as its trader, with its 4T facts as last checked."""
    rows = db.session.execute(select(Stall, Market.name).join(Market, Market.id == Stall.market_id)
                              .where(Stall.trader_id == person.id).order_by(Market.name, Stall.label))
    return [{"market": name, "stall": s.label, "goods": s.goods, "business_name": s.business_name,
             "platforms": s.platform_codes,
             **{code: {"value": getattr(s, code), "checked_on": rights.iso(getattr(s, f"{code}_on"))}
                for code in FACTS}} for s, name in rows]


@rights.on_erasure
def forget_trader(person: Person, actor: Person | None) -> None:
    """Unlink the person from their stalls (the stalls stay, as the market's) and forget who checked stalls."""
    db.session.execute(update(Stall).where(Stall.trader_id == person.id)
                       .values(trader_id=None).execution_options(synchronize_session="fetch"))
    for code in FACTS:
        column = getattr(Stall, f"{code}_by_id")
        db.session.execute(update(Stall).where(column == person.id).values({column: None})
                           .execution_options(synchronize_session="fetch"))
    db.session.flush()

