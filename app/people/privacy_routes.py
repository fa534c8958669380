"""Consent, sensitive data and roles of one person."""
from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.errors import DomainError
from app.extensions import db
from app.forms import choices
from app.people import bp, services
from app.people.forms import DisabilityForm, RoleForm, WithdrawForm, consent_form
from app.people.models import Consent, Person, RoleAssignment
from app.places.models import Village


@bp.post("/people/<int:person_id>/consents")
@policy.requires("people.consent")
def add_consent(person_id: int) -> Any:
    """Record a consent the person has given."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.consent", person)
    sensitive = person.id == current_user.id or policy.can(current_user, "people.sensitive", person)
    form = consent_form(sensitive=sensitive)
    if form.validate_on_submit():
        try:
            services.record_consent(person, purpose=form.purpose.data, method=form.method.data,
                                    note=form.note.data or "", recorded_by=current_user,
                                    policy_version=current_app.config["CONSENT_POLICY_VERSION"])
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Đã ghi nhận sự đồng ý."), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("people.show", person_id=person.id, _anchor="consents"))


@bp.post("/consents/<int:consent_id>/withdraw")
@policy.requires("people.consent")
def withdraw_consent(consent_id: int) -> Any:
    """Withdraw a consent; data kept only under it is deleted."""
    consent = db.get_or_404(Consent, consent_id)
    policy.authorize("people.consent", consent)
    if services.PURPOSES[consent.purpose].sensitive and consent.person_id != current_user.id:
        policy.authorize("people.sensitive", consent)
    form = WithdrawForm()
    if form.validate_on_submit():
        services.withdraw_consent(consent, by=current_user, note=form.note.data or "")
        db.session.commit()
        flash(_("Đã rút lại sự đồng ý."), "success")
    return redirect(url_for("people.show", person_id=consent.person_id, _anchor="consents"))


@bp.route("/people/<int:person_id>/disability", methods=["GET", "POST"])
@policy.requires("people.sensitive")
def disability(person_id: int) -> Any:
    """Record disability kinds and support needs (sensitive; officers only, with its own consent)."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.sensitive", person)
    secret = current_app.config["DATA_ENCRYPTION_KEY"]
    form = DisabilityForm()
    if not form.is_submitted() and person.disability is not None:
        form.kinds.data, form.needs.data = services.read_disability(person, actor=current_user, secret=secret)
        db.session.commit()
    if form.validate_on_submit():
        try:
            services.set_disability(person, kinds=form.kinds.data or [], needs=form.needs.data or "",
                                    actor=current_user, secret=secret)
        except DomainError as error:
            db.session.rollback()
            form.kinds.errors = [*form.kinds.errors, str(error.message)]
        else:
            db.session.commit()
            flash(_("Đã lưu thông tin hỗ trợ."), "success")
            return redirect(url_for("people.show", person_id=person.id))
    has_consent = services.active_consent(person, "disability") is not None
    return render_template("people/disability.html", person=person, form=form, has_consent=has_consent)


@bp.post("/people/<int:person_id>/roles")
@policy.requires("people.roles")
def grant_role(person_id: int) -> Any:
    """Give a person a role in their commune or one of its villages."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.roles", person.commune)
    policy.authorize_over(person)
    form = RoleForm()
    form.village_id.choices = choices([(0, "")] + [(v.id, v.name) for v in person.commune.villages])
    if form.validate_on_submit():
        role = policy.Role(form.role.data)
        village = db.session.get(Village, form.village_id.data) if form.village_id.data else None
        scope = policy.Scope(person.commune_id, village.id if village else None)
        if not policy.can_grant(current_user, role, scope):
            flash(_("Bạn không được giao vai trò này."), "error")
        else:
            try:
                services.grant_role(person, role, commune=person.commune, village=village, granted_by=current_user)
            except DomainError as error:
                db.session.rollback()
                flash(str(error.message), "error")
            else:
                db.session.commit()
                flash(_("Đã giao vai trò."), "success")
    return redirect(url_for("people.show", person_id=person.id, _anchor="roles"))


@bp.post("/roles/<int:assignment_id>/revoke")
@policy.requires("people.roles")
def revoke_role(assignment_id: int) -> Any:
    """Take a role away."""
    assignment = db.get_or_404(RoleAssignment, assignment_id)
    person_id = assignment.person_id
    scope = assignment.access_scope
    if not policy.can_grant(current_user, policy.Role(assignment.role), scope):
        policy.authorize("places.admin")
    if assignment.person_id != current_user.id:
        policy.authorize_over(assignment.person)
    if assignment.person_id == current_user.id and assignment.role in (policy.Role.OFFICER, policy.Role.ADMIN):
        flash(_("Bạn không thể tự bỏ vai trò quản lý của mình."), "error")
    else:
        services.revoke_role(assignment, actor=current_user)
        db.session.commit()
        flash(_("Đã bỏ vai trò."), "success")
    return redirect(url_for("people.show", person_id=person_id, _anchor="roles"))
