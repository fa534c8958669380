"""Every route against every role: the access matrix. A route missing here, or without a policy marker, fails."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.config import TEST_OVERRIDES
from app.extensions import db
from app.imports import services as imports
from app.people import services as people
from app.policy import PUBLIC, Role
from tests import factories
from tests.conftest import session_user_id, wipe

ANON, LEARNER, INSTRUCTOR, AMBASSADOR, TEAM, OFFICER, LEADER, YOUTH, ADMIN, OUTSIDER = (
    "anonymous", "learner", "instructor", "ambassador", "team_member", "officer", "leader", "youth_organiser",
    "admin", "outsider")
ROLES = (ANON, LEARNER, INSTRUCTOR, AMBASSADOR, TEAM, OFFICER, LEADER, YOUTH, ADMIN, OUTSIDER)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANON}
STAFF = frozenset({INSTRUCTOR, AMBASSADOR, TEAM, OFFICER, YOUTH, ADMIN})
OFFICE = frozenset({OFFICER, ADMIN})
# Who takes part in classes (a commune leader holding no other role only reads the figures).
MEMBERS = SIGNED_IN - {LEADER}
# The commune's figures and reports: kept by officers and the commune's leaders (who have no other page).
FIGURES = frozenset({OFFICER, LEADER, ADMIN})


def _(*roles: str) -> frozenset[str]:
    return frozenset(roles)


# Who may use each route on things of commune A. "learner" is the subject person themself;
# "outsider" is an officer of another commune.
EXPECTED: dict[str, frozenset[str]] = {
    "static": EVERYONE,
    "home.index": EVERYONE,
    "home.healthz": EVERYONE,
    "home.set_language": EVERYONE,
    "home.set_text_size": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": EVERYONE,
    "auth.account": SIGNED_IN,
    "auth.credentials": _(OFFICER, INSTRUCTOR, ADMIN),
    "auth.unlock": _(OFFICER, INSTRUCTOR, ADMIN),
    "auth.vouch": _(OFFICER, INSTRUCTOR, ADMIN),
    "auth.vneid_login": EVERYONE,
    "auth.vneid_callback": EVERYONE,
    "auth.vneid_confirm": EVERYONE,
    # The bundled mock VNeID provider: a separate "site", open to all (and off unless configured).
    "mockvneid.index": EVERYONE,
    "mockvneid.discovery": EVERYONE,
    "mockvneid.jwks": EVERYONE,
    "mockvneid.authorize": EVERYONE,
    "mockvneid.token": EVERYONE,
    "mockvneid.userinfo": EVERYONE,
    "mockvneid.end_session": EVERYONE,
    "places.communes": _(ADMIN),
    "places.commune": STAFF,
    "places.add_village": OFFICE,
    "places.edit_village": OFFICE,
    "places.delete_village": OFFICE,
    "places.new_venue": OFFICE,
    "places.edit_venue": OFFICE,
    "people.index": STAFF,
    "people.new": STAFF,
    "people.show": STAFF | {LEARNER},
    "people.edit": OFFICE,
    "people.personal_data": STAFF | {LEARNER},
    "people.erase": OFFICE,
    "people.confirm_erase": OFFICE,
    "people.export": OFFICE,
    "people.households": _(OFFICER, TEAM, ADMIN),
    "people.new_household": _(OFFICER, TEAM, ADMIN),
    "people.add_consent": STAFF | {LEARNER},
    "people.withdraw_consent": STAFF | {LEARNER},
    "people.disability": OFFICE,
    "people.grant_role": OFFICE,
    "people.revoke_role": OFFICE,
    "imports.new": OFFICE,
    "imports.show": OFFICE,
    "imports.apply": OFFICE,
    "imports.template": _(OFFICER, INSTRUCTOR, YOUTH, ADMIN, OUTSIDER),
    "catalog.index": EVERYONE,
    "catalog.module": EVERYONE,
    "catalog.lesson": EVERYONE,
    "catalog.lesson_done": SIGNED_IN,
    "catalog.media": EVERYONE,
    "quizzes.overview": SIGNED_IN,
    "quizzes.start": SIGNED_IN,
    "quizzes.assisted": _(OFFICER, INSTRUCTOR, ADMIN),
    "quizzes.attempt": _(LEARNER, ADMIN),
    "quizzes.answer": _(LEARNER, ADMIN),
    "quizzes.save_answers": _(LEARNER, ADMIN),
    "quizzes.submit": _(LEARNER, ADMIN),
    "quizzes.results": _(LEARNER, OFFICER, INSTRUCTOR, ADMIN),
    "quizzes.settings": OFFICE,
    "quizzes.class_results": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "quizzes.class_practical": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "quizzes.tick_practical": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "kiosk.start": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "kiosk.stop": EVERYONE,
    "kiosk.home": EVERYONE,
    "kiosk.pin": EVERYONE,
    "kiosk.card": EVERYONE,
    "kiosk.me": SIGNED_IN,
    "kiosk.done": EVERYONE,
    "kiosk.checkin": MEMBERS,
    "kiosk.settings_page": OFFICE,
    "kiosk.print_card": _(OFFICER, INSTRUCTOR, ADMIN),
    "certificates.class_completion": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "certificates.confirm": OFFICE,
    "certificates.issue": OFFICE,
    "certificates.class_zip": OFFICE,
    "certificates.mine": SIGNED_IN,
    "certificates.download": _(LEARNER, OFFICER, ADMIN),
    "certificates.credential_json": _(LEARNER, OFFICER, ADMIN),
    "certificates.manage": OFFICE,
    "certificates.revoke": OFFICE,
    "certificates.reissue": OFFICE,
    "certificates.rules": OFFICE,
    "certificates.verify_form": EVERYONE,
    "certificates.verify": EVERYONE,
    "certificates.verify_json": EVERYONE,
    "certificates.jwks": EVERYONE,
    "certificates.issuer": EVERYONE,
    "certificates.status_list": EVERYONE,
    # Classes: "instructor" is assigned to the world's class; ambassadors and team members are not.
    "classes.index": STAFF,
    "classes.export": _(OFFICER, YOUTH, ADMIN),
    "classes.new": _(OFFICER, YOUTH, ADMIN),
    "classes.show": STAFF | {LEARNER},
    "classes.open_list": MEMBERS,
    "classes.edit": _(OFFICER, YOUTH, ADMIN),
    "classes.set_status": _(OFFICER, YOUTH, ADMIN),
    "classes.confirm_cancel": _(OFFICER, YOUTH, ADMIN),
    "classes.cancel": _(OFFICER, YOUTH, ADMIN),
    "classes.confirm_restore": _(OFFICER, YOUTH, ADMIN),
    "classes.restore": _(OFFICER, YOUTH, ADMIN),
    "classes.roster": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.enrol_person": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.walk_in": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.seat": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.withdraw": _(LEARNER, INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.confirm_withdraw": _(LEARNER, INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.join": STAFF | {LEARNER},
    "classes.new_session": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.series": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.edit_session": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.cancel_session": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.restore_session": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.class_calendar": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "classes.instructor_calendar": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),  # the instructor's own calendar
    "classes.venue_calendar": STAFF,
    "classes.venue_week": STAFF,
    # Calendar feeds are public routes that answer 404 unless the secret token matches.
    "classes.class_ics": EVERYONE,
    "classes.instructor_ics": EVERYONE,
    "classes.venue_ics": EVERYONE,
    # Attendance: roll call, QR screen and paper sheet for the class's staff (the world's instructor), officers and
    # youth organisers; learners check themselves in; reports for the commune's follow-up roles.
    "attendance.roll_call": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.mark": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.sync": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.history": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.sheet_pdf": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.paper": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.qr": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.qr_state": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.qr_image": _(INSTRUCTOR, OFFICER, YOUTH, ADMIN),
    "attendance.scan": EVERYONE,  # public: it only checks the code and remembers the scan; a wrong code is refused
    "attendance.checkin": MEMBERS,
    "attendance.enrol": MEMBERS,
    "attendance.commune_report": _(OFFICER, YOUTH, TEAM, ADMIN),
    "attendance.absentees_export": _(OFFICER, YOUTH, TEAM, ADMIN),
    "attendance.class_report": _(INSTRUCTOR, OFFICER, YOUTH, TEAM, ADMIN),
    "attendance.class_export": _(INSTRUCTOR, OFFICER, YOUTH, TEAM, ADMIN),
    "attendance.settings_page": OFFICE,
    "reports.dashboard": FIGURES | {YOUTH, TEAM},
    "reports.dashboard_download": FIGURES | {YOUTH, TEAM},
    "reports.compare": _(ADMIN),
    "reports.targets": FIGURES,
    "reports.populations": FIGURES,
    "reports.populations_import": FIGURES,
    "reports.entries": FIGURES,
    "reports.tasks": FIGURES | {YOUTH, TEAM},
    "reports.task_new": FIGURES,
    "reports.task_edit": FIGURES,
    "reports.settings": FIGURES,
    "reports.units": FIGURES,
    # The world's report is the commune's own draft: a village team sees the index (its village's unit) but not the
    # commune's report until it is sent.
    "reports.index": FIGURES | {YOUTH, TEAM},
    "reports.open": FIGURES,
    "reports.edit": FIGURES | {YOUTH},
    "reports.submit": FIGURES,
    "reports.new_version": FIGURES,
    "reports.download": FIGURES | {YOUTH},
    # A person's digital skills: the commune's helpers who meet residents (a village team only its village) and the
    # person themself.
    "digital.person": _(LEARNER, INSTRUCTOR, AMBASSADOR, TEAM, OFFICER, ADMIN),
    "digital.record": _(LEARNER, INSTRUCTOR, AMBASSADOR, TEAM, OFFICER, ADMIN),
    # Digital families: the commune's figure for those who follow it; the list of households for those who visit.
    "families.coverage": _(OFFICER, LEADER, YOUTH, TEAM, ADMIN),
    "families.uncovered": _(OFFICER, TEAM, ADMIN),
    "families.uncovered_export": _(OFFICER, TEAM, ADMIN),
    "families.settings_page": OFFICE,
    "families.set_alley": _(OFFICER, TEAM, ADMIN),
    # Digital ambassadors: their own page and contacts; the officer links mentees, sees the overview, keeps the desk.
    "mentoring.mine": _(AMBASSADOR, ADMIN),
    "mentoring.log_contact": _(AMBASSADOR, ADMIN),
    "mentoring.sync_contacts": _(AMBASSADOR, ADMIN),
    "mentoring.link": _(AMBASSADOR, ADMIN),
    "mentoring.end_link": _(AMBASSADOR, OFFICER, ADMIN),  # the world's ambassador is the mentor
    "mentoring.overview": OFFICE,
    "mentoring.settings": OFFICE,
    "mentoring.helpdesk": OFFICE,
    # Community technology teams: the world's team is the team member's village's.
    "teams.index": _(OFFICER, TEAM, ADMIN),
    "teams.create": OFFICE,
    "teams.show": _(OFFICER, TEAM, ADMIN),
    "teams.add_member": OFFICE,
    "teams.remove_member": OFFICE,
    "teams.set_leader": OFFICE,
    "teams.plan_page": _(OFFICER, TEAM, ADMIN),
    "teams.record_visit": _(OFFICER, TEAM, ADMIN),
    "teams.sync_visits": _(OFFICER, TEAM, ADMIN),
    # events: planning, sign-up, roster (app/events/plan_routes.py)
    # Planning: organisers change; the commune's leaders follow. Staff who are not organisers see the list of the
    # events they are rostered on (none in the world), not the event's pages.
    "events.index": _(OFFICER, LEADER, YOUTH, ADMIN, INSTRUCTOR, AMBASSADOR, TEAM),
    "events.new": _(OFFICER, YOUTH, ADMIN),
    "events.show": _(OFFICER, LEADER, YOUTH, ADMIN),
    "events.edit": _(OFFICER, YOUTH, ADMIN),
    "events.toggle_signup": _(OFFICER, YOUTH, ADMIN),
    "events.add_station": _(OFFICER, YOUTH, ADMIN),
    "events.edit_station": _(OFFICER, YOUTH, ADMIN),
    "events.remove_station": _(OFFICER, YOUTH, ADMIN),
    "events.move_station": _(OFFICER, YOUTH, ADMIN),
    "events.roster": _(OFFICER, LEADER, YOUTH, ADMIN),
    "events.add_shift": _(OFFICER, YOUTH, ADMIN),
    "events.remove_shift": _(OFFICER, YOUTH, ADMIN),  # the world's shift is the instructor's: still not theirs to drop
    "events.materials": _(OFFICER, LEADER, YOUTH, ADMIN),
    "events.poster": _(OFFICER, LEADER, YOUTH, ADMIN),
    # The public sign-up page; the participants list for those running the day, its export for the organisers.
    "events.signup": EVERYONE,
    "events.participants": _(OFFICER, YOUTH, ADMIN),
    "events.participants_export": _(OFFICER, YOUTH, ADMIN),
    # events: the gate and the stations (app/events/run_routes.py)
    "events.gate": _(OFFICER, YOUTH, ADMIN),
    "events.register": _(OFFICER, YOUTH, ADMIN),
    "events.badge": _(OFFICER, YOUTH, ADMIN),
    "events.station": _(OFFICER, YOUTH, ADMIN),
    "events.record_visit": _(OFFICER, YOUTH, ADMIN),
    "events.sync": _(OFFICER, YOUTH, ADMIN),
    # events: the live board (app/events/live_routes.py)
    # Public: a television opens them with the event's board key (a wrong key, or a signed-in person who may not view
    # the event, is answered 404 inside, like the kiosk); replacing the key is for the commune's organisers.
    "events.live_board": EVERYONE,
    "events.live_json": EVERYONE,
    "events.live_stream": EVERYONE,
    "events.live_key": _(OFFICER, YOUTH, ADMIN),
    # events: the summary and afterwards (app/events/summary_routes.py)
    # The figures for whoever follows the event; following up people is the organisers'; certificates the office's.
    "events.summary": _(OFFICER, LEADER, YOUTH, ADMIN),
    "events.summary_pdf": _(OFFICER, LEADER, YOUTH, ADMIN),
    "events.summary_docx": _(OFFICER, LEADER, YOUTH, ADMIN),
    "events.followup_page": _(OFFICER, YOUTH, ADMIN),
    "events.followup_enrol": _(OFFICER, YOUTH, ADMIN),
    "events.followup_enrol_one": _(OFFICER, YOUTH, ADMIN),  # the world's participant is the learner: outranked
    "events.issue_volunteer_certificates": OFFICE,
    "events.volunteer_certificates_zip": OFFICE,
    # Markets (the 4T model): the world's market is in the team member's village.
    "markets.index": _(OFFICER, LEADER, YOUTH, TEAM, ADMIN),
    "markets.new_market": OFFICE,
    "markets.edit_market": OFFICE,
    "markets.show": _(OFFICER, YOUTH, TEAM, ADMIN),
    "markets.toggle": _(OFFICER, YOUTH, TEAM, ADMIN),
    "markets.new_stall": _(OFFICER, YOUTH, TEAM, ADMIN),
    "markets.edit_stall": _(OFFICER, YOUTH, TEAM, ADMIN),
    "markets.stall": _(OFFICER, YOUTH, TEAM, ADMIN),
    "markets.delete_stall": OFFICE,
}


@dataclass
class World:
    """Commune A with one person of each role, and an officer of commune B."""

    users: dict[str, Any]
    params: dict[str, Any]

    def param(self, name: str) -> Any:
        """Return a URL parameter, creating what it names the first time it is asked for."""
        if name not in self.params:
            PROVIDERS[name](self)
        return self.params[name]


# Objects some routes need, created only for those routes: URL parameter -> function that sets it.
PROVIDERS: dict[str, Callable[[World], None]] = {}


def provides(*names: str) -> Callable[[Callable[[World], None]], Callable[[World], None]]:
    """Register a function that creates objects and sets the given URL parameters."""
    def register(function: Callable[[World], None]) -> Callable[[World], None]:
        for name in names:
            PROVIDERS[name] = function
        return function
    return register


_COURSES: dict[str, Any] = {}


@provides("code", "slug", "folder", "filename")
def _module(world: World) -> None:
    from app.catalog import content
    from app.catalog import services as catalog
    from tests.conftest import ROOT

    if "courses" not in _COURSES:
        import shutil
        import tempfile
        from pathlib import Path

        root = Path(tempfile.mkdtemp()) / "courses"
        shutil.copytree(ROOT / "courses/framework", root / "framework")
        shutil.copytree(ROOT / "courses/modules/nct-01", root / "modules/nct-01")
        _COURSES["courses"] = content.read_courses(root)
    catalog.sync(_COURSES["courses"])
    module = catalog.module_by_code("NCT-01")
    world.params.update(code=module.code, slug=module.current.lessons[0].slug, folder="nct-01",
                        filename=next((ROOT / "courses/modules/nct-01/images").iterdir()).name)


@provides("token")
def _card_token(world: World) -> None:
    world.params["token"] = "not-a-real-card"


@provides("task_id")
def _task(world: World) -> None:
    from app.places.models import Commune
    from app.reports import services as reports

    commune = db.session.get(Commune, world.param("commune_id"))
    fields = reports.TaskFields("Mở lớp phổ cập kỹ năng số", "Đoàn Thanh niên xã", None, "Thường xuyên",
                                "not_started", "")
    world.params["task_id"] = reports.save_task(commune, None, fields, year=2026, actor=world.users[OFFICER]).id


@provides("report_id")
def _report(world: World) -> None:
    from app.reports.models import Report

    report = Report(commune_id=world.param("commune_id"), unit_id=None, year=2026, quarter=0, version=1,
                    status="draft", number="", sections={}, entered={})
    db.session.add(report)
    db.session.flush()
    world.params["report_id"] = report.id


@provides("attempt_id")
def _attempt(world: World) -> None:
    from app.catalog import services as catalog
    from app.extensions import utcnow
    from app.quizzes import services as quizzes

    world.param("code")
    learner = db.session.get(type(world.users[OFFICER]), getattr(world.users[LEARNER], "id", world.users[LEARNER]))
    attempt = quizzes.start_attempt(learner, catalog.module_by_code(world.params["code"]), now=utcnow())
    if "results" in world.params.get("_rule", ""):
        quizzes.submit(attempt, now=utcnow())
    world.params["attempt_id"] = attempt.id


@provides("class_id")
def _class(world: World) -> None:
    from app.places.models import Commune, Venue

    commune = db.session.get(Commune, world.params["commune_id"])
    klass = factories.school_class(commune, at=db.session.get(Venue, world.params["venue_id"]),
                                   instructors=(world.users[INSTRUCTOR],))
    world.params["class_id"] = klass.id


@provides("session_id")
def _session(world: World) -> None:
    from datetime import time, timedelta

    from app.classes import sessions
    from app.classes.models import Class

    klass = db.session.get(Class, world.param("class_id"))
    session = sessions.add_session(klass, on=klass.starts_on + timedelta(days=7), start=time(8), end=time(10),
                                   venue=klass.venue)
    world.params["session_id"] = session.id


@provides("serial")
def _certificate(world: World) -> None:
    from app.catalog import services as catalog
    from app.certificates import issuing
    from app.certificates.models import Completion
    from app.classes.models import Class
    from app.extensions import utcnow
    from app.people.models import Person
    from app.vietnam import local_today

    world.param("code")
    klass = db.session.get(Class, world.param("class_id"))
    learner = db.session.get(Person, getattr(world.users[LEARNER], "id", world.users[LEARNER]))
    module = catalog.module_by_code(world.params["code"])
    db.session.add(Completion(person_id=learner.id, commune_id=klass.commune_id, module_id=module.id,
                              module_version_id=module.current.id, class_id=klass.id, status="confirmed",
                              framework_version_id=module.current.framework_version_id, skills=["0.1"],
                              confirmed_at=utcnow()))
    db.session.flush()
    cert = issuing.issue(learner, klass, signer=issuing.Signer("Đỗ Thị Lan", "Cán bộ"), actor=None,
                         base_url="http://localhost", secret="test-data-key", today=local_today())
    world.params["serial"] = cert.serial


@provides("enrolment_id")
def _enrolment(world: World) -> None:
    from app.classes import enrolment
    from app.classes.models import Class

    klass = db.session.get(Class, world.param("class_id"))
    world.params["enrolment_id"] = enrolment.enrol(klass, world.users[LEARNER], source="staff").id


@provides("instructor_id")
def _instructor(world: World) -> None:
    world.params["instructor_id"] = world.users[INSTRUCTOR].id


@provides("qr_token")
def _qr_token(world: World) -> None:
    world.params["qr_token"] = "NOTAREALQRTOKEN0"


@provides("mentorship_id")
def _mentorship(world: World) -> None:
    from app.mentoring import services as mentoring
    from app.people.models import Person

    learner = db.session.get(Person, getattr(world.users[LEARNER], "id", world.users[LEARNER]))
    people.record_consent(learner, purpose="digital_support", method="paper", policy_version="test",
                          recorded_by=None)
    ambassador = db.session.get(Person, getattr(world.users[AMBASSADOR], "id", world.users[AMBASSADOR]))
    world.params["mentorship_id"] = mentoring.link(ambassador, learner, commune_id=world.params["commune_id"],
                                                   actor=None).id


def _team_village(world: World) -> Any:
    from app.people.models import Person
    from app.places.models import Village

    team_member = db.session.get(Person, getattr(world.users[TEAM], "id", world.users[TEAM]))
    return db.session.get(Village, team_member.role_assignments[0].village_id)


@provides("team_id")
def _team(world: World) -> None:
    from app.places.models import Commune
    from app.teams import services as teams

    commune = db.session.get(Commune, world.params["commune_id"])
    world.params["team_id"] = teams.create_team(commune, _team_village(world), "", actor=None).id


@provides("market_id")
def _market(world: World) -> None:
    from app.markets import services as markets
    from app.places.models import Commune

    commune = db.session.get(Commune, world.params["commune_id"])
    fields = markets.MarketFields(name="Chợ Tiên Minh", kind="market", village_id=_team_village(world).id)
    world.params["market_id"] = markets.save_market(commune, fields, actor=None).id


@provides("stall_id")
def _stall(world: World) -> None:
    from app.markets import services as markets
    from app.markets.models import Market

    market = db.session.get(Market, world.param("market_id"))
    world.params["stall_id"] = markets.save_stall(market, markets.StallFields(label="A-01"), actor=None).id


@provides("event_id")
def _event(world: World) -> None:
    import datetime as dt

    from app.events import planning
    from app.places.models import Commune, Venue
    from app.vietnam import local_today

    commune = db.session.get(Commune, world.params["commune_id"])
    event = planning.create_event(commune, kind="day", name="Ngày hội toàn dân học tập số", held_on=local_today(),
                                  opens_at=dt.time(7, 30), closes_at=dt.time(16, 30),
                                  venues=[db.session.get(Venue, world.params["venue_id"])], actor=None)
    world.params["event_id"] = event.id
    world.params["signup_code"] = event.signup_code


@provides("signup_code")
def _signup_code(world: World) -> None:
    world.param("event_id")


@provides("station_id")
def _station(world: World) -> None:
    from app.events import planning
    from app.events.models import Event

    event = db.session.get(Event, world.param("event_id"))
    world.params["station_id"] = planning.add_station(event, topic="vietqr").id


@provides("participant_id")
def _participant(world: World) -> None:
    from app.events import services as events
    from app.events.models import Event
    from app.people.models import Person

    event = db.session.get(Event, world.param("event_id"))
    learner = db.session.get(Person, getattr(world.users[LEARNER], "id", world.users[LEARNER]))
    world.params["participant_id"] = events.register(event, learner, source="gate", actor=None,
                                                     consent_method="verbal").id


@provides("shift_id")
def _shift(world: World) -> None:
    import datetime as dt

    from app.events.models import Event, Shift
    from app.people.models import Person

    event = db.session.get(Event, world.param("event_id"))
    instructor = db.session.get(Person, getattr(world.users[INSTRUCTOR], "id", world.users[INSTRUCTOR]))
    shift = Shift(event_id=event.id, person_id=instructor.id, duty="gate", starts_at=dt.time(7, 30),
                  ends_at=dt.time(11, 30))
    db.session.add(shift)
    db.session.flush()
    world.params["shift_id"] = shift.id


def build_world() -> World:
    a = factories.commune(factories.COMMUNE_CODES[0])
    village = factories.village(a)
    other_village = factories.village(a, "Thôn Tây")
    b = factories.commune(factories.COMMUNE_CODES[1])
    from app.places import services as places

    venue = places.save_venue(a, values={"name": "Nhà văn hóa thôn Đông", "capacity": 30, "tablets": 5})
    household = people.create_household(village=village, address="Số 1, xóm Giữa")
    subject = factories.person(a, name="Trần Văn Bình", village=village)
    users = {
        LEARNER: subject,
        INSTRUCTOR: factories.person(a, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR),
        AMBASSADOR: factories.person(a, name="Vũ Thị Thu", role=Role.AMBASSADOR),
        TEAM: factories.person(a, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=village),
        OFFICER: factories.person(a, name="Đỗ Thị Lan", role=Role.OFFICER),
        LEADER: factories.person(a, name="Trịnh Văn Khải", role=Role.LEADER),
        YOUTH: factories.person(a, name="Lê Quang Huy", role=Role.YOUTH_ORGANISER),
        ADMIN: factories.person(a, name="Phạm Minh Quân", role=Role.ADMIN),
        OUTSIDER: factories.person(b, name="Mai Văn Khách", role=Role.OFFICER),
    }
    batch, _preview = imports.upload(imports.kind_of("people"), a, filename="ds.csv",
                                     data=("Họ và tên,Thôn/Tổ dân phố,Đã đồng ý xử lý dữ liệu\n"
                                           "Bùi Thị Lành,Thôn Đông,Có\n").encode(), actor=users[OFFICER])
    world = World(users, {
        "commune_id": a.id, "village_id": other_village.id, "venue_id": venue.id, "person_id": subject.id,
        "household_id": household.id, "consent_id": subject.consents[0].id,
        "assignment_id": subject.role_assignments[0].id, "batch_id": batch.id, "kind": "people", "fmt": "csv",
    })
    db.session.commit()
    return world


# Endpoints that authenticate requests by a bearer token rather than the session: how to get one.
BEARER: dict[str, Callable[[World], str]] = {}


def _mock_vneid_token(_world: World) -> str:
    from app.auth import vneid
    from app.mockvneid import services as mock

    client = mock.register_client("hocvuso", vneid.client_secret())
    token = {"access_token": "matrix-token", "scope": "openid profile", "expires_in": 600}
    mock.save_token(token, client=client, citizen_id="000156000001", code_id=None)
    return token["access_token"]


BEARER["mockvneid.userinfo"] = _mock_vneid_token


def _prepare(world: World, rule: str) -> None:
    """Create whatever the rule's URL parameters name, then keep only ids."""
    world.params["_rule"] = rule
    for name in re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule):
        world.param(name)
    db.session.commit()
    world.users = {role: getattr(person, "id", person) for role, person in world.users.items()}


