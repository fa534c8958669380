"""The health check names what is wrong; with the database down, pages show the app's own 503 page."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from app.extensions import db
from tests import factories
from tests.conftest import session_user_id


def test_a_healthy_instance_answers_200_with_every_check(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "database_write": "ok", "instance": "ok",
                                   "keys": "ok"}


def test_an_instance_folder_that_cannot_be_written_is_unhealthy(client: FlaskClient, app: Flask, monkeypatch,
                                                                 tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the instance folder should be")  # even root cannot write inside a file
    monkeypatch.setattr(app, "instance_path", str(blocked))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["instance"] and response.get_json()["instance"] == "not writable"


@pytest.mark.parametrize("key", ["SECRET_KEY", "DATA_ENCRYPTION_KEY"])
def test_a_missing_key_is_unhealthy(client: FlaskClient, app: Flask, monkeypatch, key: str) -> None:
    monkeypatch.setitem(app.config, key, "")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["failed"] == ["keys"]


def test_a_citizen_id_key_that_can_be_neither_read_nor_made_is_unhealthy(client: FlaskClient, app: Flask, monkeypatch,
                                                                        tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(app, "instance_path", str(blocked))
    monkeypatch.setitem(app.config, "CITIZEN_ID_HMAC_KEY", None)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["failed"] == ["instance", "keys"]


def _read_only_url(database_url: str, tmp_path: Path, app: Flask) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return url.update_query_dict({"options": "-c default_transaction_read_only=on"}).render_as_string(
            hide_password=False)
    with app.app_context():
        path = Path(db.engine.url.database or "")
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def test_a_database_that_refuses_writes_is_unhealthy(app_factory, database_url: str, app: Flask,
                                                    tmp_path: Path) -> None:
    read_only = app_factory(SQLALCHEMY_DATABASE_URI=_read_only_url(database_url, tmp_path, app))
    response = read_only.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok" and body["database_write"] == "read-only" and body["failed"] == ["database_write"]


@pytest.fixture
def database_down(app_factory, tmp_path: Path) -> Flask:
    """An app whose database cannot be opened at all."""
    return app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing-folder' / 'hocvuso.db'}")


def test_an_unreachable_database_is_unhealthy(database_down: Flask) -> None:
    response = database_down.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable" and "database" in response.get_json()["failed"]


def test_pages_show_the_apps_own_503_page_in_vietnamese_when_the_database_is_down(database_down: Flask) -> None:
    response = database_down.test_client().get("/verify/11791-2026-000001")
    assert response.status_code == 503 and response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    assert "Tạm ngừng phục vụ" in html and "Hệ thống đang bận hoặc tạm ngừng" in html
    english = database_down.test_client()
    english.post("/preferences/language", data={"lang": "en"})
    english = english.get("/verify/11791-2026-000001")
    assert english.status_code == 503 and "The system is busy or paused" in english.get_data(as_text=True)
    machine = database_down.test_client().get("/verify/11791-2026-000001.json")
    assert machine.status_code == 503 and machine.get_json()["error"] == 503


def test_a_signed_in_person_also_gets_the_503_page(ctx, database_down: Flask) -> None:
    learner = factories.person(factories.commune())
    db.session.commit()
    client = database_down.test_client()
    with client.session_transaction() as session:  # signed in: each request looks the person up
        session["_user_id"] = session_user_id(ctx, learner.id)
        session["_fresh"] = True
    response = client.get("/")
    assert response.status_code == 503 and "Tạm ngừng phục vụ" in response.get_data(as_text=True)
