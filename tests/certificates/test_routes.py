"""Certificate pages: officers confirm and issue for a class; learners download; anyone verifies."""
from __future__ import annotations

import io
import zipfile

import pypdf
from flask.testing import FlaskClient
from sqlalchemy import select

from app.certificates.models import Certificate
from app.extensions import db
from tests.certificates.test_pdf import decode_qr, extract
from tests.conftest import login


def _issue(client: FlaskClient, finished) -> list[str]:
    login(client, finished["officer"])
    klass = finished["class"]
    assert client.post(f"/classes/{klass.id}/completion/confirm").status_code == 302
    progress = client.post(f"/classes/{klass.id}/certificates/issue", headers={"Accept": "application/json"})
    assert progress.get_json() == {"done": 2, "total": 2, "remaining": 0}
    page = client.get(f"/classes/{klass.id}/completion").get_data(as_text=True)
    assert "Đã xác nhận" in page and "Lê Thị Ánh Tuyết" in page
    return list(db.session.scalars(select(Certificate.serial).order_by(Certificate.serial)))


def test_holders_download_a_pdf_with_their_exact_name_and_a_working_qr_code(client: FlaskClient, finished,
                                                                           app) -> None:
    serials = _issue(client, finished)
    holder = app.test_client()
    login(holder, finished["learners"][0])
    assert serials[0] in holder.get("/my/certificates").get_data(as_text=True)
    response = holder.get(f"/certificates/{serials[0]}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Nguyễn Thị Hương" in extract(response.data)
    assert decode_qr(response.data) == [f"http://localhost/verify/{serials[0]}"]
    assert holder.get(f"/certificates/{serials[1]}.pdf").status_code == 403  # someone else's
    signed = holder.get(f"/certificates/{serials[0]}/credential.json").get_json()
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"] and "proof" in signed


def test_officers_download_the_whole_class_as_a_zip(client: FlaskClient, finished) -> None:
    serials = _issue(client, finished)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/classes/{finished['class'].id}/certificates.zip").data))
    assert sorted(archive.namelist()) == [f"{s}.pdf" for s in serials]
    names = {pypdf.PdfReader(io.BytesIO(archive.read(n))).pages[0].extract_text() for n in archive.namelist()}
    assert any("Trần Văn Bình" in text for text in names)


def test_anyone_verifies_a_serial_and_sees_the_name_masked(client: FlaskClient, finished, app) -> None:
    serials = _issue(client, finished)
    public = app.test_client()
    html = public.get(f"/verify/{serials[0]}").get_data(as_text=True)
    assert "Giấy chứng nhận hợp lệ" in html and "N. T. Hương" in html and "Nguyễn Thị Hương" not in html
    assert "Hợp lệ: chứng nhận số được ký" in html
    data = public.get(f"/verify/{serials[0]}.json").get_json()
    assert data["status"] == "valid" and data["holder"] == "N. T. Hương" and data["signature"]["valid"]
    assert public.get("/verify/11791-2026-999999.json").status_code == 404
    assert public.get(f"/verify?serial={serials[0].lower()}").location.endswith(f"/verify/{serials[0].lower().upper()}")


def test_revoked_certificates_say_so_publicly(client: FlaskClient, finished, app) -> None:
    serials = _issue(client, finished)
    assert client.post(f"/certificates/{serials[1]}/revoke", data={"reason": "Cấp nhầm người"}).status_code == 302
    data = app.test_client().get(f"/verify/{serials[1]}.json").get_json()
    assert data["status"] == "revoked" and data["revocation_reason"] == "Cấp nhầm người"
    html = app.test_client().get(f"/verify/{serials[1]}").get_data(as_text=True)
    assert "Giấy chứng nhận đã bị thu hồi" in html


def test_public_keys_are_published_and_name_their_issuer(client: FlaskClient, finished, app) -> None:
    _issue(client, finished)
    keys = app.test_client().get("/.well-known/jwks.json").get_json()["keys"]
    assert keys and keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519" and "d" not in keys[0]
    profile = app.test_client().get("/issuers/11791.json").get_json()
    assert profile["verificationMethod"][0]["publicKeyJwk"] == keys[0]


def test_verification_is_rate_limited(rate_limited, finished) -> None:
    client = rate_limited.test_client()
    codes = [client.get("/verify/11791-2026-000001.json").status_code for _ in range(32)]
    assert codes[-1] == 429 and codes[0] == 404


def test_commune_sets_its_completion_rules(client: FlaskClient, finished) -> None:
    login(client, finished["officer"])
    response = client.post(f"/communes/{finished['commune'].id}/completion-rules", data={
        "attendance_percent": 25, "require_assessment": "y", "require_practical": "y", "confirmation": "officer",
        "officer_name": "Phạm Văn Chủ", "officer_title": "Chủ tịch Ủy ban nhân dân"})
    assert response.status_code == 302
    client.post(f"/classes/{finished['class'].id}/completion/confirm")
    page = client.get(f"/classes/{finished['class'].id}/completion").get_data(as_text=True)
    assert page.count('badge-ok">Đã xác nhận') == 3


def test_learners_cannot_confirm_or_issue(client: FlaskClient, finished) -> None:
    login(client, finished["learners"][0])
    assert client.post(f"/classes/{finished['class'].id}/completion/confirm").status_code == 403
    assert client.post(f"/classes/{finished['class'].id}/certificates/issue").status_code == 403
