"""The commune dashboard's view-model: the year's goals, this year against last, villages, breakdowns and quarters.

Everything comes from `figures.figures` and `figures.breakdown` plus a fixed handful of statements (the villages,
populations and targets of villages without data, four quarters this year and last, the task table): the page costs
the same number of statements whatever the number of villages or people.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.indicators import (
    AGE_BAND_LABELS,
    DIMENSION_LABELS,
    REGISTRY,
    Dimension,
    Indicator,
    Key,
    Period,
    ordered,
    target_unit,
    unit_label,
)
from app.people import GENDERS
from app.people.audiences import LABELS as AUDIENCE_LABELS
from app.places.models import Commune, Village
from app.reports import charts, services
from app.reports import figures as numbers
from app.reports.figures import ALL, Figure, Place
from app.reports.models import Task
from app.vietnam import search_key

BROKEN_DOWN = ("basic_skills", "learners_trained")
BREAKDOWN_DIMENSIONS = (Dimension.AUDIENCE, Dimension.GENDER, Dimension.AGE_BAND)
# Dimensions whose groups add up to the total: one hidden cell there could be worked out from the others.
PARTITIONS = frozenset({Dimension.GENDER, Dimension.AGE_BAND})
HOUSEHOLD_VISITS = "door_to_door_households"
BEHIND_SHOWN = 3
FIRST_YEAR = 2025  # the movement's first plan year: the year picker starts there


@dataclass(frozen=True)
class Goal:
    """One indicator against the year's target, drawn and said in words."""

    figure: Figure
    chart: Markup
    state: str  # met | short | population | entry | target
    status: str


@dataclass(frozen=True)
class Cell:
    """One group of a breakdown: its count and how it is shown ("<5" for 1–4 people)."""

    label: str
    value: int
    hidden: bool

    @property
    def shown(self) -> str:
        return charts.SUPPRESSED if self.hidden else charts.number(self.value)


@dataclass(frozen=True)
class Breakdown:
    """One indicator by one dimension."""

    indicator: type[Indicator]
    dimension: Dimension
    title: str
    cells: list[Cell]
    chart: Markup


@dataclass(frozen=True)
class VillageLine:
    """A village's basic digital skills figure, and how far it is from its target."""

    village: Village
    figure: Figure
    target: float | None

    @property
    def hidden(self) -> bool:
        """1 to 4 people this year: written "<5", and no rate (with the population it would give the number)."""
        return numbers.suppressed(self.figure.value)

    @property
    def hidden_before(self) -> bool:
        return numbers.suppressed(self.figure.previous)

    @property
    def gap(self) -> float | None:
        rate = self.figure.rate
        return None if rate is None or self.target is None else max(round(self.target - rate, 1), 0.0)


@dataclass
class Dashboard:
    """Everything the dashboard page shows for one place (the commune or one village) and year."""

    commune: Commune
    period: Period
    village: Village | None
    villages: list[Village]  # the villages the viewer may pick
    figures: list[Figure]
    goals: list[Goal] = field(default_factory=list)
    compared: list[tuple[Figure, Markup]] = field(default_factory=list)
    by_village: list[VillageLine] = field(default_factory=list)
    village_chart: Markup = Markup("")
    village_by_rate: bool = False
    behind: list[VillageLine] = field(default_factory=list)
    households: Figure | None = None
    breakdowns: list[Breakdown] = field(default_factory=list)
    quarters: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    quarter_chart: Markup = Markup("")
    tasks: list[tuple[Task, bool]] = field(default_factory=list)


def year_choices(today: dt.date) -> list[int]:
    """The years the picker offers, newest first."""
    return list(range(today.year, min(FIRST_YEAR, today.year) - 1, -1))


def commune_villages(commune: Commune, allowed: set[int] | None) -> list[Village]:
    """The commune's villages the viewer may see (None: all), by name."""
    found = db.session.scalars(select(Village).where(Village.commune_id == commune.id).order_by(Village.id))
    # Sorted in Python: SQL collations put "Thôn Đông" after "Thôn Tây".
    return sorted((v for v in found if allowed is None or v.id in allowed), key=lambda v: search_key(v.name))


