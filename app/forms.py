"""The base of every form, and form fields shared by several features."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.text import clean_text

# Where a field names no maximum of its own (columns are String(255); free text is Text, but not a book).
DEFAULT_MAX_LENGTH = 255
DEFAULT_MAX_TEXTAREA_LENGTH = 5000
TOO_LONG = _l("Tối đa %(max)d ký tự (bạn đã nhập %(length)d).")
TOO_SHORT = _l("Cần ít nhất %(min)d ký tự (bạn đã nhập %(length)d).")
OUT_OF_RANGE = _l("Cần từ %(min)d đến %(max)d ký tự (bạn đã nhập %(length)d).")
NEED_DATE = _l("Vui lòng nhập ngày (ngày/tháng/năm).")


def _clean_line(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _clean_lines(value: Any) -> Any:
    return clean_text(value, multiline=True) if isinstance(value, str) else value


def _vietnamese_length(validator: Length) -> Length:
    """Return the same length rule with a Vietnamese message (WTForms has no Vietnamese of its own)."""
    if validator.message is not None:
        return validator
    if validator.min == -1:
        message = TOO_LONG
    elif validator.max == -1:
        message = TOO_SHORT
    else:
        message = OUT_OF_RANGE
    return Length(min=validator.min, max=validator.max, message=message)


def _with_length(validators: Iterable[Any], limit: int) -> list[Any]:
    """Return the validators with Vietnamese length messages, and a maximum length if none was set."""
    result = [_vietnamese_length(v) if isinstance(v, Length) else v for v in validators]
    if not any(isinstance(v, Length) and v.max != -1 for v in result):
        result.append(Length(max=limit, message=TOO_LONG))
    return result


class CleanForm(FlaskForm):
    """The base of every form: text fields are cleaned at the door and never longer than a limit.

    Every text field (StringField and its kinds: search, telephone, e-mail, hidden; TextAreaField keeps
    its line breaks) holds `app.text.clean_text` of what was sent: NFC, no control characters (a NUL can
    never reach the database), no zero-width or bidirectional marks. Passwords are left exactly as typed.
    A text field without a maximum length gets one (255, or 5000 for a text area), before validation.
    """

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            field_class = unbound_field.field_class
            # Validators and filters given by position (rare) are left as they are: they cannot be replaced.
            positional = len(unbound_field.args)
            if issubclass(field_class, StringField):
                multiline = issubclass(field_class, TextAreaField)
                if not issubclass(field_class, PasswordField) and positional < 3:
                    cleaner = _clean_lines if multiline else _clean_line
                    options["filters"] = (cleaner, *options.get("filters", unbound_field.kwargs.get("filters", ())))
                if positional < 2:
                    options["validators"] = _with_length(
                        options.get("validators", unbound_field.kwargs.get("validators")) or (),
                        DEFAULT_MAX_TEXTAREA_LENGTH if multiline else DEFAULT_MAX_LENGTH)
            return super().bind_field(form, unbound_field, options)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as large checkboxes (easier to tap than a multi-select box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OptionalIntegerField(IntegerField):
    """An integer field where an empty box means None rather than an error."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and str(valuelist[0]).strip() == "":
            self.data = None
            return
        super().process_formdata(valuelist)


class DayField(DateField):
    """A date field whose "not a date" message is Vietnamese (WTForms' own is English)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(NEED_DATE)) from error


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choice objects WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]
