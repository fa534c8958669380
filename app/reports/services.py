"""The commune's numbers as the officer keeps them: targets (with history), populations, hand-entered figures, tasks.

Every function checks its input against the domain's rules and raises DomainError with a message for the officer
before it writes anything; none commits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db, utcnow
from app.indicators import POPULATION_LABELS, REGISTRY, Indicator, Period, Population
from app.people import breakdowns
from app.people.models import Person
from app.places.models import Commune, Village
from app.reports.models import Denominator, ManualFigure, ReportSettings, Target, TargetChange, Task

TASK_STATUSES = {
    "not_started": _l("Chưa thực hiện"),
    "in_progress": _l("Đang thực hiện"),
    "done": _l("Đã hoàn thành"),
}
MAX_COUNT = 10_000_000  # more than any commune's population: a typo, not a figure


def indicator(code: str) -> type[Indicator]:
    """The registered indicator with this code, or a DomainError naming it."""
    try:
        return REGISTRY[code]
    except KeyError:
        raise DomainError(_l("Không có chỉ tiêu mã %(code)s.", code=code), field="indicator") from None


def _village_of(commune: Commune, village: Village | None) -> int | None:
    if village is not None and village.commune_id != commune.id:
        raise DomainError(_l("Thôn này không thuộc xã."), field="village")
    return village.id if village else None


def _check_year(year: int, today: dt.date) -> None:
    if not 2020 <= year <= today.year + 5:
        raise DomainError(_l("Năm %(year)s không hợp lệ.", year=year), field="year")


# --- targets -----------------------------------------------------------------------------------------------------

def set_target(commune: Commune, village: Village | None, year: int, code: str, value: float | None, *,
               actor: Person, today: dt.date) -> Target | None:
    """Set (or, with None, remove) a yearly target, keeping the change in the history."""
    chosen = indicator(code)
    village_id = _village_of(commune, village)
    _check_year(year, today)
    if value is not None:
        if value < 0:
            raise DomainError(_l("Mục tiêu không được âm."), field="value")
        if chosen.population is not None and value > 100:
            raise DomainError(_l("Mục tiêu là tỷ lệ phần trăm: không quá 100 %."), field="value")
        if chosen.population is None and value > MAX_COUNT:
            raise DomainError(_l("Mục tiêu quá lớn."), field="value")
    target = db.session.scalar(select(Target).where(
        Target.commune_id == commune.id, Target.year == year, Target.indicator == code,
        Target.village_id.is_(None) if village_id is None else Target.village_id == village_id))
    old = target.value if target else None
    if old == value:
        return target
    db.session.add(TargetChange(commune_id=commune.id, village_id=village_id, year=year, indicator=code,
                                old_value=old, new_value=value, by_id=actor.id))
    if value is None:
        if target is not None:
            db.session.delete(target)
        db.session.flush()
        return None
    if target is None:
        target = Target(commune_id=commune.id, village_id=village_id, year=year, indicator=code)
        db.session.add(target)
    target.value, target.set_by_id, target.set_at = value, actor.id, utcnow()
    db.session.flush()
    return target


def target_history(commune: Commune, year: int, limit: int = 50) -> list[TargetChange]:
    """The latest changes to the year's targets, newest first."""
    return list(db.session.scalars(select(TargetChange).where(TargetChange.commune_id == commune.id,
                                                              TargetChange.year == year)
                                   .order_by(TargetChange.at.desc(), TargetChange.id.desc()).limit(limit)))


# --- populations (denominators) --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PopulationEntry:
    """One population figure to record: where, which year, which kind, how many, and where it came from."""

    village: Village | None
    year: int
    kind: Population
    value: int
    source: str


def check_population(commune: Commune, entry: PopulationEntry, today: dt.date) -> None:
    """Refuse a population figure that cannot be right (smaller than the people the app already counts there)."""
    _village_of(commune, entry.village)
    _check_year(entry.year, today)
    if entry.value < 0 or entry.value > MAX_COUNT:
        raise DomainError(_l("Số liệu dân số không hợp lệ."), field="value")
    known = breakdowns.known_population(commune.id, entry.village.id if entry.village else None, entry.year)
    if entry.value < known[entry.kind.value]:
        raise DomainError(_l("Số %(kind)s (%(value)s) nhỏ hơn số người đã có trong hệ thống ở đây (%(known)s). "
                             "Vui lòng kiểm tra lại.", kind=str(POPULATION_LABELS[entry.kind]).lower(),
                             value=entry.value, known=known[entry.kind.value]), field="value")


def set_population(commune: Commune, entry: PopulationEntry, *, actor: Person, today: dt.date) -> Denominator:
    """Record a population for a village (or the whole commune) and year, replacing the earlier figure."""
    check_population(commune, entry, today)
    village_id = entry.village.id if entry.village else None
    row = db.session.scalar(select(Denominator).where(
        Denominator.commune_id == commune.id, Denominator.year == entry.year, Denominator.kind == entry.kind.value,
        Denominator.village_id.is_(None) if village_id is None else Denominator.village_id == village_id))
    if row is None:
        row = Denominator(commune_id=commune.id, village_id=village_id, year=entry.year, kind=entry.kind.value)
    # Filled before it joins the session: reading an expired actor's id would flush a new row still without a value.
    row.value, row.source, row.entered_by_id = entry.value, entry.source.strip()[:200], actor.id
    db.session.add(row)
    db.session.flush()
    return row


