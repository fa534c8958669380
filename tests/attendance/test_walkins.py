"""Walk-ins during roll call (enrolled, marked present, back to the roll call) and refused marks (a clear 4xx)."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.attendance import walkins
from app.attendance.models import AttendanceChange, AttendanceMark
from app.classes import enrolment as enrolments
from app.classes.models import Enrolment
from app.extensions import db, utcnow
from app.people.models import Person
from app.policy import Role
from app.vietnam import local_today
from tests import factories
from tests.conftest import login


@pytest.fixture
def setting(ctx: Flask):
    commune = factories.commune()
    dong = factories.village(commune, "Thôn Đông")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh – thôn Đông", capacity=3,
                                   instructors=(hung,), status="running")
    session = factories.session_now(klass)
    learners = factories.enrol_learners(klass, 2, village=dong)
    db.session.commit()
    return commune, dong, klass, session, learners, hung


def newcomer(village_id: int, name: str = "Bùi Thị Lành", **extra: str) -> dict[str, str]:
    return {"full_name": name, "birth_year": "1950", "village_id": str(village_id), "consent": "y",
            "consent_method": "verbal", **extra}


def enrolment_of(name: str) -> Enrolment | None:
    db.session.expire_all()
    return db.session.scalar(select(Enrolment).join(Person, Person.id == Enrolment.person_id)
                             .where(Person.full_name == name))


def mark_of(session_id: int, enrolment_id: int) -> str | None:
    return db.session.scalar(select(AttendanceMark.status).where(AttendanceMark.session_id == session_id,
                                                                 AttendanceMark.enrolment_id == enrolment_id))


def test_the_roll_call_offers_to_add_a_walk_in_and_the_roster_knows_it_came_from_there(
        client: FlaskClient, setting) -> None:
    _c, _v, klass, session, _l, hung = setting
    login(client, hung)
    page = client.get(f"/attendance/sessions/{session.id}").get_data(as_text=True)
    assert f'href="/classes/{klass.id}/roster?session={session.id}#walkin"' in page and "Thêm người đến lớp" in page
    roster = client.get(f"/classes/{klass.id}/roster?session={session.id}").get_data(as_text=True)
    assert "người được ghi danh ở đây sẽ được điểm danh có mặt" in roster
    assert f'name="session" value="{session.id}"' in roster and "Thêm, ghi danh và điểm danh có mặt" in roster
    # Found by the search: the enrol button carries the session too.
    found = client.get(f"/classes/{klass.id}/roster?session={session.id}&q=Lành").get_data(as_text=True)
    assert "Không tìm thấy ai" in found
    # A session of next week takes no arrivals: no link, and the roster ignores it.
    ahead = factories.class_session(klass, on=local_today() + dt.timedelta(days=7))
    db.session.commit()
    assert "Thêm người đến lớp" not in client.get(f"/attendance/sessions/{ahead.id}").get_data(as_text=True)
    assert 'name="session"' not in client.get(f"/classes/{klass.id}/roster?session={ahead.id}").get_data(as_text=True)


def test_a_walk_in_added_during_roll_call_is_enrolled_marked_present_and_back_at_the_roll_call(
        client: FlaskClient, setting) -> None:
    _c, dong, klass, session, _l, hung = setting
    login(client, hung)
    reply = client.post(f"/classes/{klass.id}/walk-in", data=newcomer(dong.id, session=str(session.id)))
    row = enrolment_of("Bùi Thị Lành")
    assert row is not None and row.status == "enrolled" and not row.above_capacity
    assert reply.status_code == 302
    assert reply.location.endswith(f"/attendance/sessions/{session.id}?added={row.id}#learner-{row.id}")
    assert mark_of(session.id, row.id) == "present"
    page = client.get(reply.location).get_data(as_text=True)
    assert "Đã thêm Bùi Thị Lành vào lớp và điểm danh có mặt." in page and f'data-rc-added="{row.id}"' in page
    assert f'value="{row.id}:present" data-set="present" aria-pressed="true"' in page and "Mới thêm" in page


def test_someone_found_by_the_search_during_roll_call_is_marked_present_too(client: FlaskClient, setting) -> None:
    commune, _v, klass, session, _l, hung = setting
    lan = factories.person(commune, name="Hà Thị Lan")
    db.session.commit()
    login(client, hung)
    reply = client.post(f"/classes/{klass.id}/enrol", data={"person_id": str(lan.id), "consent": "y",
                                                             "session": str(session.id)})
    row = enrolment_of("Hà Thị Lan")
    assert reply.location.endswith(f"?added={row.id}#learner-{row.id}") and mark_of(session.id, row.id) == "present"


def test_in_a_full_class_a_walk_in_waits_unless_seated_above_capacity_and_then_is_marked(
        client: FlaskClient, setting) -> None:
    _c, dong, klass, session, _l, hung = setting
    enrolments.enrol(klass, factories.person(klass.commune, name="Lý Thị Đầy"), source="staff")  # 3 of 3 seats
    db.session.commit()
    login(client, hung)
    roster = client.get(f"/classes/{klass.id}/roster?session={session.id}").get_data(as_text=True)
    assert "Cho vào lớp dù đã đủ chỗ (vượt sức chứa)" in roster
    # Without the tick: on the waiting list, not marked, and told how to seat them.
    reply = client.post(f"/classes/{klass.id}/walk-in", data=newcomer(dong.id, session=str(session.id)))
    waiting = enrolment_of("Bùi Thị Lành")
    assert waiting.status == "waitlisted" and mark_of(session.id, waiting.id) is None
    assert reply.location.endswith(f"/classes/{klass.id}/roster?session={session.id}#waiting")
    page = client.get(reply.location).get_data(as_text=True)
    assert "chưa được điểm danh vì đang ở danh sách chờ" in page and "Cho vào lớp (vượt sức chứa)" in page
    # Seated from the waiting list during roll call: enrolled above capacity, present, back at the roll call.
    reply = client.post(f"/enrolments/{waiting.id}/seat", data={"session": str(session.id)})
    assert reply.location.endswith(f"?added={waiting.id}#learner-{waiting.id}")
    seated = enrolment_of("Bùi Thị Lành")
    assert (seated.status, seated.above_capacity, seated.seated_by_id) == ("enrolled", True, hung.id)
    assert mark_of(session.id, seated.id) == "present"
    assert "Đã thêm Bùi Thị Lành vào lớp (vượt sức chứa) và điểm danh có mặt." in client.get(
        reply.location).get_data(as_text=True)
    # With the tick: seated at once.
    reply = client.post(f"/classes/{klass.id}/walk-in",
                        data=newcomer(dong.id, "Lò Văn Sáng", session=str(session.id), above_capacity="y"))
    sang = enrolment_of("Lò Văn Sáng")
    assert (sang.status, sang.above_capacity) == ("enrolled", True) and mark_of(session.id, sang.id) == "present"
    assert "Vượt sức chứa" in client.get(f"/attendance/sessions/{session.id}").get_data(as_text=True)


def test_a_session_of_another_class_or_not_yet_held_marks_nobody(client: FlaskClient, setting) -> None:
    commune, dong, klass, session, _l, hung = setting
    other = factories.school_class(commune, title="Lớp khác", capacity=5, instructors=(hung,), status="running",
                                   at=factories.venue(commune, "Hội trường xã"),
                                   starts_on=local_today() - dt.timedelta(days=7))
    theirs = factories.class_session(other, on=local_today() - dt.timedelta(days=1))
    ahead = factories.class_session(klass, on=local_today() + dt.timedelta(days=7))
    db.session.commit()
    login(client, hung)
    for n, foreign in enumerate((theirs, ahead)):
        reply = client.post(f"/classes/{klass.id}/walk-in",
                            data=newcomer(dong.id, f"Người Mới Số {'AB'[n]}", session=str(foreign.id)))
        assert reply.location.endswith(f"/classes/{klass.id}/roster#walkin")
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 0
    assert not walkins.takes_arrivals(ahead, utcnow()) and walkins.takes_arrivals(session, utcnow())
    for bad in ("abc", "-1", "9" * 30, str(session.id) + "x"):
        assert client.get(f"/classes/{klass.id}/roster?session={bad}").status_code == 200


def test_seating_needs_the_class_staff(client: FlaskClient, setting) -> None:
    commune, _v, klass, _s, _l, _h = setting
    enrolments.enrol(klass, factories.person(commune, name="Lý Thị Đầy"), source="staff")
    waiting = enrolments.enrol(klass, factories.person(commune, name="Lê Văn Chờ"), source="staff")
    stranger = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    db.session.commit()
    login(client, stranger)
    assert client.post(f"/enrolments/{waiting.id}/seat").status_code == 403
    assert enrolment_of("Lê Văn Chờ").status == "waitlisted"


# --- refused marks -------------------------------------------------------------------------------

def post_json(client: FlaskClient, url: str, body: object):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_mark_for_a_future_session_is_refused_with_a_4xx_reason_and_changes_nothing(
        client: FlaskClient, setting) -> None:
    _c, _v, klass, session, (huong, binh), hung = setting
    ahead = factories.class_session(klass, on=local_today() + dt.timedelta(days=7))
    db.session.commit()
    login(client, hung)
    batch = {"items": [{"client_id": f"t-{uuid.uuid4().hex}", "enrolment_id": huong.id, "status": "present",
                        "device_time": utcnow().isoformat(), "source": "tap"}]}
    reply = post_json(client, f"/attendance/sessions/{ahead.id}/marks.json", batch)
    answer = reply.get_json()
    assert reply.status_code == 422 and "chưa diễn ra" in answer["message"]
    assert answer["stored"] == [] and [f["client_id"] for f in answer["failed"]] == [batch["items"][0]["client_id"]]
    assert answer["marks"] == {}
    assert db.session.scalar(select(func.count()).select_from(AttendanceChange)) == 0
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 0
    # An excused absence announced ahead is accepted; a batch with one good and one refused mark is a 200.
    mixed = {"items": [{"client_id": f"t-{uuid.uuid4().hex}", "enrolment_id": huong.id, "status": "excused"},
                       {"client_id": f"t-{uuid.uuid4().hex}", "enrolment_id": binh.id, "status": "absent"}]}
    reply = post_json(client, f"/attendance/sessions/{ahead.id}/marks.json", mixed)
    assert reply.status_code == 200 and reply.get_json()["marks"] == {str(huong.id): "excused"}
    assert len(reply.get_json()["failed"]) == 1
    # Without the script, the tap is refused with the reason as a flash and nothing is stored either.
    reply = client.post(f"/attendance/sessions/{ahead.id}/marks", data={"mark": f"{binh.id}:present"},
                        follow_redirects=True)
    assert "chưa diễn ra" in reply.get_data(as_text=True) and mark_of(ahead.id, binh.id) is None


@pytest.mark.parametrize("forged", ["²", "99999999999999999999", "abc"])
def test_a_roster_asked_for_a_session_that_is_not_an_id_shows_the_plain_roster(
        client: FlaskClient, setting, forged: str) -> None:
    _c, _v, klass, _session, _l, hung = setting
    login(client, hung)
    assert client.get(f"/classes/{klass.id}/roster", query_string={"session": forged}).status_code == 200
