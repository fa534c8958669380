"""Rules for people: creating and correcting records, consent, sensitive data, roles, erasure."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, or_, select

from app import crypto, vietnam
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people import (
    GENDERS,  # noqa: E402  (re-exported for callers of the services)
    names,
    rights,
    sensitive,
)
from app.people.audiences import STORED, Audience
from app.people.consents import METHODS, PURPOSES
from app.people.models import AuditEvent, Consent, DisabilityRecord, Household, Person, PersonTag, RoleAssignment
from app.places.models import Commune, Village
from app.policy import Role

OLDEST_BIRTH_YEAR = 1900
ERASED_NAME = "(Đã xóa)"


def audit(actor: Person | None, subject: Person | None, action: str, detail: str = "") -> None:
    """Record who did what to whose personal data."""
    db.session.add(AuditEvent(actor_id=actor.id if actor else None,
                              subject_id=subject.id if subject else None, action=action, detail=detail))


def _check_fields(commune: Commune, full_name: str, birth_year: int | None, village: Village | None,
                  phone: str | None, gender: str | None, person_id: int | None = None) -> tuple[str, str | None]:
    name = vietnam.clean_name(full_name or "")
    if len(name) < 2:
        raise DomainError(_l("Vui lòng nhập họ và tên."), field="full_name")
    if len(name) > 120:
        raise DomainError(_l("Họ và tên quá dài (tối đa 120 ký tự)."), field="full_name")
    this_year = datetime.now(UTC).year
    if birth_year is not None and not OLDEST_BIRTH_YEAR <= birth_year <= this_year:
        raise DomainError(_l("Năm sinh phải từ %(low)s đến %(high)s.", low=OLDEST_BIRTH_YEAR, high=this_year),
                          field="birth_year")
    if village is not None and village.commune_id != commune.id:
        raise DomainError(_l("Thôn/tổ dân phố không thuộc xã này."), field="village")
    if gender is not None and gender not in GENDERS:
        raise DomainError(_l("Giới tính không hợp lệ."), field="gender")
    try:
        clean_phone = names.normalise_phone(phone)
    except ValueError:
        raise DomainError(_l("Số điện thoại không hợp lệ: cần 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678)."),
                          field="phone") from None
    if clean_phone:
        taken = db.session.scalar(select(Person.id).where(Person.phone == clean_phone))
        if taken is not None and taken != person_id:
            raise DomainError(_l("Số điện thoại này đã được dùng cho một người khác."), field="phone")
    return name, clean_phone


def create_person(*, commune: Commune, full_name: str, birth_year: int | None = None,
                  village: Village | None = None, phone: str | None = None, gender: str | None = None,
                  tags: Iterable[str] = (), household: Household | None = None,
                  created_by: Person | None = None) -> Person:
    """Create a person in a commune after checking every field."""
    name, clean_phone = _check_fields(commune, full_name, birth_year, village, phone, gender)
    person = Person(full_name=name, birth_year=birth_year, phone=clean_phone, gender=gender,
                    commune_id=commune.id, village_id=village.id if village else None,
                    household_id=household.id if household else None,
                    created_by_id=created_by.id if created_by else None)
    db.session.add(person)
    set_tags(person, tags)
    db.session.flush()
    audit(created_by, person, "person.create")
    return person


def update_person(person: Person, *, full_name: str, birth_year: int | None, village: Village | None,
                  phone: str | None, gender: str | None, tags: Iterable[str],
                  household: Household | None = None, actor: Person | None = None) -> Person:
    """Correct a person's record (the right to rectification)."""
    name, clean_phone = _check_fields(person.commune, full_name, birth_year, village, phone, gender,
                                      person_id=person.id)
    if household is not None and household.commune_id != person.commune_id:
        raise DomainError(_l("Hộ gia đình không thuộc xã này."), field="household")
    person.full_name, person.birth_year, person.phone, person.gender = name, birth_year, clean_phone, gender
    person.village_id = village.id if village else None
    person.household_id = household.id if household else None
    set_tags(person, tags)
    db.session.flush()
    audit(actor, person, "person.update")
    return person


def set_tags(person: Person, tags: Iterable[str]) -> None:
    """Replace a person's stored audience tags; elderly and disabled are never stored as tags."""
    wanted = set(tags)
    unknown = wanted - {a.value for a in STORED}
    if unknown:
        raise DomainError(_l("Đối tượng không hợp lệ: %(tags)s", tags=", ".join(sorted(unknown))), field="tags")
    person.tags = [t for t in person.tags if t.tag in wanted] + [
        PersonTag(tag=t) for t in sorted(wanted - {t.tag for t in person.tags})
    ]