def populations(commune: Commune, year: int) -> list[Denominator]:
    """The populations recorded for the year, the commune's own first, then by village."""
    return list(db.session.scalars(select(Denominator).where(Denominator.commune_id == commune.id,
                                                             Denominator.year == year)
                                   .order_by(Denominator.village_id.is_not(None), Denominator.village_id,
                                             Denominator.kind)))


# --- hand-entered figures ------------------------------------------------------------------------------------

def enter_figure(commune: Commune, village: Village | None, code: str, period: Period, value: int | None, *,
                 note: str, actor: Person, today: dt.date) -> ManualFigure | None:
    """Enter (or, with None, clear) a figure the app cannot see, for a period that has begun."""
    chosen = indicator(code)
    if not chosen.manual:
        raise DomainError(_l("Chỉ tiêu này được tính từ dữ liệu của hệ thống, không nhập tay."), field="indicator")
    village_id = _village_of(commune, village)
    if not period.started(today):
        raise DomainError(_l("Kỳ %(period)s chưa bắt đầu: chưa thể nhập số liệu.", period=period.label()),
                          field="period")
    if value is not None and not 0 <= value <= MAX_COUNT:
        raise DomainError(_l("Số liệu không hợp lệ."), field="value")
    row = db.session.scalar(select(ManualFigure).where(
        ManualFigure.commune_id == commune.id, ManualFigure.indicator == code, ManualFigure.year == period.year,
        ManualFigure.quarter == period.quarter,
        ManualFigure.village_id.is_(None) if village_id is None else ManualFigure.village_id == village_id))
    if value is None:
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        return None
    if row is None:
        row = ManualFigure(commune_id=commune.id, village_id=village_id, indicator=code, year=period.year,
                           quarter=period.quarter)
    # Filled before it joins the session (see set_population).
    row.value, row.note, row.entered_by_id = value, note.strip()[:255], actor.id
    row.entered_at = utcnow()
    db.session.add(row)
    db.session.flush()
    return row


def entered_figures(commune: Commune, period: Period) -> list[ManualFigure]:
    """What was entered by hand for exactly this period, with who entered it."""
    return list(db.session.scalars(select(ManualFigure).where(
        ManualFigure.commune_id == commune.id, ManualFigure.year == period.year,
        ManualFigure.quarter == period.quarter).order_by(ManualFigure.indicator, ManualFigure.village_id)))


# --- the task table --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TaskFields:
    """What the officer writes about a task."""

    title: str
    responsible: str
    deadline: dt.date | None
    deadline_text: str
    status: str
    result: str


def save_task(commune: Commune, task: Task | None, fields: TaskFields, *, year: int, actor: Person) -> Task:
    """Add a task to the year's table, or change one."""
    if not fields.title.strip():
        raise DomainError(_l("Vui lòng nhập tên nhiệm vụ."), field="title")
    if fields.status not in TASK_STATUSES:
        raise DomainError(_l("Trạng thái không hợp lệ."), field="status")
    if task is None:
        count = db.session.scalar(select(func.count()).select_from(Task).where(Task.commune_id == commune.id,
                                                                                    Task.year == year)) or 0
        task = Task(commune_id=commune.id, year=year, position=count + 1)
        db.session.add(task)
    elif task.commune_id != commune.id:
        raise DomainError(_l("Nhiệm vụ không thuộc xã này."))
    task.title, task.responsible = fields.title.strip()[:300], fields.responsible.strip()[:200]
    task.deadline, task.deadline_text = fields.deadline, fields.deadline_text.strip()[:100]
    task.status, task.result, task.updated_by_id = fields.status, fields.result.strip(), actor.id
    db.session.flush()
    return task


def tasks(commune: Commune, year: int) -> list[Task]:
    """The year's task table in its order."""
    return list(db.session.scalars(select(Task).where(Task.commune_id == commune.id, Task.year == year)
                                   .order_by(Task.position, Task.id)))


def overdue(task: Task, today: dt.date) -> bool:
    """A task past its deadline and not done."""
    return task.deadline is not None and task.deadline < today and task.status != "done"


# --- settings --------------------------------------------------------------------------------------------------

def settings_for(commune_id: int) -> ReportSettings:
    """The commune's reporting settings (defaults until the officer saves some; nothing is written here)."""
    return db.session.get(ReportSettings, commune_id) or ReportSettings(
        commune_id=commune_id, unit_year_deadline="12-05", commune_year_deadline="12-10", quarter_days=5,
        recipient="", plan_reference="", signer_lines="", signer_name="")

