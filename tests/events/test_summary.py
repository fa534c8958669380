"""The summary afterwards: the figures of a small made-up day against hand-counted answers, a statement count that
does not grow with the day, and the PDF and Word documents (Vietnamese text, no participant's name, no disability)."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from flask.testing import FlaskClient
from pypdf import PdfReader

from app.events import services, summary, summary_document
from app.events.models import Event, Shift
from app.events.services import Newcomer
from app.extensions import db, utcnow
from app.people import services as people
from app.people.models import Person
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.events.conftest import Day, consent
from tests.statements import counting

SECRET = "test-data-key"


def _long_known(person: Person) -> None:
    """Someone the system knew well before the day (factories make everyone today)."""
    person.created_at = utcnow() - dt.timedelta(days=60)


def _answer(day: Day, station: Any, participant: Any, *, right: bool, client_id: str) -> None:
    question = services.quiz_questions(station)[0]
    best = max(range(len(question.answers)), key=lambda i: question.answers[i]["fraction"])
    pick = best if right else next(i for i in range(len(question.answers)) if i != best)
    keys = station.quiz_keys[str(question.id)]["options"]
    services.answer(station, participant, question.id, keys[pick], actor=None, client_id=client_id)


def _shift(day: Day, person: Person | None, duty: str, start: tuple[int, int], end: tuple[int, int],
           station: Any = None) -> None:
    db.session.add(Shift(event_id=day.event.id, person_id=person.id if person else None, duty=duty,
                         station_id=station.id if station else None, starts_at=dt.time(*start), ends_at=dt.time(*end)))


def made_up_day(day: Day) -> dict[str, Any]:
    """Five registrations, four arrivals, two stations visited, three volunteers' slots (one empty)."""
    for known in (day.huong, day.binh):
        _long_known(known)
    people.set_tags(day.binh, ["trader"])
    people.record_consent(day.binh, purpose="disability", method="paper", policy_version="t", recorded_by=None)
    people.set_disability(day.binh, kinds=["mobility"], needs="", actor=None, secret=SECRET)
    mai = factories.person(day.commune, name="Phạm Thị Mai", village=day.dong, birth_year=1990, consent=False)
    nobody = factories.person(day.commune, name="Hà Văn Tư", village=None, birth_year=None, consent=False)
    for person in (mai, nobody):
        _long_known(person)
        consent(person)

    services.register(day.event, day.huong, source="signup", actor=None, arrived=False, wants_class=True)
    huong = services.register(day.event, day.huong, source="gate", actor=day.youth)  # she came
    pao = services.register_newcomer(day.event, Newcomer("Lò Văn Páo", 1949, day.dong.id), source="gate",
                                     actor=day.youth, consent_method="verbal", wants_class=True)
    services.register(day.event, day.binh, source="gate", actor=day.youth, consent_method="verbal")
    services.register(day.event, mai, source="import", actor=day.officer, arrived=False)
    services.register(day.event, nobody, source="card", actor=day.youth)

    services.check_in(day.qr, huong, ticks=[0, 1, 2], actor=None, client_id="visit-huong-qr")
    services.check_in(day.qr, pao, ticks=[0], actor=None, client_id="visit-pao-qr")
    services.check_in(day.scam, huong, ticks=[0, 1, 2], actor=None, client_id="visit-huong-scam")
    _answer(day, day.qr, huong, right=True, client_id="answer-huong-qr")
    _answer(day, day.qr, pao, right=False, client_id="answer-pao-qr")
    _answer(day, day.scam, huong, right=True, client_id="answer-huong-scam")

    _shift(day, day.instructor, "gate", (7, 30), (11, 30))
    _shift(day, day.instructor, "station", (11, 0), (13, 0), day.qr)  # overlaps the gate by half an hour
    _shift(day, day.youth, "board", (13, 0), (16, 30))
    _shift(day, None, "guide", (7, 30), (16, 30))  # a slot nobody took
    db.session.commit()
    return {"mai": mai, "nobody": nobody}


def _fresh(day: Day) -> Event:
    db.session.expire_all()
    event = db.session.get(Event, day.event.id)
    assert event is not None and event.held_on  # loaded before counting
    return event


