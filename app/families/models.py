"""A commune's rule for counting a household as a digital family."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db, utcnow
from app.policy import Scope


class FamilySettings(db.Model):
    """The rule a commune chose (`one_member` or `all_adults`); a commune without a row uses the default."""

    __tablename__ = "family_settings"
    __table_args__ = (CheckConstraint("rule IN ('one_member', 'all_adults')", name="rule_known"),)

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)
