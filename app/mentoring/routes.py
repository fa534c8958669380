"""Routes of mentoring: the ambassador's phone page (mentees, progress, one-screen contact), linking, the offline
sync of contacts, the officer's view of ambassadors and target, and the office help-desk log."""
from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import inputs, outbox, policy
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.indicators import AGE_BAND_LABELS
from app.mentoring import bp, personal, services  # noqa: F401  (personal registers the data export and erasure)
from app.mentoring import demo as _demo  # noqa: F401  (registers the demo step)
from app.mentoring import helpdesk as desk
from app.mentoring.forms import ContactForm, HelpdeskForm, LinkForm, SearchForm, TargetForm
from app.mentoring.models import Mentorship
from app.people.models import Person
from app.places.models import Commune, Village
from app.vietnam import local_today


def _lang() -> str:
    return str(get_locale() or "vi")[:2]


def _contact_form(mentees: list[Any], lang: str) -> ContactForm:
    form = ContactForm()
    form.mentee_id.choices = [(m.id, m.full_name) for m in mentees]
    form.skill.choices = [("", _("— Chọn kỹ năng —")), *((code, f"{code} {title}")
                                                          for code, title in services.skill_titles(lang).items())]
    form.can_now.choices = [(code, str(label)) for code, label in services.CAN_NOW_LABELS.items()]
    if not form.is_submitted():
        form.contacted_on.data = local_today()
    return form


def _mine(commune: Commune, form: ContactForm | None = None) -> str:
    mentees = services.mentees(current_user.id)
    lang = _lang()
    form = form or _contact_form(mentees, lang)
    return render_template("mentoring/mine.html", commune=commune, mentees=mentees, form=form,
                           target=services.target_for(commune.id), skills=services.skill_titles(lang),
                           recent=services.recent_contacts(current_user.id))


@bp.get("/communes/<int:commune_id>/mentoring")
@policy.requires("mentoring.guide")
def mine(commune_id: int) -> str:
    """The ambassador's own page: the people they guide, their progress, and the one-screen contact form."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("mentoring.guide", commune)
    return _mine(commune)


@bp.post("/communes/<int:commune_id>/mentoring/contacts")
@policy.requires("mentoring.guide")
def log_contact(commune_id: int) -> Any:
    """Log a contact from the form posted without a script (the script sends the same through the outbox)."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("mentoring.guide", commune)
    form = _contact_form(services.mentees(current_user.id), _lang())
    if form.validate_on_submit():
        try:
            fields = services.read_contact({k: getattr(form, k).data for k in
                                            ("mentee_id", "skill", "contacted_on", "note", "can_now")})
            services.record_contact(current_user, fields, actor=current_user, client_id=outbox.new_client_id("web"))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu lần hướng dẫn."), "success")
            return redirect(url_for("mentoring.mine", commune_id=commune.id))
    return _mine(commune, form), 422