def goal(figure: Figure) -> Goal:
    """Draw an indicator against its target and say where it stands in plain words."""
    indicator = figure.indicator
    name = str(indicator.name)
    unit = target_unit(indicator)
    target_label = _("Mục tiêu (theo kế hoạch)") if figure.target_is_plan else _("Mục tiêu")
    if figure.missing_population:
        state, status = "population", _("Chưa có số dân để tính tỷ lệ")
        no_data = _("Chưa có số dân")
    elif figure.value is None:
        state, status, no_data = "entry", _("Chưa nhập số liệu"), _("Chưa nhập số liệu")
    elif not figure.target:
        state, status, no_data = "target", _("Chưa đặt mục tiêu"), charts.NO_DATA
    elif figure.met:
        state, status, no_data = "met", _("Đạt"), charts.NO_DATA
    else:
        gap = max((figure.target or 0) - (figure.measure or 0), 0)
        state, no_data = "short", charts.NO_DATA
        status = _("Chưa đạt: còn thiếu %(gap)s %(unit)s", gap=charts.number(gap), unit=unit)
    chart = charts.progress_bar(name, figure.measure, figure.target, unit=unit, target_label=target_label,
                                no_data_label=no_data)
    return Goal(figure, chart, state, status)


def group_label(dimension: Dimension, key: Key) -> str:
    if key is None:
        return _("Chưa rõ")
    labels: dict = {Dimension.AUDIENCE: AUDIENCE_LABELS, Dimension.GENDER: GENDERS,
                    Dimension.AGE_BAND: AGE_BAND_LABELS}[dimension]
    known = {str(k): v for k, v in labels.items()}
    return str(known.get(str(key), key))


def cells(dimension: Dimension, counts: dict[Key, int]) -> list[Cell]:
    """Every known group (zero where nobody), then "not recorded"; 1–4 people hidden, and one more cell hidden
    where a single hidden cell of a partition could be worked out from the total."""
    labels: dict = {Dimension.AUDIENCE: AUDIENCE_LABELS, Dimension.GENDER: GENDERS,
                    Dimension.AGE_BAND: AGE_BAND_LABELS}[dimension]
    keys: list[Key] = [str(k) for k in labels]
    keys += [k for k in counts if k is not None and str(k) not in keys]
    values = {str(k) if k is not None else None: n for k, n in counts.items()}
    if values.get(None):
        keys.append(None)
    rows = [(key, int(values.get(key, 0))) for key in keys]
    hidden = {key for key, n in rows if numbers.suppressed(n)}
    if dimension in PARTITIONS and len(hidden) == 1:
        others = sorted((n, i) for i, (key, n) in enumerate(rows) if n > 0 and key not in hidden)
        if others:
            hidden.add(rows[others[0][1]][0])
    return [Cell(group_label(dimension, key), n, key in hidden) for key, n in rows]


def breakdowns(commune: Commune, period: Period) -> list[Breakdown]:
    """The people indicators by audience, gender and age band, for the whole commune (one aggregate each)."""
    found = []
    for indicator in ordered(BROKEN_DOWN):
        for dimension in BREAKDOWN_DIMENSIONS:
            if dimension not in indicator.dimensions:
                continue
            rows = cells(dimension, numbers.breakdown(indicator, commune.id, period, dimension))
            title = _("%(indicator)s – %(dimension)s", indicator=str(indicator.name),
                      dimension=str(DIMENSION_LABELS[dimension]))
            chart = charts.bar_chart(title, [(c.label, c.value) for c in rows], unit=unit_label(indicator),
                                     suppressed=[c.label for c in rows if c.hidden],
                                     no_data_label=_("Chưa có số liệu"))
            found.append(Breakdown(indicator, dimension, title, rows, chart))
    return found


def quarters(commune: Commune, year: int, village: Village | None,
             today: dt.date) -> list[tuple[str, int | None, int | None]]:
    """Basic digital skills completed by each quarter's end, this year (quarters not begun: None) and last."""
    indicator = REGISTRY.get("basic_skills")
    if indicator is None:
        return []
    by = Dimension.VILLAGE if village is not None else None
    rows = []
    for q in range(1, 5):
        values: list[int | None] = []
        for period in (Period(year, q), Period(year - 1, q)):
            if not period.started(today):
                values.append(None)
                continue
            counts = indicator.count([commune.id], period, by)
            values.append(sum(n for (_c, key), n in counts.items() if village is None or key == village.id))
        rows.append((_("Quý %(q)s", q=("I", "II", "III", "IV")[q - 1]), values[0], values[1]))
    return rows


