"""Teams of a commune (officers set them up), a team's members, its plan on a phone, and recording visits."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app import inputs, outbox, policy
from app.errors import DomainError
from app.extensions import db
from app.people import services as people
from app.people.models import Household, Person
from app.places.models import Commune, Village
from app.teams import bp, demo, indicators, personal, plan, services  # noqa: F401  (they register themselves)
from app.teams.forms import PersonForm, TeamForm
from app.teams.kinds import HELP_KINDS
from app.teams.models import Team, TeamMember, Visit
from app.transactions import read_only
from app.vietnam import local_today

SEARCH_SHOWN = 20


def _team(team_id: int, action: str) -> Team:
    team = db.session.scalars(select(Team).where(Team.id == team_id).options(
        selectinload(Team.members).selectinload(TeamMember.person), selectinload(Team.village))).first()
    if team is None:
        abort(404)
    policy.authorize(action, team)
    return team


def _person(team: Team, form: PersonForm) -> Person:
    """The person a member form names, within the team's commune (another commune's id is not found)."""
    try:
        person_id = inputs.record_id(form.person_id.data)
    except (TypeError, ValueError):
        abort(404)
    person = db.session.get(Person, person_id)
    if person is None or person.commune_id != team.commune_id:
        abort(404)
    return person


@bp.get("/communes/<int:commune_id>")
@read_only
@policy.requires("teams.view")
def index(commune_id: int) -> str:
    """List the commune's teams (those of the user's villages) with how far each has gone; officers add teams."""
    commune = db.session.get(Commune, commune_id) or abort(404)
    policy.authorize("teams.view", commune)
    villages = policy.village_ids(current_user, "teams.view", commune.id)
    query = select(Team).where(Team.commune_id == commune.id).options(selectinload(Team.village))
    if villages is not None:
        query = query.where(Team.village_id.in_(villages))
    teams = sorted(db.session.scalars(query), key=lambda t: t.village.name)
    ids = [t.village_id for t in teams]
    households = dict(db.session.execute(select(Household.village_id, func.count()).where(
        Household.village_id.in_(ids)).group_by(Household.village_id)).all())
    visited = dict(db.session.execute(select(Visit.village_id, func.count(distinct(Visit.household_id))).where(
        Visit.village_id.in_(ids)).group_by(Visit.village_id)).all())
    members = dict(db.session.execute(select(TeamMember.team_id, func.count()).where(
        TeamMember.team_id.in_([t.id for t in teams])).group_by(TeamMember.team_id)).all())
    form = None
    if policy.can(current_user, "teams.manage", commune):
        form = _team_form(commune, teams)
    return render_template("teams/index.html", commune=commune, teams=teams, households=households,
                           visited=visited, members=members, form=form)


def _team_form(commune: Commune, teams: list[Team]) -> TeamForm | None:
    taken = {t.village_id for t in teams}
    free = [v for v in commune.villages if v.id not in taken]
    form = TeamForm()
    form.village_id.choices = [(v.id, v.name) for v in free]
    return form if free else None


@bp.post("/communes/<int:commune_id>/new")
@policy.requires("teams.manage")
def create(commune_id: int) -> Any:
    """Create the team of a village."""
    commune = db.session.get(Commune, commune_id) or abort(404)
    policy.authorize("teams.manage", commune)
    form = TeamForm()
    form.village_id.choices = [(v.id, v.name) for v in commune.villages]
    if form.validate_on_submit():
        village = db.session.get(Village, form.village_id.data)
        try:
            team = services.create_team(commune, village, form.name.data or "", actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Đã lập %(name)s. Bây giờ hãy thêm thành viên.", name=team.name), "success")
            return redirect(url_for("teams.show", team_id=team.id))
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors) or _("Hãy chọn thôn."), "error")
    return redirect(url_for("teams.index", commune_id=commune.id))


@bp.get("/<int:team_id>")
@read_only
@policy.requires("teams.view")
def show(team_id: int) -> str:
    """Show a team's members; an officer finds people of the village or commune to add."""
    team = _team(team_id, "teams.view")
    query = (request.args.get("q") or "").strip()[:80]
    found: list[Person] = []
    manage = policy.can(current_user, "teams.manage", team)
    if manage and query:
        found = list(db.session.scalars(people.search(team.commune_id, query).limit(SEARCH_SHOWN)))
    return render_template("teams/show.html", team=team, query=query, found=found, manage=manage,
                           form=PersonForm())