def test_the_made_up_day_adds_up_to_the_hand_counted_figures(day: Day) -> None:
    made_up_day(day)
    figures = summary.summarise(_fresh(day))
    a = figures.attendance
    assert (a.registered, a.arrived, a.no_show, a.newcomers, a.tried) == (5, 4, 1, 1, 2)
    assert a.by_source == {"signup": 1, "import": 0, "gate": 2, "card": 1}  # the first registration's source
    assert (a.asked_class, a.enrolled) == (2, 0)

    by_station = {s.name: s for s in figures.stations}
    qr, scam, vneid = by_station[day.qr.name], by_station[day.scam.name], by_station[day.vneid.name]
    assert (qr.visits, qr.completed, qr.answers, qr.average) == (2, 1, 2, 50.0)
    assert (scam.visits, scam.completed, scam.answers, scam.average) == (1, 1, 1, 100.0)
    assert (vneid.visits, vneid.completed, vneid.answers, vneid.average) == (0, 0, 0, None)
    assert [s.name for s in figures.stations] == [day.vneid.name, day.qr.name, day.scam.name]  # the day's order

    assert [(g.label, g.count) for g in figures.villages] == [
        ("Thôn Đông", 2), ("Thôn Tây", 1), (str(summary.NO_VILLAGE), 1)]
    audiences = {g.key: g for g in figures.audiences}
    assert audiences["elderly"].count == 3 and audiences["trader"].count == 1
    assert audiences["disabled"].count == 1 and audiences["disabled"].shown == "<5"
    assert audiences["elderly"].shown == "3"  # only the sensitive group is ever hidden
    assert "general" not in audiences
    bands = {g.key: g.count for g in figures.age_bands}
    assert bands == {"under_35": 0, "35_59": 0, "60_plus": 3, summary.UNKNOWN: 1}


def test_volunteers_hours_count_overlapping_slots_once_and_leave_out_empty_slots(day: Day) -> None:
    made_up_day(day)
    roster = summary.roster(_fresh(day))
    hours = {v.name: v.hours for v in roster.volunteers}
    assert hours == {"Nguyễn Văn Hùng": 5.5, "Lê Quang Huy": 3.5}
    assert roster.total_hours == 9.0
    assert [(s.name, s.hours) for s in roster.shifts] == [
        ("Nguyễn Văn Hùng", 4.0), ("Nguyễn Văn Hùng", 2.0), ("Lê Quang Huy", 3.5)]
    hung = next(v for v in roster.volunteers if v.name == "Nguyễn Văn Hùng")
    assert hung.duties == ("Bàn đón tiếp, đăng ký", f"Hướng dẫn tại trạm – {day.qr.name}")
    assert [v.name for v in roster.volunteers] == ["Nguyễn Văn Hùng", "Lê Quang Huy"]  # by given name: Hùng, Huy


def test_five_disabled_participants_are_shown_as_a_number(day: Day) -> None:
    for i in range(5):
        person = factories.person(day.commune, name=f"Người Thứ {'ABCDE'[i]}", village=day.dong, consent=False)
        consent(person)
        people.record_consent(person, purpose="disability", method="paper", policy_version="t", recorded_by=None)
        people.set_disability(person, kinds=["vision"], needs="", actor=None, secret=SECRET)
        services.register(day.event, person, source="gate", actor=day.youth)
    db.session.commit()
    disabled = next(g for g in summary.audiences(_fresh(day)) if g.key == "disabled")
    assert disabled.count == 5 and disabled.shown == "5"


def _grow(day: Day, n: int) -> None:
    """Add n more participants, visits and answers, and a volunteer slot each."""
    for i in range(n):
        person = factories.person(day.commune, name=f"Trần Văn Số {i}", village=(day.dong, day.tay)[i % 2],
                                  birth_year=1940 + i, consent=False, account=False)
        consent(person)
        people.set_tags(person, ["trader"] if i % 3 else ["pupil"])
        participant = services.register(day.event, person, source="gate", actor=day.youth, wants_class=i % 2 == 0)
        services.check_in(day.qr, participant, ticks=[0, 1], actor=None, client_id=f"visit-grow-{i:04d}")
        _answer(day, day.qr, participant, right=i % 2 == 0, client_id=f"answer-grow-{i:04d}")
        _shift(day, person, "guide", (8, 0), (9 + i % 3, 0))
    db.session.commit()


def test_the_summary_costs_six_statements_whatever_the_size_of_the_day(day: Day) -> None:
    made_up_day(day)
    event = _fresh(day)
    with counting() as small:
        summary.summarise(event)
    _grow(day, 30)
    event = _fresh(day)
    with counting() as large:
        grown = summary.summarise(event)
    assert grown.attendance.arrived == 34
    assert len(small) == len(large) == 6


def test_the_summary_page_costs_the_same_statements_whatever_the_size_of_the_day(day: Day,
                                                                               client: FlaskClient) -> None:
    made_up_day(day)
    login(client, day.officer)
    url = f"/events/{day.event.id}/summary"
    client.get(url)  # warm any per-process cache first
    db.session.expire_all()  # the test's session is the requests' too: both runs start from nothing loaded
    with counting() as small:
        assert client.get(url).status_code == 200
    _grow(day, 30)
    db.session.expire_all()
    with counting() as large:
        page = client.get(url)
    assert page.status_code == 200 and "Trần Văn Số 29" in page.get_data(as_text=True)
    assert len(small) == len(large)


