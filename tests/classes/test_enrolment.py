"""Enrolment: seats then a waiting list served in order, consent first, walk-ins, withdrawal keeps the record."""
from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from sqlalchemy import select

from app.classes import enrolment as enrolments
from app.classes import services
from app.classes.models import Class, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.policy import Role
from tests import factories


@pytest.fixture
def setting(ctx):
    commune = factories.commune()
    village = factories.village(commune, "Thôn Đông")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, at=factories.venue(commune, in_village=village), capacity=2,
                                   instructors=(hung,))
    return commune, village, hung, klass


def _learners(commune, *names: str) -> list[Person]:
    return [factories.person(commune, name=name) for name in names]


def test_seats_fill_first_then_the_waiting_list(setting) -> None:
    commune, _v, hung, klass = setting
    a, b, c, d = _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết", "Phạm Văn Đức")
    rows = [enrolments.enrol(klass, p, source="staff", actor=hung) for p in (a, b, c, d)]
    assert [r.status for r in rows] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert [enrolments.waitlist_position(r) for r in rows] == [None, None, 1, 2]
    assert rows[0].enrolled_at is not None and rows[2].enrolled_at is None


def test_withdrawing_keeps_the_record_and_promotes_the_first_waiting_in_order(setting) -> None:
    commune, _v, hung, klass = setting
    a, b, c, d = _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết", "Phạm Văn Đức")
    rows = [enrolments.enrol(klass, p, source="staff", actor=hung) for p in (a, b, c, d)]
    promoted = enrolments.withdraw(rows[1], actor=hung)
    assert [e.person_id for e in promoted] == [c.id]
    assert rows[1].status == "withdrawn" and rows[1].withdrawn_at is not None and rows[1].withdrawn_by_id == hung.id
    assert rows[2].status == "enrolled" and enrolments.waitlist_position(rows[3]) == 1
    assert enrolments.withdraw(rows[1]) == []  # withdrawing twice changes nothing
    # Leaving the waiting list frees no seat.
    assert enrolments.withdraw(rows[3]) == [] and rows[3].status == "withdrawn"
    assert len(db.session.scalars(select(Enrolment)).all()) == 4  # nothing is ever deleted


def test_coming_back_after_withdrawing_joins_the_end_of_the_queue(setting) -> None:
    commune, _v, hung, klass = setting
    a, b, c, d = _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết", "Phạm Văn Đức")
    rows = [enrolments.enrol(klass, p, source="staff") for p in (a, b, c)]
    enrolments.withdraw(rows[0])  # c gets the seat
    dd = enrolments.enrol(klass, d, source="staff")
    again = enrolments.enrol(klass, a, source="staff")
    assert again.id == rows[0].id and again.status == "waitlisted" and again.withdrawn_at is None
    assert enrolments.waitlist_position(dd) == 1 and enrolments.waitlist_position(again) == 2
    assert enrolments.enrol(klass, a, source="staff").id == again.id  # enrolling twice is harmless


def test_lowering_capacity_below_the_enrolled_is_refused_and_raising_it_promotes_in_order(setting) -> None:
    commune, _v, hung, klass = setting
    rows = [enrolments.enrol(klass, p, source="staff") for p in _learners(
        commune, "Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết", "Phạm Văn Đức", "Vũ Thị Nga")]
    with pytest.raises(DomainError, match="Lớp đã có 2 học viên ghi danh nên không thể giảm sức chứa xuống 1"):
        enrolments.set_capacity(klass, 1)
    promoted = enrolments.set_capacity(klass, 4)
    assert [e.id for e in promoted] == [rows[2].id, rows[3].id]
    assert rows[4].status == "waitlisted" and klass.capacity == 4


def test_raising_capacity_through_the_class_form_promotes_too(setting) -> None:
    commune, _v, hung, klass = setting
    rows = [enrolments.enrol(klass, p, source="staff") for p in _learners(commune, "A Văn Một", "B Văn Hai",
                                                                            "C Văn Ba")]
    promoted = services.update_class(klass, title=klass.title, audience=klass.audience, venue=klass.venue, capacity=3,
                                     starts_on=klass.starts_on, ends_on=klass.ends_on, modules=[], access={})
    assert [e.id for e in promoted] == [rows[2].id]