@bp.post("/communes/<int:commune_id>/mentoring/contacts.json")
@policy.requires("mentoring.guide")
def sync_contacts(commune_id: int) -> Any:
    """Store contacts a phone logged (offline or not), each exactly once, and answer which were stored or refused."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("mentoring.guide", commune)
    ambassador = current_user._get_current_object()

    def handle(item: outbox.Item) -> None:
        fields = services.read_contact(item.fields)
        services.record_contact(ambassador, fields, actor=ambassador, client_id=item.client_id,
                                device_time=item.device_time)

    answer, status = outbox.receive(request.get_json(silent=True), known=services.known_contacts, handle=handle)
    return jsonify(answer), status


@bp.route("/communes/<int:commune_id>/mentoring/link", methods=["GET", "POST"])
@policy.requires("mentoring.guide")
def link(commune_id: int) -> Any:
    """Find a resident (by name or phone, within the ambassador's villages) and take them on as a mentee."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("mentoring.guide", commune)
    search = SearchForm(request.args)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            person = db.session.get(Person, inputs.record_id(form.person_id.data))
        except (TypeError, ValueError):  # not an id: a forged form
            person = None
        if person is None or person.commune_id != commune.id:
            flash(_("Không tìm thấy người này trong xã."), "error")
        else:
            policy.authorize("mentoring.guide", person)
            policy.authorize_over(person)
            try:
                services.link(current_user, person, commune_id=commune.id, actor=current_user)
            except DomainError as error:
                db.session.rollback()
                flash(str(error.message), "error")
            else:
                db.session.commit()
                flash(_("Đã nhận hướng dẫn %(name)s.", name=person.full_name), "success")
                return redirect(url_for("mentoring.mine", commune_id=commune.id))
    elif form.is_submitted():
        flash(_("Phiên làm việc đã hết hạn; vui lòng thử lại."), "error")
    query = (search.q.data or "").strip() if search.validate() else ""
    found = services.candidates(commune.id, query, villages=policy.village_ids(current_user, "mentoring.guide",
                                                                                commune.id)) if query else []
    return render_template("mentoring/link.html", commune=commune, search=search, form=form, found=found,
                           query=query)


@bp.post("/mentoring/links/<int:mentorship_id>/end")
@policy.requires("mentoring.link")
def end_link(mentorship_id: int) -> Any:
    """End a link: the ambassador stops guiding this person (their contacts stay)."""
    mentorship = db.get_or_404(Mentorship, mentorship_id)
    policy.authorize("mentoring.link", mentorship)
    services.end(mentorship, actor=current_user)
    db.session.commit()
    flash(_("Đã thôi hướng dẫn %(name)s.", name=mentorship.mentee.full_name), "success")
    if mentorship.ambassador_id == current_user.id:
        return redirect(url_for("mentoring.mine", commune_id=mentorship.commune_id))
    return redirect(url_for("mentoring.overview", commune_id=mentorship.commune_id))


@bp.get("/communes/<int:commune_id>/mentoring/ambassadors")
@policy.requires("mentoring.manage")
def overview(commune_id: int) -> str:
    """The officer's view: each ambassador's mentees against the target, the ones below it first."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("mentoring.manage", commune)
    rows = services.ambassadors(commune.id)
    return render_template("mentoring/overview.html", commune=commune, rows=rows,
                           target=services.target_for(commune.id), below=sum(1 for r in rows if r.below),
                           contacts=sum(r.contacts for r in rows), month=local_today())


@bp.route("/communes/<int:commune_id>/mentoring/settings", methods=["GET", "POST"])
@policy.requires("mentoring.manage")
def settings(commune_id: int) -> Any:
    """Set how many people each ambassador of the commune should guide."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("mentoring.manage", commune)
    form = TargetForm(data={"mentee_target": services.target_for(commune.id)})
    if form.validate_on_submit():
        try:
            services.save_target(commune, form.mentee_target.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu chỉ tiêu của xã."), "success")
            return redirect(url_for("mentoring.overview", commune_id=commune.id))
    return render_template("mentoring/settings.html", commune=commune, form=form, default=services.DEFAULT_TARGET)


def _helpdesk_form(commune: Commune) -> HelpdeskForm:
    form = HelpdeskForm()
    form.service.choices = [("", _("— Chọn việc —")), *((k, str(v)) for k, v in desk.SERVICES.items())]
    form.age_band.choices = [("", _("Không rõ")), *((k, str(v)) for k, v in AGE_BAND_LABELS.items())]
    villages = db.session.execute(db.select(Village.id, Village.name).where(Village.commune_id == commune.id)
                                  .order_by(Village.name)).all()
    form.village_id.choices = [("", _("Không rõ")), *((str(v.id), v.name) for v in villages)]
    if not form.is_submitted():
        form.helped_on.data = local_today()
    return form


@bp.route("/communes/<int:commune_id>/helpdesk", methods=["GET", "POST"])
@policy.requires("mentoring.helpdesk")
def helpdesk(commune_id: int) -> Any:
    """The office help desk: log a citizen helped with an online public service; this month's entries."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("mentoring.helpdesk", commune)
    form = _helpdesk_form(commune)
    status = 200
    if form.validate_on_submit():
        village = form.village_id.data
        fields = desk.HelpdeskFields(
            helped_on=form.helped_on.data, service=form.service.data, phone=(form.phone.data or "").strip(),
            age_band=form.age_band.data or "", village_id=inputs.record_id(village) if village else None,
            note=form.note.data or "")
        try:
            desk.record(commune, current_user, fields, client_id=outbox.new_client_id("web"))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Đã ghi một lượt hỗ trợ."), "success")
            return redirect(url_for("mentoring.helpdesk", commune_id=commune.id))
    elif form.is_submitted():
        status = 422
    rows, counts = desk.month(commune.id)
    return render_template("mentoring/helpdesk.html", commune=commune, form=form, rows=rows, counts=counts,
                           services_=desk.SERVICES, bands=AGE_BAND_LABELS, month=local_today()), status
