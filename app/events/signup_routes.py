"""The public sign-up page of an event: residents register before the day from their own phone, and take away a
badge code to show at the gate. Open to anyone, so it shows nothing but the event and what the visitor typed."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, make_response, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app import inputs, policy, qr
from app.errors import DomainError, show_on_form
from app.events import bp, services
from app.events import signup as signups
from app.events.models import Event
from app.extensions import db, limiter
from app.forms import CleanForm, choices
from app.people.consents import PURPOSES
from app.places.models import Village

# Per address: enough for a family, or a village's youth member signing up neighbours one by one on one phone; not for
# a script filling the commune with made-up people.
SIGNUP_LIMIT = "20 per minute;200 per hour"
CODE_MAX = 16  # Event.signup_code's length


class SignupForm(CleanForm):
    """The least the law allows to register: name, birth year, village; a phone only if the person wishes."""

    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(_l("Vui lòng nhập họ và tên.")),
                                                        Length(max=120)],
                            render_kw={"autocomplete": "name", "class": "big-input"})
    birth_year = StringField(_l("Năm sinh"), validators=[
        DataRequired(_l("Vui lòng nhập năm sinh.")),
        Regexp(r"^[0-9]{4}$", message=_l("Năm sinh cần 4 chữ số, ví dụ 1958."))],
        render_kw={"inputmode": "numeric", "autocomplete": "bday-year", "maxlength": 4, "pattern": "[0-9]{4}",
                   "class": "big-input"})
    village_id = SelectField(_l("Thôn/tổ dân phố"), validate_choice=False,
                             validators=[DataRequired(_l("Vui lòng chọn thôn/tổ dân phố."))],
                             render_kw={"class": "big-input"})
    phone = StringField(_l("Số điện thoại (không bắt buộc)"), validators=[Optional(), Length(max=20)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel", "type": "tel", "class": "big-input"})
    wants_class = BooleanField(_l("Tôi muốn tham gia một lớp học kỹ năng số sau ngày hội"))
    consent = BooleanField(_l("Tôi đồng ý"), validators=[DataRequired(_l("Cần đánh dấu đồng ý thì mới đăng ký được."))])
    client_id = HiddenField()


def _event(signup_code: str) -> Event:
    event: Event | None = None
    if len(signup_code) <= CODE_MAX:
        event = db.session.scalar(select(Event).where(Event.signup_code == signup_code)
                                  .options(selectinload(Event.venues)))
    if event is None:
        abort(404)
    return event


def _village_id(raw: Any) -> int | None:
    try:
        return inputs.record_id(raw)
    except (TypeError, ValueError):
        return None


def _limit() -> str:
    return str(current_app.config.get("EVENT_SIGNUP_LIMIT", SIGNUP_LIMIT))


@bp.route("/signup/<signup_code>", methods=["GET", "POST"])
@policy.public
@limiter.limit(_limit, methods=["POST"])
def signup(signup_code: str) -> Any:
    """Sign up for an event before the day, and see the badge code to bring."""
    event = _event(signup_code)
    status = signups.state(event)
    if status != signups.OPEN:
        return render_template("events/signup_closed.html", event=event, status=status)
    villages = list(event.commune.villages)
    form = SignupForm()
    form.village_id.choices = choices([("", _l("— Chọn thôn/tổ dân phố —"))] + [(str(v.id), v.name) for v in villages])
    if not form.is_submitted():
        form.client_id.data = signups.new_client_id()
    if form.validate_on_submit():
        data = services.Newcomer(full_name=form.full_name.data or "", birth_year=int(form.birth_year.data or 0),
                                 village_id=_village_id(form.village_id.data), phone=form.phone.data or None)
        badge_code = _register(event, form, data)
        if badge_code is not None:
            return _answer(event, badge_code, form, next((v for v in villages if v.id == data.village_id), None))
    return render_template("events/signup.html", event=event, form=form, purpose=PURPOSES[services.CONSENT])


def _register(event: Event, form: SignupForm, data: services.Newcomer) -> str | None:
    """Register the person and return their badge code, or show what is wrong on the form and return None."""
    for attempt in range(2):
        try:
            participant = signups.register_online(event, data, wants_class=bool(form.wants_class.data),
                                                 client_id=form.client_id.data or "")
            badge_code = participant.badge_code
            db.session.commit()
            return badge_code
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "full_name")
            return None
        except IntegrityError:
            # The same form sent twice at the same moment: the second try finds what the first stored.
            db.session.rollback()
            if attempt:
                raise
    return None


def _answer(event: Event, badge_code: str, form: SignupForm, village: Village | None) -> Any:
    """The same page whoever signed up: what they typed, and the badge code (never what the system knew)."""
    page = render_template("events/signup_done.html", event=event, badge_code=badge_code, qr_svg=qr.svg(badge_code),
                           full_name=form.full_name.data, birth_year=form.birth_year.data, village=village)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"  # a shared phone's back button must not show it to the next one
    return response