def test_a_waiting_learner_who_withdrew_consent_is_passed_over(setting) -> None:
    commune, _v, hung, klass = setting
    a, b, c, d = _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết", "Phạm Văn Đức")
    rows = [enrolments.enrol(klass, p, source="staff") for p in (a, b, c, d)]
    people.withdraw_consent(people.active_consent(c, "learning"), by=c)
    assert [e.person_id for e in enrolments.withdraw(rows[0])] == [d.id]
    assert rows[2].status == "waitlisted"


def test_enrolment_needs_consent_to_learning(setting) -> None:
    commune, _v, hung, klass = setting
    newcomer = factories.person(commune, name="Đặng Văn Tư", consent=False)
    with pytest.raises(DomainError, match="Cần có sự đồng ý xử lý dữ liệu của Đặng Văn Tư"):
        enrolments.enrol(klass, newcomer, source="staff", actor=hung)
    row = enrolments.enrol(klass, newcomer, source="staff", actor=hung, consent_method="verbal")
    consent = people.active_consent(newcomer, "learning")
    assert row.status == "enrolled" and consent.method == "verbal" and consent.recorded_by_id == hung.id


def test_self_enrolment_records_consent_given_online_after_an_explicit_tick(setting) -> None:
    commune, _v, _hung, klass = setting
    learner = factories.person(commune, name="Nguyễn Thị Hương", consent=False)
    with pytest.raises(DomainError, match="đánh dấu ô đồng ý"):
        enrolments.enrol_self(klass, learner, consent_given=False)
    row = enrolments.enrol_self(klass, learner, consent_given=True)
    assert row.source == "self" and people.active_consent(learner, "learning").method == "online"


def test_learners_enrol_themselves_only_in_open_or_running_classes(setting) -> None:
    commune, _v, hung, _klass = setting
    planned = factories.school_class(commune, title="Lớp dự kiến", status="planned")
    learner = factories.person(commune, name="Nguyễn Thị Hương")
    with pytest.raises(DomainError, match="không nhận ghi danh lúc này"):
        enrolments.enrol_self(planned, learner, consent_given=True)
    assert enrolments.enrol(planned, learner, source="staff").status == "enrolled"  # staff may fill it early


def test_people_of_another_commune_cannot_enrol(setting) -> None:
    _c, _v, _hung, klass = setting
    stranger = factories.person(factories.commune(factories.COMMUNE_CODES[1]), name="Mai Văn Khách")
    with pytest.raises(DomainError, match="không thuộc xã của lớp"):
        enrolments.enrol(klass, stranger, source="staff")


def test_a_walk_in_is_created_from_three_fields_and_enrolled(setting) -> None:
    _c, village, hung, klass = setting
    row = enrolments.enrol_walk_in(klass, full_name="  Bùi   Thị Lành ", birth_year=1950, village=village,
                                   consent_method="verbal", actor=hung)
    person = row.person
    assert (person.full_name, person.birth_year, person.village_id, person.phone) == ("Bùi Thị Lành", 1950,
                                                                                      village.id, None)
    assert row.source == "walk_in" and row.created_by_id == hung.id and person.created_by_id == hung.id
    assert people.active_consent(person, "learning").method == "verbal"
    with pytest.raises(DomainError, match="Đã có Bùi Thị Lành, sinh năm 1950"):
        enrolments.enrol_walk_in(klass, full_name="bui thi lanh", birth_year=1950, village=village,
                                 consent_method="verbal", actor=hung)


def test_a_walk_in_needs_the_consent_tick_and_all_three_fields(setting) -> None:
    _c, village, hung, klass = setting
    with pytest.raises(DomainError, match="đã đồng ý"):
        enrolments.enrol_walk_in(klass, full_name="Bùi Thị Lành", birth_year=1950, village=village,
                                 consent_method=None, actor=hung)
    with pytest.raises(DomainError, match="năm sinh"):
        enrolments.enrol_walk_in(klass, full_name="Bùi Thị Lành", birth_year=None, village=village,
                                 consent_method="paper", actor=hung)
    assert db.session.scalar(select(Person).where(Person.full_name == "Bùi Thị Lành")) is None


