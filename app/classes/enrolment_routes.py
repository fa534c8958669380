"""Enrolment: the instructor's roster with the walk-in search, learners joining and leaving a class."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import inputs, policy
from app.attendance import walkins
from app.classes import bp
from app.classes import enrolment as enrolments
from app.classes.forms import ConfirmForm, EnrolForm, JoinForm, PlainForm, WalkInForm
from app.classes.models import Class, ClassSession, Enrolment
from app.errors import DomainError, show_on_form
from app.extensions import db, utcnow
from app.forms import choices
from app.people import services as people
from app.people.models import Person
from app.places.models import Village

MATCHES = 8


def _walk_in_form(klass: Class, query: str = "") -> WalkInForm:
    default_village = klass.venue.village_id if klass.venue and klass.venue.village_id else 0
    data = None
    if request.method == "GET":
        # A name typed into the search box becomes the newcomer's name; digits are a phone number, not a name.
        data = {"full_name": query if query and not any(c.isdigit() for c in query) else "",
                "village_id": default_village, "consent_method": "verbal"}
    form = WalkInForm(data=data)
    form.village_id.choices = choices([(0, _("— Chọn thôn —"))] + [(v.id, v.name) for v in klass.commune.villages])
    return form


def _matches(klass: Class, query: str) -> list[Person]:
    if len(query.strip()) < 2:
        return []
    return list(db.session.scalars(people.search(klass.commune_id, query).limit(MATCHES)))


def _roll_call(klass: Class) -> ClassSession | None:
    """The session whose roll call the instructor came from (`session`), when newcomers can be marked present at it."""
    try:
        found = db.session.get(ClassSession, inputs.record_id(request.values.get("session", "")))
    except ValueError:  # none given, or not an id ("²" passes isdigit() but not int())
        found = None
    return found if found is not None and found.class_id == klass.id and walkins.takes_arrivals(found, utcnow()) \
        else None


def _above_capacity() -> bool:
    return request.form.get("above_capacity") == "y"


def _arrived(klass: Class, row: Enrolment, session: ClassSession | None) -> Any:
    """After enrolling from the roll call: back to it with the newcomer marked present, or to the waiting list."""
    if session is not None and row.status == "enrolled":
        return redirect(url_for("attendance.roll_call", session_id=session.id, added=row.id,
                                _anchor=f"learner-{row.id}"))
    flash(_enrolled_message(row), "success" if row.status == "enrolled" else "warning")
    if session is not None:
        flash(_("%(name)s chưa được điểm danh vì đang ở danh sách chờ. Nếu người này đang ở lớp, bấm \"Cho vào lớp "
                "(vượt sức chứa)\".", name=row.person.full_name), "warning")
        return redirect(url_for("classes.roster", class_id=klass.id, session=session.id, _anchor="waiting"))
    return redirect(url_for("classes.roster", class_id=klass.id, _anchor="walkin"))


def _render_roster(klass: Class, walk_in: WalkInForm, query: str, status: int = 200) -> Any:
    rows = sorted(klass.enrolments, key=lambda e: e.person.name_search)
    by_person = {e.person_id: e for e in klass.enrolments}
    matches = _matches(klass, query)
    consented = {p.id for p in matches if people.active_consent(p, "learning") is not None}
    context = dict(klass=klass, q=query, matches=matches, by_person=by_person, consented=consented,
                   enrol_form=EnrolForm(), walk_in=walk_in, plain_form=PlainForm(),
                   enrolled=[e for e in rows if e.status == "enrolled"],
                   waiting=enrolments.waiting_list(klass),
                   withdrawn=[e for e in rows if e.status == "withdrawn"],
                   statuses=enrolments.STATUSES, sources=enrolments.SOURCES, roll_call=_roll_call(klass),
                   above_capacity_asked=_above_capacity())
    if request.args.get("partial") == "results":
        return render_template("classes/_walkin_results.html", **context)
    return render_template("classes/roster.html", **context), status


@bp.get("/classes/<int:class_id>/roster")
@policy.requires("classes.teach")
def roster(class_id: int) -> Any:
    """The instructor's class list, with a search to enrol a walk-in in seconds."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    query = request.args.get("q", "").strip()[:80]
    return _render_roster(klass, _walk_in_form(klass, query), query)


def _enrolled_message(row: Enrolment) -> str:
    if row.status == "waitlisted":
        return _("Lớp đã đủ chỗ: %(name)s được xếp vào danh sách chờ (thứ %(n)s).", name=row.person.full_name,
                 n=enrolments.waitlist_position(row))
    if row.above_capacity:
        return _("Đã ghi danh %(name)s, vượt sức chứa của lớp.", name=row.person.full_name)
    return _("Đã ghi danh %(name)s.", name=row.person.full_name)


