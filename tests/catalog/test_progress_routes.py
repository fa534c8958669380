"""Pages that tell a learner where to continue: home, class page, module page, kiosk; and "Buổi tới"."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from app import vietnam
from app.catalog import services as catalog
from app.classes import enrolment, sessions
from app.extensions import db
from app.policy import Role
from app.vietnam import VIETNAM
from tests import factories
from tests.catalog.test_progress import _pass
from tests.conftest import login


@pytest.fixture
def setting(curriculum) -> dict[str, Any]:
    """A class on NCT-05 then NCT-01; today's session teaches NCT-01; the learner read its first lesson."""
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    nct05, nct01 = catalog.module_by_code("NCT-05"), catalog.module_by_code("NCT-01")
    klass = factories.school_class(commune, instructors=(instructor,), modules=(nct05, nct01))
    today = vietnam.local_today()
    sessions.add_session(klass, on=today, start=dt.time(8), end=dt.time(10), venue=klass.venue, module=nct01)
    sessions.add_session(klass, on=today + dt.timedelta(days=7), start=dt.time(14), end=dt.time(16),
                         venue=klass.venue, module=nct01)
    learner = factories.person(commune, name="Nguyễn Thị Hương")
    enrolment.enrol(klass, learner, source="staff")
    catalog.mark_read(learner.id, nct01.current.lessons[0])
    db.session.commit()
    return {"class": klass, "learner": learner, "instructor": instructor, "nct01": nct01, "nct05": nct05}


def _continue_href(html: str) -> str:
    found = re.search(r'<a class="btn btn-primary btn-big" href="([^"]+)">Học tiếp</a>', html)
    assert found, "no Học tiếp button"
    return found.group(1)


def test_home_continues_with_todays_module_and_shows_progress(client: FlaskClient, setting) -> None:
    login(client, setting["learner"])
    html = client.get("/").get_data(as_text=True)
    second = setting["nct01"].current.lessons[1]
    assert _continue_href(html) == f"/catalog/modules/NCT-01/lessons/{second.slug}"
    assert second.title_vi in html
    total = len(setting["nct01"].current.lessons)
    assert f"1/{total} bài đã đọc" in html and f"0/{len(setting['nct05'].current.lessons)} bài đã đọc" in html
    today_item = html.split('class="module-today"')[1].split("</li>")[0]
    assert "Hôm nay học" in today_item and "NCT-01" in today_item


def test_home_says_so_when_everything_is_done(client: FlaskClient, setting) -> None:
    learner = setting["learner"]
    for code in ("NCT-01", "NCT-05", "NCT-06", "4T-02"):
        for lesson in catalog.module_by_code(code).current.lessons:
            catalog.mark_read(learner.id, lesson)
        _pass(learner, code)
    db.session.commit()
    login(client, learner)
    html = client.get("/").get_data(as_text=True)
    assert "Học tiếp</a>" not in html and "Bạn đã đọc hết các bài và đạt mọi bài kiểm tra" in html
    assert "✓ Đã đạt bài kiểm tra" in html


def test_home_offers_the_quiz_once_every_lesson_is_read(client: FlaskClient, setting) -> None:
    learner = setting["learner"]
    for code in ("NCT-05", "NCT-01"):
        for lesson in catalog.module_by_code(code).current.lessons:
            catalog.mark_read(learner.id, lesson)
    db.session.commit()
    login(client, learner)
    html = client.get("/").get_data(as_text=True)
    assert _continue_href(html) == "/catalog/modules/NCT-01/quiz"  # today's module first
    assert "bài kiểm tra của học phần" in html


def test_buoi_toi_skips_a_session_that_ended_earlier_today(client: FlaskClient, setting, monkeypatch) -> None:
    today = vietnam.local_today()
    monkeypatch.setattr("app.classes.queries.local_now",
                        lambda: dt.datetime.combine(today, dt.time(10, 30), tzinfo=VIETNAM))
    login(client, setting["learner"])
    html = client.get("/").get_data(as_text=True)
    shown = html.split('class="next-session"')[1].split("</p>")[0]
    assert (today + dt.timedelta(days=7)).strftime("%d/%m") in shown and "14:00–16:00" in shown
    assert "08:00–10:00" not in shown


def test_buoi_toi_keeps_todays_session_while_it_runs(client: FlaskClient, setting, monkeypatch) -> None:
    today = vietnam.local_today()
    monkeypatch.setattr("app.classes.queries.local_now",
                        lambda: dt.datetime.combine(today, dt.time(9, 30), tzinfo=VIETNAM))
    login(client, setting["learner"])
    shown = client.get("/").get_data(as_text=True).split('class="next-session"')[1].split("</p>")[0]
    assert today.strftime("%d/%m") in shown and "08:00–10:00" in shown


def test_class_page_shows_the_learner_progress_and_continue(client: FlaskClient, setting) -> None:
    login(client, setting["learner"])
    html = client.get(f"/classes/{setting['class'].id}").get_data(as_text=True)
    assert _continue_href(html).startswith("/catalog/modules/NCT-01/lessons/")
    assert "bài đã đọc" in html and "Hôm nay học" in html


def test_class_page_for_staff_highlights_the_module_of_the_day_only(client: FlaskClient, setting) -> None:
    login(client, setting["instructor"])
    html = client.get(f"/classes/{setting['class'].id}").get_data(as_text=True)
    assert "Hôm nay học" in html and "bài đã đọc" not in html and "Học tiếp</a>" not in html


def test_module_page_shows_lessons_read_and_the_quiz_passed(client: FlaskClient, setting) -> None:
    learner = setting["learner"]
    _pass(learner, "NCT-01")
    db.session.commit()
    login(client, learner)
    html = client.get("/catalog/modules/NCT-01").get_data(as_text=True)
    assert f"1/{len(setting['nct01'].current.lessons)} bài đã đọc" in html and "✓ Đã đạt bài kiểm tra" in html


def test_kiosk_page_continues_where_the_learner_left_off(client: FlaskClient, setting) -> None:
    login(client, setting["instructor"])
    assert client.post(f"/classes/{setting['class'].id}/kiosk/start").status_code == 302
    right = client.post(f"/kiosk/learners/{setting['learner'].id}", data={"pin": factories.PIN})
    assert right.location.endswith("/kiosk/me")
    html = client.get("/kiosk/me").get_data(as_text=True)
    assert _continue_href(html) == f"/catalog/modules/NCT-01/lessons/{setting['nct01'].current.lessons[1].slug}"