# --- two people, one last seat ---------------------------------------------------------------

def test_two_people_taking_the_last_seat_at_once_do_not_both_get_it(app: Flask, setting) -> None:
    """One transaction holds the class lock while the other tries to enrol; the second must wait and
    then find the class full. Without the lock both would count one free seat."""
    commune, _v, hung, klass = setting
    first, second = _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình")
    enrolments.enrol(klass, factories.person(commune, name="Lê Thị Ánh Tuyết"), source="staff")  # 1 of 2 seats left
    db.session.commit()
    ids = {"class": klass.id, "first": first.id, "second": second.id}
    db.session.remove()
    holding, results, errors = threading.Event(), {}, []

    def take_seat(who: str, hold: bool) -> None:
        try:
            with app.app_context():
                room = db.session.get(Class, ids["class"])
                person = db.session.get(Person, ids[who])
                row = enrolments.enrol(room, person, source="self", actor=person)
                if hold:
                    holding.set()
                    time.sleep(0.5)  # the other enrolment is now waiting for the lock
                results[who] = row.status
                db.session.commit()
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            holding.set()

    a = threading.Thread(target=take_seat, args=("first", True))
    a.start()
    assert holding.wait(10)
    b = threading.Thread(target=take_seat, args=("second", False))
    started = time.perf_counter()
    b.start()
    a.join(20)
    b.join(20)
    assert not errors, errors
    assert results == {"first": "enrolled", "second": "waitlisted"}
    assert time.perf_counter() - started >= 0.3  # the second really waited for the first to commit
    with app.app_context():
        statuses = sorted(db.session.scalars(select(Enrolment.status).where(Enrolment.class_id == ids["class"])))
        assert statuses == ["enrolled", "enrolled", "waitlisted"]
        db.session.remove()


def test_enrolling_someone_of_another_commune_names_nobody(setting, client) -> None:
    _commune, _v, hung, klass = setting
    stranger = factories.person(factories.commune("20767"), name="Kiều Thị Xa Lạ")
    db.session.commit()
    from tests.conftest import login

    login(client, hung)
    response = client.post(f"/classes/{klass.id}/enrol", data={"person_id": str(stranger.id), "consent": "y"},
                           follow_redirects=True)
    assert "Xa Lạ" not in response.get_data(as_text=True)
    assert db.session.scalar(select(Enrolment).where(Enrolment.person_id == stranger.id)) is None
    with pytest.raises(DomainError) as refused:
        enrolments.enrol(klass, stranger, source="staff", actor=hung)
    assert "Xa Lạ" not in str(refused.value.message)


# --- walk-ins in a full class -----------------------------------------------------------------

def test_a_full_class_seats_a_walk_in_above_capacity_only_when_staff_say_so(setting) -> None:
    commune, village, hung, klass = setting
    for person in _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình"):
        enrolments.enrol(klass, person, source="staff", actor=hung)
    waiting = enrolments.enrol_walk_in(klass, full_name="Bùi Thị Lành", birth_year=1950, village=village,
                                       consent_method="verbal", actor=hung)
    assert (waiting.status, waiting.above_capacity, waiting.seated_by_id) == ("waitlisted", False, None)
    seated = enrolments.enrol_walk_in(klass, full_name="Lò Văn Sáng", birth_year=1948, village=village,
                                      consent_method="verbal", actor=hung, above_capacity=True)
    assert (seated.status, seated.above_capacity, seated.seated_by_id) == ("enrolled", True, hung.id)
    assert seated.enrolled_at is not None and enrolments.enrolled_count(klass) == 3  # above the 2 seats
    # In a class with a free seat, the same tick changes nothing: an ordinary enrolment.
    roomy = factories.school_class(commune, title="Lớp rộng", capacity=5, instructors=(hung,))
    plain = enrolments.enrol(roomy, factories.person(commune, name="Hà Thị Mơ"), source="staff", actor=hung,
                             above_capacity=True)
    assert (plain.status, plain.above_capacity, plain.seated_by_id) == ("enrolled", False, None)


