"""What the public verification page and JSON say: the signed credential's content, never the live row's."""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.catalog.models import FrameworkVersion
from app.certificates import issuing
from app.certificates.models import Certificate
from app.extensions import db
from app.people.names import mask_name
from app.places.models import Commune
from app.vietnam import VIETNAM


def _nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def _signed_content(cert: Certificate, signed: dict[str, Any], framework: FrameworkVersion | None) -> dict[str, Any]:
    """Read what the issuer signed: holder, achievement, skills, date, issuer and status entry."""
    subject = signed.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    skills = [str(a.get("targetCode")) for a in achievement.get("alignment") or [] if a.get("targetCode")]
    if framework is None and cert.framework_version_id is not None:
        framework = db.session.get(FrameworkVersion, cert.framework_version_id)
    issued = dt.datetime.fromisoformat(str(signed.get("validFrom", "")).replace("Z", "+00:00"))
    entry = signed.get("credentialStatus") or {}
    return {
        "holder_name": _nfc(subject.get("name")), "achievement": _nfc(achievement.get("name")), "skills": skills,
        "achievement_type": _nfc(achievement.get("achievementType")),
        "description": _nfc(achievement.get("description")),
        "skill_groups": issuing.skill_groups(framework, skills) if framework else [],
        "issued_on": issued.astimezone(VIETNAM).date().isoformat(),
        "issuer": _nfc((signed.get("issuer") or {}).get("name")),
        "credential_status": {"list": entry.get("statusListCredential"), "index": entry.get("statusListIndex")}
        if entry else None,
    }


def _matches(cert: Certificate, content: dict[str, Any]) -> bool:
    """Tell whether the database row still says what was signed (a changed row is shown, and flagged)."""
    return (content["holder_name"] == _nfc(cert.current.holder_name)
            and content["achievement"] == _nfc(cert.achievement) and content["skills"] == list(cert.skills))


def find(serial: str) -> tuple[Certificate, Commune, FrameworkVersion | None] | None:
    """Find a certificate by its serial (as `issuing.by_serial`) with everything `summary` reads, in one query: the
    certificate with its revisions, its commune with the province, its framework version (a volunteer's has none)."""
    found = db.session.execute(
        select(Certificate, Commune, FrameworkVersion)
        .join(Commune, Commune.id == Certificate.commune_id)
        .outerjoin(FrameworkVersion, FrameworkVersion.id == Certificate.framework_version_id)
        .where(Certificate.serial == serial.strip().upper())
        .options(joinedload(Certificate.revisions), joinedload(Commune.province))).unique().first()
    return None if found is None else (found.Certificate, found.Commune, found.FrameworkVersion)


def summary(cert: Certificate, commune: Commune | None = None,
            framework: FrameworkVersion | None = None) -> dict[str, Any]:
    """Describe a certificate for anyone: its live status (revocation), and only what its signature vouches for
    (its commune and framework version are loaded when not given, as `find` gives them)."""
    commune = commune or db.session.get(Commune, cert.commune_id)
    check = issuing.check_signature(cert)  # None: erased with the holder's personal data
    info: dict[str, Any] = {
        "serial": cert.serial, "kind": cert.kind, "status": cert.status, "commune_code": commune.code,
        "revision": cert.current.number,
        "revoked_on": cert.revoked_at.date().isoformat() if cert.revoked_at else None,
        "revocation_reason": cert.revocation_reason or None,
        "signature": ({"valid": False, "reason": "removed", "method": None} if check is None else
                      {"valid": check.ok, "reason": str(check.reason), "method": check.verification_method}),
        "holder": None, "achievement": None, "achievement_type": None, "description": None, "skills": [],
        "skill_groups": [], "issued_on": None,
        "issuer": f"Ủy ban nhân dân {commune.name}, {commune.province.name}", "credential_status": None,
        "record_matches": None,
    }
    if check is None:  # nothing signed is left: the certificate's public, non-personal facts
        info.update(achievement=cert.achievement, skills=list(cert.skills), skill_groups=list(cert.skill_groups),
                    issued_on=cert.issued_on.isoformat())
    elif check.ok:
        content = _signed_content(cert, cert.current.credential, framework)
        info.update({k: v for k, v in content.items() if k != "holder_name"}, holder=mask_name(content["holder_name"]),
                    record_matches=_matches(cert, content))
    else:  # a bad signature vouches for nothing: show no content at all
        info["record_matches"] = False
    return info
