"""Demo citizens of the mock VNeID provider: Vietnamese names, clearly fake 12-digit ID numbers.

The numbers start with province code 000, which no province has, so they can never be anyone's.
Two match demo learners (Nguyễn Thị Hương, Trần Văn Bình), so the demo shows linking a record.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from flask import current_app

from app import vietnam

LEVEL_ACR = "urn:mock-vneid:level:%d"  # "acr" claim: the account's assurance level (1 or 2)
_TWELVE_DIGITS = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Citizen:
    """A VNeID account holder as the mock provider knows them."""

    id_number: str
    full_name: str
    birthdate: str | None  # ISO 8601, as OpenID Connect's "birthdate" claim
    gender: str | None  # "female" / "male", as OpenID Connect's "gender" claim
    level: int  # 1: registered online; 2: verified in person with the chip ID card (Decree 69/2024)

    @property
    def acr(self) -> str:
        return LEVEL_ACR % self.level

    @property
    def masked(self) -> str:
        return "•" * 9 + self.id_number[-3:]


DEMO_CITIZENS: tuple[Citizen, ...] = (
    Citizen("000156000001", "Nguyễn Thị Hương", "1956-03-12", "female", 2),
    Citizen("000052000002", "Trần Văn Bình", "1952-08-20", "male", 2),
    Citizen("000175000003", "Lê Thị Ánh Tuyết", "1975-11-02", "female", 1),
    Citizen("000150000004", "Hoàng Thị Mơ", "1950-05-05", "female", 2),
    Citizen("000088000005", "Phạm Quốc Khánh", "1988-09-02", "male", 1),
    Citizen("000203000006", "Đinh Văn Sơn", "2003-01-15", "male", 2),
)
BY_NUMBER = {c.id_number: c for c in DEMO_CITIZENS}


def valid_number(raw: str | None) -> str | None:
    """Return a typed ID number as 12 digits, or None when it is not one."""
    digits = re.sub(r"[\s.\-]", "", raw or "")
    return digits if _TWELVE_DIGITS.match(digits) else None


def find(id_number: str) -> Citizen:
    """Return the demo citizen with this number, or a level-1 test citizen for any other 12 digits."""
    return BY_NUMBER.get(id_number) or Citizen(id_number, "Công dân Thử Nghiệm", None, None, 1)


def subject(citizen: Citizen) -> str:
    """Return the citizen's stable `sub`: derived from, but not revealing, the ID number."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"mock-vneid-subject:{citizen.id_number}".encode(), hashlib.sha256).hexdigest()[:32]


def claims(citizen: Citizen, scope: str) -> dict[str, object]:
    """Return the claims released for a scope: the ID number always (it is the point), the profile when asked."""
    released: dict[str, object] = {"sub": subject(citizen), "citizen_id": citizen.id_number}
    if "profile" in (scope or "").split():
        released["name"] = vietnam.clean_name(citizen.full_name)
        if citizen.birthdate:
            released["birthdate"] = citizen.birthdate
        if citizen.gender:
            released["gender"] = citizen.gender
    return released
