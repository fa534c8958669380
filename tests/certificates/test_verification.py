"""Public verification shows what was signed; revocation reaches offline verifiers through a signed status list."""
from __future__ import annotations

import base64
import copy
import gzip

from flask.testing import FlaskClient
from sqlalchemy import select

from app.certificates import credential, keys
from app.certificates.models import Certificate
from app.extensions import db
from tests.certificates.test_routes import _issue
from tests.conftest import login


def _cert(serial: str) -> Certificate:
    return db.session.scalar(select(Certificate).where(Certificate.serial == serial))


def _bits(status_list: dict) -> bytes:
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    return gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))


def _bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_changed_name_in_the_database_never_shows_as_signed(client: FlaskClient, finished, app) -> None:
    serials = _issue(client, finished)
    _cert(serials[0]).current.holder_name = "Phạm Văn Mạo Danh"
    db.session.commit()
    public = app.test_client()
    html = public.get(f"/verify/{serials[0]}").get_data(as_text=True)
    assert "Mạo Danh" not in html and "N. T. Hương" in html  # the signed name, masked
    assert "không khớp với nội dung đã ký" in html and "Giấy chứng nhận hợp lệ" not in html
    data = public.get(f"/verify/{serials[0]}.json").get_json()
    assert data["holder"] == "N. T. Hương" and data["record_matches"] is False


def test_a_tampered_credential_shows_nothing_it_claims(client: FlaskClient, finished, app) -> None:
    serials = _issue(client, finished)
    cert = _cert(serials[0])
    forged = copy.deepcopy(cert.current.credential)
    forged["credentialSubject"]["name"] = "Phạm Văn Mạo Danh"
    cert.current.credential = forged
    cert.current.holder_name = "Phạm Văn Mạo Danh"
    db.session.commit()
    html = app.test_client().get(f"/verify/{serials[0]}").get_data(as_text=True)
    assert "Mạo Danh" not in html and "Giấy chứng nhận hợp lệ" not in html
    assert "Không xác minh được giấy chứng nhận" in html
    data = app.test_client().get(f"/verify/{serials[0]}.json").get_json()
    assert data["signature"]["valid"] is False and data["holder"] is None


def test_another_certificates_credential_does_not_verify_here(client: FlaskClient, finished, app) -> None:
    serials = _issue(client, finished)
    first, second = _cert(serials[0]), _cert(serials[1])
    second.current.credential = copy.deepcopy(first.current.credential)
    second.current.holder_name = first.current.holder_name
    db.session.commit()
    data = app.test_client().get(f"/verify/{serials[1]}.json").get_json()
    assert data["signature"] == {"valid": False, "reason": "mismatch", "method": data["signature"]["method"]}


def test_revocation_reaches_offline_verifiers_through_the_signed_status_list(client: FlaskClient, finished,
                                                                            app) -> None:
    serials = _issue(client, finished)
    valid, revoked = _cert(serials[0]), _cert(serials[1])
    entries = [c.current.credential["credentialStatus"] for c in (valid, revoked)]
    assert {e["type"] for e in entries} == {"BitstringStatusListEntry"}
    assert {e["statusPurpose"] for e in entries} == {"revocation"}
    assert entries[0]["statusListIndex"] != entries[1]["statusListIndex"]
    url = entries[1]["statusListCredential"]
    assert url == "http://localhost/status/11791/revocation.json"
    login(client, finished["officer"])
    assert client.post(f"/certificates/{serials[1]}/revoke", data={"reason": "Cấp nhầm người"}).status_code == 302

    response = app.test_client().get("/status/11791/revocation.json")
    assert response.status_code == 200 and response.mimetype == "application/vc+ld+json"
    status_list = response.get_json()
    assert status_list["id"] == url
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["type"] == "BitstringStatusList"
    bits = _bits(status_list)
    assert len(bits) * 8 >= 131_072
    assert _bit(bits, int(entries[1]["statusListIndex"])) and not _bit(bits, int(entries[0]["statusListIndex"]))
    result = credential.verify_credential(status_list, keys.resolver(status_list["issuer"], valid.commune_id))
    assert result.ok, result


def test_a_commune_without_certificates_has_no_status_list(client: FlaskClient, finished, app) -> None:
    assert app.test_client().get("/status/11791/revocation.json").status_code == 404
    assert app.test_client().get("/status/99999/revocation.json").status_code == 404


