"""The form to record what a person can do digitally: the day it was seen, where it comes from, and each fact."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from app.digital.services import FACTS, SOURCES
from app.errors import DomainError
from app.forms import CleanForm, choices

UNCHANGED = ""
# What staff may name as the source: the VNeID login writes "vneid" itself, never a form.
STAFF_SOURCES = ("visit", "contact", "helpdesk", "class", "self")


class FactsForm(CleanForm):
    """Several facts seen together on one day; a fact left at "no change" is not recorded."""

    observed_on = DateField(_l("Ngày ghi nhận"), validators=[InputRequired(_l("Vui lòng nhập ngày (ngày/tháng/năm)."))])
    # Choices are checked by `chosen()` and the service, with messages in Vietnamese.
    source = SelectField(_l("Nguồn thông tin"), choices=choices((s, SOURCES[s]) for s in STAFF_SOURCES),
                         validate_choice=False)
    smartphone = SelectField(FACTS["smartphone"].label, validate_choice=False)
    vneid = SelectField(FACTS["vneid"].label, validate_choice=False)
    payment_account = SelectField(FACTS["payment_account"].label, validate_choice=False)
    public_services = SelectField(FACTS["public_services"].label, validate_choice=False)
    ai_tools = SelectField(FACTS["ai_tools"].label, validate_choice=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for code, fact in FACTS.items():
            self[code].choices = choices([(UNCHANGED, _l("— Không thay đổi —")),
                                          *((str(v), label) for v, label in fact.values.items())])

    def chosen(self) -> dict[str, int]:
        """The facts given a value, as numbers; raise DomainError for a value that is not one of the choices."""
        found: dict[str, int] = {}
        for code, fact in FACTS.items():
            raw = self[code].data or UNCHANGED
            if raw == UNCHANGED:
                continue
            if raw not in {str(v) for v in fact.values}:
                raise DomainError(_l("Giá trị của “%(fact)s” không hợp lệ.", fact=fact.label), field=code)
            found[code] = int(raw)
        if not found:
            raise DomainError(_l("Hãy chọn ít nhất một thông tin để ghi nhận."), field="smartphone")
        return found

    def chosen_source(self) -> str:
        """The source staff picked; raise DomainError for anything else (a forged "vneid")."""
        if self.source.data not in STAFF_SOURCES:
            raise DomainError(_l("Nguồn thông tin không hợp lệ."), field="source")
        return str(self.source.data)
