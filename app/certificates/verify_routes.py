"""Public verification: anyone with a serial or the QR code sees whether a certificate is valid, and who issued it."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.certificates import bp, credential, issuing, keys, status, verification
from app.extensions import db, limiter, utcnow
from app.places.models import Commune
from app.transactions import read_only

VERIFY_LIMIT = "30 per minute"
# One budget per client for the page, the JSON and the serial box together: trying serials through the
# JSON must not get twice the guesses.
verify_limit = limiter.shared_limit(VERIFY_LIMIT, scope="certificates-verify")


def _summary(serial: str) -> dict[str, Any] | None:
    found = verification.find(serial)
    return None if found is None else verification.summary(*found)


@bp.get("/verify")
@policy.public
@verify_limit
def verify_form() -> Any:
    """A box to type a serial number."""
    serial = (request.args.get("serial") or "").strip()
    if serial:
        return redirect(url_for("certificates.verify", serial=serial.upper()))
    return render_template("certificates/verify.html", info=None, serial="")


@bp.get("/verify/<serial>")
@read_only
@policy.public
@verify_limit
def verify(serial: str) -> Any:
    """Show whether the certificate is valid or revoked, with the holder's name partly masked."""
    info = _summary(serial)
    if info is not None:  # the page shows dates the Vietnamese way; the JSON keeps ISO dates
        for key in ("issued_on", "revoked_on"):
            if info[key]:
                info[key] = format_date(dt.date.fromisoformat(info[key]), "dd/MM/yyyy")
        info["signature_message"] = issuing.SIGNATURE_MESSAGES[info["signature"]["reason"]]
        info["signed_ok"] = info["signature"]["valid"] and info["record_matches"]
    return render_template("certificates/verify.html", info=info, serial=serial), 200 if info else 404


@bp.get("/verify/<serial>.json")
@policy.public
@verify_limit
def verify_json(serial: str) -> Any:
    """The same answer for machines."""
    info = _summary(serial)
    if info is None:
        return jsonify(serial=serial, status="not_found", message=_("Không có giấy chứng nhận mang số hiệu này.")), 404
    return jsonify(info)


@bp.get("/.well-known/jwks.json")
@policy.public
def jwks() -> Any:
    """Every commune's public signing keys, so anyone can check a credential's signature."""
    response = jsonify(keys.jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/issuers/<code>.json")
@policy.public
def issuer(code: str) -> Any:
    """The commune's issuer profile (Open Badges Profile) with its keys."""
    commune = db.session.scalar(select(Commune).where(Commune.code == code))
    if commune is None:
        return jsonify(error=404), 404
    base = _base_url()
    own = [k for k in keys.jwks()["keys"] if k["kid"].startswith(f"{commune.code}-")]
    return jsonify({"@context": [credential.VC_CONTEXT, credential.OB3_CONTEXT],
                    "id": issuing.issuer_id(base, commune), "type": ["Profile"],
                    "name": f"Ủy ban nhân dân {commune.name}, {commune.province.name}",
                    "verificationMethod": [{"id": f"{issuing.issuer_id(base, commune)}#{k['kid']}",
                                            "type": "JsonWebKey", "controller": issuing.issuer_id(base, commune),
                                            "publicKeyJwk": k} for k in own]})


def _base_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")


@bp.get("/status/<code>/revocation.json")
@policy.public
def status_list(code: str) -> Any:
    """The commune's signed revocation list (W3C Bitstring Status List), for verifiers working offline."""
    commune = db.session.scalar(select(Commune).where(Commune.code == code))
    signed = status.signed_list(commune, base_url=_base_url(), secret=current_app.config["DATA_ENCRYPTION_KEY"],
                                now=utcnow()) if commune else None
    if signed is None:
        return jsonify(error=404), 404
    response = jsonify(signed)
    response.mimetype = "application/vc+ld+json"
    response.headers["Cache-Control"] = "public, max-age=300"  # a revocation shows within five minutes
    return response
