"""Officers reach confirmation and issuing from the class page, which counts eligible, confirmed and certified
learners; the confirmation message counts only the learners this confirmation added."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

from app.certificates import completion
from app.extensions import db, utcnow
from app.policy import Role
from tests import factories
from tests.conftest import login


def _section(html: str) -> str:
    found = re.search(r'<section class="card completion-box".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _figures(section: str) -> dict[str, int]:
    return {label: int(value) for label, value in re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", section)}


def _flash(html: str) -> list[str]:
    return [m.strip() for m in re.findall(r'<p class="flash flash-\w+"[^>]*>(.*?)</p>', html, re.S)]


def test_the_class_page_counts_eligible_confirmed_and_certified_learners(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    login(client, finished["officer"])
    section = _section(client.get(f"/classes/{klass.id}").get_data(as_text=True))
    assert "Hoàn thành và chứng nhận" in section
    assert _figures(section) == {"Đủ điều kiện": 2, "Đã xác nhận": 0, "Đã cấp chứng nhận": 0}
    assert "2 học viên chờ xác nhận" in section
    assert f'href="/classes/{klass.id}/completion"' in section and "Xác nhận hoàn thành và cấp chứng nhận" in section
    client.post(f"/classes/{klass.id}/completion/confirm")
    section = _section(client.get(f"/classes/{klass.id}").get_data(as_text=True))
    assert _figures(section) == {"Đủ điều kiện": 2, "Đã xác nhận": 2, "Đã cấp chứng nhận": 0}
    assert "2 học viên chờ cấp chứng nhận" in section
    client.post(f"/classes/{klass.id}/certificates/issue", headers={"Accept": "application/json"})
    section = _section(client.get(f"/classes/{klass.id}").get_data(as_text=True))
    assert _figures(section) == {"Đủ điều kiện": 2, "Đã xác nhận": 2, "Đã cấp chứng nhận": 2}
    assert "chờ" not in section


def test_the_classs_instructor_sees_the_counts_and_may_only_look(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    login(client, finished["instructor"])
    section = _section(client.get(f"/classes/{klass.id}").get_data(as_text=True))
    assert _figures(section)["Đủ điều kiện"] == 2
    assert "Xem hoàn thành và chứng nhận" in section and f'href="/classes/{klass.id}/completion"' in section


def test_learners_and_other_communes_do_not_see_the_section(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    login(client, finished["learners"][0])
    html = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Hoàn thành và chứng nhận" not in html and "/completion" not in html
    other = factories.person(factories.commune(factories.COMMUNE_CODES[1]), name="Phan Văn Tư", role=Role.OFFICER)
    db.session.commit()
    login(client, other)
    assert client.get(f"/classes/{klass.id}").status_code == 403


def test_confirming_again_counts_nobody_twice(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    login(client, finished["officer"])
    first = client.post(f"/classes/{klass.id}/completion/confirm", follow_redirects=True).get_data(as_text=True)
    assert "Đã xác nhận hoàn thành cho 2 học viên." in _flash(first)
    again = client.post(f"/classes/{klass.id}/completion/confirm", follow_redirects=True).get_data(as_text=True)
    assert not any("Đã xác nhận hoàn thành cho" in m for m in _flash(again))
    assert any("Không có học viên nào mới cần xác nhận" in m for m in _flash(again))


def test_the_message_counts_only_learners_this_confirmation_added(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    first = finished["learners"][0]
    standings = completion.class_standing(klass, completion.rules_for(klass.commune_id))
    assert completion.confirm(klass, standings, actor=None, now=utcnow(), only={first.id}) == 1
    db.session.commit()
    login(client, finished["officer"])
    html = client.post(f"/classes/{klass.id}/completion/confirm", follow_redirects=True).get_data(as_text=True)
    assert "Đã xác nhận hoàn thành cho 1 học viên." in _flash(html)


def test_the_service_returns_how_many_it_newly_confirmed(finished) -> None:
    klass = finished["class"]

    def confirm() -> int:
        standings = completion.class_standing(klass, completion.rules_for(klass.commune_id))
        return completion.confirm(klass, standings, actor=None, now=utcnow())

    assert confirm() == 2
    assert confirm() == 0
