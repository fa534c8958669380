"""After the day: the participants who asked to join a class, each with the nearest class for their audience, and
enrolling them (all in one step, or one by one).

The class proposed is an open class of the commune still to end (one a learner could join today): for the
person's audience first (their tags, elderly from the birth year; a class for everyone when none is), then one with a
free seat, then one whose venue is in their village, then the soonest to start. A disability record is never used
here: it was given only for the commune office to arrange support, and the organisers who see this list may not
see it.

Consent. Taking part in the event was consented to for the event's purpose only; joining a class needs consent to
"learning" (app/people/consents.py). The person asked for a class at the gate, but that tick is not a consent to
have their data processed for classes: staff must ask them (in person or by phone) and confirm it on the form, and
only then is a "learning" consent recorded, by that staff member, with the way it was given ("verbal": staff are
the witness; "paper": a signed form), its note naming the event. Someone who already consents to learning is
enrolled without asking again. The confirmation covers exactly the people the page listed as still to be asked (the
form sends their ids): someone who asked for a class after the page was opened is not covered by it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select, update
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app.classes import enrolment
from app.classes.models import Class, Enrolment
from app.errors import DomainError
from app.events.models import Event, Participant
from app.extensions import db
from app.people import services as people
from app.people.audiences import STORED, Audience, is_elderly
from app.people.models import Consent, Person, PersonTag
from app.places.models import Venue

SOURCE = "event"  # the enrolment's source (app/classes/enrolment.py SOURCES)
LEARNING = "learning"
CONSENT_METHODS = {"verbal": _l("Người dân đồng ý bằng lời khi được hỏi (trực tiếp hoặc qua điện thoại)"),
                   "paper": _l("Người dân đã ký phiếu đồng ý")}


@dataclass(frozen=True)
class Proposal:
    """One participant who asked for a class: who, their audiences, the class proposed, and where they stand."""

    participant: Participant
    person: Person
    audiences: tuple[str, ...]  # their audiences (tags, elderly); empty: a class for everyone suits them
    klass: Class | None  # the class proposed (None: no open class suits them)
    consented: bool  # already consents to learning
    enrolled_title: str | None  # the class they were enrolled in from here
    enrolled_status: str | None  # their place in it: enrolled or waitlisted (or withdrawn since)

    @property
    def done(self) -> bool:
        return self.participant.enrolled_class_id is not None


def audiences_of(tags: set[str], birth_year: int | None, year: int) -> tuple[str, ...]:
    """A person's audiences for choosing a class: the tags they carry, elderly by birth year (never disability)."""
    found = [a.value for a in STORED if a.value in tags]
    if is_elderly(birth_year, year):
        found.insert(0, Audience.ELDERLY.value)
    return tuple(found)


def rank(classes: Sequence[Class], audiences: tuple[str, ...], village_id: int | None,
         counts: dict[int, dict[str, int]]) -> list[Class]:
    """The classes that suit someone, best first (see the module's docstring for the order)."""
    suitable = [k for k in classes if k.audience in audiences or k.audience == Audience.GENERAL.value]

    def key(k: Class) -> tuple[bool, bool, bool, dt.date, int]:
        full = counts.get(k.id, {}).get("enrolled", 0) >= k.capacity
        elsewhere = village_id is None or k.venue is None or k.venue.village_id != village_id
        return (k.audience not in audiences, full, elsewhere, k.starts_on, k.id)

    return sorted(suitable, key=key)


def open_classes(commune_id: int, today: dt.date) -> list[Class]:
    """The commune's classes one can join now (open or running, not yet ended), with their venues (one statement)."""
    return list(db.session.scalars(
        select(Class).where(Class.commune_id == commune_id, Class.status.in_(enrolment.SELF_ENROL_STATUSES),
                            Class.ends_on >= today)
        .options(joinedload(Class.venue).joinedload(Venue.village), lazyload(Class.staff))
        .order_by(Class.starts_on, Class.id)).unique())


