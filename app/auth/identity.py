"""Rules for VNeID identities: hashing citizen IDs, linking people, matching records, new learners.

Everything here takes plain values and models; the routes in `vneid_routes.py` pass in what the
provider verified. The citizen ID number itself never reaches the database or a log: only its keyed
hash (for matching) and its last three digits (for display).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import vietnam
from app.auth.models import VneidIdentity
from app.auth.services import ensure_account, record_login, set_pin
from app.config import CITIZEN_KEY_FILE, instance_secret
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people import names
from app.people import services as people
from app.people.consents import METHODS
from app.people.models import Person
from app.places.models import Commune, Village
from app.policy import Role

CITIZEN_ID = re.compile(r"^\d{12}$")  # số định danh cá nhân: 12 digits (Decree 69/2024/NĐ-CP)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_DIGITS = re.compile(r"\d+")
GENDER_VALUES = {"male": "male", "m": "male", "nam": "male", "female": "female", "f": "female", "nu": "female",
                 "nữ": "female", "other": "other", "khac": "other", "khác": "other"}


class NoMatch(DomainError):
    """The details given do not match a record that may be linked (said the same way for every reason)."""


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the provider vouched for, reduced to what the programme keeps (minimal collection)."""

    citizen_id_hmac: str
    citizen_id_last3: str
    issuer: str
    subject: str
    full_name: str
    birth_year: int | None
    gender: str | None
    assurance_level: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VerifiedIdentity:
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})  # type: ignore[arg-type]

    @property
    def masked_citizen_id(self) -> str:
        return "•" * 9 + self.citizen_id_last3


@dataclass(frozen=True)
class ClaimNames:
    """Which claims of the ID token (or UserInfo) carry each fact; providers differ, so it is configuration."""

    citizen_id: str = "citizen_id"
    name: str = "name"
    birthdate: str = "birthdate"
    gender: str = "gender"
    assurance: str = "acr"

    @classmethod
    def from_config(cls, config: Any) -> ClaimNames:
        return cls(citizen_id=config["VNEID_CLAIM_CITIZEN_ID"], name=config["VNEID_CLAIM_NAME"],
                   birthdate=config["VNEID_CLAIM_BIRTHDATE"], gender=config["VNEID_CLAIM_GENDER"],
                   assurance=config["VNEID_CLAIM_ASSURANCE"])


def hmac_key() -> str:
    """Return the server key for hashing citizen IDs (CITIZEN_ID_HMAC_KEY, else the instance folder's)."""
    return current_app.config.get("CITIZEN_ID_HMAC_KEY") or instance_secret(Path(current_app.instance_path),
                                                                            CITIZEN_KEY_FILE)


def clean_citizen_id(raw: str | None) -> str:
    """Return a 12-digit citizen ID without spaces or dots; raise DomainError if it is not one."""
    digits = re.sub(r"[\s.\-]", "", raw or "")
    if not CITIZEN_ID.match(digits):
        raise DomainError(_l("Số định danh cá nhân gồm đúng 12 chữ số."), field="citizen_id")
    return digits


def citizen_hmac(citizen_id: str, key: str) -> str:
    """Hash a citizen ID with the server key (HMAC-SHA256, hex)."""
    return hmac.new(key.encode(), clean_citizen_id(citizen_id).encode(), hashlib.sha256).hexdigest()


def birth_year_of(value: Any) -> int | None:
    """Take the year from a birth date in any usual shape ("1956-03-12", "12/03/1956", "1956", 1956)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1800 <= value <= 2100 else None
    found = _YEAR.search(str(value or ""))
    return int(found.group(1)) if found else None


def gender_of(value: Any) -> str | None:
    """Map the provider's gender value onto ours, or None when unknown."""
    return GENDER_VALUES.get(vietnam.clean_name(str(value or "")).lower())


