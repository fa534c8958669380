"""A person's digital skills page: the latest of each fact and its history, and the form to record more."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.digital import (  # noqa: F401  (imported for what they register: data export, erasure, indicators, demo)
    bp,
    demo,
    indicators,
    panels,
    personal,
    services,
)
from app.digital.forms import FactsForm
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.people.models import Person
from app.transactions import read_only
from app.vietnam import local_today


def _may_record(person: Person) -> bool:
    """Staff record about people they outrank; a resident declares their own."""
    if person.erased_at is not None or not policy.can(current_user, "digital.record", person):
        return False
    return person.id == current_user.id or policy.outranks(current_user, person)


def _render(person: Person, form: FactsForm | None, status: int = 200) -> Any:
    latest, history = services.overview(person)
    own = person.id == current_user.id
    return render_template("digital/person.html", person=person, latest=latest, history=history, form=form,
                           own=own, consented=services.may_record(person), facts=services.FACTS,
                           sources=services.SOURCES, label=services.value_label), status


@bp.get("/people/<int:person_id>/digital")
@read_only
@policy.requires("digital.view")
def person(person_id: int) -> Any:
    """Show what is known of a person's digital skills, newest first, and the form to record more."""
    someone = db.get_or_404(Person, person_id)
    policy.authorize("digital.view", someone)
    form = FactsForm(data={"observed_on": local_today(), "source": "visit"}) if _may_record(someone) else None
    return _render(someone, form)


@bp.post("/people/<int:person_id>/digital")
@policy.requires("digital.record")
def record(person_id: int) -> Any:
    """Record the facts ticked on the form (staff: with a source; the person themself: self-declared)."""
    someone = db.get_or_404(Person, person_id)
    policy.authorize("digital.record", someone)
    own = someone.id == current_user.id
    if not own:
        policy.authorize_over(someone)
    form = FactsForm()
    if not form.validate_on_submit():
        return _render(someone, form, 400)
    try:
        if someone.erased_at is not None:
            raise DomainError(_("Dữ liệu của người này đã được xóa theo yêu cầu; không ghi nhận thêm."))
        values = form.chosen()
        source = "self" if own else form.chosen_source()
        services.record_many(someone, values, observed_on=form.observed_on.data, source=source, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        show_on_form(form, error)
        return _render(someone, form, 400)
    db.session.commit()
    flash(_("Đã ghi nhận kỹ năng số của %(name)s.", name=someone.full_name), "success")
    return redirect(url_for("digital.person", person_id=someone.id))
