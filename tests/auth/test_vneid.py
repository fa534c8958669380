"""Logging in with VNeID against the bundled mock provider, through the test client: the whole flow."""
from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import VneidIdentity
from app.extensions import db
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.auth.vneid_helpers import BASE, approve, identities, in_process, log_in, query, signed_in, start

HUONG, MO, KHANH = "000156000001", "000150000004", "000088000005"  # demo citizens of the mock provider


# --- the whole flow ------------------------------------------------------------------------------

def test_login_page_offers_vneid_and_starts_with_pkce_state_and_nonce(client: FlaskClient, provider) -> None:
    assert "Đăng nhập bằng VNeID" in client.get("/login").get_data(as_text=True)
    params = query(start(client))
    assert params["response_type"] == "code" and params["client_id"] == "hocvuso"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["state"] and params["nonce"] and "openid" in params["scope"].split()
    assert params["redirect_uri"] == f"{BASE}/auth/vneid/callback"
    with client.session_transaction() as session:
        saved = session[f"_state_vneid_{params['state']}"]["data"]
    assert saved["nonce"] == params["nonce"] and saved["code_verifier"] and "url" not in saved


def test_unknown_citizen_creates_a_learner_after_consenting(client: FlaskClient, provider, commune) -> None:
    response = log_in(client, MO)
    assert response.status_code == 302 and response.location == "/auth/vneid/confirm"
    assert not signed_in(client)
    page = client.get("/auth/vneid/confirm").get_data(as_text=True)
    assert "Xin chào, Hoàng Thị Mơ" in page and "•••••••••004" in page and MO not in page
    refused_without_consent = client.post("/auth/vneid/confirm", data={
        "action": "new", "new-place": f"v{commune['village_id']}"})
    assert "Cần có sự đồng ý của bạn" in refused_without_consent.get_data(as_text=True)
    assert not signed_in(client)
    done = client.post("/auth/vneid/confirm", data={"action": "new", "new-place": f"v{commune['village_id']}",
                                                    "new-consent": "y"})
    assert done.status_code == 302 and signed_in(client)
    assert "Xin chào, Hoàng Thị Mơ" in client.get("/").get_data(as_text=True)
    person = db.session.scalar(select(Person).where(Person.full_name == "Hoàng Thị Mơ"))
    assert (person.birth_year, person.gender, person.village_id) == (1950, "female", commune["village_id"])
    assert {a.role for a in person.role_assignments} == {Role.LEARNER.value}
    assert {c.purpose for c in person.consents if c.active} == {"learning", "vneid"}
    link = db.session.scalar(select(VneidIdentity).where(VneidIdentity.person_id == person.id))
    assert (link.citizen_id_last3, link.assurance_level) == ("004", 2) and MO not in link.citizen_id_hmac


def test_citizen_links_their_existing_record_by_phone_and_birth_year(client: FlaskClient, provider,
                                                                      commune) -> None:
    log_in(client, HUONG)
    wrong = client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": commune["huong_phone"],
                                                     "match-birth_year": "1957"})
    assert "Không tìm thấy hồ sơ khớp" in wrong.get_data(as_text=True) and not signed_in(client)
    right = client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": commune["huong_phone"],
                                                     "match-birth_year": "1956"})
    assert right.status_code == 302 and signed_in(client)
    with client.session_transaction() as session:
        assert session["_user_id"].partition(".")[0] == str(commune["huong_id"])
    assert identities() == 1


def test_returning_citizen_is_logged_in_at_once(client: FlaskClient, provider, commune) -> None:
    log_in(client, HUONG)
    client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": commune["huong_phone"],
                                             "match-birth_year": "1956"})
    client.post("/logout")
    assert not signed_in(client)
    again = log_in(client, HUONG)
    assert again.status_code == 302 and again.location == "/" and signed_in(client)
    assert "Đã đăng nhập bằng VNeID." in client.get("/").get_data(as_text=True)


def test_person_page_shows_the_vneid_verification_and_level(client: FlaskClient, provider, commune) -> None:
    log_in(client, HUONG)
    client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": commune["huong_phone"],
                                             "match-birth_year": "1956"})
    page = client.get(f"/people/{commune['huong_id']}").get_data(as_text=True)
    assert "Đã xác thực qua VNeID (mức 2)" in page and "số định danh •••••••••001" in page
    assert HUONG not in page


def test_level_one_account_is_shown_as_level_one(client: FlaskClient, provider, commune) -> None:
    log_in(client, KHANH)
    client.post("/auth/vneid/confirm", data={"action": "new", "new-place": f"c{commune['commune_id']}",
                                             "new-consent": "y"})
    person = db.session.scalar(select(Person).where(Person.full_name == "Phạm Quốc Khánh"))
    assert person.village_id is None
    assert "Đã xác thực qua VNeID (mức 1)" in client.get(f"/people/{person.id}").get_data(as_text=True)


def test_next_page_survives_the_round_trip(client: FlaskClient, provider, commune) -> None:
    log_in(client, HUONG)
    client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": commune["huong_phone"],
                                             "match-birth_year": "1956"})
    client.post("/logout")
    response = client.get("/auth/vneid/login?next=/account")
    callback = approve(client, response.location.removeprefix(BASE), HUONG)
    assert client.get(callback).location == "/account"
    client.post("/logout")
    response = client.get("/auth/vneid/login?next=https://evil.example/")
    assert client.get(approve(client, response.location.removeprefix(BASE), HUONG)).location == "/"


def test_logout_ends_the_session_at_the_provider_too(client: FlaskClient, provider, commune) -> None:
    log_in(client, HUONG)
    client.post("/auth/vneid/confirm", data={"action": "match", "match-phone": commune["huong_phone"],
                                             "match-birth_year": "1956"})
    page = client.post("/logout")
    assert page.status_code == 200 and not signed_in(client)
    html = page.get_data(as_text=True)
    assert 'http-equiv="refresh"' in html and "/mock-vneid/end-session?" in html
    end_session = html.split('href="')[-1].split('"')[0].replace("&amp;", "&").removeprefix(BASE)
    params = query(end_session)
    assert params["client_id"] == "hocvuso" and params["post_logout_redirect_uri"] == f"{BASE}/"
    assert "id_token_hint" not in params  # it would carry the citizen ID through a readable cookie
    assert "Đăng xuất khỏi VNeID?" in client.get(end_session).get_data(as_text=True)
    back = client.post(end_session)
    assert back.status_code == 302 and back.location.startswith(f"{BASE}/?state=")


def test_logging_out_of_a_phone_login_stays_here(client: FlaskClient, provider, commune) -> None:
    client.post("/login", data={"phone": commune["huong_phone"], "secret": factories.PIN})
    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/"


def test_provider_key_rotation_is_followed(app_factory, tmp_path, commune) -> None:
    from app.mockvneid import keys

    rotating = app_factory(VNEID_MOCK_KEY_FILE=str(tmp_path / "key.pem"))
    client = rotating.test_client()
    with in_process(rotating) as adapter:
        assert log_in(client, MO).location == "/auth/vneid/confirm"
        assert adapter.calls.count("/mock-vneid/jwks") == 1
        with rotating.app_context():
            keys.rotate()
        with client.session_transaction() as session:
            session.clear()
        # The ID token now names a key the app has not seen: it fetches the keys again, once, and accepts it.
        assert log_in(client, MO).location == "/auth/vneid/confirm"
        assert adapter.calls.count("/mock-vneid/jwks") == 2