@bp.post("/classes/<int:class_id>/enrol")
@policy.requires("classes.teach")
def enrol_person(class_id: int) -> Any:
    """Enrol someone found by the roster's search (one tap when their consent is on record)."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    form = EnrolForm()
    person_id = form.person_id.data or ""
    person = db.session.get(Person, int(person_id)) if person_id.isdigit() and len(person_id) < 10 else None
    if person is not None and (person.commune_id != klass.commune_id or person.erased_at is not None):
        person = None  # someone of another commune is "not found": nothing about them is shown here
    if not form.validate_on_submit() or person is None:
        flash(_("Không tìm thấy người cần ghi danh; hãy tìm lại."), "error")
        return redirect(url_for("classes.roster", class_id=klass.id))
    method = (form.consent_method.data if form.consent_method.data in enrolments.WALK_IN_CONSENT else "verbal") \
        if form.consent.data else None
    session = _roll_call(klass)
    try:
        row = enrolments.enrol(klass, person, source="staff", actor=current_user, consent_method=method,
                               above_capacity=_above_capacity())
        if session is not None:
            walkins.arrive(session, row, actor=current_user, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("classes.roster", class_id=klass.id, q=request.form.get("q", ""),
                                session=session.id if session else None))
    db.session.commit()
    return _arrived(klass, row, session)


@bp.post("/classes/<int:class_id>/walk-in")
@policy.requires("classes.teach")
def walk_in(class_id: int) -> Any:
    """Create a newcomer (name, birth year, village) and enrol them, in one step."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.teach", klass)
    form = _walk_in_form(klass)
    if form.validate_on_submit():
        village = db.session.get(Village, form.village_id.data) if form.village_id.data else None
        if village is not None and village.commune_id != klass.commune_id:
            village = None
        session = _roll_call(klass)
        try:
            row = enrolments.enrol_walk_in(klass, full_name=form.full_name.data or "", birth_year=form.birth_year.data,
                                           village=village, actor=current_user,
                                           consent_method=form.consent_method.data if form.consent.data else None,
                                           above_capacity=_above_capacity())
            if session is not None:
                walkins.arrive(session, row, actor=current_user, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "full_name")
        else:
            db.session.commit()
            return _arrived(klass, row, session)
    return _render_roster(klass, form, request.form.get("q", ""), status=400)


@bp.post("/enrolments/<int:enrolment_id>/seat")
@policy.requires("classes.teach")
def seat(enrolment_id: int) -> Any:
    """Seat someone from the waiting list although the class is full (they are in the room); recorded as such."""
    row = db.get_or_404(Enrolment, enrolment_id)
    policy.authorize("classes.teach", row)
    klass = row.class_
    session = _roll_call(klass)
    if not PlainForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và gửi lại."), "error")
        return redirect(url_for("classes.roster", class_id=klass.id, session=session.id if session else None))
    try:
        enrolments.seat_above_capacity(row, actor=current_user)
        if session is not None:
            walkins.arrive(session, row, actor=current_user, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("classes.roster", class_id=klass.id, session=session.id if session else None,
                                _anchor="waiting"))
    db.session.commit()
    return _arrived(klass, row, session)


def _after_withdraw(row: Enrolment) -> str:
    """Where a withdrawal (or its "no, go back") leads: the roster for the class's staff, else the class page."""
    if row.person_id != current_user.id and policy.can(current_user, "classes.teach", row.class_):
        return url_for("classes.roster", class_id=row.class_id)
    return url_for("classes.show", class_id=row.class_id)


@bp.get("/enrolments/<int:enrolment_id>/withdraw")
@policy.requires("classes.withdraw")
def confirm_withdraw(enrolment_id: int) -> Any:
    """Say what withdrawing does (the seat goes to the waiting list, marks are kept) and ask to confirm."""
    row = db.get_or_404(Enrolment, enrolment_id)
    policy.authorize("classes.withdraw", row)
    if row.status == "withdrawn":
        flash(_("%(name)s đã rút khỏi lớp này rồi.", name=row.person.full_name), "warning")
        return redirect(_after_withdraw(row))
    count = enrolments.counts([row.class_id])[row.class_id]
    frees_seat = row.status == "enrolled" and count["enrolled"] - 1 < row.class_.capacity
    return render_template("classes/confirm_withdraw.html", row=row, klass=row.class_, form=ConfirmForm(),
                           own=row.person_id == current_user.id, waiting=count["waitlisted"], frees_seat=frees_seat,
                           position=enrolments.waitlist_position(row), back=_after_withdraw(row))


@bp.post("/enrolments/<int:enrolment_id>/withdraw")
@policy.requires("classes.withdraw")
def withdraw(enrolment_id: int) -> Any:
    """Withdraw from a class once confirmed (the record stays); the first on the waiting list gets the seat."""
    row = db.get_or_404(Enrolment, enrolment_id)
    policy.authorize("classes.withdraw", row)
    own = row.person_id == current_user.id
    form = ConfirmForm()
    if not form.confirmed:  # an old one-tap button or a forged post: show what it would do first
        return redirect(url_for("classes.confirm_withdraw", enrolment_id=row.id))
    if form.validate_on_submit():
        was_waiting = row.status == "waitlisted"
        promoted = enrolments.withdraw(row, actor=current_user)
        db.session.commit()
        if own:
            flash(_("Bạn đã thôi chờ lớp này.") if was_waiting else _("Bạn đã rút khỏi lớp."), "success")
        else:
            flash(_("Đã bỏ %(name)s khỏi danh sách chờ.", name=row.person.full_name) if was_waiting
                  else _("Đã rút %(name)s khỏi lớp.", name=row.person.full_name), "success")
        for other in promoted:
            flash(_("%(name)s được chuyển từ danh sách chờ vào lớp.", name=other.person.full_name), "success")
    return redirect(_after_withdraw(row))


@bp.post("/classes/<int:class_id>/join")
@policy.requires("classes.enrol_self")
def join(class_id: int) -> Any:
    """Enrol oneself in a class, with consent ticked explicitly when none is on record."""
    klass = db.get_or_404(Class, class_id)
    policy.authorize("classes.enrol_self", klass)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            row = enrolments.enrol_self(klass, current_user, consent_given=bool(form.consent.data))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            if row.status == "enrolled":
                flash(_("Bạn đã ghi danh vào lớp \"%(title)s\".", title=klass.title), "success")
            else:
                flash(_("Lớp đã đủ chỗ. Bạn đứng thứ %(n)s trong danh sách chờ; khi có chỗ bạn sẽ được chuyển vào "
                        "lớp.", n=enrolments.waitlist_position(row)), "warning")
    return redirect(url_for("classes.show", class_id=klass.id))
