"""Forms of the digital families pages: the commune's rule and a household's alley."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import Length

from app.families.services import ALLEY_MAX
from app.families.settings import RULES
from app.forms import CleanForm, choices


class RuleForm(CleanForm):
    """How the commune counts a digital family."""

    rule = RadioField(_l("Hộ gia đình được tính là “Gia đình số” khi"), choices=choices(RULES.items()),
                      validate_choice=False)


class AlleyForm(CleanForm):
    """The alley, lane or cluster a household is on, so the team's list follows the way they walk."""

    alley = StringField(_l("Ngõ, xóm, cụm"), validators=[Length(max=ALLEY_MAX)],
                        render_kw={"autocomplete": "off", "maxlength": ALLEY_MAX})