def _endpoints() -> dict[str, tuple[str, str]]:
    """Map each endpoint to (rule, method to try) using a throwaway app."""
    from app import create_app

    app = create_app({**TEST_OVERRIDES, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = {}
    for rule in app.url_map.iter_rules():
        method = "GET" if "GET" in rule.methods else "POST"
        found[rule.endpoint] = (rule.rule, method)
    return found


ENDPOINTS = _endpoints()


def _url(rule: str, world: World) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        return str(world.param(name))

    return re.sub(r"<([^>]+)>", fill, rule)


def test_every_route_has_a_policy_marker_and_an_expected_row(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "policy_action", None), f"{rule.endpoint} has no @requires or @public"
        assert rule.endpoint in EXPECTED, f"{rule.endpoint} is missing from the access matrix"
    assert set(EXPECTED) <= set(ENDPOINTS), f"stale rows: {set(EXPECTED) - set(ENDPOINTS)}"


def test_public_routes_are_exactly_those_open_to_anonymous_visitors(app: Flask) -> None:
    for endpoint, allowed in EXPECTED.items():
        if endpoint == "static":
            continue
        is_public = app.view_functions[endpoint].policy_action == PUBLIC
        assert is_public == (ANON in allowed), endpoint


def _outcome(response: Any) -> str:
    if response.status_code == 403:
        return "denied"
    if response.status_code == 401 or (response.status_code == 302 and "/login" in response.location
                                       and "next=" in response.location):
        return "denied"
    return "allowed"


@pytest.mark.parametrize("endpoint", sorted(e for e in EXPECTED if e in ENDPOINTS))
def test_route_answers_each_role_as_the_matrix_says(app: Flask, endpoint: str) -> None:
    rule, method = ENDPOINTS[endpoint]
    world = None
    headers: dict[str, str] = {}
    for role in ROLES:
        if world is None or method != "GET":  # anything that may change data gets a fresh world
            wipe(app)
            with app.app_context():
                world = build_world()
                _prepare(world, rule if endpoint != "static" else "")
                if endpoint in BEARER:
                    headers = {"Authorization": f"Bearer {BEARER[endpoint](world)}"}
                    db.session.commit()
        client = app.test_client()
        if role != ANON:
            with client.session_transaction() as session:
                session["_user_id"] = session_user_id(app, world.users[role])
        url = _url(rule, world) if endpoint != "static" else "/static/app.css"
        response = client.get(url, headers=headers) if method == "GET" else client.post(url, data={}, headers=headers)
        response.close()
        expected = "allowed" if role in EXPECTED[endpoint] else "denied"
        assert _outcome(response) == expected, f"{method} {url} as {role}: {response.status_code}"
