"""Roll call for a session: the tablet page, its sync endpoint, the history, the paper sheet and its entry."""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DBAPIError, IntegrityError

from app import inputs, outbox, policy
from app.attendance import (  # noqa: F401  (imported for what they register: routes, panels, demo, data export)
    bp,
    checkin,
    checkin_routes,
    dashboard,
    demo,
    marks,
    panels,
    personal,
    report_routes,
    settings,
    sheet,
    walkins,
)
from app.attendance.forms import PlainForm
from app.classes.models import ClassSession
from app.errors import DomainError, error_response
from app.extensions import db, utcnow
from app.transactions import read_only
from app.vietnam import VIETNAM


def _loaded(session_id: int) -> tuple[ClassSession, int]:
    """The session (with its class, staff and venues: one query) and its commune's late window; 404 or 403."""
    found = marks.session_for_roll_call(session_id)
    if found is None:
        abort(404)
    policy.authorize("classes.teach", found[0])
    return found


def _session(session_id: int) -> ClassSession:
    return _loaded(session_id)[0]


def _rows(session: ClassSession) -> dict[str, Any]:
    rows = marks.roll_call(session)
    return {"enrolments": rows, "counts": marks.tally(rows)}


@bp.get("/attendance/sessions/<int:session_id>")
@read_only
@policy.requires("classes.teach")
def roll_call(session_id: int) -> str:
    """The roll call: every enrolled learner with big status buttons; works offline once loaded."""
    session, late_window = _loaded(session_id)
    now = utcnow()
    rows = _rows(session)
    # A walk-in just enrolled from this page (classes.walk_in sends the instructor back here): confirm it here.
    added_id = request.args.get("added", "")
    added = next((e for e in rows["enrolments"] if str(e.id) == added_id and e.status is not None), None)
    return render_template("attendance/roll_call.html", session=session, klass=session.class_, **rows,
                           statuses=marks.status_labels(), form=PlainForm(), server_time=int(now.timestamp() * 1000),
                           today=now.astimezone(VIETNAM).date(), added=added,
                           takes_arrivals=walkins.takes_arrivals(session, now),
                           checkin_state=checkin.window_state(session, now, late_window))


@bp.post("/attendance/sessions/<int:session_id>/marks")
@policy.requires("classes.teach")
def mark(session_id: int) -> Any:
    """Record one tap (or "everyone present") from the page without its script."""
    session = _session(session_id)
    anchor = None
    if PlainForm().validate_on_submit():
        try:
            if request.form.get("everyone"):
                outcome = marks.everyone_present(session, actor=current_user, now=utcnow())
                if outcome.failed:
                    raise DomainError(outcome.failed[0]["message"])
            else:
                enrolment_id, _sep, status = request.form.get("mark", "").partition(":")
                found = next((e for e in marks.learners(session) if str(e.id) == enrolment_id), None)
                if found is None:
                    abort(400)
                marks.mark(session, found, status, actor=current_user, now=utcnow())
                anchor = f"learner-{found.id}"
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
    return redirect(url_for("attendance.roll_call", session_id=session.id, _anchor=anchor))


def _write(item: outbox.Item, number: int) -> marks.Write:
    """Read one mark of a batch, or raise DomainError naming it (the JS always sends these fields with these types).

    A mark that waited in the device's outbox (`waited`: the network was down, or the first send failed) is
    recorded with the source "sync", so the history says it was sent when the network came back.
    """
    enrolment_id, status = item.fields.get("enrolment_id"), item.fields.get("status")
    source = item.fields.get("source", "tap")
    if not (type(enrolment_id) is int and 1 <= enrolment_id <= inputs.MAX_ID
            and isinstance(status, str) and isinstance(source, str)):
        raise DomainError(_("Điểm danh thứ %(n)s trong gói gửi lên không hợp lệ; không điểm danh nào được lưu.",
                            n=number))
    if item.fields.get("waited") is True:
        source = "sync"
    # An unknown status is refused by the service, by client id, so the device can say so and drop it.
    return marks.Write(enrolment_id, status, item.client_id, item.device_time,
                       source if source in marks.DEVICE_SOURCES else "tap")


