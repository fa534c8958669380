"""Cancelling a class needs a confirmation that says what it does, and can be undone (its future sessions back)."""
from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app import vietnam
from app.classes import enrolment, queries, services, sessions
from app.classes.models import ClassCancellation, ClassSession
from app.extensions import db
from app.policy import Role
from app.vietnam import VIETNAM
from tests import factories
from tests.conftest import login


def _at(on: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(on, dt.time(hour, minute), tzinfo=VIETNAM)


@pytest.fixture
def world(ctx):
    today = vietnam.local_today()
    commune = factories.commune()
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    lan = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh – thôn Đông", at=hall, capacity=2,
                                   starts_on=today - dt.timedelta(days=14), instructors=(hung,))
    learners = [factories.person(commune, name=n) for n in ("Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Cúc")]
    for learner in learners:
        enrolment.enrol(klass, learner, source="staff")  # two seats: the third waits
    add = sessions.add_session
    past = add(klass, on=today - dt.timedelta(days=7), start=dt.time(8), end=dt.time(10), venue=hall)
    early_today = add(klass, on=today, start=dt.time(0), end=dt.time(0, 30), venue=hall)  # begun by now
    single = add(klass, on=today + dt.timedelta(days=3), start=dt.time(8), end=dt.time(10), venue=hall)
    week1 = add(klass, on=today + dt.timedelta(days=7), start=dt.time(8), end=dt.time(10), venue=hall)
    week2 = add(klass, on=today + dt.timedelta(days=14), start=dt.time(8), end=dt.time(10), venue=hall)
    sessions.cancel_session(single, reason="Mất điện", actor=hung)  # cancelled on its own, before the class
    db.session.commit()
    return {"commune": commune, "hall": hall, "hung": hung, "lan": lan, "class": klass, "learners": learners,
            "past": past, "early_today": early_today, "single": single, "week1": week1, "week2": week2,
            "today": today}


def _statuses(world) -> dict[str, str]:
    db.session.expire_all()
    return {name: db.session.get(ClassSession, world[name].id).status
            for name in ("past", "early_today", "single", "week1", "week2")}


BEFORE = {"past": "scheduled", "early_today": "scheduled", "single": "cancelled", "week1": "scheduled",
          "week2": "scheduled"}


def test_the_old_one_tap_cancel_button_only_leads_to_the_confirmation(client: FlaskClient, world) -> None:
    klass = world["class"]
    login(client, world["lan"])
    response = client.post(f"/classes/{klass.id}/status", data={"status": "cancelled"})
    assert response.status_code == 302 and response.location.endswith(f"/classes/{klass.id}/cancel")
    response = client.post(f"/classes/{klass.id}/cancel", data={"reason": "forged"})  # no confirmation field
    assert response.status_code == 302 and response.location.endswith(f"/classes/{klass.id}/cancel")
    db.session.expire_all()
    assert db.session.get(type(klass), klass.id).status == "open"
    assert _statuses(world) == BEFORE
    assert db.session.scalar(select(ClassCancellation.id)) is None


def test_the_confirmation_says_in_plain_words_what_cancelling_does(client: FlaskClient, world) -> None:
    klass = world["class"]
    login(client, world["lan"])
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert f'href="/classes/{klass.id}/cancel"' in page  # the class page's "Hủy lớp" is a link to the confirmation
    page = client.get(f"/classes/{klass.id}/cancel").get_data(as_text=True)
    # today's early session, next week's and the week after's; not the past one, not the one already cancelled
    assert "Hủy lớp sẽ hủy 3 buổi học sắp tới và báo cho 2 học viên." in page
    assert "1 người trong danh sách chờ cũng sẽ thấy thông báo." in page
    assert "Có, hủy lớp" in page and 'name="confirm" type="hidden" value="yes"' in page
    assert _statuses(world) == BEFORE