def test_status_list_indexes_are_unique_per_commune_and_older_certificates_get_one_when_reissued(
        client: FlaskClient, finished) -> None:
    from app.people import services as people

    serials = _issue(client, finished)
    certificates = [_cert(s) for s in serials]
    assert sorted(c.status_index for c in certificates) == [0, 1]
    older = certificates[0]
    older.status_index = None  # as a certificate signed before status lists
    person = finished["learners"][0]
    people.update_person(person, full_name="Nguyễn Thị Hường", birth_year=person.birth_year, village=None,
                         phone=person.phone, gender=None, tags=[])
    db.session.commit()
    assert client.post(f"/certificates/{older.serial}/reissue", data={"reason": "Sửa họ tên"}).status_code == 302
    older = _cert(serials[0])
    assert older.status_index == 2
    assert older.current.credential["credentialStatus"]["statusListIndex"] == "2"


def test_verification_shares_one_limit_between_page_and_json(rate_limited, finished) -> None:
    client = rate_limited.test_client()
    pages = [client.get("/verify/11791-2026-000001").status_code for _ in range(15)]
    machines = [client.get("/verify/11791-2026-000001.json").status_code for _ in range(16)]
    assert set(pages) == {404} and machines[:15] == [404] * 15 and machines[-1] == 429
    page = client.get("/verify/11791-2026-000001")
    assert page.status_code == 429 and "Bạn đã thử quá nhiều lần" in page.get_data(as_text=True)
    english = client.get("/verify/11791-2026-000001", headers={"Accept-Language": "en"})
    assert english.status_code == 429


def _statements(app, path: str) -> tuple[list[str], dict]:
    from sqlalchemy import event

    found: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        found.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        data = app.test_client().get(path).get_json()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return found, data


def test_a_checked_signature_is_remembered_but_revocation_and_tampering_always_show(client: FlaskClient, finished,
                                                                                     app) -> None:
    serials = _issue(client, finished)
    first, seen = _statements(app, f"/verify/{serials[0]}.json")
    assert seen["status"] == "valid" and seen["signature"]["valid"] and seen["record_matches"]
    again, same = _statements(app, f"/verify/{serials[0]}.json")
    assert same == seen
    assert len(again) == 1 < len(first)  # certificate, commune, province and framework in one; the key remembered
    assert not any("signing_keys" in s for s in again)
    # Revoked after being checked: the page says so at once.
    assert client.post(f"/certificates/{serials[0]}/revoke", data={"reason": "Cấp nhầm người"}).status_code == 302
    _, revoked = _statements(app, f"/verify/{serials[0]}.json")
    assert revoked["status"] == "revoked" and revoked["revocation_reason"] == "Cấp nhầm người"
    # Changed after being checked: the remembered answer is not used.
    cert = _cert(serials[0])
    forged = copy.deepcopy(cert.current.credential)
    forged["credentialSubject"]["name"] = "Phạm Văn Mạo Danh"
    cert.current.credential = forged
    db.session.commit()
    _, tampered = _statements(app, f"/verify/{serials[0]}.json")
    assert tampered["signature"]["valid"] is False and tampered["holder"] is None


def test_a_reissued_certificate_is_checked_afresh(client: FlaskClient, finished, app) -> None:
    from app.certificates import issuing
    from app.people import services as people

    serials = _issue(client, finished)
    _, before = _statements(app, f"/verify/{serials[0]}.json")
    assert before["revision"] == 1 and before["signature"]["valid"]
    cert, person = _cert(serials[0]), finished["learners"][0]
    people.update_person(person, full_name="Nguyễn Thị Hường", birth_year=person.birth_year, village=None,
                         phone=person.phone, gender=None, tags=[])
    issuing.reissue(cert, actor=finished["officer"], reason="Sửa họ tên", base_url="http://localhost",
                    secret=app.config["DATA_ENCRYPTION_KEY"])
    db.session.commit()
    statements, after = _statements(app, f"/verify/{serials[0]}.json")
    assert after["revision"] == 2 and after["signature"]["valid"] and after["record_matches"]
    assert any("signing_keys" in s for s in statements)  # a new credential: its key is looked up
