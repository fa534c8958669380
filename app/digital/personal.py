"""What the digital feature holds about a person, for their right of access, and its erasure."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.digital import services
from app.digital.models import DigitalFact
from app.extensions import db
from app.people import rights
from app.people.models import Person


@rights.data_section("digital_facts")
def digital_facts(person: Person) -> list[dict[str, Any]]:
    """Every fact recorded about the person's digital skills, oldest first."""
    rows = db.session.scalars(select(DigitalFact).where(DigitalFact.person_id == person.id)
                              .order_by(DigitalFact.observed_on, DigitalFact.id))
    return [{"fact": row.fact, "value": row.value, "meaning": services.value_label(row.fact, row.value),
             "observed_on": rights.iso(row.observed_on), "source": row.source, "reference": row.reference,
             "recorded_by_self": row.recorded_by_id == person.id, "recorded_at": rights.iso(row.recorded_at)}
            for row in rows]


@rights.on_erasure
def forget_digital_facts(person: Person, _actor: Person | None) -> None:
    """Delete what was recorded about the person's digital skills (the commune's totals lose them too)."""
    services.forget(person)
