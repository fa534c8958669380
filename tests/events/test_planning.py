"""Planning services: events and their checks, single-station kinds, editing, removing and ordering stations, and
the volunteer roster (hours, places, nobody in two places at once)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.catalog.models import Module
from app.errors import DomainError
from app.events import planning, roster, services
from app.events.models import Event, Shift, Station
from app.extensions import db
from app.people.models import AuditEvent
from app.policy import Role
from app.vietnam import local_today
from tests import factories
from tests.events.conftest import Day

T = dt.time
MORNING = (T(7, 30), T(11, 30))


def plan(day: Day, **changes) -> Event:
    values = dict(kind="day", name="Ngày hội học tập số", held_on=local_today(), opens_at=T(7, 30),
                  closes_at=T(11, 0), venues=[day.venue], place_note="", actor=day.youth)
    values.update(changes)
    return planning.plan_event(day.commune, **values)


def refused(field: str, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value


def shift(day: Day, person=None, duty="gate", station=None, start=MORNING[0], end=MORNING[1], event=None) -> Shift:
    return roster.add_shift(event or day.event, person or day.instructor, duty=duty, station=station,
                            starts_at=start, ends_at=end, note="", actor=day.youth)


def visit(day: Day, station: Station, client_id: str = "v1") -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=None)
    services.check_in(station, participant, ticks=[0], actor=None, client_id=client_id)


# --- events ---------------------------------------------------------------------------------------

def test_a_weekly_session_gets_its_one_station_from_a_ready_made_topic(day: Day) -> None:
    event = plan(day, kind="weekly", name="Mỗi tuần một kỹ năng số – tuần 1", teaching=planning.Teaching("vietqr"))
    assert [s.name for s in event.stations] == ["Thanh toán bằng VietQR"]
    station = event.stations[0]
    assert station.module.code == "NCT-05" and len(station.quiz_question_ids) == planning.QUIZ_SIZE
    assert station.venue == day.venue  # the session's only venue
    refused("name", planning.add_station, event, topic="scam")


def test_a_mobile_point_at_the_market_takes_a_name_of_its_own_and_a_module(day: Day) -> None:
    module = db.session.scalar(select(Module).where(Module.code == "NCT-06"))
    event = plan(day, kind="mobile", venues=[], place_note="  Chợ Tiên Minh ",
                 teaching=planning.Teaching("", "Cảnh giác lừa đảo qua điện thoại", module))
    assert event.place_note == "Chợ Tiên Minh" and event.venues == []
    assert event.stations[0].name == "Cảnh giác lừa đảo qua điện thoại" and event.stations[0].module is module
    assert event.stations[0].quiz_question_ids


def test_a_single_station_event_without_what_it_teaches_is_refused_and_nothing_is_written(day: Day) -> None:
    before = db.session.scalar(select(func.count()).select_from(Event))
    refused("topic", plan, day, kind="weekly", teaching=planning.Teaching())
    refused("station_name", plan, day, kind="mobile", teaching=planning.Teaching("", "x" * 121))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Event)) == before


def test_a_learning_day_ignores_the_teaching_fields(day: Day) -> None:
    event = plan(day, teaching=planning.Teaching("vietqr"))
    assert event.stations == []


def test_event_fields_are_checked(day: Day) -> None:
    refused("kind", plan, day, kind="party")
    refused("name", plan, day, name=" a ")
    refused("closes_at", plan, day, opens_at=T(11, 0), closes_at=T(11, 0))
    refused("closes_at", plan, day, opens_at=T(14, 0), closes_at=T(8, 0))
    refused("venues", plan, day, venues=[factories.venue(day.other_commune, "Nhà văn hóa xã khác")])
    refused("venues", plan, day, venues=[], place_note="   ")
    refused("place_note", plan, day, place_note="x" * 256)


def test_an_event_is_updated_with_the_same_checks(day: Day) -> None:
    hall = factories.venue(day.commune, "Hội trường UBND xã")
    planning.update_event(day.event, kind="day", name="Ngày hội 10/10", held_on=local_today(), opens_at=T(7, 0),
                          closes_at=T(17, 0), venues=[hall, day.venue], place_note="Sân UBND")
    assert (day.event.name, day.event.opens_at, day.event.place_note) == ("Ngày hội 10/10", T(7, 0), "Sân UBND")
    assert {v.name for v in day.event.venues} == {"Hội trường UBND xã", "Nhà văn hóa thôn Đông"}
    other = factories.venue(day.other_commune, "Nhà văn hóa xã khác")
    refused("venues", planning.update_event, day.event, kind="day", name="Ngày hội", held_on=local_today(),
            opens_at=T(7, 0), closes_at=T(17, 0), venues=[other])


def test_an_event_with_several_stations_cannot_become_a_single_station_kind(day: Day) -> None:
    error = refused("kind", planning.update_event, day.event, kind="weekly", name="Buổi tuần", held_on=local_today(),
                    opens_at=T(7, 30), closes_at=T(16, 30), venues=[day.venue])
    assert "3 trạm" in str(error.message)


def test_new_hours_may_not_leave_a_shift_outside_them(day: Day) -> None:
    shift(day, start=T(13, 0), end=T(16, 30))
    refused("opens_at", planning.update_event, day.event, kind="day", name="Ngày hội", held_on=local_today(),
            opens_at=T(7, 30), closes_at=T(12, 0), venues=[day.venue])
    planning.update_event(day.event, kind="day", name="Ngày hội", held_on=local_today(), opens_at=T(8, 0),
                          closes_at=T(17, 0), venues=[day.venue])
    assert day.event.closes_at == T(17, 0)


def test_moving_an_event_to_another_day_may_not_double_book_a_volunteer(day: Day) -> None:
    shift(day, start=T(8, 0), end=T(10, 0))
    tomorrow = local_today() + dt.timedelta(days=1)
    weekly = plan(day, kind="weekly", name="Mỗi tuần một kỹ năng số", held_on=tomorrow, opens_at=T(9, 0),
                  closes_at=T(11, 0), teaching=planning.Teaching("scam"))
    shift(day, event=weekly, start=T(9, 0), end=T(11, 0))
    error = refused("held_on", planning.update_event, day.event, kind="day", name=day.event.name, held_on=tomorrow,
                    opens_at=T(7, 30), closes_at=T(16, 30), venues=[day.venue])
    assert "Nguyễn Văn Hùng" in str(error.message) and "Mỗi tuần một kỹ năng số" in str(error.message)
    planning.update_event(day.event, kind="day", name=day.event.name, held_on=tomorrow + dt.timedelta(days=1),
                          opens_at=T(7, 30), closes_at=T(16, 30), venues=[day.venue])


def test_counts_of_registered_and_arrived_come_in_one_query(day: Day) -> None:
    services.register(day.event, day.huong, source="signup", actor=None, arrived=False)
    services.register(day.event, day.binh, source="gate", actor=None, consent_method="verbal")
    empty = plan(day, name="Ngày khác")
    assert planning.participant_counts([day.event.id, empty.id]) == {day.event.id: (2, 1)}
    assert planning.participant_counts([]) == {}


# --- stations -------------------------------------------------------------------------------------

def edit(station: Station, **changes) -> Station:
    values = dict(name=station.name, description=station.description, skills=list(station.skills),
                  module=station.module, checklist=list(station.checklist), materials=station.materials,
                  venue=station.venue, quiz=bool(station.quiz_question_ids), redraw=False)
    values.update(changes)
    return planning.update_station(station, **values)


def test_a_station_is_edited_with_skills_of_the_framework_and_one_step_per_line(day: Day) -> None:
    edit(day.qr, name="  Trả tiền chợ bằng mã QR ", description="Cho tiểu thương\r\nvà người mua",
         skills=["5.2", "4.4", "5.2"], checklist=["Mở ứng dụng", "", "  Quét mã  ", "Xem biên lai"],
         materials="2 điện thoại\n\n Mã QR in sẵn ")
    assert day.qr.name == "Trả tiền chợ bằng mã QR" and day.qr.description == "Cho tiểu thương\nvà người mua"
    assert day.qr.skills == ["5.2", "4.4"] and day.qr.checklist == ["Mở ứng dụng", "Quét mã", "Xem biên lai"]
    assert day.qr.materials == "2 điện thoại\nMã QR in sẵn"
    refused("skills", edit, day.qr, skills=["5.2", "9.9"])
    refused("name", edit, day.qr, name="x")
    refused("checklist", edit, day.qr, checklist=[f"Bước {i}" for i in range(planning.CHECKLIST_MAX + 1)])
    refused("materials", edit, day.qr, materials="\n".join(["Bút"] * (planning.MATERIALS_MAX + 1)))
    refused("venue_id", edit, day.qr, venue=factories.venue(day.other_commune, "Nhà văn hóa xã khác"))


def test_a_retired_module_is_refused(day: Day) -> None:
    module = db.session.scalar(select(Module).where(Module.code == "NCT-06"))
    module.active = False
    refused("module_id", edit, day.qr, module=module)
    refused("module_id", plan, day, kind="weekly", teaching=planning.Teaching("", "Lừa đảo qua mạng", module))


def test_the_quiz_is_turned_off_redrawn_and_follows_a_new_module(day: Day) -> None:
    first = list(day.qr.quiz_question_ids)
    edit(day.qr, quiz=False)
    assert day.qr.quiz_question_ids == [] and day.qr.quiz_keys == {}
    edit(day.qr, quiz=True)
    assert len(day.qr.quiz_question_ids) == planning.QUIZ_SIZE
    scam_module = day.scam.module
    edit(day.qr, module=scam_module)
    drawn = {q.id for q in scam_module.current.questions}
    assert set(day.qr.quiz_question_ids) <= drawn and not set(day.qr.quiz_question_ids) & set(first)
    edit(day.qr, module=None)
    assert day.qr.quiz_question_ids == []


def test_a_station_visited_keeps_its_number_of_steps_and_answered_questions(day: Day) -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=None)
    services.check_in(day.qr, participant, ticks=[0], actor=None, client_id="visit-1")
    edit(day.qr, checklist=["Mở ứng dụng ngân hàng", "Quét mã", "Xác nhận"])  # the wording may change
    error = refused("checklist", edit, day.qr, checklist=["Chỉ một bước"])
    assert "1 lượt" in str(error.message)
    edit(day.qr, redraw=True)  # nobody answered yet: a fresh draw is fine
    question = day.qr.quiz_question_ids[0]
    key = day.qr.quiz_keys[str(question)]["options"][0]
    services.answer(day.qr, participant, question, key, actor=None, client_id="answer-1")
    kept = list(day.qr.quiz_question_ids)
    refused("quiz", edit, day.qr, redraw=True)
    refused("quiz", edit, day.qr, quiz=False)
    refused("quiz", edit, day.qr, module=day.scam.module)
    edit(day.qr, name="Trạm VietQR")
    assert day.qr.quiz_question_ids == kept


def test_a_station_is_removed_only_while_nobody_visited_it_or_is_rostered_there(day: Day) -> None:
    visit(day, day.qr)
    error = refused("station", planning.remove_station, day.qr)
    assert "1 lượt" in str(error.message)
    shift(day, duty="station", station=day.scam)
    error = refused("station", planning.remove_station, day.scam)
    assert "ca tình nguyện viên" in str(error.message)
    planning.remove_station(day.vneid)
    db.session.expire_all()
    event = db.session.get(Event, day.event.id)
    assert [(s.name, s.position) for s in event.stations] == [(day.qr.name, 1), (day.scam.name, 2)]


def test_stations_move_up_and_down_and_stay_put_at_either_end(day: Day) -> None:
    def order() -> list[str]:
        db.session.expire_all()
        return [s.name for s in db.session.get(Event, day.event.id).stations]

    vneid, qr, scam = day.vneid.name, day.qr.name, day.scam.name
    planning.move_station(day.scam, -1)
    assert order() == [vneid, scam, qr]
    planning.move_station(db.session.get(Station, day.vneid.id), -1)
    assert order() == [vneid, scam, qr]
    planning.move_station(db.session.get(Station, day.vneid.id), 1)
    assert order() == [scam, vneid, qr]
    planning.move_station(db.session.get(Station, day.qr.id), 1)
    assert order() == [scam, vneid, qr]


def test_visits_are_counted_by_station(day: Day) -> None:
    visit(day, day.qr)
    services.register(day.event, day.binh, source="gate", actor=None, consent_method="verbal")
    participant = services.participant_of(day.event, day.binh)
    services.check_in(day.qr, participant, ticks=[], actor=None, client_id="v2")
    services.check_in(day.scam, participant, ticks=[], actor=None, client_id="v3")
    assert planning.visit_counts(day.event) == {day.qr.id: 2, day.scam.id: 1}


# --- the roster -----------------------------------------------------------------------------------

def test_a_shift_is_added_within_the_hours_and_audited(day: Day) -> None:
    added = shift(day, duty="station", station=day.qr, start=T(7, 30), end=T(11, 30))
    assert added.station_id == day.qr.id and day.instructor.id in day.event.assigned_ids
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.subject_id == day.instructor.id,
                                                             AuditEvent.action == "event.shift")) == (
        f"event={day.event.id} duty=station 07:30-11:30")
    gate = shift(day, person=day.huong, duty="gate", station=day.qr, start=T(11, 30), end=T(16, 30))
    assert gate.station_id is None  # the gate is no station's


def test_shift_fields_are_checked(day: Day) -> None:
    refused("starts_at", shift, day, start=T(7, 0), end=T(9, 0))
    refused("starts_at", shift, day, start=T(15, 0), end=T(17, 0))
    refused("ends_at", shift, day, start=T(9, 0), end=T(9, 0))
    refused("duty", shift, day, duty="dance")
    refused("station_id", shift, day, duty="station", station=None)
    other = plan(day, name="Ngày khác", held_on=local_today() + dt.timedelta(days=3))
    station = planning.add_station(other, topic="ai")
    refused("station_id", shift, day, duty="station", station=station)
    refused("person_id", shift, day, person=factories.person(day.other_commune, name="Mai Văn Khách"))
    with pytest.raises(DomainError):
        roster.add_shift(day.event, day.huong, duty="gate", station=None, starts_at=T(8, 0), ends_at=T(9, 0),
                         note="x" * 201, actor=None)


def test_nobody_is_rostered_in_two_places_at_once_even_at_another_event_that_day(day: Day) -> None:
    shift(day, start=T(7, 30), end=T(11, 30))
    error = refused("person_id", shift, day, duty="guide", start=T(11, 0), end=T(12, 0))
    assert "Nguyễn Văn Hùng" in str(error.message) and "07:30–11:30" in str(error.message)
    shift(day, duty="guide", start=T(11, 30), end=T(13, 0))  # back to back is fine
    weekly = plan(day, kind="weekly", name="Mỗi tuần một kỹ năng số", opens_at=T(7, 0), closes_at=T(9, 0),
                  teaching=planning.Teaching("scam"))
    refused("person_id", shift, day, event=weekly, start=T(8, 0), end=T(9, 0))
    tomorrow = plan(day, name="Ngày mai", held_on=local_today() + dt.timedelta(days=1))
    shift(day, event=tomorrow, start=T(8, 0), end=T(9, 0))


def test_the_roster_is_grouped_by_slot_then_the_gate_then_stations_in_order(day: Day) -> None:
    shift(day, person=day.huong, duty="guide", start=T(7, 30), end=T(11, 30))
    shift(day, person=day.instructor, duty="station", station=day.scam, start=T(7, 30), end=T(11, 30))
    shift(day, person=day.binh, duty="station", station=day.vneid, start=T(7, 30), end=T(11, 30))
    shift(day, person=day.youth, duty="gate", start=T(7, 30), end=T(11, 30))
    shift(day, person=day.youth, duty="board", start=T(13, 0), end=T(16, 30))
    shifts = roster.shifts_of(day.event)
    slots = roster.slots(shifts)
    assert [(s.starts_at, s.ends_at) for s in slots] == [(T(7, 30), T(11, 30)), (T(13, 0), T(16, 30))]
    labels = [p.label for p in slots[0].places]
    assert labels == ["Bàn đón tiếp, đăng ký", day.vneid.name, day.scam.name,
                      "Dẫn đường, hỗ trợ người cao tuổi, người khuyết tật"]
    assert roster.volunteer_hours(shifts) == pytest.approx(4 * 4 + 3.5)
    assert roster.staff_ids(day.event, {s.person_id for s in shifts}) == {day.youth.id, day.instructor.id}


def test_staff_of_another_commune_do_not_count_as_staff_here(day: Day) -> None:
    stranger = factories.person(day.commune, name="Lê Văn Lạ", role=None)
    from app.people import services as people

    people.grant_role(stranger, Role.INSTRUCTOR, commune=day.other_commune, granted_by=None)
    shift(day, person=stranger)
    assert roster.staff_ids(day.event, {stranger.id}) == set()


def test_a_shift_is_removed(day: Day) -> None:
    added = shift(day)
    roster.remove_shift(added, actor=day.youth)
    assert db.session.scalar(select(func.count()).select_from(Shift)) == 0