def proposals(event: Event, *, today: dt.date, classes: list[Class] | None = None,
              participant_id: int | None = None) -> list[Proposal]:
    """Everyone who asked for a class at the event (or the one participant named), with the class proposed: six
    statements whatever their number (their roles come along, for the page's rank checks)."""
    mine = [Participant.event_id == event.id, Participant.wants_class.is_(True)]
    if participant_id is not None:
        mine.append(Participant.id == participant_id)
    asked = select(Participant.person_id).where(*mine)
    rows = db.session.execute(
        select(Participant, Person, Class.title, Enrolment.status)
        .join(Person, Person.id == Participant.person_id)
        .outerjoin(Class, Class.id == Participant.enrolled_class_id)
        .outerjoin(Enrolment, and_(Enrolment.class_id == Participant.enrolled_class_id,
                                   Enrolment.person_id == Participant.person_id))
        .where(*mine, Person.erased_at.is_(None))
        .options(selectinload(Person.role_assignments))
        .order_by(Person.name_search, Participant.id)).all()
    tags: dict[int, set[str]] = {}
    for person_id, tag in db.session.execute(select(PersonTag.person_id, PersonTag.tag)
                                             .where(PersonTag.person_id.in_(asked))):
        tags.setdefault(person_id, set()).add(tag)
    consenting = set(db.session.scalars(select(Consent.person_id).where(
        Consent.person_id.in_(asked), Consent.purpose == LEARNING, Consent.withdrawn_at.is_(None))))
    classes = open_classes(event.commune_id, today) if classes is None else classes
    counts = enrolment.counts([k.id for k in classes])
    found = []
    for participant, person, title, status in rows:
        groups = audiences_of(tags.get(person.id, set()), person.birth_year, today.year)
        best = rank(classes, groups, person.village_id, counts)
        found.append(Proposal(participant, person, groups, best[0] if best else None, person.id in consenting,
                              title, status))
    return found


@dataclass
class Outcome:
    """What enrolling did, by name, so the page can say it plainly."""

    enrolled: list[str] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    need_consent: list[str] = field(default_factory=list)  # not asked yet: nothing was written for them
    not_allowed: list[str] = field(default_factory=list)  # staff of equal or higher rank: their own office enrols them
    no_class: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # the class stopped taking enrolments meanwhile


def _lock(participant: Participant) -> int | None:
    """Hold the participant's row until the transaction ends, and return who enrolled them since (if anyone)."""
    db.session.execute(update(Participant).where(Participant.id == participant.id)
                       .values(enrolled_class_id=Participant.enrolled_class_id)
                       .execution_options(synchronize_session=False))
    return db.session.scalar(select(Participant.enrolled_class_id).where(Participant.id == participant.id))


def _enrol_one(event: Event, proposal: Proposal, klass: Class, *, actor: Person, consent_method: str | None) -> str:
    """Record the consent just confirmed (if needed), enrol, remember the class; return the enrolment's status."""
    person = proposal.person
    if not proposal.consented:
        assert consent_method is not None
        people.record_consent(person, purpose=LEARNING, method=consent_method, recorded_by=actor,
                              note=f"Hỏi ý kiến khi xếp lớp sau “{event.name}”",
                              policy_version=current_app.config["CONSENT_POLICY_VERSION"])
    row = enrolment.enrol(klass, person, source=SOURCE, actor=actor)
    proposal.participant.enrolled_class_id = klass.id
    db.session.flush()
    return row.status


def enrol_asked(event: Event, chosen: Sequence[Proposal], *, actor: Person, consent_method: str | None,
                confirmed: Collection[int], may_act_on: Callable[[Person], bool],
                klass: Class | None = None) -> Outcome:
    """Enrol the participants of `chosen` in their proposed class (or `klass`, for one person), once each.

    `consent_method` is given when the staff member confirms they asked the participants `confirmed` (ids) who do not
    yet consent to learning; anyone else without that consent is left out (and named). A person already enrolled
    from here is left as is, so running it twice enrols once. Each person is enrolled in a savepoint: one class
    filling up or closing does not undo the others.
    """
    if consent_method is not None and consent_method not in CONSENT_METHODS:
        raise DomainError(_l("Hãy chọn cách người dân đã đồng ý."), field="consent_method")
    if klass is not None and (klass.commune_id != event.commune_id or klass.status not in
                              enrolment.SELF_ENROL_STATUSES):
        raise DomainError(_l("Lớp này không nhận ghi danh lúc này."), field="class_id")
    outcome = Outcome()
    for proposal in chosen:
        name, target = proposal.person.full_name, klass or proposal.klass
        if proposal.participant.event_id != event.id:
            raise DomainError(_l("Người này không thuộc hoạt động này."))
        if not may_act_on(proposal.person):
            outcome.not_allowed.append(name)
        elif target is None:
            outcome.no_class.append(name)
        elif not proposal.consented and (consent_method is None or proposal.participant.id not in confirmed):
            outcome.need_consent.append(name)
        elif proposal.done or _lock(proposal.participant) is not None:
            outcome.already.append(name)
        else:
            try:
                with db.session.begin_nested():
                    status = _enrol_one(event, proposal, target, actor=actor, consent_method=consent_method)
            except DomainError as error:
                outcome.failed.append(f"{name}: {error.message}")
                continue
            (outcome.enrolled if status == "enrolled" else outcome.waitlisted).append(name)
    return outcome