def test_the_summary_page_shows_the_days_figures_and_the_disabled_group_in_aggregate(day: Day,
                                                                                    client: FlaskClient) -> None:
    made_up_day(day)
    login(client, day.youth)
    page = client.get(f"/events/{day.event.id}/summary")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Người khuyết tật" in text and "&lt;5" in text
    assert "Nguyễn Thị Hương" not in text  # participants are counted, never named
    assert "5,5" in text and "9" in text  # Hùng's hours, the total
    assert f"/events/{day.event.id}/followup" in text  # the organiser follows up
    assert f"/events/{day.event.id}/volunteers/certificates" not in text  # certificates are the office's


# --- the documents ------------------------------------------------------------------------------------------------

def _docx_text(data: bytes) -> str:
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def _documents(day: Day) -> dict[str, str]:
    event = _fresh(day)
    officer = db.session.get(Person, day.officer.id)
    texts = {}
    for fmt, read in (("docx", _docx_text), ("pdf", _pdf_text)):
        _document, body = summary_document.render(event, fmt, compiled_by=officer, today=dt.date(2026, 10, 12))
        texts[fmt] = " ".join(read(body).split())
    return texts


def test_the_documents_print_the_figures_in_vietnamese_without_names_or_disability(day: Day) -> None:
    made_up_day(day)
    for fmt, text in _documents(day).items():
        for expected in ("ỦY BAN NHÂN DÂN", "BÁO CÁO", f"Kết quả tổ chức {day.event.name}", "I. NGƯỜI THAM GIA",
                         "Người đã đến tham gia", "II. KẾT QUẢ TẠI CÁC TRẠM", "Thanh toán bằng VietQR",
                         "Nhận biết cuộc gọi lừa đảo", "Theo thôn, tổ dân phố", "Thôn Đông", "Người cao tuổi",
                         "Tiểu thương, hộ kinh doanh", "Từ 60 tuổi", "IV. TÌNH NGUYỆN VIÊN", "Nguyễn Văn Hùng",
                         "Bàn đón tiếp, đăng ký", "Tổng cộng 2 tình nguyện viên, 9 giờ", "NGƯỜI TỔNG HỢP",
                         "Đỗ Thị Lan", "ngày 12 tháng 10 năm 2026"):
            assert expected in text, (fmt, expected)
        for absent in ("Nguyễn Thị Hương", "Trần Văn Bình", "Lò Văn Páo", "Người khuyết tật"):
            assert absent not in text, (fmt, absent)


def test_the_downloads_are_named_safely_with_the_events_date(day: Day, client: FlaskClient) -> None:
    made_up_day(day)
    login(client, day.officer)
    for fmt, mimetype, magic in (("pdf", "application/pdf", b"%PDF"), ("docx", "wordprocessingml", b"PK")):
        response = client.get(f"/events/{day.event.id}/summary.{fmt}")
        assert response.status_code == 200 and mimetype in response.mimetype
        assert response.data.startswith(magic)
        disposition = response.headers["Content-Disposition"]
        plain = disposition.split("filename=")[1].split(";")[0]
        assert plain == f"tong-ket-ngay-hoi-toan-dan-hoc-tap-so-10-10-{local_today().isoformat()}.{fmt}"
        assert "filename*=UTF-8''T%E1%BB%95ng%20k%E1%BA%BFt" in disposition  # "Tổng kết …" for browsers that read it


def test_the_summary_of_a_day_nobody_came_to_still_prints(day: Day) -> None:
    texts = _documents(day)
    assert all("Chưa có tình nguyện viên nào" in text for text in texts.values())
    figures = summary.summarise(_fresh(day))
    assert figures.attendance.arrived == 0 and figures.villages == [] and figures.roster.total_hours == 0


# --- in a browser -----------------------------------------------------------------------------------------------------

def _sign_in(page: Any, person_phone: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(person_phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


@pytest.mark.browser
def test_the_pages_after_the_day_pass_axe_and_certificates_issue_with_progress(day: Day, axe_scan: Any,
                                                                             tablet: Any) -> None:
    made_up_day(day)
    phone = db.session.get(Person, day.officer.id).phone
    paths = [f"/events/{day.event.id}/summary", f"/events/{day.event.id}/followup"]
    assert axe_scan(paths, sign_in=lambda page: _sign_in(page, phone)) == []
    db.session.get(Person, day.officer.id).locale = "vi"  # the scan's English pass is kept as the officer's choice
    db.session.commit()
    _sign_in(tablet, phone)
    tablet.goto(paths[0])
    tablet.get_by_role("button", name="Cấp giấy chứng nhận cảm ơn cho các tình nguyện viên").click()
    tablet.get_by_role("link", name="Tải tất cả để in (ZIP)").wait_for()  # the page reloads once all are issued
    serials = tablet.locator("#volunteers-caption ~ tbody a, #volunteers table a").all_inner_texts()
    assert len(serials) == 2 and all(s.startswith(day.commune.code) for s in serials)
