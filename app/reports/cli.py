"""`flask reports generate`: write the movement's report for a period as DOCX, PDF or XLSX from the command line."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.indicators import Period
from app.places.models import Commune, Village
from app.reports import compose, writing
from app.reports.models import Report, ReportingUnit
from app.vietnam import local_today, search_key

reports_cli = AppGroup("reports", help="The movement's reports (Bình dân học vụ số).")


def find_commune(code: str) -> Commune:
    """The commune with this official code (leading zeros optional), or a click error."""
    digits = code.strip()
    commune = db.session.scalar(select(Commune).where(Commune.code == (str(int(digits)) if digits.isdigit()
                                                                        else digits)))
    if commune is None:
        raise click.BadParameter(f"no commune with code {code!r} in this database", param_hint="--commune")
    return commune


def find_unit(commune: Commune, wanted: str) -> ReportingUnit:
    """The commune's reporting unit named (or whose village is named) as given, ignoring case and accents; or its id."""
    units = writing.units(commune.id, active_only=False)
    if wanted.strip().isdigit():
        chosen = [u for u in units if u.id == int(wanted)]
    else:
        key = search_key(wanted)
        villages = {v.id: v.name for v in db.session.scalars(select(Village).where(Village.commune_id == commune.id))}
        chosen = [u for u in units if search_key(u.name) == key] or \
            [u for u in units if u.village_id is not None and search_key(villages.get(u.village_id, "")) == key]
    if len(chosen) != 1:
        names = ", ".join(u.name for u in units) or "none"
        raise click.BadParameter(f"no single unit {wanted!r} in {commune.name} (its units: {names})",
                                 param_hint="--unit")
    return chosen[0]


def report_for(commune: Commune, unit: ReportingUnit | None, period: Period) -> Report:
    """The newest version of the period's report, or, when there is none, an unsaved draft with live figures."""
    found = writing.latest(commune.id, unit.id if unit else None, period)
    if found is not None:
        return found
    # Never added to the session: printing a report that was not started writes nothing.
    return Report(commune_id=commune.id, unit_id=unit.id if unit else None, unit=unit, year=period.year,
                  quarter=period.quarter, version=1, status="draft", number="", sections={}, entered={},
                  figures=None)


def _period(_ctx: click.Context, _param: click.Parameter, value: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a period: write a year (2026) or a quarter (2026-Q3)") from None


@reports_cli.command("generate")
@click.option("--commune", "commune_code", required=True, help="The commune's official code, e.g. 11791.")
@click.option("--period", required=True, callback=_period, help="A year (2026) or a quarter (2026-Q3).")
@click.option("--unit", default=None, help="A reporting unit's name or its village's name (default: the commune).")
@click.option("--format", "fmt", type=click.Choice(sorted(compose.WRITERS)), required=True, help="The file's format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="Where to write the file.")
def generate(commune_code: str, period: Period, unit: str | None, fmt: str, output: Path) -> None:
    """Write the newest version of a report for the period, as the web download gives it."""
    commune = find_commune(commune_code)
    chosen = find_unit(commune, unit) if unit else None
    report = report_for(commune, chosen, period)
    _document, body = compose.render(report, fmt, today=local_today())
    output.write_bytes(body)
    state = "submitted" if report.locked else ("unsaved draft" if report.id is None else "draft")
    click.echo(f"Wrote {output} ({len(body)} bytes): {period.code}, version {report.version}, {state}.")
