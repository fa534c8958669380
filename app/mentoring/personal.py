"""What the mentoring feature holds about a person, for their right of access, and its erasure.

As a mentee: their links and the contacts about them (the export shows them; erasure deletes them). As an
ambassador: their links end and are removed, their contacts stay as the mentees' history without their identity.
At the help desk: entries about a known resident become anonymous (age band and village kept, the note dropped);
the officer who helped is forgotten from their entries.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from app.extensions import db
from app.mentoring.models import Contact, HelpdeskEntry, Mentorship
from app.people import rights
from app.people.models import Person


@rights.data_section("mentoring")
def mentoring(person: Person) -> dict[str, Any]:
    """Who guided the person and each guidance contact; as an ambassador or help-desk helper, only counts."""
    guide = Person.__table__.alias("guide")
    links = db.session.execute(
        select(Mentorship.since, Mentorship.ended_at, guide.c.full_name)
        .outerjoin(guide, guide.c.id == Mentorship.ambassador_id)
        .where(Mentorship.mentee_id == person.id).order_by(Mentorship.since))
    contacts = db.session.scalars(select(Contact).where(Contact.mentee_id == person.id)
                                  .order_by(Contact.contacted_on, Contact.id))
    helped = db.session.scalars(select(HelpdeskEntry).where(HelpdeskEntry.person_id == person.id)
                                .order_by(HelpdeskEntry.helped_on, HelpdeskEntry.id))
    return {
        "guided_by": [{"ambassador": name, "since": rights.iso(since), "ended_at": rights.iso(ended)}
                      for since, ended, name in links],
        "contacts": [{"on": rights.iso(c.contacted_on), "skill": c.skill, "note": c.note,
                      "recorded_at": rights.iso(c.recorded_at)} for c in contacts],
        "helpdesk": [{"on": rights.iso(h.helped_on), "service": h.service, "note": h.note} for h in helped],
        "as_ambassador": {
            "mentees_now": db.session.scalar(select(func.count()).where(
                Mentorship.ambassador_id == person.id, Mentorship.ended_at.is_(None))),
            "contacts_logged": db.session.scalar(select(func.count()).where(Contact.ambassador_id == person.id)),
        },
        "helpdesk_entries_logged": db.session.scalar(select(func.count()).where(HelpdeskEntry.helper_id == person.id)),
    }


@rights.on_erasure
def forget_mentoring(person: Person, _actor: Person | None) -> None:
    """Delete the person's links and the contacts about them; keep others' records without the person's identity."""
    db.session.execute(delete(Contact).where(Contact.mentee_id == person.id))
    db.session.execute(delete(Mentorship).where((Mentorship.mentee_id == person.id)
                                                | (Mentorship.ambassador_id == person.id)))
    db.session.execute(update(Contact).where(Contact.ambassador_id == person.id).values(ambassador_id=None))
    db.session.execute(update(HelpdeskEntry).where(HelpdeskEntry.person_id == person.id)
                       .values(person_id=None, note=""))
    db.session.execute(update(HelpdeskEntry).where(HelpdeskEntry.helper_id == person.id).values(helper_id=None))
    db.session.flush()