def _member_action(team_id: int, act: Any, message: Any) -> Response:
    team = _team(team_id, "teams.manage")
    form = PersonForm()
    if not form.validate_on_submit():
        flash(_("Hãy chọn một người."), "error")
        return redirect(url_for("teams.show", team_id=team.id))
    person = _person(team, form)
    policy.authorize_over(person)
    try:
        act(team, person)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(message(person.full_name), "success")
    return redirect(url_for("teams.show", team_id=team.id))


@bp.post("/<int:team_id>/members")
@policy.requires("teams.manage")
def add_member(team_id: int) -> Response:
    """Add a person to the team."""
    return _member_action(team_id, lambda t, p: services.add_member(t, p, actor=current_user),
                          lambda name: _("Đã thêm %(name)s vào tổ.", name=name))


@bp.post("/<int:team_id>/members/remove")
@policy.requires("teams.manage")
def remove_member(team_id: int) -> Response:
    """Take a person out of the team."""
    return _member_action(team_id, lambda t, p: services.remove_member(t, p, actor=current_user),
                          lambda name: _("Đã đưa %(name)s ra khỏi tổ.", name=name))


@bp.post("/<int:team_id>/leader")
@policy.requires("teams.manage")
def set_leader(team_id: int) -> Response:
    """Make a member the team's leader."""
    return _member_action(team_id, lambda t, p: services.set_leader(t, p),
                          lambda name: _("%(name)s là tổ trưởng.", name=name))


def _week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def _render_plan(team: Team, entered: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    today = local_today()
    roster = plan.roster(team)
    chosen = entered.get("household_id") if entered else request.args.get("household_id", type=inputs.record_id)
    household = next((h for h in roster if str(h["id"]) == str(chosen)), None)
    me = current_user.id
    return render_template(
        "teams/plan.html", team=team, today=today, week_end=_week_end(today),
        progress=plan.progress(team, today), not_visited=plan.not_visited(team),
        follow_ups=plan.follow_ups(team, _week_end(today)), recent=plan.recent(team), roster=roster,
        household=household, kinds=HELP_KINDS,
        kind_labels=[[code, str(kind.label)] for code, kind in HELP_KINDS.items()], entered=entered or {},
        visitors=set(entered.get("visitors", [])) if entered else {me},
    ), status


@bp.get("/<int:team_id>/plan")
@read_only
@policy.requires("teams.view")
def plan_page(team_id: int) -> tuple[str, int]:
    """The team's plan on a phone: households not visited yet, follow-ups due this week, recent visits, and the
    form to record a visit (which works offline)."""
    team = _team(team_id, "teams.view")
    return _render_plan(team)


def _form_fields() -> dict[str, Any]:
    form = request.form
    return {
        "household_id": form.get("household_id", ""), "visited_on": form.get("visited_on", ""),
        "visitors": form.getlist("visitor"), "still_needed": form.get("still_needed", ""),
        "follow_up_on": form.get("follow_up_on", ""),
        "helps": {key[len("help-"):]: form.getlist(key) for key in form if key.startswith("help-")},
    }


def _actor() -> Person:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _may_act_on(person: Person) -> bool:
    return policy.outranks(current_user, person)


@bp.post("/<int:team_id>/visits")
@policy.requires("teams.visit")
def record_visit(team_id: int) -> Any:
    """Record a visit from the plain form (the page without JavaScript)."""
    team = _team(team_id, "teams.visit")
    fields = _form_fields()
    try:
        visit = services.record_visit(team, services.read_visit(fields), actor=_actor(),
                                      client_id=outbox.new_client_id("web"), may_act_on=_may_act_on)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _render_plan(team, fields, 422)
    db.session.commit()
    flash(_("Đã ghi lần đến nhà %(address)s.", address=visit.household.address), "success")
    return redirect(url_for("teams.plan_page", team_id=team.id))


@bp.post("/<int:team_id>/visits.json")
@policy.requires("teams.visit")
def sync_visits(team_id: int) -> tuple[Response, int]:
    """Take visits a phone recorded (offline perhaps): each stored once, however often it is sent."""
    team = _team(team_id, "teams.visit")
    actor = _actor()
    answer, status = outbox.receive(
        request.get_json(silent=True), known=services.known_client_ids,
        handle=lambda item: services.record_visit(
            team, services.read_visit(item.fields), actor=actor, client_id=item.client_id,
            device_time=item.device_time, may_act_on=_may_act_on))
    return jsonify(answer), status

