"""What completion and certificates hold about a person: their access export, and what erasure removes.

A certificate names its holder (on the PDF, on the verification page, inside the signed credential), so
erasing a person revokes their certificates and removes the printed name, birth year and signed credential
of every revision. The serial stays (it is never reused) and the public page says it was revoked.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.catalog.models import Module
from app.certificates import issuing
from app.certificates.models import Certificate, Completion
from app.extensions import db
from app.people import rights
from app.people.models import Person
from app.people.services import ERASED_NAME

ERASURE_REASON = "Người được cấp yêu cầu xóa dữ liệu cá nhân."


@rights.data_section("completions")
def completions(person: Person) -> list[dict[str, Any]]:
    """Modules the person met the rules for, and whether that was confirmed."""
    rows = db.session.execute(select(Completion, Module.code).join(Module, Module.id == Completion.module_id)
                              .where(Completion.person_id == person.id).order_by(Completion.eligible_at))
    return [{"module": code, "status": c.status, "skills": c.skills, "attendance_share": c.attendance_share,
             "eligible_at": rights.iso(c.eligible_at), "confirmed_at": rights.iso(c.confirmed_at)} for c, code in rows]


@rights.data_section("certificates")
def certificates(person: Person) -> list[dict[str, Any]]:
    """Every certificate issued to the person, with the name printed on each revision."""
    certs = db.session.scalars(select(Certificate).where(Certificate.person_id == person.id)
                               .order_by(Certificate.created_at).options(selectinload(Certificate.revisions)))
    return [{"serial": c.serial, "achievement": c.achievement, "issued_on": c.issued_on.isoformat(),
             "status": c.status, "revoked_at": rights.iso(c.revoked_at),
             "revocation_reason": c.revocation_reason or None,
             "revisions": [{"number": r.number, "holder_name": r.holder_name, "birth_year": r.birth_year,
                            "issued_at": rights.iso(r.issued_at), "reason": r.reason} for r in c.revisions]}
            for c in certs]


@rights.on_erasure
def revoke_and_unname(person: Person, actor: Person | None) -> None:
    """Revoke the person's certificates and remove their name, birth year and signed credentials."""
    held = select(Certificate).where(Certificate.person_id == person.id).options(selectinload(Certificate.revisions))
    for cert in db.session.scalars(held):
        issuing.revoke(cert, reason=ERASURE_REASON, actor=actor)
        for revision in cert.revisions:
            revision.holder_name, revision.birth_year, revision.credential = ERASED_NAME, None, {}
    db.session.flush()
