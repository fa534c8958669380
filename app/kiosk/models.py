"""Kiosk settings: how long a shared tablet waits, without a touch, before it signs a learner out."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db, utcnow
from app.policy import Scope


class KioskSettings(db.Model):
    """A commune's idle times for its shared tablets, in seconds (shown to officers in minutes)."""

    __tablename__ = "kiosk_settings"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    lesson_idle_seconds: Mapped[int]  # while a lesson (reading, listening) or a quiz question is on screen
    idle_seconds: Mapped[int]  # on every other page
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)