def build(commune: Commune, period: Period, village: Village | None, villages: list[Village],
          today: dt.date) -> Dashboard:
    """Assemble the dashboard for the commune (village None) or one village, for the year."""
    result = numbers.figures(commune.id, period)
    last = period.same_last_year()
    place: Place = ALL if village is None else village.id
    shown = result[place]
    if village is not None:  # a village without a target of its own works to the commune's
        commune_targets = {f.indicator.code: f for f in result[ALL]}
        shown = [f if f.target is not None else replace(f, target=commune_targets[f.indicator.code].target,
                                                         target_is_plan=commune_targets[f.indicator.code].target_is_plan)
                 for f in shown]
    board = Dashboard(commune, period, village, villages, shown)
    board.goals = [goal(f) for f in shown if f.target or f.indicator.population]
    for figure in shown:
        if figure.indicator.manual:
            continue
        name = str(figure.indicator.name)
        board.compared.append((figure, charts.bar_chart(
            name, [(name, figure.value)], unit=unit_label(figure.indicator), previous=[figure.previous],
            previous_label=_("Năm %(year)s", year=last.year), current_label=_("Năm %(year)s", year=period.year),
            no_data_label=_("Chưa có số liệu"))))
    by_code = {f.indicator.code: f for f in shown}
    board.households = by_code.get(HOUSEHOLD_VISITS)
    skills = REGISTRY.get("basic_skills")
    commune_target = next((f.target for f in result[ALL] if f.indicator.code == "basic_skills"), None)
    if skills is not None:
        for v in villages if village is None else [village]:
            figure = next(f for f in result[v.id] if f.indicator.code == "basic_skills")
            board.by_village.append(VillageLine(v, figure, figure.target or commune_target))
        board.village_by_rate = bool(board.by_village) and all(line.figure.population for line in board.by_village)
        unit = "%" if board.village_by_rate else unit_label(skills)
        items = [(line.village.name, line.figure.rate if board.village_by_rate else line.figure.value)
                 for line in board.by_village]
        before = [line.figure.previous_rate if board.village_by_rate else line.figure.previous
                  for line in board.by_village]
        board.village_chart = charts.bar_chart(
            _("Người trưởng thành hoàn thành kỹ năng số cơ bản theo thôn"), items, unit=unit, previous=before,
            suppressed={line.village.name for line in board.by_village if line.hidden or line.hidden_before},
            previous_label=_("Năm %(year)s", year=last.year), current_label=_("Năm %(year)s", year=period.year),
            no_data_label=_("Chưa có số liệu"))
        board.behind = sorted(board.by_village, key=_behind_key)[:BEHIND_SHOWN] if village is None else []
    if village is None:
        board.breakdowns = breakdowns(commune, period)
    board.quarters = quarters(commune, period.year, village, today)
    if board.quarters:
        board.quarter_chart = charts.year_line(
            _("Người hoàn thành kỹ năng số cơ bản, lũy kế đến cuối mỗi quý"),
            [(label, now) for label, now, _then in board.quarters],
            previous=[(label, then) for label, _now, then in board.quarters], unit=unit_label(skills),
            current_label=_("Năm %(year)s", year=period.year), previous_label=_("Năm %(year)s", year=last.year),
            no_data_label=_("Chưa có số liệu"))
    board.tasks = [(task, services.overdue(task, today)) for task in services.tasks(commune, period.year)]
    return board


def _behind_key(line: VillageLine) -> tuple[int, float, float]:
    """Furthest behind first: the largest gap to the target, then the lowest rate, then the fewest people."""
    gap = line.gap
    rate = line.figure.rate
    return (0 if gap is not None else 1 if rate is not None else 2, -(gap or 0.0),
            (rate if rate is not None else float(line.figure.value or 0)))


def download_headers() -> list[str]:
    return [_("Chỉ tiêu"), _("Đơn vị"), _("Năm nay"), _("Năm trước"), _("Dân số"), _("Tỷ lệ %"), _("Mục tiêu"),
            _("Nguồn")]


def download_rows(board: Dashboard) -> list[list[object]]:
    """The page's figures as spreadsheet rows, then the breakdowns (1–4 people written "<5")."""
    rows: list[list[object]] = []
    for f in board.figures:
        source = _("Nhập tay") if f.indicator.manual else _("Tính từ dữ liệu")
        rows.append([str(f.indicator.name), unit_label(f.indicator), f.value, f.previous, f.population, f.rate,
                     f.target, source])
    for b in board.breakdowns:
        for cell in b.cells:
            rows.append([f"{b.indicator.name} – {DIMENSION_LABELS[b.dimension]}: {cell.label}",
                         unit_label(b.indicator), cell.shown if cell.hidden else cell.value, None, None, None, None,
                         _("Tính từ dữ liệu")])
    return rows
