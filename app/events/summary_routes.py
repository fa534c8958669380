"""After the event: its summary (a page, and PDF and DOCX for the commune's records), enrolling those who asked for a
class, and thank-you certificates for the volunteers."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import inputs, policy
from app.certificates import completion, issuing, pdf
from app.certificates.models import VOLUNTEER
from app.errors import DomainError
from app.events import bp, followup, summary, summary_document, thanks
from app.events.kinds import SOURCES
from app.events.models import Event, Participant
from app.events.summary_forms import EnrolOneForm, FollowupForm
from app.extensions import db
from app.forms import choices
from app.reports import compose
from app.spreadsheets import disposition
from app.transactions import read_only
from app.vietnam import local_today

ISSUE_BATCH = 25
SHOWN = 5  # names listed in a message before "…"


def _event(event_id: int, action: str) -> Event:
    event = db.get_or_404(Event, event_id)
    policy.authorize(action, event)
    return event


def _base_url() -> str:
    """Where this site is reached from outside (for the certificates' QR codes and credentials)."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")


@bp.get("/<int:event_id>/summary", endpoint="summary")
@read_only
@policy.requires("events.view")
def show_summary(event_id: int) -> str:
    """The event's figures: who came, the stations, villages, audiences, age bands, volunteers and their hours."""
    event = _event(event_id, "events.view")
    may_issue = policy.can(current_user, "certificates.manage", event)
    return render_template("events/summary.html", event=event, summary=summary.summarise(event),
                           certificates=thanks.issued(event) if may_issue else {}, may_issue=may_issue,
                           may_manage=policy.can(current_user, "events.manage", event), sources=SOURCES,
                           decimal=issuing.hours_text)


def _download(event_id: int, fmt: str) -> Response:
    event = _event(event_id, "events.view")
    document, body = summary_document.render(event, fmt, compiled_by=current_user, today=local_today())
    return Response(body, mimetype=compose.MIMETYPES[fmt], headers={
        "Content-Disposition": disposition(document.file_stem, fmt, suffix=event.held_on.isoformat())})


@bp.get("/<int:event_id>/summary.pdf")
@read_only
@policy.requires("events.view")
def summary_pdf(event_id: int) -> Response:
    """The summary as a PDF, for the commune's records."""
    return _download(event_id, "pdf")


@bp.get("/<int:event_id>/summary.docx")
@read_only
@policy.requires("events.view")
def summary_docx(event_id: int) -> Response:
    """The summary as a Word document, to feed the commune's report."""
    return _download(event_id, "docx")


# --- those who asked for a class ---------------------------------------------------------------------------------

@bp.get("/<int:event_id>/followup")
@read_only
@policy.requires("events.manage")
def followup_page(event_id: int) -> str:
    """Everyone who asked to join a class, each with the class proposed; enrol them all or one by one."""
    event = _event(event_id, "events.manage")
    today = local_today()
    classes = followup.open_classes(event.commune_id, today)
    found = followup.proposals(event, today=today, classes=classes)
    return render_template("events/followup.html", event=event, proposals=found, classes=classes,
                           villages={v.id: v.name for v in event.commune.villages}, form=FollowupForm(),
                           may_act=lambda person: policy.outranks(current_user, person))


def _ids(values: list[str]) -> set[int]:
    """The participant ids a form listed (anything else is dropped)."""
    found = set()
    for value in values[:5000]:
        try:
            found.add(inputs.record_id(value))
        except (TypeError, ValueError):
            continue
    return found


def _names(names: Sequence[str]) -> str:
    return ", ".join(names[:SHOWN]) + ("…" if len(names) > SHOWN else "")


def _tell(outcome: followup.Outcome) -> None:
    """Say what enrolling did, each group in one message."""
    said = False
    for names, category, message in (
            (outcome.enrolled, "success", _("Đã ghi danh %(n)s người: %(names)s.", n=len(outcome.enrolled),
                                            names=_names(outcome.enrolled))),
            (outcome.waitlisted, "info", _("Lớp đã đủ chỗ, %(n)s người vào danh sách chờ: %(names)s.",
                                           n=len(outcome.waitlisted), names=_names(outcome.waitlisted))),
            (outcome.need_consent, "error", _("Chưa ghi danh %(n)s người chưa đồng ý tham gia lớp học: %(names)s. "
                                              "Hãy hỏi ý kiến họ rồi đánh dấu xác nhận.",
                                              n=len(outcome.need_consent), names=_names(outcome.need_consent))),
            (outcome.not_allowed, "error", _("Không ghi danh được %(names)s từ đây: hãy nhờ cán bộ xã ghi danh.",
                                             names=_names(outcome.not_allowed))),
            (outcome.no_class, "error", _("Chưa có lớp đang mở phù hợp cho %(names)s.",
                                          names=_names(outcome.no_class))),
            (outcome.failed, "error", _("Không ghi danh được: %(names)s.", names=_names(outcome.failed)))):
        if names:
            flash(message, category)
            said = True
    if not said:
        flash(_("Không còn ai cần ghi danh: những người đã xếp lớp được giữ nguyên."), "info")


@bp.post("/<int:event_id>/followup")
@policy.requires("events.manage")
def followup_enrol(event_id: int) -> Any:
    """Enrol everyone who asked into the class proposed for them (once each; run again, nothing changes)."""
    event = _event(event_id, "events.manage")
    form = FollowupForm()
    if not form.validate_on_submit():
        flash(_("Không đọc được lựa chọn. Vui lòng thử lại."), "error")
        return redirect(url_for("events.followup_page", event_id=event.id))
    outcome = followup.enrol_asked(event, followup.proposals(event, today=local_today()), actor=current_user,
                                   consent_method=form.method(), confirmed=_ids(request.form.getlist("asked")),
                                   may_act_on=lambda person: policy.outranks(current_user, person))
    db.session.commit()
    _tell(outcome)
    return redirect(url_for("events.followup_page", event_id=event.id))


@bp.post("/<int:event_id>/followup/<int:participant_id>")
@policy.requires("events.manage")
def followup_enrol_one(event_id: int, participant_id: int) -> Any:
    """Enrol one person who asked, into the class proposed or another open class chosen for them."""
    event = _event(event_id, "events.manage")
    participant = db.get_or_404(Participant, participant_id)
    if participant.event_id != event.id:
        abort(404)
    policy.authorize_over(participant.person)
    back = redirect(url_for("events.followup_page", event_id=event.id))
    today = local_today()
    classes = followup.open_classes(event.commune_id, today)
    form = EnrolOneForm()
    form.class_id.choices = choices((k.id, k.title) for k in classes)
    chosen = followup.proposals(event, today=today, classes=classes, participant_id=participant.id)
    if not chosen:
        flash(_("Người này không đăng ký muốn tham gia lớp học."), "error")
        return back
    if not form.validate_on_submit():
        flash(_("Hãy chọn một lớp đang mở."), "error")
        return back
    klass = next(k for k in classes if k.id == form.class_id.data)
    try:
        outcome = followup.enrol_asked(event, chosen, actor=current_user, consent_method=form.method(),
                                       confirmed={participant.id},
                                       may_act_on=lambda person: policy.outranks(current_user, person), klass=klass)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return back
    db.session.commit()
    _tell(outcome)
    return back


# --- thanking the volunteers ---------------------------------------------------------------------------------------

def _signer(event: Event) -> issuing.Signer:
    rules = completion.rules_for(event.commune_id)
    return issuing.Signer(rules.officer_name or current_user.full_name,
                          rules.officer_title or _("Cán bộ Văn hóa - Xã hội"))


@bp.post("/<int:event_id>/volunteers/certificates")
@policy.requires("certificates.manage")
def issue_volunteer_certificates(event_id: int) -> Any:
    """Issue the next few volunteers' certificates; the page calls this until none remain (progress bar)."""
    event = _event(event_id, "certificates.manage")
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        progress = thanks.issue_next(event, batch=ISSUE_BATCH, signer=_signer(event), actor=current_user,
                                     base_url=_base_url(), secret=current_app.config["DATA_ENCRYPTION_KEY"],
                                     today=local_today())
    except DomainError as error:  # another officer is issuing this commune's certificates right now
        db.session.rollback()
        if wants_json:
            return jsonify(error=409, message=str(error.message)), 409
        flash(str(error.message), "error")
        return redirect(url_for("events.summary", event_id=event.id, _anchor="volunteers"))
    db.session.commit()
    if wants_json:
        return jsonify(done=progress.done, total=progress.total, remaining=progress.remaining)
    flash(_("Đã cấp %(done)s/%(total)s giấy chứng nhận.", done=progress.done, total=progress.total), "success")
    return redirect(url_for("events.summary", event_id=event.id, _anchor="volunteers"))


@bp.get("/<int:event_id>/volunteers/certificates.zip")
@read_only
@policy.requires("certificates.manage")
def volunteer_certificates_zip(event_id: int) -> Response:
    """Every volunteer's certificate of the event, as one ZIP of PDFs to print."""
    event = _event(event_id, "certificates.manage")
    issued = sorted(thanks.issued(event).values(), key=lambda c: c.serial)
    if not issued:
        abort(404)
    template = pdf.template_for(VOLUNTEER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        items = [issuing.fields(c, _base_url()) for c in issued]
        for cert, body in zip(issued, pdf.render_certificates(items, template, processes=1), strict=True):
            archive.writestr(f"{cert.serial}.pdf", body)
    name = _("Giấy chứng nhận tình nguyện viên %(name)s", name=event.name)
    return Response(buffer.getvalue(), mimetype="application/zip",
                    headers={"Content-Disposition": disposition(name, "zip", suffix=event.held_on.isoformat())})
