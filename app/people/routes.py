"""People and households of a commune: find, add, correct, see one's own data, erase."""
from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import inputs, policy, spreadsheets
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.forms import choices
from app.people import bp, importer, names, privacy_routes, rights, services  # noqa: F401  (routes live in both)
from app.people.forms import EraseForm, HouseholdForm, PersonForm, RoleForm, WithdrawForm, consent_form
from app.people.models import Household, Person
from app.places.models import Commune, Village

PAGE_SIZE = 30


def _page_number() -> int:
    return request.args.get("page", 1, type=inputs.page_number)


def _place_choices(form: PersonForm, commune: Commune, villages: set[int] | None) -> None:
    """Offer the commune's villages and households — only their own village's to a village-scoped member."""
    unknown = [(0, _("— Chưa rõ —"))] if villages is None else []
    form.village_id.choices = choices(unknown + [(v.id, v.name) for v in commune.villages
                                                 if villages is None or v.id in villages])
    stmt = select(Household).where(Household.commune_id == commune.id)
    if villages is not None:
        stmt = stmt.where(Household.village_id.in_(villages))
    households = db.session.scalars(stmt.order_by(Household.address).limit(500)).all()
    form.household_id.choices = choices([(0, _("— Không ghi —"))] + [(h.id, f"{h.address} ({h.village.name})")
                                                                       for h in households])


def _person_values(form: PersonForm, commune: Commune, villages: set[int] | None) -> dict[str, Any]:
    village = db.session.get(Village, form.village_id.data) if form.village_id.data else None
    household = db.session.get(Household, form.household_id.data) if form.household_id.data else None
    if household is not None and household.commune_id != commune.id:
        household = None
    if villages is not None and (village is None or village.id not in villages):
        raise DomainError(_l("Bạn chỉ thêm và sửa được người dân của thôn mình."), field="village_id")
    if household is not None and villages is not None and household.village_id not in villages:
        household = None
    return {"full_name": form.full_name.data or "", "birth_year": form.birth_year.data, "village": village,
            "phone": form.phone.data, "gender": form.gender.data or None, "tags": form.tags.data or [],
            "household": household}


@bp.get("/communes/<int:commune_id>/people")
@policy.requires("people.search")
def index(commune_id: int) -> str:
    """List and search the people of a commune."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("people.search", commune)
    query = request.args.get("q", "")
    village_id = request.args.get("village", type=inputs.record_id)
    villages = policy.village_ids(current_user, "people.search", commune.id)
    page = db.paginate(services.search(commune.id, query, village_id, villages=villages), per_page=PAGE_SIZE,
                       page=_page_number(), error_out=False)
    return render_template("people/index.html", commune=commune, page=page, q=query, village_id=village_id)


@bp.route("/communes/<int:commune_id>/people/new", methods=["GET", "POST"])
@policy.requires("people.create")
def new(commune_id: int) -> Any:
    """Add a person to a commune."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("people.create", commune)
    villages = policy.village_ids(current_user, "people.create", commune.id)
    form = PersonForm()
    _place_choices(form, commune, villages)
    if form.validate_on_submit():
        try:
            person = services.create_person(commune=commune, created_by=current_user,
                                            **_person_values(form, commune, villages))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "full_name")
        else:
            db.session.commit()
            flash(_("Đã thêm %(name)s. Hãy ghi nhận sự đồng ý xử lý dữ liệu của người này.", name=person.full_name),
                  "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, commune=commune, person=None)


@bp.get("/people/<int:person_id>")
@policy.requires("people.view")
def show(person_id: int) -> str:
    """Show a person's record: details, consents, roles and sign-in."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.view", person)
    # Disability is sensitive: only officers (and the person) learn that a record or its consent exists.
    sensitive = _sees_sensitive(person)
    disability: tuple[list[str], str] | None = None
    if person.disability is not None and policy.can(current_user, "people.sensitive", person):
        disability = services.read_disability(person, actor=current_user,
                                              secret=current_app.config["DATA_ENCRYPTION_KEY"])
        db.session.commit()
    role_form = RoleForm()
    role_form.village_id.choices = choices([(0, _("Cả xã"))] + [(v.id, v.name) for v in person.commune.villages])
    return render_template("people/show.html", person=person, disability=disability,
                           audiences=services.visible_audiences(person, sensitive=sensitive),
                           consents=services.visible_consents(person, sensitive=sensitive),
                           outranked=policy.outranks(current_user, person),
                           sensitive=sensitive,
                           consent_form=consent_form(sensitive=sensitive), withdraw_form=WithdrawForm(),
                           role_form=role_form)


def _sees_sensitive(person: Person) -> bool:
    return person.id == current_user.id or policy.can(current_user, "people.sensitive", person)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@policy.requires("people.manage")
def edit(person_id: int) -> Any:
    """Correct a person's record."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.manage", person)
    if person.id != current_user.id:  # correcting one's own record is everyone's right
        policy.authorize_over(person)
    form = PersonForm(obj=person)
    if not form.is_submitted():
        # The model's own attributes (tag rows, nullable ids) are not what the fields hold.
        form.tags.data = [t.tag for t in person.tags]
        form.village_id.data, form.household_id.data = person.village_id or 0, person.household_id or 0
        form.gender.data = person.gender or ""
    villages = policy.village_ids(current_user, "people.manage", person.commune_id)
    _place_choices(form, person.commune, villages)
    if form.validate_on_submit():
        try:
            services.update_person(person, actor=current_user, **_person_values(form, person.commune, villages))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "full_name")
        else:
            db.session.commit()
            flash(_("Đã lưu."), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, commune=person.commune, person=person)


