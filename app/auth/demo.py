"""Demo data for VNeID: a citizen ID noted ahead of a first login, and an instructor-vouched account."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.auth import identity
from app.demo import services as demo
from app.extensions import db, utcnow
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune

# Trần Văn Bình's number at the bundled mock provider: his first VNeID login links to his record at once.
NOTED = ("0910000002", "000052000002")
# Kiều Văn Phúc (86) has a basic phone and no VNeID: instructor Nguyễn Văn Hùng vouched for his account.
VOUCHED_PHONE = "0910000020"
VOUCHER_PHONE = "0900000003"
OFFICER_PHONE = "0900000002"


def _by_phone(phone: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.phone == phone))


def load(commune: Commune) -> None:
    """Note a demo learner's citizen ID ahead of his first VNeID login; record an instructor's vouching."""
    version = current_app.config["CONSENT_POLICY_VERSION"]
    officer = _by_phone(OFFICER_PHONE)
    learner = _by_phone(NOTED[0])
    if learner is not None and identity.identity_of(learner) is None:
        identity.note_citizen_id(learner, NOTED[1], actor=officer, key=identity.hmac_key())
        people.record_consent(learner, purpose="vneid", method="paper", policy_version=version,
                              recorded_by=officer, note="Phiếu đồng ý (demo)")
    voucher, vouched = _by_phone(VOUCHER_PHONE), _by_phone(VOUCHED_PHONE)
    if voucher is not None and vouched is not None and vouched.account is not None:
        # The demo sets every learner's PIN in bulk; this records who vouched for this one's account.
        vouched.account.vouched_by_id = voucher.id
        vouched.account.vouched_at = utcnow()
        people.audit(voucher, vouched, "account.vouch")


if load not in demo.STEPS:
    demo.STEPS.append(load)