def test_someone_waiting_can_be_seated_above_capacity_and_it_is_recorded(setting) -> None:
    commune, _v, hung, klass = setting
    a, b, c, d = _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết", "Phạm Văn Đức")
    rows = [enrolments.enrol(klass, p, source="staff", actor=hung) for p in (a, b, c, d)]
    seated = enrolments.seat_above_capacity(rows[3], actor=hung)
    assert (seated.status, seated.above_capacity, seated.seated_by_id) == ("enrolled", True, hung.id)
    assert enrolments.waitlist_position(rows[2]) == 1 and enrolments.enrolled_count(klass) == 3
    assert enrolments.seat_above_capacity(rows[3], actor=hung) is rows[3]  # twice changes nothing
    # Enrolling a waiting person again "above capacity" seats them too.
    again = enrolments.enrol(klass, c, source="staff", actor=hung, above_capacity=True)
    assert (again.status, again.above_capacity) == ("enrolled", True)
    # Seats freed later go to nobody while the class is still over capacity.
    assert enrolments.withdraw(rows[0], actor=hung) == []
    enrolments.withdraw(rows[1], actor=hung)
    with pytest.raises(DomainError, match="không còn trong danh sách chờ"):
        enrolments.seat_above_capacity(rows[1], actor=hung)


def test_seating_above_capacity_still_needs_consent(setting) -> None:
    commune, _v, hung, klass = setting
    for person in _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình"):
        enrolments.enrol(klass, person, source="staff", actor=hung)
    late = factories.person(commune, name="Phạm Văn Đức")
    row = enrolments.enrol(klass, late, source="staff", actor=hung)
    people.withdraw_consent(people.active_consent(late, "learning"), by=late)
    with pytest.raises(DomainError, match="đồng ý"):
        enrolments.seat_above_capacity(row, actor=hung)
    assert row.status == "waitlisted"


def _enrolment_of(name: str) -> Enrolment:
    return db.session.scalar(select(Enrolment).join(Person, Person.id == Enrolment.person_id)
                             .where(Person.full_name == name))


def test_the_roster_shows_who_was_seated_above_capacity(setting, client) -> None:
    commune, village, hung, klass = setting
    for person in _learners(commune, "Nguyễn Thị Hương", "Trần Văn Bình"):
        enrolments.enrol(klass, person, source="staff", actor=hung)
    db.session.commit()
    from tests.conftest import login

    login(client, hung)
    page = client.get(f"/classes/{klass.id}/roster").get_data(as_text=True)
    assert "Cho vào lớp dù đã đủ chỗ (vượt sức chứa)" in page  # offered only because the class is full
    reply = client.post(f"/classes/{klass.id}/walk-in", data={
        "full_name": "Bùi Thị Lành", "birth_year": "1950", "village_id": str(village.id), "consent": "y",
        "consent_method": "verbal", "above_capacity": "y"})
    assert reply.status_code == 302
    row = _enrolment_of("Bùi Thị Lành")
    assert (row.status, row.above_capacity, row.seated_by_id) == ("enrolled", True, hung.id)
    page = client.get(f"/classes/{klass.id}/roster").get_data(as_text=True)
    assert "Đã ghi danh Bùi Thị Lành, vượt sức chứa của lớp." in page
    assert "Đã ghi danh 3/2" in page and "1 người vượt sức chứa" in page
    assert "Vượt sức chứa" in page and "do Nguyễn Văn Hùng cho vào" in page
    # Someone waiting is seated from the waiting list with one button.
    reply = client.post(f"/classes/{klass.id}/walk-in", data={
        "full_name": "Lò Văn Sáng", "birth_year": "1948", "village_id": str(village.id), "consent": "y",
        "consent_method": "verbal"})
    sang = _enrolment_of("Lò Văn Sáng")
    assert sang.status == "waitlisted"
    assert "Cho vào lớp (vượt sức chứa)" in client.get(f"/classes/{klass.id}/roster").get_data(as_text=True)
    reply = client.post(f"/enrolments/{sang.id}/seat")
    assert reply.status_code == 302 and reply.location.endswith(f"/classes/{klass.id}/roster#walkin")
    db.session.expire_all()
    assert (sang.status, sang.above_capacity) == ("enrolled", True)
