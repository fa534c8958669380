"""An uploaded file waiting to be applied, kept in the database so any app process can apply it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db, utcnow
from app.policy import Scope


class ImportBatch(db.Model):
    """One uploaded file of a given kind, previewed and then applied once."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None]  # e.g. the class an enrolment file is for
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="previewed")
    applied_at: Mapped[datetime | None]
    summary: Mapped[dict | None] = mapped_column(JSON)  # type: ignore[type-arg]

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)
