"""Thank-you certificates for volunteers: a certificate of kind "volunteer" naming the event and the hours given.

They share everything with completion certificates that makes a certificate trustworthy — serials never reused,
an entry in the commune's revocation list, a credential signed with the commune's key ("CommunityService" in Open
Badges terms), the public verification page behind the QR code, revocation and reissue — and nothing that counts
completions: they name no class and no framework, and the movement's figures count completions only.

This module knows no event: the caller says which event (its id, for one certificate per event and person), how
it is named on the certificate, and each volunteer's hours.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.certificates import issuing, keys, status
from app.certificates.models import VOLUNTEER, Certificate, CertificateRevision
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people.models import Person
from app.people.services import audit
from app.places.models import Commune

ACHIEVEMENT_MAX = 300


@dataclass(frozen=True)
class Service:
    """A volunteer and the hours they gave."""

    person: Person
    hours: float


def of_event(event_id: int) -> dict[int, Certificate]:
    """The volunteer certificates issued for an event, by person id, with their revisions (two statements)."""
    return {c.person_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.event_id == event_id, Certificate.kind == VOLUNTEER)
        .options(selectinload(Certificate.revisions)))}


def issue_thanks(commune: Commune, event_id: int, achievement: str, given: Sequence[Service], *,
                 signer: issuing.Signer, actor: Person | None, base_url: str, secret: str,
                 today: dt.date) -> list[Certificate]:
    """Issue a volunteer certificate to each person for the event; one who already has theirs keeps it.

    As with completions, the commune's issuing lock is held first, serials and status entries for the batch are
    taken in one statement each, and every certificate is signed before the batch is written.
    """
    status.lock(commune.id)
    ids = [(inspect(s.person).identity or (s.person.id,))[0] for s in given]
    existing = {c.person_id: c for c in db.session.scalars(select(Certificate).where(
        Certificate.event_id == event_id, Certificate.person_id.in_(ids)))} if ids else {}
    waiting = [s for s in given if s.person.id not in existing]
    if not waiting:
        return [existing[s.person.id] for s in given]
    serials = issuing.next_serials(commune, today.year, len(waiting))
    indexes = status.allocate(commune.id, len(waiting))
    signing = keys.active_key(commune, secret)
    now = utcnow()
    made: dict[int, Certificate] = {}
    with db.session.no_autoflush:  # one flush for the batch
        for service, serial, index in zip(waiting, serials, indexes, strict=True):
            made[service.person.id] = _new(commune, event_id, achievement[:ACHIEVEMENT_MAX], service, serial, index,
                                           signer=signer, actor=actor, now=now, today=today, base_url=base_url,
                                           secret=secret, signing=signing)
    try:
        db.session.flush()
    except IntegrityError as error:  # issued meanwhile without the lock (a script): no 500
        raise DomainError(status.BUSY) from error
    return [existing.get(s.person.id) or made[s.person.id] for s in given]


def _new(commune: Commune, event_id: int, achievement: str, service: Service, serial: str, index: int, *,
         signer: issuing.Signer, actor: Person | None, now: dt.datetime, today: dt.date, base_url: str, secret: str,
         signing: tuple[Any, Any]) -> Certificate:
    """Build, sign and add one volunteer certificate with its first revision."""
    person = service.person
    cert = Certificate(serial=serial, kind=VOLUNTEER, event_id=event_id, commune_id=commune.id, person_id=person.id,
                       class_id=None, framework_version_id=None, achievement=achievement, module_codes=[], skills=[],
                       skill_groups=[], hours=round(service.hours, 2), issued_on=today, officer_name=signer.name,
                       officer_title=signer.title, status_index=index)
    revision = CertificateRevision(number=1, holder_name=person.full_name, birth_year=person.birth_year,
                                   reason="issued", issued_at=now, issued_by_id=actor.id if actor else None)
    revision.credential = issuing.sign(cert, revision, commune=commune, framework=None, base_url=base_url,
                                        secret=secret, signing=signing)
    cert.revisions.append(revision)
    db.session.add(cert)
    audit(actor, person, "certificate.issue", f"{cert.serial} event={event_id}")
    return cert