def parse_tag_labels(text: str) -> list[str]:
    """Turn "tiểu thương; học sinh" (Vietnamese labels or codes) into tag codes; raise on unknown."""
    from app.people.audiences import LABELS

    by_label = {vietnam.search_key(str(LABELS[a])): a.value for a in STORED}
    by_label.update({a.value: a.value for a in STORED})
    by_label.update({"tieu thuong": Audience.TRADER.value, "can bo": Audience.PUBLIC_STAFF.value,
                     "cong chuc": Audience.PUBLIC_STAFF.value, "cong nhan": Audience.ENTERPRISE_WORKER.value,
                     "nguoi lao dong": Audience.ENTERPRISE_WORKER.value, "hoc sinh": Audience.PUPIL.value})
    tags = []
    for part in text.split(";"):
        # Labels may themselves contain commas ("Tiểu thương, hộ kinh doanh"); try the whole part first.
        pieces = [part] if vietnam.search_key(part) in by_label else part.split(",")
        for piece in pieces:
            key = vietnam.search_key(piece)
            if not key:
                continue
            if key not in by_label:
                raise DomainError(_l("Không hiểu đối tượng \"%(tag)s\".", tag=piece.strip()))
            tags.append(by_label[key])
    return tags


def end_sessions(person: Person) -> None:
    """End every session of the person's account, on every device (the next request finds it stale)."""
    if person.account is not None:
        person.account.session_version += 1
        db.session.flush()


# --- consent -------------------------------------------------------------------------------

def active_consent(person: Person, purpose: str) -> Consent | None:
    """Return the person's active consent to a purpose, if any."""
    return next((c for c in person.consents if c.purpose == purpose and c.active), None)


def record_consent(person: Person, *, purpose: str, method: str, policy_version: str,
                   recorded_by: Person | None, note: str = "") -> Consent:
    """Record that a person consented to a purpose; never implied, always explicit."""
    if purpose not in PURPOSES:
        raise DomainError(_l("Mục đích xử lý dữ liệu không hợp lệ."), field="purpose")
    if method not in METHODS:
        raise DomainError(_l("Hình thức đồng ý không hợp lệ."), field="method")
    existing = active_consent(person, purpose)
    if existing is not None:
        return existing
    consent = Consent(person=person, purpose=purpose, method=method, policy_version=policy_version,
                      recorded_by_id=recorded_by.id if recorded_by else None, note=note.strip()[:255])
    db.session.add(consent)
    db.session.flush()
    audit(recorded_by, person, "consent.give", purpose)
    return consent


def withdraw_consent(consent: Consent, *, by: Person | None, note: str = "") -> None:
    """Withdraw a consent; data held only under it (disability) is deleted at once."""
    if not consent.active:
        return
    consent.withdrawn_at = utcnow()
    consent.withdrawn_by_id = by.id if by else None
    consent.withdrawal_note = note.strip()[:255]
    if consent.purpose == "disability":
        db.session.execute(delete(DisabilityRecord).where(DisabilityRecord.person_id == consent.person_id))
        db.session.expire(consent.person, ["disability"])
    db.session.flush()
    audit(by, consent.person, "consent.withdraw", consent.purpose)


# --- sensitive data ------------------------------------------------------------------------

def set_disability(person: Person, *, kinds: Iterable[str], needs: str, actor: Person | None,
                   secret: str) -> DisabilityRecord:
    """Store a person's disability kinds and support needs, encrypted, under their own consent."""
    consent = active_consent(person, "disability")
    if consent is None:
        raise DomainError(_l("Cần có sự đồng ý riêng của người này trước khi ghi thông tin khuyết tật."))
    kinds = sorted(set(kinds))
    if not kinds or set(kinds) - set(sensitive.DISABILITY_KINDS):
        raise DomainError(_l("Vui lòng chọn dạng khuyết tật (hoặc \"Không muốn nêu cụ thể\")."), field="kinds")
    record = person.disability or DisabilityRecord(person_id=person.id)
    record.consent_id = consent.id
    record.kinds_encrypted = crypto.encrypt(kinds, secret)
    record.needs_encrypted = crypto.encrypt(needs.strip()[:500], secret) if needs.strip() else None
    record.updated_by_id = actor.id if actor else None
    person.disability = record
    db.session.flush()
    audit(actor, person, "sensitive.write", "disability")
    return record


def read_disability(person: Person, *, actor: Person | None, secret: str) -> tuple[list[str], str]:
    """Decrypt a person's disability record for someone allowed to see it, and log the access."""
    record = person.disability
    if record is None:
        return [], ""
    audit(actor, person, "sensitive.read", "disability")
    kinds = crypto.decrypt(record.kinds_encrypted, secret)
    needs = crypto.decrypt(record.needs_encrypted, secret) if record.needs_encrypted else ""
    return list(kinds), str(needs)  # type: ignore[call-overload]


# --- roles ---------------------------------------------------------------------------------

