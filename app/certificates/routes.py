"""Completion and certificates for officers and learners: confirm a class, issue with progress, download."""
from __future__ import annotations

import io
import zipfile
from typing import Any

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app import policy
from app.certificates import (  # noqa: F401  (routes, demo step, data-export section, indicators)
    bp,
    completion,
    demo,
    indicators,
    issuing,
    panels,
    pdf,
    personal,
    progress,
    verify_routes,
)
from app.certificates.forms import ReissueForm, RevokeForm, RulesForm
from app.certificates.models import Certificate
from app.classes.models import Class
from app.errors import DomainError, error_response, show_on_form
from app.extensions import db, utcnow
from app.people.models import Person
from app.places.models import Commune
from app.transactions import read_only
from app.vietnam import local_today

ISSUE_BATCH = 25


def base_url() -> str:
    """Where this site is reached from outside (for QR codes and credentials)."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")


def _signer(klass: Class) -> issuing.Signer:
    rules = completion.rules_for(klass.commune_id)
    return issuing.Signer(rules.officer_name or current_user.full_name,
                          rules.officer_title or _("Cán bộ Văn hóa - Xã hội"))


@bp.get("/classes/<int:class_id>/completion")
@policy.requires("certificates.view_class")
def class_completion(class_id: int) -> str:
    """Show who in the class meets the completion rules, what is confirmed, and the certificates issued."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("certificates.view_class", klass)
    rules = completion.rules_for(klass.commune_id)
    if rules.confirmation == "auto":
        try:
            if completion.auto_confirm(klass, now=utcnow()):
                db.session.commit()
        except DomainError as error:  # another officer is confirming right now; the page still shows
            db.session.rollback()
            flash(str(error.message), "error")
    standings = completion.class_standing(klass, rules)
    of_class = select(Certificate).where(Certificate.class_id == klass.id)
    certificates = {c.person_id: c for c in db.session.scalars(of_class)}
    return render_template("certificates/class.html", klass=klass, rules=rules, standings=standings,
                           certificates=certificates)


@bp.post("/classes/<int:class_id>/completion/confirm")
@policy.requires("certificates.manage")
def confirm(class_id: int) -> Any:
    """Confirm completion, in one step, for every learner of the class who meets the rules."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("certificates.manage", klass)
    standings = completion.class_standing(klass, completion.rules_for(klass.commune_id))
    try:
        count = completion.confirm(klass, standings, actor=current_user, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if count:
            flash(ngettext("Đã xác nhận hoàn thành cho %(num)s học viên.",
                           "Đã xác nhận hoàn thành cho %(num)s học viên.", count), "success")
        else:
            flash(_("Không có học viên nào mới cần xác nhận: những người đủ điều kiện đã được xác nhận trước đó."),
                  "info")
    return redirect(url_for("certificates.class_completion", class_id=klass.id))


@bp.post("/classes/<int:class_id>/certificates/issue")
@policy.requires("certificates.manage")
def issue(class_id: int) -> Any:
    """Issue the next few certificates of the class; the page calls this until none remain (progress bar)."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("certificates.manage", klass)
    try:
        progress = issuing.issue_next(klass, batch=ISSUE_BATCH, signer=_signer(klass), actor=current_user,
                                      base_url=base_url(), secret=current_app.config["DATA_ENCRYPTION_KEY"],
                                      today=local_today())
    except DomainError as error:  # another officer is issuing this commune's certificates right now
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=409, message=str(error.message)), 409
        flash(str(error.message), "error")
        return redirect(url_for("certificates.class_completion", class_id=klass.id))
    db.session.commit()
    done, total = progress.done, progress.total
    if request.accept_mimetypes.best == "application/json":
        return jsonify(done=done, total=total, remaining=progress.remaining)
    flash(_("Đã cấp %(done)s/%(total)s giấy chứng nhận.", done=done, total=total), "success")
    return redirect(url_for("certificates.class_completion", class_id=klass.id))