def assurance_level_of(value: Any) -> int | None:
    """Read an assurance level from a claim such as 2, "2" or "urn:…:level:2" (its last number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    numbers = _DIGITS.findall(str(value or ""))
    return int(numbers[-1]) if numbers else None


def identity_from_claims(claims: dict[str, Any], *, issuer: str, claim_names: ClaimNames,
                         key: str) -> VerifiedIdentity:
    """Turn verified claims into an identity; raise DomainError when the citizen ID is missing or malformed."""
    raw = claims.get(claim_names.citizen_id)
    if raw is None or raw == "":
        raise DomainError(_l("Nhà cung cấp định danh không gửi số định danh cá nhân."), field="citizen_id")
    citizen_id = clean_citizen_id(str(raw))
    return VerifiedIdentity(
        citizen_id_hmac=citizen_hmac(citizen_id, key), citizen_id_last3=citizen_id[-3:], issuer=issuer,
        subject=str(claims.get("sub") or ""), full_name=vietnam.clean_name(str(claims.get(claim_names.name) or "")),
        birth_year=birth_year_of(claims.get(claim_names.birthdate)), gender=gender_of(claims.get(claim_names.gender)),
        assurance_level=assurance_level_of(claims.get(claim_names.assurance)),
    )


# --- finding and linking ------------------------------------------------------------------------

def identity_of(person: Person) -> VneidIdentity | None:
    """Return the person's VNeID link (or noted citizen ID), if any."""
    return db.session.scalar(select(VneidIdentity).where(VneidIdentity.person_id == person.id))


def _by_hmac(citizen_id_hmac: str) -> VneidIdentity | None:
    return db.session.scalar(select(VneidIdentity).where(VneidIdentity.citizen_id_hmac == citizen_id_hmac))


def _check_can_sign_in(person: Person) -> None:
    if person.erased_at is not None or (person.account is not None and not person.account.active):
        raise DomainError(_l("Tài khoản của bạn đang bị khóa. Vui lòng liên hệ cán bộ văn hóa xã."))


# What other features do after each VNeID sign-in or link, given the person and the verified identity (the digital
# skills record notes the VNeID level). Features append here when imported; a hook must never make a sign-in fail.
SIGN_IN_HOOKS: list[Callable[[Person, VerifiedIdentity], Any]] = []


def _signed_in(person: Person, identity: VerifiedIdentity) -> None:
    for hook in SIGN_IN_HOOKS:
        hook(person, identity)


def sign_in(identity: VerifiedIdentity, *, policy_version: str) -> Person | None:
    """Return the person linked to this citizen (linking a noted number on first login), or None if unknown."""
    found = _by_hmac(identity.citizen_id_hmac)
    if found is None:
        return None
    person = found.person
    _check_can_sign_in(person)
    first_login = found.linked_at is None
    _refresh(found, identity)
    if first_login:
        if people.active_consent(person, "vneid") is None:
            people.record_consent(person, purpose="vneid", method="online", policy_version=policy_version,
                                  recorded_by=person, note="Đăng nhập VNeID")
        people.audit(person, person, "vneid.link", f"level={identity.assurance_level}")
    ensure_account(person)
    record_login(person)
    _signed_in(person, identity)
    db.session.flush()
    return person


def _refresh(link: VneidIdentity, identity: VerifiedIdentity) -> None:
    now = utcnow()
    if link.subject and identity.subject and link.subject != identity.subject:
        current_app.logger.warning("VNeID subject changed for person %s", link.person_id)
    link.issuer, link.subject = identity.issuer, identity.subject or link.subject
    link.assurance_level = identity.assurance_level
    link.linked_at = link.linked_at or now
    link.last_login_at = now


def link(person: Person, identity: VerifiedIdentity, *, policy_version: str) -> VneidIdentity:
    """Link a person to the citizen who just logged in, recording their consent to the VNeID purpose."""
    _check_can_sign_in(person)
    if identity_of(person) is not None or _by_hmac(identity.citizen_id_hmac) is not None:
        raise NoMatch(_l("Hồ sơ này đã được liên kết với một tài khoản VNeID khác."))
    record = VneidIdentity(person_id=person.id, citizen_id_hmac=identity.citizen_id_hmac,
                           citizen_id_last3=identity.citizen_id_last3, registered_by_id=person.id)
    db.session.add(record)
    _refresh(record, identity)
    people.record_consent(person, purpose="vneid", method="online", policy_version=policy_version,
                          recorded_by=person, note="Đăng nhập VNeID")
    ensure_account(person)
    record_login(person)
    _signed_in(person, identity)
    db.session.flush()
    people.audit(person, person, "vneid.link", f"level={identity.assurance_level}")
    return record


