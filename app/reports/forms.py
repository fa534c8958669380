"""Forms for keeping the commune's numbers: targets, populations, hand-entered figures, tasks, settings and units."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.forms import CleanForm, choices
from app.indicators import POPULATION_LABELS, Indicator

NEED_NUMBER = _l("Vui lòng nhập một số, ví dụ 85 hoặc 85,5.")
NEED_COUNT = _l("Vui lòng nhập một số nguyên không âm, ví dụ 1250.")
_COUNT = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$|^\d+$")


def _text(data: Any) -> str:
    """The field's text: what was typed, or the stored value shown when the field was not sent at all."""
    return "" if data is None else str(data).strip()


class NumberField(StringField):
    """A number typed the Vietnamese way ("85", "85,5"); empty is None. The number is in `.number` once validated."""

    number: float | None = None

    def pre_validate(self, form: Any) -> None:
        self.number = None
        text = _text(self.data).replace(" ", "")
        if not text:
            return
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise ValidationError(NEED_NUMBER) from None
        if not math.isfinite(value):
            raise ValidationError(NEED_NUMBER)
        self.number = value


class CountField(StringField):
    """A whole count typed as people write it ("1.250", "1 250", "1250"); empty is None, in `.number`."""

    number: int | None = None

    def pre_validate(self, form: Any) -> None:
        self.number = None
        text = _text(self.data)
        if not text:
            return
        if not _COUNT.match(text):
            raise ValidationError(NEED_COUNT)
        self.number = int(re.sub(r"[.\s]", "", text))


def number_text(value: float | None) -> str:
    """Show a stored target in the input as the officer would type it (85, 85,5)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


class PlainForm(CleanForm):
    """Only the CSRF token: buttons that post (deactivate a unit, add every village)."""


def place_choices(villages: Iterable[Any], whole: str) -> list[Any]:
    """The whole commune (value "") and each village, for a select."""
    return choices([("", whole), *((str(v.id), v.name) for v in villages)])


def targets_form(indicators: Iterable[type[Indicator]], **kwargs: Any) -> CleanForm:
    """A form with one target input per indicator (named `t_<code>`)."""

    class TargetsForm(CleanForm):
        pass

    for indicator in indicators:
        setattr(TargetsForm, f"t_{indicator.code}", NumberField(indicator.name, render_kw={"inputmode": "decimal"}))
    return TargetsForm(**kwargs)


def entries_form(indicators: Iterable[type[Indicator]], **kwargs: Any) -> CleanForm:
    """A form with a figure (`v_<code>`) and a note (`n_<code>`) per hand-entered indicator."""

    class EntriesForm(CleanForm):
        pass

    for indicator in indicators:
        setattr(EntriesForm, f"v_{indicator.code}", CountField(indicator.name, render_kw={"inputmode": "numeric"}))
        setattr(EntriesForm, f"n_{indicator.code}", StringField(_l("Ghi chú"), validators=[Length(max=255)]))
    return EntriesForm(**kwargs)


class PopulationForm(CleanForm):
    """One population figure for a village or the whole commune."""

    village = SelectField(_l("Nơi"), choices=[], validate_choice=False)
    kind = SelectField(_l("Loại"), choices=choices((k.value, v) for k, v in POPULATION_LABELS.items()))
    year = CountField(_l("Năm"), render_kw={"inputmode": "numeric"},
                      validators=[InputRequired(_l("Vui lòng nhập năm."))])
    value = CountField(_l("Số lượng"), validators=[InputRequired(NEED_COUNT)])
    source = StringField(_l("Nguồn số liệu"), validators=[Length(max=200)],
                         render_kw={"placeholder": _l("Số liệu dân số của Công an xã 01/2026")})


class TaskForm(CleanForm):
    """A row of the task table."""

    title = TextAreaField(_l("Nhiệm vụ"), validators=[InputRequired(_l("Vui lòng nhập tên nhiệm vụ.")),
                                                      Length(max=300)], render_kw={"rows": 3})
    responsible = StringField(_l("Đơn vị chủ trì"), validators=[Length(max=200)])
    deadline = DateField(_l("Thời hạn (ngày)"), validators=[Optional()])
    deadline_text = StringField(_l("Thời hạn (ghi bằng chữ)"), validators=[Length(max=100)],
                                render_kw={"placeholder": _l("Thường xuyên")})
    status = SelectField(_l("Trạng thái"), choices=[])
    result = TextAreaField(_l("Kết quả"), render_kw={"rows": 4})


class SettingsForm(CleanForm):
    """The commune's reporting calendar and report header."""

    unit_year_deadline = StringField(_l("Hạn các đơn vị nộp báo cáo năm cho xã (tháng-ngày)"),
                                     validators=[InputRequired(_l("Vui lòng nhập hạn."))],
                                     render_kw={"placeholder": "12-05", "inputmode": "numeric"})
    commune_year_deadline = StringField(_l("Hạn xã nộp báo cáo năm lên thành phố (tháng-ngày)"),
                                        validators=[InputRequired(_l("Vui lòng nhập hạn."))],
                                        render_kw={"placeholder": "12-10", "inputmode": "numeric"})
    quarter_days = CountField(_l("Báo cáo quý: nộp sau khi hết quý bao nhiêu ngày"),
                              render_kw={"inputmode": "numeric"},
                              validators=[InputRequired(_l("Vui lòng nhập một số."))])
    recipient = StringField(_l("Kính gửi"), validators=[Length(max=200)])
    plan_reference = StringField(_l("Căn cứ kế hoạch"), validators=[Length(max=300)])
    signer_lines = TextAreaField(_l("Dòng chức danh người ký (mỗi dòng một dòng)"), validators=[Length(max=200)],
                                 render_kw={"rows": 4})
    signer_name = StringField(_l("Họ tên người ký"), validators=[Length(max=120)])


class UnitForm(CleanForm):
    """A new reporting unit."""

    name = StringField(_l("Tên đơn vị"), validators=[InputRequired(_l("Vui lòng nhập tên đơn vị.")),
                                                      Length(max=160)])
    village = SelectField(_l("Thuộc thôn (nếu có)"), choices=[], validate_choice=False)
