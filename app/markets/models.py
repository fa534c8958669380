"""Markets and trade points of a commune, their stalls, and the 4T facts of each stall (the "Chợ số" model)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.people.models import Person
from app.places.models import Commune, Village
from app.policy import Scope


class Market(db.Model):
    """A market, a trading point or a shopping street of the commune (optionally in one village)."""

    __tablename__ = "markets"
    __table_args__ = (UniqueConstraint("commune_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20), default="market")  # services.KINDS
    address: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    commune: Mapped[Commune] = relationship()
    village: Mapped[Village | None] = relationship()

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)

    def __str__(self) -> str:
        return self.name


class Stall(db.Model):
    """A stall (or shop) of a market: what it sells, who trades there, and the 4T facts as last checked.

    The trader is either a linked resident (only with their consent to digital support) or just the business's
    display name; the 4T facts are the stall's current state, each with the day it was last checked and by whom.
    """

    __tablename__ = "stalls"
    # One label per market (it also serves the market page's list, sorted by label).
    __table_args__ = (UniqueConstraint("market_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(20))  # the stall's number or sign: "12", "A-05"
    goods: Mapped[str] = mapped_column(String(120), default="")
    business_name: Mapped[str] = mapped_column(String(120), default="")
    trader_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    # The 4T facts (services.FACTS): value, day last checked, who checked.
    qr_payment: Mapped[bool] = mapped_column(Boolean, default=False)
    qr_payment_on: Mapped[dt.date | None]
    qr_payment_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    online_sales: Mapped[bool] = mapped_column(Boolean, default=False)
    online_sales_on: Mapped[dt.date | None]
    online_sales_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    platforms: Mapped[str] = mapped_column(String(80), default="")  # codes of services.PLATFORMS, comma-separated
    digital_savings: Mapped[bool] = mapped_column(Boolean, default=False)
    digital_savings_on: Mapped[dt.date | None]
    digital_savings_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    e_invoice: Mapped[bool] = mapped_column(Boolean, default=False)
    e_invoice_on: Mapped[dt.date | None]
    e_invoice_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    market: Mapped[Market] = relationship()
    trader: Mapped[Person | None] = relationship(foreign_keys=[trader_id])

    @property
    def access_scope(self) -> Scope:
        return self.market.access_scope

    @property
    def platform_codes(self) -> list[str]:
        return [code for code in self.platforms.split(",") if code]

    def __str__(self) -> str:
        return self.label
