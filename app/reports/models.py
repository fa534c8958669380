"""The commune's numbers: population figures, targets, figures entered by hand, the task table and reports."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.policy import Scope

# A commune-wide row has no village; SQL's NULL never equals NULL, so uniqueness per commune-or-village
# is enforced by two partial indexes each (one with a village, one without).


def _unique_where(name: str, columns: tuple[str, ...], village: bool) -> Index:
    condition = db.text("village_id IS NOT NULL" if village else "village_id IS NULL")
    return Index(name, *columns, unique=True, sqlite_where=condition, postgresql_where=condition)


class Denominator(db.Model):
    """How many people (or households) a village or the whole commune has in a year, and where that figure came from."""

    __tablename__ = "report_denominators"
    __table_args__ = (
        _unique_where("uq_report_denominators_village", ("commune_id", "village_id", "year", "kind"), True),
        _unique_where("uq_report_denominators_commune", ("commune_id", "year", "kind"), False),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))  # app.indicators.POPULATIONS
    value: Mapped[int]
    source: Mapped[str] = mapped_column(String(200), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)


class Target(db.Model):
    """A yearly target for one indicator, for the commune or one village (a rate in %, or a count)."""

    __tablename__ = "report_targets"
    __table_args__ = (
        _unique_where("uq_report_targets_village", ("commune_id", "village_id", "year", "indicator"), True),
        _unique_where("uq_report_targets_commune", ("commune_id", "year", "indicator"), False),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"))
    year: Mapped[int]
    indicator: Mapped[str] = mapped_column(String(40))
    value: Mapped[float]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)


class TargetChange(db.Model):
    """One change to a target, kept as its history (None: the plan's default, or removed)."""

    __tablename__ = "report_target_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"))
    year: Mapped[int]
    indicator: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[float | None]
    new_value: Mapped[float | None]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    by = relationship("Person")


class ManualFigure(db.Model):
    """A figure the app cannot see (articles published, adults with a smartphone …), entered for a period."""

    __tablename__ = "report_manual_figures"
    __table_args__ = (
        _unique_where("uq_report_manual_figures_village",
                      ("commune_id", "village_id", "indicator", "year", "quarter"), True),
        _unique_where("uq_report_manual_figures_commune", ("commune_id", "indicator", "year", "quarter"), False),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_0_to_4"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    quarter: Mapped[int] = mapped_column(default=0)  # 0: the whole year
    value: Mapped[int]
    note: Mapped[str] = mapped_column(String(255), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    entered_by = relationship("Person")

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)


class Task(db.Model):
    """A row of the plan's task table: what, which unit is responsible, by when, where it stands and its result."""

    __tablename__ = "report_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    responsible: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[dt.date | None]
    deadline_text: Mapped[str] = mapped_column(String(100), default="")  # "Thường xuyên", "Quý III" …
    status: Mapped[str] = mapped_column(String(20), default="not_started")  # services.TASK_STATUSES
    result: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)


class ReportingUnit(db.Model):
    """A unit that reports to the commune: a village, or a body such as the youth union or a school."""

    __tablename__ = "reporting_units"
    __table_args__ = (UniqueConstraint("commune_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.village_id)

    def __str__(self) -> str:
        return self.name


class ReportSettings(db.Model):
    """A commune's reporting calendar and the header its reports print."""

    __tablename__ = "report_settings"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    unit_year_deadline: Mapped[str] = mapped_column(String(5), default="12-05")  # MM-DD: units to the commune
    commune_year_deadline: Mapped[str] = mapped_column(String(5), default="12-10")  # MM-DD: commune to the city
    quarter_days: Mapped[int] = mapped_column(default=5)  # units' quarterly reports: days after the quarter ends
    recipient: Mapped[str] = mapped_column(String(200), default="")  # the commune's "Kính gửi"
    plan_reference: Mapped[str] = mapped_column(String(300), default="")  # "Kế hoạch số …/KH-UBND ngày …"
    signer_lines: Mapped[str] = mapped_column(String(200), default="")  # one per line
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id)


class Report(db.Model):
    """One version of a unit's (or the commune's) report for a quarter or a year: a draft, then submitted and locked."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("uq_reports_unit_version", "commune_id", "unit_id", "year", "quarter", "version", unique=True,
              sqlite_where=db.text("unit_id IS NOT NULL"), postgresql_where=db.text("unit_id IS NOT NULL")),
        Index("uq_reports_commune_version", "commune_id", "year", "quarter", "version", unique=True,
              sqlite_where=db.text("unit_id IS NULL"), postgresql_where=db.text("unit_id IS NULL")),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_0_to_4"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_units.id", ondelete="RESTRICT"))  # None: commune
    year: Mapped[int]
    quarter: Mapped[int] = mapped_column(default=0)  # 0: the whole year
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    number: Mapped[str] = mapped_column(String(60), default="")
    sections: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # section key -> text
    entered: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # hand-entered indicator code -> figure
    figures: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # frozen at submission
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    submitted_at: Mapped[dt.datetime | None]

    unit: Mapped[ReportingUnit | None] = relationship()
    submitted_by = relationship("Person", foreign_keys=[submitted_by_id])

    @property
    def access_scope(self) -> Scope:
        return Scope(self.commune_id, self.unit.village_id if self.unit else None)

    @property
    def locked(self) -> bool:
        return self.status == "submitted"
