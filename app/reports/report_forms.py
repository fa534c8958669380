"""Forms for writing the movement's report: open one, write its sections and figures, confirm sending it."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import CleanForm, choices
from app.indicators import Indicator
from app.reports import writing

COMMUNE_CHOICE = "commune"  # the unit field's value for the commune's own report


class OpenReportForm(CleanForm):
    """Which unit's (or the commune's own) report to open, for which period."""

    unit = SelectField(_l("Báo cáo của"), validators=[DataRequired()])
    period = StringField(_l("Kỳ báo cáo (ví dụ 2026 hoặc 2026-Q3)"), validators=[DataRequired(), Length(max=10)])

    def set_units(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Offer the commune itself and its active units."""
        self.unit.choices = choices([(COMMUNE_CHOICE, _l("Ủy ban nhân dân xã (báo cáo của xã)")), *pairs])


class ReportForm(CleanForm):
    """The report's number; a text area per section and a figure per hand-entered indicator are added by
    `report_form` (the indicators are a registry, so the fields are known only when the routes load)."""

    number = StringField(_l("Số văn bản (ví dụ 12/BC-UBND; để trống nếu chưa có)"),
                         validators=[Optional(), Length(max=60)])

    def sections(self) -> dict[str, str]:
        """The sections' text by key."""
        return {s.key: self[s.key].data or "" for s in writing.SECTIONS}

    def entered(self) -> dict[str, str]:
        """The hand-entered figures by indicator code, as typed (the service checks them)."""
        return {name.removeprefix("figure-"): (field.data or "") for name, field in self._fields.items()
                if name.startswith("figure-")}


def report_form(manual: Iterable[type[Indicator]], **kwargs: object) -> ReportForm:
    """Build the report form with a text area per section and a field per hand-entered indicator."""

    class Bound(ReportForm):
        pass

    for section in writing.SECTIONS:
        setattr(Bound, section.key, TextAreaField(section.heading, validators=[
            Optional(), Length(max=writing.MAX_SECTION)], render_kw={"rows": 8}))
    for indicator in manual:
        # Text, not IntegerField: the service says which figure is wrong in Vietnamese, by its name.
        setattr(Bound, f"figure-{indicator.code}", StringField(indicator.name, validators=[
            Optional(), Length(max=12)], render_kw={"inputmode": "numeric"}))
    return Bound(**kwargs)  # type: ignore[arg-type]


class SubmitForm(CleanForm):
    """The confirmation of sending a report: it runs only when this hidden field came with it."""

    # No default: a request without the field (a forged post, an old button) must not count as confirmed.
    confirm = HiddenField()

    @property
    def confirmed(self) -> bool:
        """Tell whether the request came from the confirmation page."""
        return self.confirm.data == "yes"


class PlainForm(CleanForm):
    """A button that posts (a new version): the CSRF token only."""
