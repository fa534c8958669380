"""Certificate pages name skills in words from the framework, and the history names its reasons in Vietnamese."""
from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from app.catalog import services as catalog
from app.certificates.models import Certificate
from app.extensions import db
from app.people.models import Person
from tests import factories
from tests.certificates.test_routes import _issue
from tests.conftest import login


def _basic_titles() -> dict[str, str]:
    framework = catalog.current_framework()
    titles = framework.skill_titles("vi")
    return {code: titles[code] for code in framework.basic_completion}


def _visible_text(html: str) -> str:
    main = html.split('id="main"', 1)[1]
    return re.sub(r"<[^>]+>", " ", main)


def test_a_learner_sees_the_skills_still_missing_in_words_not_codes(client: FlaskClient, curriculum) -> None:
    learner = factories.person(factories.commune())
    db.session.commit()
    login(client, learner)
    html = client.get("/my/certificates").get_data(as_text=True)
    text = _visible_text(html)
    for code, title in _basic_titles().items():
        assert title in text
        assert not re.search(rf"(?<![\d.]){re.escape(code)}(?![\d.])", text), code
    assert "Sử dụng thiết bị" in text  # 0.1, as the framework names it


def test_a_holder_sees_the_skills_of_each_certificate_in_words(client: FlaskClient, finished) -> None:
    _issue(client, finished)
    learner = finished["learners"][0]
    login(client, learner)
    text = _visible_text(client.get("/my/certificates").get_data(as_text=True))
    titles = catalog.current_framework().skill_titles("vi")
    for code in finished["module"].current.skills:
        assert titles[code] in text
    assert "Kỹ năng bạn đã đạt" in text


def _rename_holder(finished, serial: str) -> None:
    cert = db.session.scalar(select(Certificate).where(Certificate.serial == serial))
    holder = db.session.get(Person, cert.person_id)
    holder.full_name = "Nguyễn Thị Hường"
    db.session.commit()


def test_certificate_history_translates_reason_codes(client: FlaskClient, finished) -> None:
    serial = _issue(client, finished)[0]
    _rename_holder(finished, serial)
    login(client, finished["officer"])
    assert client.post(f"/certificates/{serial}/reissue", data={"reason": ""}).status_code == 302
    html = client.get(f"/certificates/{serial}").get_data(as_text=True)
    history = html.split("Các lần cấp", 1)[1].split("</ol>", 1)[0]
    assert "Cấp lần đầu" in history and "Cấp lại sau khi sửa họ tên" in history
    assert "issued" not in history and "name corrected" not in history


def test_certificate_history_keeps_an_officers_own_reason(client: FlaskClient, finished) -> None:
    serial = _issue(client, finished)[0]
    _rename_holder(finished, serial)
    login(client, finished["officer"])
    client.post(f"/certificates/{serial}/reissue", data={"reason": "Sửa dấu trong họ tên"})
    html = client.get(f"/certificates/{serial}").get_data(as_text=True)
    assert "Sửa dấu trong họ tên" in html.split("Các lần cấp", 1)[1].split("</ol>", 1)[0]