def match_person(identity: VerifiedIdentity, *, phone: str, birth_year: int | None) -> Person:
    """Find the record a newly verified citizen says is theirs: same phone, birth year and verified name."""
    try:
        clean_phone = names.normalise_phone(phone)
    except ValueError:
        clean_phone = None
    person = db.session.scalar(select(Person).where(Person.phone == clean_phone)) if clean_phone else None
    # Phone and birth year are known to neighbours; the name VNeID verified must match as well.
    if (person is None or person.erased_at is not None or birth_year is None or person.birth_year != birth_year
            or vietnam.search_key(person.full_name) != vietnam.search_key(identity.full_name)
            or identity_of(person) is not None):
        raise NoMatch(_l("Không tìm thấy hồ sơ khớp với số điện thoại và năm sinh này. Vui lòng kiểm tra lại, "
                         "hoặc tạo hồ sơ học viên mới."))
    return person


def create_learner(identity: VerifiedIdentity, *, commune: Commune, village: Village | None,
                   policy_version: str) -> Person:
    """Create a learner from the verified name, birth year and gender; they consented on screen."""
    person = people.create_person(commune=commune, full_name=identity.full_name, birth_year=identity.birth_year,
                                  gender=identity.gender, village=village)
    people.grant_role(person, Role.LEARNER, commune=commune)
    people.record_consent(person, purpose="learning", method="online", policy_version=policy_version,
                          recorded_by=person, note="Tự đăng ký qua VNeID")
    link(person, identity, policy_version=policy_version)
    return person


def note_citizen_id(person: Person, citizen_id: str, *, actor: Person | None, key: str) -> VneidIdentity:
    """Note a person's citizen ID (hashed) so their first VNeID login links to this record."""
    if identity_of(person) is not None:
        raise DomainError(_l("Người này đã có liên kết VNeID."), field="citizen_id")
    digits = clean_citizen_id(citizen_id)
    hashed = citizen_hmac(digits, key)
    if _by_hmac(hashed) is not None:
        raise DomainError(_l("Số định danh này đã được ghi cho một người khác."), field="citizen_id")
    record = VneidIdentity(person_id=person.id, citizen_id_hmac=hashed, citizen_id_last3=digits[-3:],
                           registered_by_id=actor.id if actor else None)
    db.session.add(record)
    db.session.flush()
    people.audit(actor, person, "vneid.note")
    return record


def pending_is_fresh(saved_at: float, now: datetime | None = None, lifetime: int = 900) -> bool:
    """Tell whether a verified-but-unlinked login kept in the session is still recent enough to use."""
    now = now or datetime.now(UTC)
    return 0 <= now.timestamp() - saved_at <= lifetime


# --- instructor-vouched accounts ----------------------------------------------------------------

def vouch(person: Person, *, voucher: Person, pin: str, citizen_id: str | None = None,
          consent_method: str | None = None, key: str, policy_version: str) -> None:
    """Create the account of someone with no smartphone or VNeID, vouched for by the instructor who met them.

    The instructor sets a PIN and is recorded as voucher. If the person shows their citizen ID and
    agrees, its keyed hash is noted so that a later VNeID login links to this same account.
    """
    if person.erased_at is not None:
        raise DomainError(_l("Dữ liệu của người này đã bị xóa."), field="pin")
    account = person.account
    if account is not None and not account.active:
        raise DomainError(_l("Tài khoản của người này đang bị khóa. Vui lòng liên hệ cán bộ văn hóa xã."), field="pin")
    if account is not None and (account.pin_hash or account.password_hash or account.vouched_by_id):
        raise DomainError(_l("Người này đã có tài khoản. Dùng “Đặt mã PIN / mật khẩu” nếu cần đổi mã PIN."),
                          field="pin")
    if citizen_id and consent_method not in METHODS:
        raise DomainError(_l("Vui lòng ghi hình thức đồng ý liên kết VNeID của người này."), field="consent_method")
    set_pin(person, pin, actor=voucher)
    account = ensure_account(person)
    account.vouched_by_id = voucher.id
    account.vouched_at = utcnow()
    if citizen_id:
        note_citizen_id(person, citizen_id, actor=voucher, key=key)
        people.record_consent(person, purpose="vneid", method=str(consent_method), policy_version=policy_version,
                              recorded_by=voucher, note="Ghi khi bảo lãnh tài khoản")
    db.session.flush()
    people.audit(voucher, person, "account.vouch")