def test_a_confirmed_cancel_cancels_the_upcoming_sessions_and_offers_the_undo(client: FlaskClient, world) -> None:
    klass = world["class"]
    login(client, world["lan"])
    response = client.post(f"/classes/{klass.id}/cancel", data={"confirm": "yes", "reason": "Hội trường sửa mái"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Đã hủy lớp" in page and "3 buổi học sắp tới" in page and "Khôi phục lớp" in page
    assert f'href="/classes/{klass.id}/restore"' in page
    assert _statuses(world) == {**BEFORE, "early_today": "cancelled", "week1": "cancelled", "week2": "cancelled"}
    record = db.session.scalars(select(ClassCancellation)).one()
    assert (record.previous_status, record.reason, record.by_id) == ("open", "Hội trường sửa mái", world["lan"].id)
    assert sorted(c.session_id for c in record.changes) == sorted(
        world[n].id for n in ("early_today", "week1", "week2"))
    learner = world["learners"][0]
    notices = [queries.changes_label(c) for c in queries.my_classes(learner)[0].notices]
    assert any("đã bị hủy" in n for n in notices)  # learners are told, as for any cancelled session


def test_undo_restores_only_future_sessions_the_class_cancellation_cancelled(client: FlaskClient, world) -> None:
    klass = world["class"]
    login(client, world["lan"])
    client.post(f"/classes/{klass.id}/cancel", data={"confirm": "yes"})
    assert client.post(f"/classes/{klass.id}/status", data={"status": "planned"}).location.endswith(
        f"/classes/{klass.id}/restore")  # re-planning a cancelled class is the undo, confirmed too
    assert client.post(f"/classes/{klass.id}/restore", data={}).location.endswith(f"/classes/{klass.id}/restore")
    assert db.session.get(type(klass), klass.id).status == "cancelled"
    page = client.get(f"/classes/{klass.id}/restore").get_data(as_text=True)
    assert "Lớp sẽ trở lại trạng thái \"Đang nhận đăng ký\" và 2 buổi học chưa diễn ra sẽ được xếp lại." in page
    assert "1 buổi học đã qua thời gian vẫn để hủy." in page
    response = client.post(f"/classes/{klass.id}/restore", data={"confirm": "yes"}, follow_redirects=True)
    assert "Đã khôi phục lớp" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(klass), klass.id).status == "open"
    # the past stays as it was; today's session (begun) and the one cancelled on its own stay cancelled
    assert _statuses(world) == {**BEFORE, "early_today": "cancelled"}
    record = db.session.scalars(select(ClassCancellation)).one()
    assert record.undone_at is not None and record.undone_by_id == world["lan"].id
    notices = [queries.changes_label(c) for c in queries.my_classes(world["learners"][0])[0].notices]
    assert any("sẽ diễn ra như lịch cũ" in n for n in notices)  # learners are told the sessions are back
    back = [world[n].date.strftime("%d/%m/%Y") for n in ("week1", "week2")]
    assert all(any(day in n and "như lịch cũ" in n for n in notices) for day in back)
    assert not any(day in n and "đã bị hủy" in n for n in notices for day in back)
    assert client.get(f"/classes/{klass.id}/restore").status_code == 302  # nothing left to undo


def test_undo_keeps_sessions_whose_time_or_place_was_taken_meanwhile(ctx, world) -> None:
    klass, hall, today = world["class"], world["hall"], world["today"]
    services.cancel_class(klass, actor=world["lan"], today=today)
    other = factories.school_class(world["commune"], title="Lớp tiểu thương chợ Đông", at=hall,
                                   starts_on=today, instructors=(factories.person(world["commune"], name="Mai Văn Tư",
                                                                                  role=Role.INSTRUCTOR),))
    sessions.add_session(other, on=world["week2"].date, start=dt.time(9), end=dt.time(11), venue=hall)
    plan = services.restore_class(klass, actor=world["lan"], now=_at(today, 12))
    assert [s.id for s in plan.returning] == [world["week1"].id]
    assert [s.id for s, _problems in plan.blocked] == [world["week2"].id]
    assert "Lớp tiểu thương chợ Đông" in plan.blocked[0][1][0]
    assert _statuses(world) == {**BEFORE, "early_today": "cancelled", "week2": "cancelled"}


def test_a_class_cancelled_twice_restores_what_the_latest_cancellation_cancelled(ctx, world) -> None:
    klass, today = world["class"], world["today"]
    services.cancel_class(klass, today=today)
    services.restore_class(klass, now=_at(today, 12))
    sessions.cancel_session(world["week1"], reason="Trùng họp thôn")  # cancelled on its own after the undo
    services.cancel_class(klass, today=today)
    plan = services.restore_plan(klass, now=_at(today, 12))
    assert [s.id for s in plan.returning] == [world["week2"].id]


def test_a_class_cancelled_before_undo_existed_comes_back_planned_without_sessions(ctx, world) -> None:
    klass, today = world["class"], world["today"]
    services.cancel_class(klass, today=today)
    db.session.execute(ClassCancellation.__table__.delete())  # as if cancelled before cancellations were recorded
    db.session.expire_all()
    plan = services.restore_class(klass, now=_at(today, 12))
    assert (klass.status, plan.returning) == ("planned", [])


def test_restoring_an_open_class_needs_an_instructor(client: FlaskClient, world) -> None:
    klass, today = world["class"], world["today"]
    services.cancel_class(klass, today=today)
    services.set_staff(klass, instructors=[])
    db.session.commit()
    with pytest.raises(services.DomainError, match="người hướng dẫn"):
        services.restore_class(klass, now=_at(today, 12))
    db.session.rollback()
    login(client, world["lan"])
    page = client.get(f"/classes/{klass.id}/restore").get_data(as_text=True)
    assert "Lớp cần có ít nhất một người hướng dẫn trước khi mở lại." in page  # said before, not only after
    response = client.post(f"/classes/{klass.id}/restore", data={"confirm": "yes"}, follow_redirects=True)
    assert "Lớp cần có ít nhất một người hướng dẫn trước khi mở lại." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(klass), klass.id).status == "cancelled"


def test_a_finished_or_cancelled_class_cannot_be_cancelled(client: FlaskClient, world) -> None:
    klass = world["class"]
    services.cancel_class(klass)
    db.session.commit()
    login(client, world["lan"])
    response = client.get(f"/classes/{klass.id}/cancel", follow_redirects=True)
    assert "Lớp này đã hủy rồi." in response.get_data(as_text=True)
    response = client.post(f"/classes/{klass.id}/cancel", data={"confirm": "yes"}, follow_redirects=True)
    assert "Lớp này đã hủy rồi." in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(ClassCancellation)) == 1
