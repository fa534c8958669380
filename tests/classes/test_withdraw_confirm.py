"""Withdrawing from a class, by the learner or by staff, asks first and says what happens to the seat."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.classes import enrolment
from app.classes.models import Enrolment
from app.extensions import db
from app.policy import Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def world(ctx):
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh", capacity=2, instructors=(hung,))
    rows = [enrolment.enrol(klass, factories.person(commune, name=n), source="staff")
            for n in ("Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Cúc")]
    db.session.commit()
    return {"class": klass, "hung": hung, "rows": rows}


def _status(row: Enrolment) -> str:
    db.session.expire_all()
    return db.session.get(Enrolment, row.id).status


def test_a_learner_withdrawing_confirms_first(client: FlaskClient, world) -> None:
    klass, row = world["class"], world["rows"][0]
    login(client, row.person)
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert f'href="/enrolments/{row.id}/withdraw"' in page  # "Rút khỏi lớp" leads to the confirmation
    page = client.get(f"/enrolments/{row.id}/withdraw").get_data(as_text=True)
    assert "Rút khỏi lớp" in page and "Có, rút khỏi lớp" in page
    assert "Chỗ học này sẽ được chuyển cho người đứng đầu danh sách chờ (đang có 1 người chờ)." in page
    assert "Điểm danh và kết quả học đã có vẫn được giữ." in page
    assert "Lê Thị Cúc" not in page  # a learner is not told who waits
    response = client.post(f"/enrolments/{row.id}/withdraw", data={})  # the old one-tap form
    assert response.status_code == 302 and response.location.endswith(f"/enrolments/{row.id}/withdraw")
    assert _status(row) == "enrolled"
    response = client.post(f"/enrolments/{row.id}/withdraw", data={"confirm": "yes"}, follow_redirects=True)
    assert "Bạn đã rút khỏi lớp." in response.get_data(as_text=True)
    assert _status(row) == "withdrawn"
    assert _status(world["rows"][2]) == "enrolled"  # the seat went to the first in line


def test_a_learner_leaving_the_waiting_list_confirms_too(client: FlaskClient, world) -> None:
    klass, row = world["class"], world["rows"][2]
    login(client, row.person)
    assert f'href="/enrolments/{row.id}/withdraw"' in client.get(f"/classes/{klass.id}").get_data(as_text=True)
    page = client.get(f"/enrolments/{row.id}/withdraw").get_data(as_text=True)
    assert "Bạn sẽ rời danh sách chờ (bạn đang đứng thứ 1)." in page and "Có, thôi chờ" in page
    client.post(f"/enrolments/{row.id}/withdraw", data={})
    assert _status(row) == "waitlisted"
    response = client.post(f"/enrolments/{row.id}/withdraw", data={"confirm": "yes"}, follow_redirects=True)
    assert "Bạn đã thôi chờ lớp này." in response.get_data(as_text=True)
    assert _status(row) == "withdrawn"


def test_staff_withdrawing_someone_confirms_and_returns_to_the_roster(client: FlaskClient, world) -> None:
    klass, row = world["class"], world["rows"][1]
    login(client, world["hung"])
    roster = client.get(f"/classes/{klass.id}/roster").get_data(as_text=True)
    assert f'href="/enrolments/{row.id}/withdraw"' in roster
    assert f'action="/enrolments/{row.id}/withdraw"' not in roster  # no one-tap withdraw left
    page = client.get(f"/enrolments/{row.id}/withdraw").get_data(as_text=True)
    assert "Rút Trần Văn Bình khỏi lớp?" in page
    assert f'href="/classes/{klass.id}/roster"' in page  # "no" goes back to the roster
    client.post(f"/enrolments/{row.id}/withdraw", data={})
    assert _status(row) == "enrolled"
    response = client.post(f"/enrolments/{row.id}/withdraw", data={"confirm": "yes"})
    assert response.location.endswith(f"/classes/{klass.id}/roster")
    assert _status(row) == "withdrawn"
    assert "Đã rút Trần Văn Bình khỏi lớp." in client.get(response.location).get_data(as_text=True)
    response = client.get(f"/enrolments/{row.id}/withdraw", follow_redirects=True)
    assert "đã rút khỏi lớp này rồi" in response.get_data(as_text=True)


def test_withdrawing_from_an_empty_waiting_list_says_a_seat_frees_up(client: FlaskClient, world) -> None:
    waiting, row = world["rows"][2], world["rows"][0]
    enrolment.withdraw(waiting)
    db.session.commit()
    login(client, world["hung"])
    page = client.get(f"/enrolments/{row.id}/withdraw").get_data(as_text=True)
    assert "Lớp sẽ có thêm một chỗ trống." in page and "danh sách chờ (đang có" not in page
