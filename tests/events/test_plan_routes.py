"""The organisers' pages: a commune's events, creating one, the event page with its stations, the roster with its
shifts, and the printable roster, materials list and QR poster; who may see and change what."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.events import planning, roster, services
from app.events.models import Event, Shift, Station
from app.extensions import db
from app.policy import Role
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.events.conftest import Day
from tests.statements import counting

T = dt.time
TODAY = local_today()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def new_event(day: Day, **changes) -> dict:
    values = {"kind": "day", "name": "Ngày hội toàn dân học tập số 10/10", "held_on": TODAY.isoformat(),
              "opens_at": "07:30", "closes_at": "16:30", "venues": [str(day.venue.id)], "place_note": "",
              "topic": "", "station_name": "", "module_id": "0"}
    values.update(changes)
    return values


def events() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Event))


# --- the commune's events ------------------------------------------------------------------------

def test_the_organiser_sees_coming_and_past_events_with_their_counts(app: Flask, day: Day) -> None:
    past = planning.create_event(day.commune, kind="weekly", name="Mỗi tuần một kỹ năng số – tuần 1",
                                 held_on=TODAY - dt.timedelta(days=7), opens_at=T(8), closes_at=T(10),
                                 venues=[day.venue], actor=None)
    services.register(day.event, day.huong, source="gate", actor=None)
    services.register(day.event, day.binh, source="signup", actor=None, consent_method="online", arrived=False)
    db.session.commit()
    text = page(login(app.test_client(), day.youth), f"/events/communes/{day.commune.id}")
    assert text.index("Sắp diễn ra") < text.index(day.event.name) < text.index("Đã diễn ra") < text.index(past.name)
    assert "2 / 1 người" in text and "0 / 0 người" in text and "Tạo hoạt động mới" in text
    assert f"/events/{day.event.id}/gate" in text and f"/events/{day.event.id}/stations/{day.qr.id}" in text
    assert f"/events/{day.event.id}/live" in text and "Mỗi tuần một kỹ năng số" in text


def test_the_officer_creates_a_learning_day(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.officer)
    response = client.post(f"/events/communes/{day.commune.id}/new", data=new_event(day, name="Ngày hội 2026"))
    assert response.status_code == 302
    event = db.session.scalar(select(Event).where(Event.name == "Ngày hội 2026"))
    assert response.location.endswith(f"/events/{event.id}")
    assert event.venues == [day.venue] and event.opens_at == T(7, 30) and event.created_by_id == day.officer.id
    assert event.stations == [] and event.signup_open


def test_a_weekly_session_is_created_with_its_one_station(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    client.post(f"/events/communes/{day.commune.id}/new",
                data=new_event(day, kind="weekly", name="Mỗi tuần một kỹ năng số – tuần 2", topic="scam",
                               opens_at="19:00", closes_at="20:30"))
    event = db.session.scalar(select(Event).where(Event.kind == "weekly"))
    assert [s.name for s in event.stations] == ["Nhận biết cuộc gọi lừa đảo"]
    mobile = new_event(day, kind="mobile", name="Điểm học số lưu động chợ", venues=[], place_note="Chợ Tiên Minh",
                       station_name="Bán hàng qua mạng an toàn", module_id=str(day.scam.module_id))
    client.post(f"/events/communes/{day.commune.id}/new", data=mobile)
    event = db.session.scalar(select(Event).where(Event.kind == "mobile"))
    assert event.place_note == "Chợ Tiên Minh" and event.stations[0].module_id == day.scam.module_id


@pytest.mark.parametrize(("changes", "message"), [
    ({"closes_at": "07:00"}, "Giờ kết thúc phải sau giờ bắt đầu."),
    ({"opens_at": "7 giờ"}, "Vui lòng nhập giờ (ví dụ 07:30)."),
    ({"held_on": "30/02/2026"}, "Vui lòng nhập ngày"),
    ({"name": ""}, "Hãy đặt tên cho hoạt động."),
    ({"venues": [], "place_note": ""}, "Hãy chọn địa điểm hoặc ghi nơi tổ chức"),
    ({"kind": "weekly", "topic": "", "station_name": ""}, "Hãy chọn nội dung có sẵn"),
    ({"kind": "weekly", "topic": "karaoke"}, "Not a valid choice"),
])
def test_a_wrong_event_form_is_shown_again_with_a_message_and_nothing_is_written(app: Flask, day: Day, changes,
                                                                                 message) -> None:
    before = events()
    response = login(app.test_client(), day.officer).post(f"/events/communes/{day.commune.id}/new",
                                                           data=new_event(day, **changes))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and (message in text or "Lựa chọn không hợp lệ" in text)
    assert 'id="new-event"' in text and events() == before


def test_a_venue_of_another_commune_is_refused(app: Flask, day: Day) -> None:
    elsewhere = factories.venue(day.other_commune, "Nhà văn hóa xã khác")
    db.session.commit()
    before = events()
    response = login(app.test_client(), day.officer).post(f"/events/communes/{day.commune.id}/new",
                                                          data=new_event(day, venues=[str(elsewhere.id)]))
    assert response.status_code == 422 and "Địa điểm không thuộc xã này." in response.get_data(as_text=True)
    assert events() == before


def test_leaders_follow_the_events_but_do_not_change_them(app: Flask, day: Day) -> None:
    leader = factories.person(day.commune, name="Trịnh Văn Khải", role=Role.LEADER)
    db.session.commit()
    client = login(app.test_client(), leader)
    index = page(client, f"/events/communes/{day.commune.id}")
    assert day.event.name in index and "Tạo hoạt động mới" not in index and "/gate" not in index
    text = page(client, f"/events/{day.event.id}")
    assert "Thêm trạm" not in text and "Sửa trạm" not in text and "Bàn đón tiếp" not in text
    assert "Đóng đăng ký trước" not in text and day.qr.name in text
    assert client.post(f"/events/communes/{day.commune.id}/new", data=new_event(day)).status_code == 403
    assert client.post(f"/events/{day.event.id}/stations", data={"topic": "ai"}).status_code == 403


def test_volunteers_see_only_the_events_they_are_rostered_on(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.instructor)
    index = page(client, f"/events/communes/{day.commune.id}")
    assert day.event.name not in index and "có tên trong danh sách tình nguyện viên" in index
    page(client, f"/events/{day.event.id}", 403)
    page(client, f"/events/{day.event.id}/roster", 403)
    roster.add_shift(day.event, day.instructor, duty="station", station=day.qr, starts_at=T(7, 30),
                     ends_at=T(11, 30), actor=day.youth)
    db.session.commit()
    assert day.event.name in page(client, f"/events/communes/{day.commune.id}")
    text = page(client, f"/events/{day.event.id}")
    assert "Mở máy của trạm" in text and "Sửa trạm" not in text
    assert client.post(f"/events/{day.event.id}/stations", data={"topic": "ai"}).status_code == 403


def test_other_communes_and_learners_are_kept_out(app: Flask, day: Day) -> None:
    outsider = factories.person(day.other_commune, name="Mai Văn Khách", role=Role.OFFICER)
    db.session.commit()
    for person in (outsider, day.huong):
        client = login(app.test_client(), person)
        for url in (f"/events/communes/{day.commune.id}", f"/events/{day.event.id}",
                    f"/events/{day.event.id}/roster", f"/events/{day.event.id}/poster",
                    f"/events/{day.event.id}/materials", f"/events/{day.event.id}/stations/{day.qr.id}/edit"):
            page(client, url, 403)
        assert client.post(f"/events/communes/{day.commune.id}/new", data=new_event(day)).status_code == 403
    assert events() == 1


# --- an event's page and its stations ------------------------------------------------------------

def test_the_event_page_shows_the_stations_in_order_with_skills_module_quiz_and_links(app: Flask, day: Day) -> None:
    text = page(login(app.test_client(), day.youth), f"/events/{day.event.id}")
    assert text.index(day.vneid.name) < text.index(day.qr.name) < text.index(day.scam.name)
    assert "5.2 –" in text and "NCT-05 –" in text and "Có, 3 câu" in text
    assert "Quét mã, xem đúng tên người nhận" in text
    assert f"/events/signup/{day.event.signup_code}" in text and "In áp phích mã QR" in text
    assert "Bảng số liệu trực tiếp trên tivi" in text
    assert f"/events/{day.event.id}/stations/{day.qr.id}/edit" in text and "Xóa trạm" in text


def test_the_organiser_edits_the_event_and_a_wrong_form_changes_nothing(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    form = page(client, f"/events/{day.event.id}/edit")
    assert 'value="07:30"' in form and day.event.name in form
    data = {"kind": "day", "name": "Ngày hội 10/10 xã Tiên Minh", "held_on": TODAY.isoformat(),
            "opens_at": "07:00", "closes_at": "17:00", "venues": [str(day.venue.id)], "place_note": "Sân UBND"}
    assert client.post(f"/events/{day.event.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert day.event.name == "Ngày hội 10/10 xã Tiên Minh" and day.event.closes_at == T(17)
    response = client.post(f"/events/{day.event.id}/edit", data={**data, "kind": "mobile", "name": "Đổi"})
    assert response.status_code == 422 and "mà loại này chỉ có một trạm" in response.get_data(as_text=True)
    db.session.expire_all()
    assert day.event.kind == "day" and day.event.name == "Ngày hội 10/10 xã Tiên Minh"


def test_stations_are_added_from_a_topic_or_of_ones_own(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    response = client.post(f"/events/{day.event.id}/stations", data={"topic": "ai", "name": ""})
    station = db.session.scalar(select(Station).where(Station.topic == "ai"))
    assert response.location.endswith(f"/events/{day.event.id}#station-{station.id}") and station.position == 4
    response = client.post(f"/events/{day.event.id}/stations", data={"topic": "", "name": "Chụp ảnh, gửi ảnh Zalo"})
    own = db.session.scalar(select(Station).where(Station.name == "Chụp ảnh, gửi ảnh Zalo"))
    assert response.location.endswith(f"/stations/{own.id}/edit")
    text = client.post(f"/events/{day.event.id}/stations", data={"topic": "", "name": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "Hãy đặt tên trạm." in text
    assert db.session.scalar(select(func.count()).select_from(Station)) == 5


def test_a_single_station_event_offers_no_second_station(app: Flask, day: Day) -> None:
    weekly = planning.plan_event(day.commune, kind="weekly", name="Mỗi tuần một kỹ năng số", held_on=TODAY,
                                 opens_at=T(8), closes_at=T(10), venues=[day.venue],
                                 teaching=planning.Teaching("vietqr"), actor=None)
    db.session.commit()
    client = login(app.test_client(), day.youth)
    text = page(client, f"/events/{weekly.id}")
    assert "Thêm trạm" not in text and "Nội dung của buổi" in text
    text = client.post(f"/events/{weekly.id}/stations", data={"topic": "ai"}, follow_redirects=True)
    assert "Hoạt động loại này chỉ có một trạm." in text.get_data(as_text=True)


def test_a_station_is_edited_from_its_form(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    url = f"/events/{day.event.id}/stations/{day.qr.id}/edit"
    form = page(client, url)
    assert "Mở ứng dụng ngân hàng và chọn quét mã QR\nQuét mã" in form
    assert re.search(r'<input checked[^>]*value="5.2"', form) and not re.search(r'<input checked[^>]*value="6.1"', form)
    data = {"name": "Trả tiền bằng mã QR", "description": "Cho bà con đi chợ", "skills": ["5.2", "4.4"],
            "module_id": str(day.qr.module_id), "checklist": "Mở ứng dụng\r\n\r\nQuét mã\r\nXem biên lai",
            "materials": "2 điện thoại\nMã QR in sẵn", "venue_id": str(day.venue.id), "quiz": "y"}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    station = db.session.get(Station, day.qr.id)
    assert station.checklist == ["Mở ứng dụng", "Quét mã", "Xem biên lai"] and station.skills == ["5.2", "4.4"]
    assert station.venue_id == day.venue.id and station.materials == "2 điện thoại\nMã QR in sẵn"
    response = client.post(url, data={**data, "skills": ["5.2", "99.9"]})
    assert response.status_code == 422 and "Kỹ năng không có trong khung hiện hành" in response.get_data(as_text=True)
    response = client.post(url, data={**data, "quiz": ""})
    db.session.expire_all()
    assert db.session.get(Station, day.qr.id).quiz_question_ids == []
    page(client, f"/events/{day.event.id}/stations/{day.scam.id + 100}/edit", 404)


def elsewhere(day: Day) -> tuple[Event, Station]:
    """An event of another commune, with a station."""
    event = planning.create_event(day.other_commune, kind="day", name="Ngày hội xã khác", held_on=TODAY,
                                  opens_at=T(7, 30), closes_at=T(11, 30), place_note="Sân xã", actor=None)
    return event, planning.add_station(event, topic="vietqr")


def test_a_station_of_another_event_is_not_found_through_this_one(app: Flask, day: Day) -> None:
    _event, station = elsewhere(day)
    db.session.commit()
    client = login(app.test_client(), day.youth)
    page(client, f"/events/{day.event.id}/stations/{station.id}/edit", 404)
    assert client.post(f"/events/{day.event.id}/stations/{station.id}/remove").status_code == 404
    response = client.post(f"/events/{day.event.id}/stations/{station.id}/move", data={"direction": "up"})
    assert response.status_code == 404


def test_a_visited_station_is_not_removed_and_the_message_says_why(app: Flask, day: Day) -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=None)
    services.check_in(day.qr, participant, ticks=[0], actor=None, client_id="visit-1")
    db.session.commit()
    client = login(app.test_client(), day.youth)
    text = client.post(f"/events/{day.event.id}/stations/{day.qr.id}/remove",
                       follow_redirects=True).get_data(as_text=True)
    assert "Không xóa được “Thanh toán bằng VietQR”: đã có 1 lượt trải nghiệm ở trạm này." in text
    assert "Đã có người trải nghiệm nên không xóa được trạm này." in text
    client.post(f"/events/{day.event.id}/stations/{day.vneid.id}/remove")
    db.session.expire_all()
    assert [s.name for s in db.session.get(Event, day.event.id).stations] == [day.qr.name, day.scam.name]


def test_stations_are_moved_up_and_down(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    client.post(f"/events/{day.event.id}/stations/{day.scam.id}/move", data={"direction": "up"})
    client.post(f"/events/{day.event.id}/stations/{day.vneid.id}/move", data={"direction": "down"})
    text = client.post(f"/events/{day.event.id}/stations/{day.vneid.id}/move", data={"direction": "sideways"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Hãy chọn lên hoặc xuống." in text
    db.session.expire_all()
    assert [s.name for s in db.session.get(Event, day.event.id).stations] == [day.scam.name, day.vneid.name,
                                                                             day.qr.name]


# --- the roster ----------------------------------------------------------------------------------

def shift_form(person, **changes) -> dict:
    values = {"person_id": str(person.id), "duty": "station", "station_id": "", "starts_at": "07:30",
              "ends_at": "11:30", "note": "Mang loa", "q": "hung"}
    values.update(changes)
    return values


def test_the_organiser_finds_a_volunteer_and_gives_them_a_shift(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    found = page(client, f"/events/{day.event.id}/roster?q=hung")
    assert "Nguyễn Văn Hùng" in found and f'value="{day.instructor.id}"' in found
    response = client.post(f"/events/{day.event.id}/roster",
                           data=shift_form(day.instructor, station_id=str(day.qr.id)))
    assert response.status_code == 302
    text = page(client, f"/events/{day.event.id}/roster")
    assert "07:30–11:30" in text and day.qr.name in text and day.instructor.phone in text and "Mang loa" in text
    assert "Dùng được máy đăng ký và máy trạm" in text and "1 ca, 1 người, 4 giờ tình nguyện." in text


@pytest.mark.parametrize(("changes", "message"), [
    ({"station_id": ""}, "Hãy chọn trạm người này hướng dẫn."),
    ({"duty": "gate", "starts_at": "06:00"}, "Ca phải nằm trong giờ của hoạt động (07:30–16:30)."),
    ({"duty": "gate", "ends_at": "07:00"}, "Giờ kết thúc ca phải sau giờ bắt đầu."),
    ({"duty": "gate", "person_id": ""}, "Hãy tìm và chọn một người."),
    ({"duty": "gate", "person_id": "999999"}, "Hãy tìm và chọn một người."),
    ({"duty": "gate", "ends_at": "25:00"}, "Vui lòng nhập giờ (ví dụ 07:30)."),
])
def test_a_wrong_shift_is_refused_with_a_message(app: Flask, day: Day, changes, message) -> None:
    response = login(app.test_client(), day.youth).post(f"/events/{day.event.id}/roster",
                                                        data=shift_form(day.instructor, **changes))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and message in text and "Nguyễn Văn Hùng" in text  # the search is kept
    assert db.session.scalar(select(func.count()).select_from(Shift)) == 0


def test_a_double_booking_and_a_person_of_another_commune_are_refused(app: Flask, day: Day) -> None:
    stranger = factories.person(day.other_commune, name="Mai Văn Khách")
    roster.add_shift(day.event, day.instructor, duty="gate", station=None, starts_at=T(7, 30), ends_at=T(11, 30),
                     actor=None)
    db.session.commit()
    client = login(app.test_client(), day.youth)
    response = client.post(f"/events/{day.event.id}/roster",
                           data=shift_form(day.instructor, duty="guide", starts_at="09:00", ends_at="10:00"))
    assert response.status_code == 422 and "trùng giờ" in response.get_data(as_text=True)
    response = client.post(f"/events/{day.event.id}/roster", data=shift_form(stranger, duty="guide", q=""))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Người này không thuộc xã tổ chức hoạt động." in text
    assert "Mai Văn Khách" not in text
    assert db.session.scalar(select(func.count()).select_from(Shift)) == 1


def test_a_shift_is_removed_from_the_roster(app: Flask, day: Day) -> None:
    shift = roster.add_shift(day.event, day.huong, duty="guide", station=None, starts_at=T(7, 30),
                             ends_at=T(11, 30), actor=None)
    event, _station = elsewhere(day)
    stranger = factories.person(day.other_commune, name="Mai Văn Khách")
    theirs = roster.add_shift(event, stranger, duty="guide", station=None, starts_at=T(7, 30), ends_at=T(9),
                              actor=None)
    db.session.commit()
    client = login(app.test_client(), day.youth)
    assert client.post(f"/events/{day.event.id}/shifts/{theirs.id}/remove").status_code == 404
    assert client.post(f"/events/{event.id}/shifts/{theirs.id}/remove").status_code == 403
    assert client.post(f"/events/{day.event.id}/shifts/{shift.id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Shift)) == 1


def test_the_printable_roster_is_grouped_by_slot_and_place_with_phones(app: Flask, day: Day) -> None:
    roster.add_shift(day.event, day.youth, duty="gate", station=None, starts_at=T(7, 30), ends_at=T(11, 30),
                     actor=None)
    roster.add_shift(day.event, day.huong, duty="guide", station=None, starts_at=T(7, 30), ends_at=T(11, 30),
                     note="Đón người đi xe lăn", actor=None)
    roster.add_shift(day.event, day.instructor, duty="station", station=day.scam, starts_at=T(13), ends_at=T(16),
                     actor=None)
    leader = factories.person(day.commune, name="Trịnh Văn Khải", role=Role.LEADER)
    db.session.commit()
    text = page(login(app.test_client(), leader), f"/events/{day.event.id}/roster")
    assert 'class="print-a4 ev-sheet"' in text and "Phân công tình nguyện viên" in text and "Thêm ca" not in text
    assert text.index("07:30–11:30") < text.index("Bàn đón tiếp, đăng ký") < text.index("Dẫn đường") < text.index(
        "13:00–16:00") < text.index(day.scam.name)
    assert day.huong.phone in text and "Đón người đi xe lăn" in text
    assert "3 ca, 3 người, 11 giờ tình nguyện." in text


# --- printables ----------------------------------------------------------------------------------

def test_the_materials_page_lists_each_stations_things_to_bring(app: Flask, day: Day) -> None:
    day.qr.materials = "2 điện thoại có ứng dụng ngân hàng\nMã VietQR in sẵn"
    roster.add_shift(day.event, day.instructor, duty="station", station=day.qr, starts_at=T(7, 30),
                     ends_at=T(11, 30), actor=None)
    db.session.commit()
    text = page(login(app.test_client(), day.officer), f"/events/{day.event.id}/materials")
    assert "Đồ dùng cần chuẩn bị" in text and "Bàn đón tiếp" in text and "Áp phích mã QR đăng ký trước" in text
    assert "Trạm 2: Thanh toán bằng VietQR" in text and "Mã VietQR in sẵn" in text
    assert "Phụ trách: Nguyễn Văn Hùng" in text and "Chưa ghi đồ dùng cho trạm này." in text


def test_the_poster_has_the_qr_code_and_the_address_of_the_sign_up_page(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    text = page(client, f"/events/{day.event.id}/poster")
    link = f"http://localhost/events/signup/{day.event.signup_code}"
    assert "<svg" in text and link in text and "Quét mã để đăng ký trước" in text
    assert "họ tên, năm sinh, thôn/tổ dân phố và số điện thoại (nếu bạn cho)" in text
    response = client.post(f"/events/{day.event.id}/signup-open", data={"open": "0", "back": "poster"})
    assert response.location.endswith(f"/events/{day.event.id}/poster")
    db.session.expire_all()
    assert db.session.get(Event, day.event.id).signup_open is False
    assert "Đăng ký trước đang đóng" in page(client, f"/events/{day.event.id}/poster")
    assert "Mở lại đăng ký trước" in page(client, f"/events/{day.event.id}")
    client.post(f"/events/{day.event.id}/signup-open", data={"open": "1"})
    db.session.expire_all()
    assert db.session.get(Event, day.event.id).signup_open is True


def test_the_printable_pages_are_in_english_too(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    client.post("/preferences/language", data={"lang": "en"})
    for url in ("roster", "materials", "poster"):
        assert page(client, f"/events/{day.event.id}/{url}")


# --- a fixed number of statements whatever the size ----------------------------------------------

def _statements(client, url: str) -> int:
    page(client, url)  # first, so objects the test's session let expire are read again outside the count
    with counting() as ran:
        page(client, url)
    return len(ran)


def _more(day: Day, n: int) -> None:
    """Plan more of everything: stations, shifts (of several people), past events with stations, participants."""
    people = [factories.person(day.commune, name=f"Tình nguyện viên {n} {i}", role=Role.INSTRUCTOR)
              for i in range(2)]
    for person in people:
        station = planning.add_station(day.event, name=f"Trạm {n} {person.id}", checklist=["Bước một"],
                                       materials="Bút\nGiấy")
        roster.add_shift(day.event, person, duty="station", station=station, starts_at=T(7, 30), ends_at=T(11, 30),
                         actor=None)
        past = planning.create_event(day.commune, kind="day", name=f"Ngày hội {person.id}", opens_at=T(8),
                                     held_on=TODAY - dt.timedelta(days=person.id), closes_at=T(11),
                                     venues=[day.venue], actor=None)
        planning.add_station(past, topic="ai")
    learner = factories.person(day.commune, name=f"Người dân {n}")
    services.register(day.event, learner, source="gate", actor=None, consent_method="verbal")
    db.session.commit()


def test_the_pages_run_the_same_number_of_statements_however_much_is_planned(app: Flask, day: Day) -> None:
    client = login(app.test_client(), day.youth)
    urls = (f"/events/communes/{day.commune.id}", f"/events/{day.event.id}", f"/events/{day.event.id}/roster",
            f"/events/{day.event.id}/materials", f"/events/{day.event.id}/poster")
    _more(day, 1)
    before = {url: _statements(client, url) for url in urls}
    _more(day, 2)
    _more(day, 3)
    assert {url: _statements(client, url) for url in urls} == before


# --- in a browser: a tablet and a phone ----------------------------------------------------------

def _sign_in(page, person) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(person.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_the_event_page_works_on_a_tablet_and_the_roster_on_a_phone(tablet, phone, day: Day) -> None:
    from playwright.sync_api import expect

    page = tablet
    _sign_in(page, day.youth)
    page.goto(f"/events/{day.event.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(day.event.name)
    assert _fits(page)
    page.screenshot(path=str(factories.artifact("events-plan-tablet.png")), full_page=True)
    page.locator(f"#station-{day.scam.id}").get_by_role("button", name="Lên trên").click()
    expect(page.locator(".ev-station h3").nth(1)).to_contain_text(day.scam.name)
    page.get_by_label("Chủ đề có sẵn").select_option("ai")
    page.get_by_role("button", name="Thêm trạm").click()
    expect(page.locator(".ev-station")).to_have_count(4)

    page.goto(f"/events/communes/{day.commune.id}")
    teaching = page.locator("[data-single-station]")
    expect(teaching).to_be_hidden()  # a learning day has many stations, added on its page
    page.get_by_label("Loại hoạt động").select_option("weekly")
    expect(teaching).to_be_visible()
    page.get_by_label("Tên hoạt động").fill("Mỗi tuần một kỹ năng số – tuần 3")
    page.get_by_label("Ngày tổ chức").fill(TODAY.isoformat())
    page.get_by_label("Giờ bắt đầu").fill("19:00")
    page.get_by_label("Giờ kết thúc").fill("20:30")
    page.get_by_label(day.venue.name).check()
    page.get_by_label("Nội dung có sẵn").select_option("health")
    assert _fits(page)
    page.get_by_role("button", name="Tạo hoạt động", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mỗi tuần một kỹ năng số – tuần 3")
    expect(page.locator(".ev-station")).to_have_count(1)
    expect(page.get_by_role("heading", name="Thêm trạm")).to_have_count(0)

    page = phone
    _sign_in(page, day.youth)
    for url in (f"/events/{day.event.id}", f"/events/communes/{day.commune.id}",
                f"/events/{day.event.id}/stations/{day.qr.id}/edit", f"/events/{day.event.id}/poster"):
        page.goto(url)
        assert _fits(page), url
    page.goto(f"/events/{day.event.id}")
    page.screenshot(path=str(factories.artifact("events-plan-phone.png")), full_page=True)
    page.goto(f"/events/{day.event.id}/roster")
    page.get_by_label("Tìm người của xã (tên không dấu hoặc số điện thoại)").fill("hung")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_label("Nguyễn Văn Hùng").check()
    page.get_by_label("Việc", exact=True).select_option("gate")
    page.get_by_role("button", name="Thêm ca").click()
    expect(page.get_by_role("status")).to_contain_text("Đã phân công Nguyễn Văn Hùng, 07:30–16:30.")
    expect(page.get_by_role("button", name="In danh sách (khổ A4)")).to_be_visible()
    assert _fits(page)
    page.screenshot(path=str(factories.artifact("events-roster-phone.png")), full_page=True)


@pytest.mark.browser
def test_the_planning_pages_are_accessible(axe_scan, day: Day) -> None:
    from tests import axe

    roster.add_shift(day.event, day.instructor, duty="station", station=day.qr, starts_at=T(7, 30),
                     ends_at=T(11, 30), note="Mang loa", actor=None)
    db.session.commit()
    paths = [f"/events/{day.event.id}", f"/events/communes/{day.commune.id}", f"/events/{day.event.id}/edit",
             f"/events/{day.event.id}/stations/{day.qr.id}/edit", f"/events/{day.event.id}/roster?q=nguyen",
             f"/events/{day.event.id}/materials", f"/events/{day.event.id}/poster"]
    assert axe_scan(paths, sign_in=lambda page: axe.sign_in(page, day.youth.phone, factories.PASSWORD)) == []


@pytest.mark.browser
def test_the_poster_and_a_days_roster_print_on_one_a4_page_each(tablet, day: Day) -> None:
    for n, person in enumerate((day.youth, day.instructor, day.huong, day.binh, day.officer)):
        roster.add_shift(day.event, person, duty="station" if n else "gate", station=day.event.stations[n % 3],
                         starts_at=T(7, 30), ends_at=T(11, 30), note="Mang theo sạc dự phòng", actor=None)
        roster.add_shift(day.event, person, duty="guide", station=None, starts_at=T(13), ends_at=T(16, 30), actor=None)
    db.session.commit()
    _sign_in(tablet, day.youth)
    for url in ("poster", "roster"):
        tablet.goto(f"/events/{day.event.id}/{url}")
        pdf = tablet.pdf(prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, url