@bp.get("/classes/<int:class_id>/certificates.zip")
@policy.requires("certificates.manage")
def class_zip(class_id: int) -> Response:
    """Download every certificate of the class as one ZIP of PDFs."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("certificates.manage", klass)
    certificates = list(db.session.scalars(select(Certificate).where(Certificate.class_id == klass.id)
                                           .order_by(Certificate.serial)))
    if not certificates:
        abort(404)
    template = pdf.load_template()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        items = [issuing.fields(c, base_url()) for c in certificates]
        for cert, body in zip(certificates, pdf.render_certificates(items, template, processes=1), strict=True):
            archive.writestr(f"{cert.serial}.pdf", body)
    return Response(buffer.getvalue(), mimetype="application/zip",
                    headers={"Content-Disposition": f"attachment; filename=giay-chung-nhan-lop-{klass.id}.zip"})


@bp.get("/my/certificates")
@read_only
@policy.requires("certificates.own")
def mine() -> str:
    """A learner's certificates, completed modules and "basic digital skills" status."""
    certificates = db.session.scalars(select(Certificate).where(Certificate.person_id == current_user.id)
                                      .order_by(Certificate.issued_on.desc())).all()
    return render_template("certificates/mine.html", certificates=certificates,
                           basic=completion.basic_status(current_user.id))


def _certificate(serial: str, action: str) -> Certificate:
    cert = issuing.by_serial(serial) or abort(404)
    policy.authorize(action, cert)
    return cert


@bp.get("/certificates/<serial>.pdf")
@policy.requires("certificates.own")
def download(serial: str) -> Response:
    """The certificate as a PDF, for its holder and the commune's officers."""
    cert = _certificate(serial, "certificates.download")
    body = pdf.render_certificate(issuing.fields(cert, base_url()), pdf.template_for(cert.kind))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename={cert.serial}.pdf"})


@bp.get("/certificates/<serial>/credential.json")
@policy.requires("certificates.own")
def credential_json(serial: str) -> Any:
    """The certificate as a signed Open Badges 3.0 credential, for its holder's wallet."""
    cert = _certificate(serial, "certificates.download")
    if not cert.current.credential:  # erased with the holder's personal data
        return error_response(410, _("Chứng nhận số đã được xóa cùng dữ liệu cá nhân của người được cấp."))
    response = jsonify(cert.current.credential)
    response.mimetype = "application/vc+ld+json"
    return response


@bp.get("/certificates/<serial>")
@policy.requires("certificates.manage")
def manage(serial: str) -> str:
    """An officer's view of a certificate: its revisions, and revoke or reissue."""
    cert = _certificate(serial, "certificates.manage")
    check = issuing.check_signature(cert)
    return render_template("certificates/manage.html", cert=cert, person=db.session.get(Person, cert.person_id),
                           revoke_form=RevokeForm(), reissue_form=ReissueForm(),
                           signature_message=issuing.SIGNATURE_MESSAGES[check.reason if check else "removed"])


@bp.post("/certificates/<serial>/revoke")
@policy.requires("certificates.manage")
def revoke(serial: str) -> Any:
    """Revoke a certificate, recording why."""
    cert = _certificate(serial, "certificates.manage")
    form = RevokeForm()
    if form.validate_on_submit():
        issuing.revoke(cert, reason=form.reason.data or "", actor=current_user)
        db.session.commit()
        flash(_("Đã thu hồi giấy chứng nhận %(serial)s.", serial=cert.serial), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("certificates.manage", serial=cert.serial))


@bp.post("/certificates/<serial>/reissue")
@policy.requires("certificates.manage")
def reissue(serial: str) -> Any:
    """Issue again under the same serial after a name correction."""
    cert = _certificate(serial, "certificates.manage")
    form = ReissueForm()
    if form.validate_on_submit():
        try:
            issuing.reissue(cert, actor=current_user, reason=form.reason.data or "", base_url=base_url(),
                            secret=current_app.config["DATA_ENCRYPTION_KEY"])
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Đã cấp lại giấy chứng nhận với họ tên mới; số hiệu giữ nguyên."), "success")
    return redirect(url_for("certificates.manage", serial=cert.serial))


@bp.route("/communes/<int:commune_id>/completion-rules", methods=["GET", "POST"])
@policy.requires("certificates.manage")
def rules(commune_id: int) -> Any:
    """Let the commune set its completion rules and who confirms (defaults in the README)."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("certificates.manage", commune)
    form = RulesForm(obj=completion.rules_for(commune.id))
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in completion.STORE.names}
        try:
            completion.save_rules(commune.id, values, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu điều kiện hoàn thành."), "success")
            return redirect(url_for("certificates.rules", commune_id=commune.id))
    return render_template("certificates/rules.html", commune=commune, form=form, defaults=completion.DEFAULT_RULES)
