"""Saving a commune's reporting settings: the calendar its units report by, and the header its reports print."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.places.models import Commune
from app.reports.models import ReportSettings

MAX_QUARTER_DAYS = 60  # two months after a quarter ends is already the next quarter's report
MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")
LIMITS = {"recipient": 200, "plan_reference": 300, "signer_lines": 200, "signer_name": 120}


@dataclass(frozen=True)
class SettingsFields:
    """What the officer writes on the settings page."""

    unit_year_deadline: str  # MM-DD
    commune_year_deadline: str  # MM-DD
    quarter_days: int
    recipient: str
    plan_reference: str
    signer_lines: str  # one line of the signature block per line
    signer_name: str


def month_day(text: str, field: str) -> str:
    """Read "12-05" as a day every year has (29 February is refused: most years lack it); return it as MM-DD."""
    match = MONTH_DAY.match(text or "")
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            dt.date(2001, month, day)  # a year that is not a leap year
        except ValueError:
            pass
        else:
            return f"{month:02d}-{day:02d}"
    raise DomainError(_l("Ghi hạn theo dạng tháng-ngày có thật, ví dụ 12-05 (ngày 05 tháng 12)."), field=field)


def _lines(text: str) -> str:
    """Keep the signature block's lines, trimmed, without blank ones."""
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def save_settings(commune: Commune, fields: SettingsFields, actor: Person) -> ReportSettings:
    """Check and store the commune's reporting settings (created on first save)."""
    unit_deadline = month_day(fields.unit_year_deadline, "unit_year_deadline")
    commune_deadline = month_day(fields.commune_year_deadline, "commune_year_deadline")
    if not 0 <= fields.quarter_days <= MAX_QUARTER_DAYS:
        raise DomainError(_l("Số ngày sau khi hết quý phải từ 0 đến %(max)s.", max=MAX_QUARTER_DAYS),
                          field="quarter_days")
    texts = {"recipient": fields.recipient.strip(), "plan_reference": fields.plan_reference.strip(),
             "signer_lines": _lines(fields.signer_lines), "signer_name": fields.signer_name.strip()}
    for name, text in texts.items():
        if len(text) > LIMITS[name]:
            raise DomainError(_l("Tối đa %(max)d ký tự (bạn đã nhập %(length)d).", max=LIMITS[name],
                                 length=len(text)), field=name)
    settings = db.session.get(ReportSettings, commune.id)
    if settings is None:
        settings = ReportSettings(commune_id=commune.id)
        db.session.add(settings)
    settings.unit_year_deadline, settings.commune_year_deadline = unit_deadline, commune_deadline
    settings.quarter_days = fields.quarter_days
    settings.recipient, settings.plan_reference = texts["recipient"], texts["plan_reference"]
    settings.signer_lines, settings.signer_name = texts["signer_lines"], texts["signer_name"]
    settings.updated_by_id = actor.id
    db.session.flush()
    return settings
