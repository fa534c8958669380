"""Kiosk rules: which class a tablet serves, who may sign in on it, and printed sign-in cards."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import qrcode
import qrcode.image.svg
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import select

from app.classes import services as classes
from app.classes.models import Class, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person

KIOSK_HOURS = 12
IDLE_SECONDS = 60


@dataclass(frozen=True)
class Kiosk:
    """A tablet put into kiosk mode for one class, by a member of its staff."""

    class_id: int
    started_by: int
    started_at: datetime


def _signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="hocvuso-kiosk-v1")


def kiosk_token(klass: Class, started_by: Person, secret: str) -> str:
    """Seal the kiosk's class into a cookie value that expires after a working day."""
    return _signer(secret).dumps({"class": klass.id, "by": started_by.id})


def read_kiosk(token: str | None, secret: str) -> Kiosk | None:
    """Open a kiosk cookie; None when it is missing, forged or older than a working day."""
    if not token:
        return None
    try:
        data, signed_at = _signer(secret).loads(token, max_age=KIOSK_HOURS * 3600, return_timestamp=True)
    except (BadSignature, SignatureExpired):
        return None
    return Kiosk(int(data["class"]), int(data["by"]), signed_at)


def learners(kiosk: Kiosk) -> tuple[Class, list[Person]]:
    """Return the kiosk's class and its enrolled learners (today's class list)."""
    klass = db.session.get(Class, kiosk.class_id)
    if klass is None or klass.status in ("cancelled", "finished"):
        raise DomainError(_l("Lớp của máy dùng chung này không còn mở. Nhờ người hướng dẫn khởi động lại."))
    return klass, classes.learners(klass)


def learner_of(kiosk: Kiosk, person_id: int) -> Person:
    """Return a learner of the kiosk's class, or raise: nobody else signs in on this tablet."""
    enrolled = db.session.scalar(select(Enrolment).where(Enrolment.class_id == kiosk.class_id,
                                                         Enrolment.person_id == person_id,
                                                         Enrolment.status == "enrolled"))
    if enrolled is None:
        raise DomainError(_l("Người này không có trong danh sách lớp."))
    return enrolled.person


def card_token(person: Person, secret: str) -> str:
    """Token printed as a QR code on a learner's sign-in card (the PIN is still needed)."""
    return URLSafeSerializer(secret, salt="hocvuso-card-v1").dumps(person.id)


def person_from_card(token: str, secret: str) -> int | None:
    """Read a sign-in card's person id; None for a forged card."""
    try:
        return int(URLSafeSerializer(secret, salt="hocvuso-card-v1").loads(token))
    except (BadSignature, ValueError, TypeError):
        return None


def expires_at(kiosk: Kiosk) -> datetime:
    """When the kiosk stops serving, and staff must start it again."""
    return kiosk.started_at.astimezone(UTC) + timedelta(hours=KIOSK_HOURS)


def state(kiosk: Kiosk | None) -> dict[str, Any]:
    """Describe the kiosk for templates."""
    return {"kiosk": kiosk, "idle_seconds": IDLE_SECONDS}


def qr_svg(text: str) -> Markup:
    """Draw a QR code as inline SVG (no images to download, prints sharp)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    return Markup(svg[svg.index("<svg"):])  # drop the XML declaration: it is inline HTML
