"""Headers and links every page shares: HSTS over HTTPS, no caching on kiosk tablets, trusted hosts only."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, url_for
from flask.testing import FlaskClient

from app import config
from app.extensions import db
from app.kiosk import services as kiosk
from app.kiosk.routes import COOKIE
from app.policy import Role
from app.vietnam import local_today
from tests import factories

PUBLIC = "https://hocvuso.example.vn"


def test_https_deployments_send_hsts(app_factory) -> None:
    secure = app_factory(SESSION_COOKIE_SECURE=True).test_client()
    assert secure.get("/").headers["Strict-Transport-Security"].startswith("max-age=")


def test_plain_http_development_sends_no_hsts(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_every_page_on_a_kiosk_tablet_is_kept_out_of_the_cache(client: FlaskClient, app: Flask, ctx) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,), starts_on=local_today())
    db.session.commit()
    client.set_cookie(COOKIE, kiosk.kiosk_token(klass, instructor, app.config["SECRET_KEY"]))
    for path in ("/", "/verify", "/.well-known/jwks.json"):  # nobody signed in; the last one asks to be cached
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    with client.get("/static/app.css") as static:  # public and content-hashed: still cached
        assert "no-store" not in static.headers.get("Cache-Control", "")


def test_a_request_for_an_untrusted_host_is_refused(client: FlaskClient) -> None:
    response = client.get("/", headers={"Host": "evil.example.com"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)
    assert client.get("/", base_url="http://127.0.0.1:5000").status_code == 200  # `make run`
    assert client.get("/").status_code == 200  # the test client's localhost


def test_the_public_host_is_trusted_and_names_every_absolute_link(app_factory) -> None:
    public = app_factory(PUBLIC_BASE_URL=PUBLIC)
    assert public.test_client().get("/", base_url=PUBLIC).status_code == 200
    assert public.test_client().get("/", headers={"Host": "evil.example.com"}).status_code == 400
    with public.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert url_for("certificates.verify", serial="11791-2026-000001", _external=True) == \
            f"{PUBLIC}/verify/11791-2026-000001"
        # The bundled mock provider stands for another site: it keeps the request's (trusted) host.
        assert url_for("mockvneid.discovery", _external=True).startswith("http://127.0.0.1:5000/")
    with public.test_request_context("/"):
        rendered = public.jinja_env.from_string("{{ url_for('home.index', _external=True) }}").render()
        assert rendered == f"{PUBLIC}/"


def test_trusted_hosts_come_from_the_environment_with_the_public_host_added(tmp_path: Path) -> None:
    settings = config.from_env(tmp_path, {"TRUSTED_HOSTS": "hocvuso.gov.vn, .xa-tienminh.vn", "SECRET_KEY": "x",
                                          "DATA_ENCRYPTION_KEY": "y"})
    assert settings["TRUSTED_HOSTS"] == ["hocvuso.gov.vn", ".xa-tienminh.vn"]
    assert config.trusted_hosts(settings["TRUSTED_HOSTS"], PUBLIC) == ["hocvuso.gov.vn", ".xa-tienminh.vn",
                                                                      "hocvuso.example.vn"]
    assert config.trusted_hosts(None, None) == ["localhost", "127.0.0.1"]
