"""What sign-in holds about a person, for their right of access (never a secret, never the citizen ID)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.auth.models import VneidIdentity
from app.extensions import db
from app.people import rights
from app.people.models import Person


@rights.data_section("account")
def account(person: Person) -> dict[str, Any] | None:
    """How the person signs in, who vouched for them, and their VNeID link as it is kept."""
    link = db.session.scalar(select(VneidIdentity).where(VneidIdentity.person_id == person.id))
    acc = person.account
    if acc is None and link is None:
        return None
    return {
        "has_password": bool(acc and acc.password_hash), "has_pin": bool(acc and acc.pin_hash),
        "active": bool(acc and acc.active), "created_at": rights.iso(acc.created_at) if acc else None,
        "last_login_at": rights.iso(acc.last_login_at) if acc else None,
        "vouched_by": acc.vouched_by.full_name if acc and acc.vouched_by else None,
        "vouched_at": rights.iso(acc.vouched_at) if acc else None,
        "vneid": None if link is None else {
            "citizen_id": link.masked_citizen_id, "assurance_level": link.assurance_level,
            "linked_at": rights.iso(link.linked_at), "last_login_at": rights.iso(link.last_login_at),
            "note": "Chỉ lưu mã băm có khóa và 3 số cuối của số định danh.",
        },
    }
