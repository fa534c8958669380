"""Provinces, communes, villages and the venues where classes meet."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.policy import Scope


class Province(db.Model):
    """A province or centrally-run city, by its official code (since 1/7/2025)."""

    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    division_type: Mapped[str] = mapped_column(String(40))


class Commune(db.Model):
    """A commune, ward or special zone (xã, phường, đặc khu), by its official code."""

    __tablename__ = "communes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    division_type: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    province: Mapped[Province] = relationship()
    villages: Mapped[list[Village]] = relationship(
        back_populates="commune", order_by="Village.name", cascade="all, delete-orphan"
    )

    @property
    def access_scope(self) -> Scope:
        return Scope(self.id)

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.province.name}"

    def __str__(self) -> str:
        return self.name


class Village(db.Model):
    """A village or residential group (thôn, tổ dân phố) of a commune; no national code exists."""

    __tablename__ = "villages"
    __table_args__ = (UniqueConstraint("commune_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="thon")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commune: Mapped[Commune] = relationship(back_populates="villages")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.id)

    def __str__(self) -> str:
        return self.name


class Venue(db.Model):
    """A place classes meet, such as a village cultural house, with its accessibility facts."""

    __tablename__ = "venues"
    __table_args__ = (UniqueConstraint("commune_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(String(255), default="")
    capacity: Mapped[int] = mapped_column(default=30)
    tablets: Mapped[int] = mapped_column(default=0)
    wifi: Mapped[bool] = mapped_column(default=False)
    screen: Mapped[bool] = mapped_column(default=False)  # projector or large TV
    step_free: Mapped[bool] = mapped_column(default=False)
    accessible_toilet: Mapped[bool] = mapped_column(default=False)
    hearing_loop: Mapped[bool] = mapped_column(default=False)
    ground_floor: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commune: Mapped[Commune] = relationship()
    village: Mapped[Village | None] = relationship()

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)

    def __str__(self) -> str:
        return self.name
