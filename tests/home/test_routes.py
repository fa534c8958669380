"""Landing page, health check, language and text size."""
from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from app.extensions import db
from tests import factories
from tests.conftest import login


def test_home_page_is_vietnamese_by_default(client: FlaskClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="vi"' in html
    assert "Học kỹ năng số ngay tại thôn mình" in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_switching_to_english_changes_the_language(client: FlaskClient) -> None:
    client.post("/preferences/language", data={"lang": "en"})
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.post("/preferences/language", data={"lang": "xx"})
    assert '<html lang="vi"' in client.get("/").get_data(as_text=True)


def test_text_size_is_remembered_for_the_session(client: FlaskClient) -> None:
    client.post("/preferences/text-size", data={"size": "3"})
    assert 'class="ts-3"' in client.get("/").get_data(as_text=True)


def test_health_check_reports_a_reachable_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok" and response.get_json()["database"] == "ok"


def test_health_check_answers_503_when_the_database_is_down(client: FlaskClient, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_pages_carry_security_headers(client: FlaskClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_not_cached_on_shared_tablets(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    learner = factories.person(commune)
    db.session.commit()
    login(client, learner)
    response = client.get("/")
    assert "Xin chào, Nguyễn Thị Hương" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_missing_page_explains_itself_in_vietnamese(client: FlaskClient) -> None:
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)