@bp.get("/people/<int:person_id>/data.json")
@policy.requires("people.view")
def personal_data(person_id: int) -> Any:
    """Give a person (or the officer helping them) everything held about them."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.view", person)
    services.audit(current_user, person, "data.access")
    db.session.commit()
    response = jsonify(services.personal_data(person, sensitive=_sees_sensitive(person)))
    response.headers["Content-Disposition"] = f"attachment; filename=du-lieu-ca-nhan-{person.id}.json"
    return response


def _erasable(person_id: int) -> Person:
    """Load a person the current user may erase (404, or 403 below their rank), as both erase routes do."""
    person = db.get_or_404(Person, person_id)
    policy.authorize("people.manage", person)
    policy.authorize_over(person)
    return person


def _render_erase(person: Person, form: EraseForm, status: int = 200) -> Any:
    return render_template("people/confirm_erase.html", person=person, form=form), status


@bp.get("/people/<int:person_id>/erase")
@policy.requires("people.manage")
def confirm_erase(person_id: int) -> Any:
    """Say what erasing a person's data deletes, that it cannot be undone, and ask for their name to confirm."""
    person = _erasable(person_id)
    if person.erased_at is not None:
        flash(_("Dữ liệu nhận dạng của người này đã được xóa theo yêu cầu."), "warning")
        return redirect(url_for("people.show", person_id=person.id))
    return _render_erase(person, EraseForm())


@bp.post("/people/<int:person_id>/erase")
@policy.requires("people.manage")
def erase(person_id: int) -> Any:
    """Erase a person's identifying data at their request, once their full name has been typed to confirm."""
    person = _erasable(person_id)
    if person.erased_at is not None:
        flash(_("Dữ liệu nhận dạng của người này đã được xóa theo yêu cầu."), "warning")
        return redirect(url_for("people.show", person_id=person.id))
    form = EraseForm()
    if not form.confirmed:  # an old one-tap button or a forged post: show what it would delete first
        return redirect(url_for("people.confirm_erase", person_id=person.id))
    if not form.validate_on_submit():
        return _render_erase(person, form, 400)
    if not rights.names_match(form.full_name.data, person.full_name):
        form.full_name.errors = [_("Họ tên bạn gõ không khớp với \"%(name)s\". Chưa xóa gì; hãy gõ lại đúng họ và "
                                   "tên.", name=person.full_name)]
        return _render_erase(person, form, 400)
    services.erase_person(person, actor=current_user)
    db.session.commit()
    flash(_("Đã xóa vĩnh viễn họ tên, số điện thoại, tài khoản và các dữ liệu nhận dạng khác của người này. Số liệu "
            "thống kê ẩn danh vẫn được giữ."), "success")
    return redirect(url_for("people.index", commune_id=person.commune_id))


@bp.get("/communes/<int:commune_id>/people/export.<fmt>")
@policy.requires("people.export")
def export(commune_id: int, fmt: str) -> Response:
    """Download the commune's people list as Excel or CSV (the same columns the import reads)."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("people.export", commune)
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    headers, rows = importer.export_rows(commune)
    services.audit(current_user, None, "people.export", f"commune={commune.id}")
    db.session.commit()
    return spreadsheets.download(fmt, headers, rows, name=f"Người dân - {commune.name}", sheet=_("Người dân"))


# --- households ------------------------------------------------------------------------------

@bp.get("/communes/<int:commune_id>/households")
@policy.requires("households.manage")
def households(commune_id: int) -> str:
    """List a commune's households with their members."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("households.manage", commune)
    stmt = select(Household).where(Household.commune_id == commune.id).order_by(Household.village_id,
                                                                                 Household.address)
    if (villages := policy.village_ids(current_user, "households.manage", commune.id)) is not None:
        stmt = stmt.where(Household.village_id.in_(villages))
    page = db.paginate(stmt, per_page=PAGE_SIZE, page=_page_number(), error_out=False)
    return render_template("people/households.html", commune=commune, page=page)


@bp.route("/communes/<int:commune_id>/households/new", methods=["GET", "POST"])
@policy.requires("households.manage")
def new_household(commune_id: int) -> Any:
    """Add a household."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("households.manage", commune)
    villages = policy.village_ids(current_user, "households.manage", commune.id)
    form = HouseholdForm()
    form.village_id.choices = choices((v.id, v.name) for v in commune.villages if villages is None or v.id in villages)
    if form.validate_on_submit():
        village = db.session.get(Village, form.village_id.data)
        if village is None or village.commune_id != commune.id or (villages is not None and village.id not in villages):
            form.village_id.errors = [_("Thôn/tổ dân phố không thuộc xã này.")]
        else:
            try:
                services.create_household(village=village, address=form.address.data or "", actor=current_user)
            except DomainError as error:
                show_on_form(form, error, "address")
            else:
                db.session.commit()
                flash(_("Đã thêm hộ gia đình."), "success")
                return redirect(url_for("people.households", commune_id=commune.id))
    return render_template("people/household_form.html", form=form, commune=commune)

