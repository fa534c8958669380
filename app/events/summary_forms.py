"""Forms of the pages after the event: enrolling those who asked for a class (all, or one into a class chosen)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField

from app.events.followup import CONSENT_METHODS
from app.forms import CleanForm, choices


class FollowupForm(CleanForm):
    """Staff confirm they asked the people who do not yet consent to learning, and how they agreed."""

    consent_asked = BooleanField(_l("Tôi đã hỏi từng người chưa đồng ý học ở danh sách trên, và họ đồng ý cho xử lý "
                                    "dữ liệu để tham gia lớp học"))
    consent_method = RadioField(_l("Cách người dân đồng ý"), default="verbal")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.consent_method.choices = choices((code, str(label)) for code, label in CONSENT_METHODS.items())

    def method(self) -> str | None:
        """The consent method confirmed, or None when staff did not confirm they asked."""
        return self.consent_method.data if self.consent_asked.data else None


class EnrolOneForm(FollowupForm):
    """One person, into the class proposed or another open class of the commune."""

    class_id = SelectField(_l("Lớp"), coerce=int)
