"""Demo: a team in each village (Hoàng Văn Nam leads Thôn Đông's), and door-to-door visits of the past weeks.

Some residents agreed to have their digital skills recorded (a paper form at the visit), so their visits update
their records; the others' help is kept against the household only. A follow-up is due this week.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from app.demo import services as demo
from app.digital.services import PURPOSE
from app.extensions import db
from app.outbox import new_client_id
from app.people import services as people
from app.people.models import Household, Person
from app.places.models import Commune
from app.teams import services
from app.vietnam import local_today

TEAMS = {  # village -> (leader's phone, other members' phones)
    "Thôn Đông": ("0900000007", ("0900000003", "0910000014")),
    "Thôn Trung Hòa": ("0900000004", ("0910000015",)),
    "Thôn Tây": ("0900000006", ("0900000005",)),
}
CONSENTING = ("0910000001", "0910000002", "0910000006", "0910000012", "0910000017", "0910000005", "0910000013")
HOUSE = -1  # in VISITS: help to the household as a whole (a relative visiting, not on the list)
# (village, how many days ago, still needed, follow up in days (None: no), help per member index)
VISITS = (
    ("Thôn Đông", 20, "Cụ muốn học thêm cách gọi video cho con ở xa.", 3,
     {0: ("smartphone_basics", "vneid_level2"), 1: ("spot_scam",)}),
    ("Thôn Đông", 9, "", None, {0: ("payment_account", "vietqr"), 1: ("public_service",)}),
    ("Thôn Tây", 12, "Chưa có điện thoại thông minh; hẹn mượn máy của con.", 5,
     {0: ("spot_scam",), HOUSE: ("city_app",)}),
    ("Thôn Trung Hòa", 4, "Cần cài ứng dụng ngân hàng khi có căn cước gắn chip.", 14, {0: ("vietqr", "ai_assistant")}),
)


def add_teams(commune: Commune) -> None:
    """Teams in every village and a few weeks of visits."""
    phones = {p.phone: p for p in db.session.scalars(select(Person).where(Person.commune_id == commune.id)) if p.phone}
    officer = phones.get("0900000002")
    villages = {v.name: v for v in commune.villages}
    for phone in CONSENTING:
        person = phones.get(phone)
        if person is not None and people.active_consent(person, PURPOSE) is None:
            people.record_consent(person, purpose=PURPOSE, method="paper", recorded_by=officer,
                                  policy_version=current_app.config["CONSENT_POLICY_VERSION"],
                                  note="Phiếu đồng ý khi Tổ công nghệ số đến nhà (demo)")
    teams = {}
    for village_name, (leader, others) in TEAMS.items():
        village = villages.get(village_name)
        if village is None or leader not in phones:
            continue
        team = services.create_team(commune, village, "", actor=officer)
        for phone in (leader, *others):
            if phone in phones:
                services.add_member(team, phones[phone], actor=officer)
        services.set_leader(team, phones[leader])
        teams[village_name] = team
    today = local_today()
    used: set[int] = set()
    for village_name, days_ago, still, follow, helps in VISITS:
        team = teams.get(village_name)
        if team is None:
            continue
        household = db.session.scalar(select(Household).where(Household.village_id == team.village_id,
                                                               Household.id.not_in(used or {0}))
                                      .order_by(Household.address).limit(1))
        if household is None:
            continue
        used.add(household.id)
        members = [m for m in household.members if m.erased_at is None]
        day = today - dt.timedelta(days=days_ago)
        data = services.VisitInput(
            household.id, day, tuple(m.person_id for m in team.members[:2]),
            {(services.HOUSEHOLD if i == HOUSE else members[i].id): kinds for i, kinds in helps.items()
             if i < len(members)}, still,
            today + dt.timedelta(days=follow) if follow is not None else None)
        services.record_visit(team, data, actor=team.members[0].person, client_id=new_client_id("demo"),
                              today=today)
    db.session.flush()


demo.STEPS.append(add_teams)