@bp.post("/attendance/sessions/<int:session_id>/marks.json")
@policy.requires("classes.teach")
def sync(session_id: int) -> Any:
    """Store a batch of marks from the device's outbox; answer which client ids are safely stored, and the marks now.

    The batch is the outbox's (`{"device", "items"}`, read by `app.outbox.read_batch`); the marks are written by
    `marks.record`, which orders them by device time and locks the rows a batch touches.
    """
    session = _session(session_id)
    try:
        items, device = outbox.read_batch(request.get_json(silent=True), max_items=marks.MAX_BATCH)
        writes = [_write(item, number) for number, item in enumerate(items, start=1)]
    except DomainError as error:
        return error_response(400, error.message)
    for attempt in range(outbox.RETRIES):
        try:
            outcome = marks.record(session, writes, actor=current_user, now=utcnow(), device=device)
            now_marked = {str(eid): m.status for eid, m in marks.current(session).items()}
            db.session.commit()
            break
        except (IntegrityError, DBAPIError) as error:
            # Two copies of one batch racing on a client id, or a deadlock/serialisation failure: the retry
            # sees what the other transaction stored and treats it as a replay.
            db.session.rollback()
            if attempt == outbox.RETRIES - 1 or not outbox.retryable(error):
                raise
    answer = {"stored": outcome.stored, "failed": outcome.failed, "server_time": utcnow().isoformat(),
              "marks": now_marked}
    if outcome.failed and not outcome.stored:
        # Nothing was saved: say so with a 4xx and the reason, so no client takes it for a success or retries it.
        return jsonify(error=422, message=outcome.failed[0]["message"], **answer), 422
    return jsonify(**answer)


@bp.get("/attendance/sessions/<int:session_id>/history")
@policy.requires("classes.teach")
def history(session_id: int) -> str:
    """Every change to the session's marks: who, when (device and server), from what to what, how."""
    session = _session(session_id)
    return render_template("attendance/history.html", session=session, klass=session.class_,
                           changes=marks.history(session), statuses=marks.STATUSES, sources=marks.SOURCES)


@bp.get("/attendance/sessions/<int:session_id>/sheet.pdf")
@policy.requires("classes.teach")
def sheet_pdf(session_id: int) -> Response:
    """A printable A4 sign-in sheet for a session without a tablet."""
    session = _session(session_id)
    klass = session.class_
    rows = [sheet.SheetRow(i, e.person.full_name, e.person.birth_year, e.person.village.name if e.person.village
                           else "") for i, e in enumerate(marks.learners(session), start=1)]
    data = sheet.SheetData(commune=klass.commune.full_name, class_title=klass.title, day=session.date,
                           hours=session.hours,
                           venue=session.venue.name if session.venue else "", topic=session.what,
                           instructors=", ".join(p.full_name for p in klass.instructors), rows=rows)
    name = f"diem-danh-{session.date.isoformat()}-buoi-{session.id}.pdf"
    return Response(sheet.render_sheet(data), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename={name}"})


@bp.route("/attendance/sessions/<int:session_id>/paper", methods=["GET", "POST"])
@policy.requires("classes.teach")
def paper(session_id: int) -> Any:
    """Enter the marks from a signed sheet: everyone starts as present; change only the exceptions."""
    session = _session(session_id)
    form = PlainForm()
    rows = _rows(session)
    if form.validate_on_submit():
        chosen = {e.id: request.form.get(f"status-{e.id}", "") for e in rows["enrolments"]}
        statuses = {eid: status for eid, status in chosen.items() if status in marks.STATUSES}
        outcome = marks.apply_sheet(session, statuses, actor=current_user, now=utcnow())
        if outcome.failed:
            db.session.rollback()
            flash(outcome.failed[0]["message"], "error")
        else:
            db.session.commit()
            flash(_("Đã lưu điểm danh từ tờ ký tên: %(n)s thay đổi.", n=outcome.applied), "success")
            return redirect(url_for("attendance.roll_call", session_id=session.id))
    return render_template("attendance/paper.html", session=session, klass=session.class_, form=form,
                           statuses=marks.status_labels(), **rows)