def grant_role(person: Person, role: Role, *, commune: Commune | None, village: Village | None = None,
               granted_by: Person | None = None) -> RoleAssignment:
    """Give a person a role in a commune (or village); granting the same role twice is harmless."""
    if role != Role.ADMIN and commune is None:
        raise DomainError(_l("Vai trò này cần gắn với một xã."))
    if village is not None and (commune is None or village.commune_id != commune.id):
        raise DomainError(_l("Thôn/tổ dân phố không thuộc xã này."), field="village")
    commune_id = None if role == Role.ADMIN else commune.id  # type: ignore[union-attr]
    village_id = village.id if village else None
    for held in person.role_assignments:
        if (held.role, held.commune_id, held.village_id) == (role.value, commune_id, village_id):
            return held
    assignment = RoleAssignment(role=role.value, commune_id=commune_id, village_id=village_id,
                                granted_by_id=granted_by.id if granted_by else None)
    person.role_assignments.append(assignment)
    db.session.flush()
    audit(granted_by, person, "role.grant", role.value)
    return assignment


def revoke_role(assignment: RoleAssignment, *, actor: Person | None) -> None:
    """Take a role away; the person's sessions end, so the role's powers go at once everywhere."""
    person = assignment.person
    person.role_assignments.remove(assignment)
    db.session.flush()
    end_sessions(person)
    audit(actor, person, "role.revoke", assignment.role)


# --- finding people ------------------------------------------------------------------------

def search(commune_id: int, query: str = "", village_id: int | None = None, *,
           villages: Iterable[int] | None = None) -> Select[tuple[Person]]:
    """Build a query for people in a commune whose name (without diacritics) or phone matches.

    `villages` limits the search to those villages (for someone whose role covers only their own).
    """
    stmt = select(Person).where(Person.commune_id == commune_id, Person.erased_at.is_(None))
    if villages is not None:
        stmt = stmt.where(Person.village_id.in_(list(villages)))
    if village_id:
        stmt = stmt.where(Person.village_id == village_id)
    query = query.strip()
    if query:
        digits = "".join(c for c in query if c.isdigit())
        key = vietnam.search_key(query)
        conditions = [Person.name_search.contains(key, autoescape=True)]
        if len(digits) >= 3 and len(digits) == len(query.replace(" ", "").replace(".", "")):
            conditions.append(Person.phone.contains(digits, autoescape=True))
        stmt = stmt.where(or_(*conditions))
    return stmt.order_by(Person.name_search, Person.id)


# --- data-subject rights ---------------------------------------------------------------------

def visible_audiences(person: Person, *, sensitive: bool) -> list[Audience]:
    """The person's audiences as a viewer may see them: "disabled" only for those allowed sensitive data."""
    return sorted(a for a in person.audiences if sensitive or a != Audience.DISABLED)


def visible_consents(person: Person, *, sensitive: bool) -> list[Consent]:
    """The person's consents as a viewer may see them: even the disability consent reveals a record."""
    return [c for c in person.consents if sensitive or not PURPOSES[c.purpose].sensitive]


def personal_data(person: Person, *, sensitive: bool = True) -> dict[str, Any]:
    """Everything held about a person, as they may ask to see it (right of access).

    Without `sensitive` (staff other than officers helping them), whether a disability record exists
    is left out, as it is on the person's page.
    """
    data = {
        "full_name": person.full_name,
        "phone": person.phone,
        "birth_year": person.birth_year,
        "gender": person.gender,
        "commune": person.commune.full_name,
        "village": person.village.name if person.village else None,
        "household": person.household.address if person.household else None,
        "audiences": [a.value for a in visible_audiences(person, sensitive=sensitive)],
        "roles": [{"role": r.role, "commune_id": r.commune_id, "village_id": r.village_id}
                  for r in person.role_assignments],
        "consents": [{"purpose": c.purpose, "method": c.method, "given_at": c.given_at.isoformat(),
                      "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None}
                     for c in visible_consents(person, sensitive=sensitive)],
        "created_at": person.created_at.isoformat(),
        **rights.sections(person),
    }
    if sensitive:
        data["has_disability_record"] = person.disability is not None
    return data


def erase_person(person: Person, *, actor: Person | None) -> None:
    """Erase a person's identifying data, keeping only anonymous counts (right to deletion)."""
    rights.erase(person, actor)
    for consent in person.consents:
        withdraw_consent(consent, by=actor, note="erasure")
    person.full_name = ERASED_NAME
    person.phone = None
    person.gender = None
    person.household_id = None
    person.tags = []
    person.role_assignments.clear()
    end_sessions(person)
    person.account = None  # delete-orphan: the credentials go too
    person.erased_at = utcnow()
    db.session.flush()
    audit(actor, person, "person.erase")


def create_household(*, village: Village, address: str, actor: Person | None = None) -> Household:
    """Create a household in a village."""
    address = " ".join(address.split())
    if len(address) < 2:
        raise DomainError(_l("Vui lòng nhập địa chỉ hộ gia đình."), field="address")
    household = Household(commune_id=village.commune_id, village_id=village.id, address=address[:255])
    db.session.add(household)
    db.session.flush()
    return household
