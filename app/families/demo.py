"""Demo: the demo households get the lanes the village team walks ("Xóm 1" … from their address, a few on a named
alley), and the commune counts a digital family by the plans' own wording: one member completed and guides the
others."""
from __future__ import annotations

from sqlalchemy import select

from app.demo import services as demo
from app.extensions import db
from app.families import services, settings
from app.people.models import Household, Person
from app.places.models import Commune

OFFICER = "0900000002"
NAMED_ALLEYS = ("Ngõ Đình", "Ngõ Chùa", "Cụm Bến Đò")


def add_families(commune: Commune) -> None:
    """Set the demo commune's rule and its households' alleys."""
    officer = db.session.scalar(select(Person).where(Person.phone == OFFICER))
    settings.save_rule(commune, settings.DEFAULT_RULE, actor=officer)
    households = db.session.scalars(select(Household).where(Household.commune_id == commune.id)
                                    .order_by(Household.id)).all()
    for index, household in enumerate(households):
        lane = household.address.split(",")[0].strip()
        alley = NAMED_ALLEYS[index % len(NAMED_ALLEYS)] if index % 5 == 4 else lane
        services.set_alley(household, alley[:services.ALLEY_MAX], actor=officer)
    db.session.flush()


if add_families not in demo.STEPS:
    demo.STEPS.append(add_families)
