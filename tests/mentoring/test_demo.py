"""The demo commune shows the ambassador's mentees (one short of the target), contacts and the office's help desk."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.demo import services as demo
from app.extensions import db
from app.mentoring import services
from app.mentoring.models import Contact, HelpdeskEntry
from app.people.models import Person


def test_the_demo_ambassador_guides_four_people_with_contacts_and_the_office_helped_citizens(ctx: Any,
                                                                                              curriculum: Any) -> None:
    commune = demo.load()
    db.session.commit()
    thu = db.session.scalar(select(Person).where(Person.phone == "0900000006"))
    assert len(services.mentees(thu.id)) == 4
    assert [(r.full_name, bool(r.below)) for r in services.ambassadors(commune.id)] == [("Vũ Thị Thu", True)]
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 7
    assert db.session.scalar(select(func.count()).select_from(HelpdeskEntry)) == 5
