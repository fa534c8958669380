"""Demo: what the commune knows of its residents' digital lives — most demo learners agreed (on paper) to have it
recorded; their phones, VNeID levels, payment accounts, public services and AI use were seen at home by the village
team, told to the ambassador, declared by themselves or seen in class, over the last months. A few did not agree:
their pages ask for consent first."""
from __future__ import annotations

import datetime as dt
import random

from flask import current_app
from sqlalchemy import select

from app.demo import services as demo
from app.digital import services
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune
from app.vietnam import local_today

OFFICER, AMBASSADOR, TEAM_MEMBER = "0900000002", "0900000006", "0900000007"
NO_CONSENT = ("0910000010", "0910000020", "0910000030")  # asked, not yet agreed
# How likely each fact is among the demo learners (older people less often, in `_value`).
LIKELY = {"smartphone": 0.85, "vneid": 0.7, "payment_account": 0.55, "public_services": 0.35, "ai_tools": 0.15}


def _value(rng: random.Random, fact: str, born: int | None, year: int) -> int:
    age = year - (born or 1970)
    chance = LIKELY[fact] * (0.6 if age >= 70 else 1.0)
    if fact == "vneid":
        return 0 if rng.random() > chance else (2 if rng.random() < 0.75 else 1)
    return int(rng.random() < chance)


def add_digital_facts(commune: Commune) -> None:
    """Record consent and dated digital facts for the demo commune's learners."""
    staff = {p.phone: p for p in db.session.scalars(
        select(Person).where(Person.phone.in_((OFFICER, AMBASSADOR, TEAM_MEMBER))))}
    officer = staff.get(OFFICER)
    if officer is None:
        return
    rng = random.Random(1505)
    today = local_today()
    learners = db.session.scalars(select(Person).where(Person.commune_id == commune.id,
                                                       Person.phone.like("0910%")).order_by(Person.phone)).all()
    version = current_app.config["CONSENT_POLICY_VERSION"]
    team = staff.get(TEAM_MEMBER)
    team_villages = {a.village_id for a in team.active_roles if a.role == "team_member"} if team else set()
    for learner in learners:
        if learner.phone in NO_CONSENT:
            continue
        if people.active_consent(learner, services.PURPOSE) is None:
            people.record_consent(learner, purpose=services.PURPOSE, method="paper", policy_version=version,
                                  recorded_by=officer, note="Phiếu đồng ý (demo)")
        first = today - dt.timedelta(days=rng.randint(60, 200))
        source, actor = ("visit", team) if learner.village_id in team_villages else rng.choice(
            [("contact", staff.get(AMBASSADOR)), ("helpdesk", officer), ("class", officer)])
        first_values = {fact: _value(rng, fact, learner.birth_year, today.year) for fact in LIKELY}
        services.record_many(learner, first_values, observed_on=first, source=source, actor=actor, today=today)
        if rng.random() < 0.5:  # progress since: what they could not do then, they can now
            later = first + dt.timedelta(days=rng.randint(14, 50))
            better = {fact: (2 if fact == "vneid" else 1) for fact, value in first_values.items()
                      if value < (2 if fact == "vneid" else 1) and rng.random() < 0.5}
            if better:
                services.record_many(learner, better, observed_on=min(later, today), source="self", actor=learner,
                                     today=today)
    db.session.flush()


if add_digital_facts not in demo.STEPS:
    demo.STEPS.append(add_digital_facts)
