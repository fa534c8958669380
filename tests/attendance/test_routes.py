"""Attendance pages: roll call and its sync endpoint, paper sheet, QR screen, self check-in, reports, panels."""
from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import vietnam
from app.attendance import checkin, dashboard, marks
from app.attendance.models import AttendanceChange, AttendanceMark, AttendanceSettings
from app.classes import enrolment as enrolments
from app.classes import queries
from app.classes import sessions as class_sessions
from app.classes.models import Enrolment
from app.extensions import db, utcnow
from app.policy import Role
from tests import factories
from tests.conftest import login
from tests.statements import counting


@pytest.fixture
def setting(ctx: Flask):
    commune = factories.commune()
    dong = factories.village(commune, "Thôn Đông")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh – thôn Đông", capacity=10,
                                   instructors=(hung,), status="running")
    session = factories.session_now(klass)
    learners = factories.enrol_learners(klass, 3, village=dong)
    db.session.commit()
    return commune, klass, session, learners, hung


def cid() -> str:
    return f"t-{uuid.uuid4().hex}"


def post_json(client: FlaskClient, url: str, body: object):
    return client.post(url, data=json.dumps(body), content_type="application/json")



def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- roll call ------------------------------------------------------------------------------------

def test_the_roll_call_lists_every_learner_with_four_big_buttons(client: FlaskClient, setting) -> None:
    _c, _k, session, learners, hung = setting
    page = login(client, hung).get(f"/attendance/sessions/{session.id}").get_data(as_text=True)
    assert "Mọi người có mặt" in page and "0 điểm danh đang chờ gửi" in page
    for e in learners:
        assert e.person.full_name in page and f'value="{e.id}:present"' in page and f'value="{e.id}:excused"' in page
    assert page.count("Thôn Đông") >= 3 and 'aria-pressed="false"' in page
    assert "<script>" not in page and "style=" not in page


def test_the_roll_call_shows_each_learners_current_mark_and_the_counts(client: FlaskClient, setting) -> None:
    _c, _k, session, learners, hung = setting
    marks.mark(session, learners[0], "late", actor=hung, now=utcnow())
    marks.mark(session, learners[1], "absent", actor=hung, now=utcnow())
    db.session.commit()
    page = login(client, hung).get(f"/attendance/sessions/{session.id}").get_data(as_text=True)
    for e, status in zip(learners, ("late", "absent", ""), strict=True):
        row = page.split(f'id="learner-{e.id}"', 1)[1].split("</li>", 1)[0]
        assert f'data-status="{status}"' in row and e.person.initials in row and "Thôn Đông" in row
        assert row.count('aria-pressed="true"') == (1 if status else 0)
        if status:
            assert f'value="{e.id}:{status}" data-set="{status}" aria-pressed="true"' in row
    for key, n in (("present", 0), ("late", 1), ("absent", 1), ("excused", 0), ("unmarked", 1)):
        assert f'data-count="{key}">{n}</strong>' in page
    paper = client.get(f"/attendance/sessions/{session.id}/paper").get_data(as_text=True)
    for e, status in zip(learners, ("late", "absent", "present"), strict=True):
        assert f'id="s-{e.id}-{status}" name="status-{e.id}" value="{status}" checked' in paper
    assert paper.count(" checked") == 3 and paper.count("· Thôn Đông") == 3


def test_the_roll_call_reads_its_session_and_its_class_list_in_one_query_each(setting) -> None:
    commune, klass, session, learners, hung = setting
    marks.mark(session, learners[0], "late", actor=hung, now=utcnow())
    db.session.commit()
    ids = {"commune": commune.id, "session": session.id, "hung": hung.id, "title": klass.title,
           "venue": session.venue.name, "late": learners[0].id, "learners": [e.id for e in learners]}
    db.session.expunge_all()  # nothing already loaded: what the page and the access check read comes in the query
    with counting() as ran:
        found, late_window = marks.session_for_roll_call(ids["session"])
        assert (found.access_scope.commune_id, found.assigned_ids, found.class_.title) == (
            ids["commune"], {ids["hung"]}, ids["title"])
        assert (found.venue.name, found.what, late_window) == (ids["venue"], "", 15)
    assert len(ran) == 1
    with counting() as ran:
        rows = marks.roll_call(found)
    assert len(ran) == 1
    assert sorted((r.id, r.status, r.village) for r in rows) == sorted(
        (eid, "late" if eid == ids["late"] else None, "Thôn Đông") for eid in ids["learners"])
    assert marks.tally(rows) == {"present": 0, "late": 1, "absent": 0, "excused": 0, "unmarked": 2}
    db.session.add(AttendanceSettings(commune_id=ids["commune"], late_window_minutes=40, grace_minutes=10,
                                      absentee_streak=3))
    db.session.commit()
    assert marks.session_for_roll_call(ids["session"])[1] == 40
    assert marks.session_for_roll_call(ids["session"] + 1000) is None


def test_the_home_panels_of_attendance_add_at_most_the_late_window_to_what_class_panels_read(setting) -> None:
    commune, klass, session, learners, hung = setting
    hour = 6 if session.start_time.hour >= 12 else 21  # another session today, clear of the one under way
    cancelled = factories.class_session(klass, on=session.date, start=dt.time(hour), end=dt.time(hour + 1))
    class_sessions.cancel_session(cancelled, reason="Mất điện", actor=hung)
    db.session.commit()
    queries.teaching_week(hung)  # the instructor's own panels read their week first
    with counting() as ran:
        panel = dashboard.roll_call_panel(hung)
    assert not ran and [s.id for s in panel["sessions"]] == [session.id]
    learner = learners[0].person
    queries.my_classes_once(learner)  # the learner's classes panel reads their classes first
    with counting() as ran:
        panel = dashboard.checkin_panel(learner)
    assert len(ran) == 1  # the commune's late window
    assert [(s.id, state) for s, state in panel["sessions"]] == [(session.id, "open")]
    queries.my_classes_once(hung)
    with counting() as ran:
        assert dashboard.checkin_panel(hung) is None  # no class of their own today: nothing more to read
    assert not ran


def test_an_instructor_marks_only_their_own_classes_and_the_officer_all(client: FlaskClient, setting) -> None:
    commune, _k, session, _l, hung = setting
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    other = factories.school_class(commune, title="Lớp 4T", capacity=5, instructors=(mai,),
                                   at=factories.venue(commune, "Hội trường xã"))
    theirs = factories.session_now(other)
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    login(client, hung)
    assert client.get(f"/attendance/sessions/{theirs.id}").status_code == 403
    assert post_json(client, f"/attendance/sessions/{theirs.id}/marks.json", {"items": []}).status_code == 403
    login(client, officer)
    assert client.get(f"/attendance/sessions/{theirs.id}").status_code == 200
    assert client.get(f"/attendance/sessions/{session.id}").status_code == 200


def test_the_sync_endpoint_answers_which_marks_it_stored_and_a_resent_batch_changes_nothing(
        client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, binh, tuyet), hung = setting
    now = utcnow().isoformat()
    batch = {"device": "tablet-1", "items": [
        {"client_id": cid(), "enrolment_id": huong.id, "status": "present", "device_time": now, "source": "everyone"},
        {"client_id": cid(), "enrolment_id": binh.id, "status": "absent", "device_time": now, "source": "tap",
         "waited": True},
        {"client_id": cid(), "enrolment_id": tuyet.id, "status": "gone", "device_time": now, "source": "tap"}]}
    login(client, hung)
    first = post_json(client, f"/attendance/sessions/{session.id}/marks.json", batch).get_json()
    again = post_json(client, f"/attendance/sessions/{session.id}/marks.json", batch).get_json()
    sent = [m["client_id"] for m in batch["items"]]
    assert first["stored"] == again["stored"] == sent[:2]
    assert [f["client_id"] for f in first["failed"]] == [sent[2]]
    assert first["marks"] == {str(huong.id): "present", str(binh.id): "absent"} and "server_time" in first
    assert count(AttendanceChange) == 2
    stored = {c.client_id: c for c in db.session.scalars(select(AttendanceChange))}
    assert stored[sent[0]].source == "everyone" and stored[sent[1]].source == "sync"
    assert stored[sent[0]].device == "tablet-1" and stored[sent[0]].by_id == hung.id


def test_the_sync_endpoint_refuses_what_is_not_a_batch(client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, *_), hung = setting
    login(client, hung)
    url = f"/attendance/sessions/{session.id}/marks.json"
    assert post_json(client, url, {"items": "all"}).status_code == 400
    reply = post_json(client, url, {"items": [{}] * (marks.MAX_BATCH + 1)})
    assert reply.status_code == 400 and "tối đa 500" in reply.get_json()["message"]


def _good(enrolment_id: int) -> dict[str, object]:
    return {"client_id": cid(), "enrolment_id": enrolment_id, "status": "present", "device_time": utcnow().isoformat()}


@pytest.mark.parametrize("bad", [
    "junk", [], None, {"client_id": "x", "status": "present"}, {"client_id": "short", "enrolment_id": 1},
    {"enrolment_id": "abc"}, {"enrolment_id": 2**63}, {"enrolment_id": 10**30}, {"enrolment_id": -1},
    {"enrolment_id": 1.5}, {"enrolment_id": True}, {"enrolment_id": None}, {"status": 5}, {"status": None},
    {"status": ["present"]}, {"source": 1}, {"client_id": 12345678}])
def test_a_malformed_mark_refuses_the_whole_batch_with_a_message_and_saves_nothing(
        client: FlaskClient, setting, bad: object) -> None:
    _c, _k, session, (huong, binh, _t), hung = setting
    login(client, hung)
    item = {**_good(binh.id), **bad} if isinstance(bad, dict) and bad.keys() - {"client_id"} else bad
    if isinstance(bad, dict) and set(bad) == {"client_id"}:
        item = {**_good(binh.id), **bad}
    reply = post_json(client, f"/attendance/sessions/{session.id}/marks.json", {"items": [_good(huong.id), item]})
    assert reply.status_code == 400 and reply.is_json
    assert "thứ 2 trong gói gửi lên không hợp lệ" in reply.get_json()["message"]
    assert count(AttendanceChange) == 0 and count(AttendanceMark) == 0


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"items"', b"null", b'{"items": {"a": 1}}',
                                  b'{"device": 7, "items": []}', b"[" * 5000, b'{"items": [1e400]}',
                                  b'{"marks": []}'])
def test_a_body_that_is_not_a_batch_is_refused_with_a_message(client: FlaskClient, setting, body: bytes) -> None:
    _c, _k, session, _l, hung = setting
    login(client, hung)
    reply = client.post(f"/attendance/sessions/{session.id}/marks.json", data=body, content_type="application/json")
    assert reply.status_code == 400 and reply.get_json()["message"]
    assert count(AttendanceChange) == 0


def test_nul_in_a_mark_is_refused_before_anything_is_saved(client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, *_), hung = setting
    login(client, hung)
    for bad in ({"status": "present\x00"}, {"source": "tap\x00"}, {"device_time": "2026\x00"}):
        body = {"items": [{**_good(huong.id), **bad}]}  # JSON carries NUL as \u0000
        reply = post_json(client, f"/attendance/sessions/{session.id}/marks.json", body)
        assert reply.status_code == 400 and "ký tự không hợp lệ" in reply.get_json()["message"], bad
    reply = post_json(client, f"/attendance/sessions/{session.id}/marks.json", {"device": "a\x00", "items": []})
    assert reply.status_code == 400
    assert count(AttendanceChange) == 0


@pytest.mark.parametrize("device_time", ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z",
                                         "1971-06-01T08:00:00+07:00", "2199-01-01T00:00:00Z",
                                         "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "yesterday", "",
                                         None, 1700000000, {"at": "now"}])
def test_a_mark_with_an_implausible_device_clock_is_kept_at_the_servers_time(
        client: FlaskClient, setting, device_time: object) -> None:
    _c, _k, session, (huong, *_), hung = setting
    login(client, hung)
    sent = {**_good(huong.id), "device_time": device_time}
    before = utcnow()
    reply = post_json(client, f"/attendance/sessions/{session.id}/marks.json", {"items": [sent]}).get_json()
    assert reply["stored"] == [sent["client_id"]] and reply["marks"] == {str(huong.id): "present"}
    mark = db.session.scalar(select(AttendanceMark).where(AttendanceMark.enrolment_id == huong.id))
    assert mark is not None and mark.status == "present"  # acknowledged and kept, not dropped
    assert before - dt.timedelta(seconds=5) <= mark.effective_time.replace(tzinfo=dt.UTC) <= utcnow()
    change = db.session.scalar(select(AttendanceChange))
    if isinstance(device_time, str) and device_time.startswith(("1970", "1971", "2199")):  # the device said: kept
        assert change.device_time is not None and change.device_time != change.effective_time
        history = client.get(f"/attendance/sessions/{session.id}/history").get_data(as_text=True)
        assert "máy báo" in history and device_time[:4] in history


def test_taps_and_everyone_present_work_without_the_script(client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, binh, tuyet), hung = setting
    login(client, hung)
    reply = client.post(f"/attendance/sessions/{session.id}/marks", data={"mark": f"{binh.id}:late"})
    assert reply.status_code == 302 and reply.location.endswith(f"#learner-{binh.id}")
    client.post(f"/attendance/sessions/{session.id}/marks", data={"everyone": "1"})
    current = {eid: m.status for eid, m in marks.current(session).items()}
    assert current == {huong.id: "present", binh.id: "late", tuyet.id: "present"}
    page = client.get(f"/attendance/sessions/{session.id}").get_data(as_text=True)
    assert f'value="{binh.id}:late" data-set="late" aria-pressed="true"' in page


def test_the_history_shows_who_changed_what_from_which_value(client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, *_), hung = setting
    login(client, hung)
    client.post(f"/attendance/sessions/{session.id}/marks", data={"mark": f"{huong.id}:absent"})
    client.post(f"/attendance/sessions/{session.id}/marks", data={"mark": f"{huong.id}:late"})
    page = client.get(f"/attendance/sessions/{session.id}/history").get_data(as_text=True)
    assert "Vắng → <strong>Muộn</strong>" in page and "— → <strong>Vắng</strong>" in page
    assert page.count("Nguyễn Văn Hùng") >= 2 and "Chạm trên máy" in page


# --- paper ----------------------------------------------------------------------------------------

def test_the_sign_in_sheet_is_an_a4_pdf_with_names_in_full_vietnamese(client: FlaskClient, setting) -> None:
    _c, klass, session, learners, hung = setting
    reply = login(client, hung).get(f"/attendance/sessions/{session.id}/sheet.pdf")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(reply.data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(p.extract_text() for p in reader.pages)
    for e in learners:
        assert e.person.full_name in text
    assert klass.title in text and "Ký tên" in text and "DANH SÁCH ĐIỂM DANH" in text
    fonts = {f["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert all("DejaVuSerif" in str(name) for name in fonts)


def test_marks_from_a_signed_sheet_are_entered_as_exceptions(client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, binh, tuyet), hung = setting
    login(client, hung)
    page = client.get(f"/attendance/sessions/{session.id}/paper").get_data(as_text=True)
    assert page.count('value="present" checked') == 3
    reply = client.post(f"/attendance/sessions/{session.id}/paper", data={
        f"status-{huong.id}": "present", f"status-{binh.id}": "absent", f"status-{tuyet.id}": "excused"})
    assert reply.status_code == 302
    assert {eid: m.status for eid, m in marks.current(session).items()} == {
        huong.id: "present", binh.id: "absent", tuyet.id: "excused"}
    assert {c.source for c in db.session.scalars(select(AttendanceChange))} == {"paper"}


# --- QR screen and self check-in ----------------------------------------------------------------

def token_now(app: Flask, session) -> str:
    return checkin.qr_token(app.config["SECRET_KEY"], session.id, checkin.step_at(utcnow()))


def code_now(app: Flask, session) -> str:
    return checkin.short_code(app.config["SECRET_KEY"], session.id, checkin.step_at(utcnow()))


def test_the_qr_screen_shows_the_code_and_who_is_in(client: FlaskClient, setting, app: Flask) -> None:
    _c, _k, session, (huong, binh, _t), hung = setting
    login(client, hung)
    client.post(f"/attendance/sessions/{session.id}/marks", data={"mark": f"{huong.id}:present"})
    client.post(f"/attendance/sessions/{session.id}/marks", data={"mark": f"{binh.id}:absent"})
    page = client.get(f"/attendance/sessions/{session.id}/qr").get_data(as_text=True)
    assert "Quét mã bằng điện thoại để điểm danh" in page and "attendance-qr.js" in page
    state = client.get(f"/attendance/sessions/{session.id}/qr.json").get_json()
    assert state["state"] == "open" and len(state["code"]) == 6 and state["total"] == 3
    assert [p["name"] for p in state["present"]] == [huong.person.full_name]
    assert {p["name"]: p["label"] for p in state["missing"]}[binh.person.full_name] == "Vắng"
    svg = client.get(state["image"])
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data and b"style=" not in svg.data


def test_no_code_is_shown_outside_the_check_in_window(client: FlaskClient, setting) -> None:
    _c, klass, _s, _l, hung = setting
    next_week = factories.class_session(klass, on=klass.starts_on + dt.timedelta(days=7))
    db.session.commit()
    login(client, hung)
    state = client.get(f"/attendance/sessions/{next_week.id}/qr.json").get_json()
    assert state["state"] == "not_yet" and "code" not in state and "image" not in state
    assert client.get(f"/attendance/sessions/{next_week.id}/qr.svg").status_code == 404


def test_scanning_signing_in_and_one_tap_checks_the_learner_in(client: FlaskClient, setting, app: Flask) -> None:
    _c, _k, session, (huong, *_), _h = setting
    scanned = client.get(f"/attendance/scan/{session.id}/{token_now(app, session)}")
    assert scanned.status_code == 302 and scanned.location.endswith("/attendance/checkin")
    assert "/login" in client.get("/attendance/checkin").location  # signing in is the phone's next step
    login(client, huong.person)
    page = client.get("/attendance/checkin").get_data(as_text=True)
    assert "Tôi có mặt" in page and session.class_.title in page
    done = client.post("/attendance/checkin", data={"confirm": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Đã điểm danh" in done
    mark = marks.current(session)[huong.id]
    assert mark.status in ("present", "late") and mark.source == "qr" and mark.marked_by_id == huong.person_id
    again = client.post("/attendance/checkin", data={"confirm": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Tôi có mặt" not in again and count(AttendanceChange) == 1  # the scan was used up


def test_a_stale_or_wrong_scan_is_refused_with_a_way_forward(client: FlaskClient, setting, app: Flask) -> None:
    _c, klass, session, _l, _h = setting
    stale = checkin.qr_token(app.config["SECRET_KEY"], session.id, checkin.step_at(utcnow()) - 3)
    reply = client.get(f"/attendance/scan/{session.id}/{stale}")
    assert reply.status_code == 400 and "Gõ mã điểm danh" in reply.get_data(as_text=True)
    other = factories.class_session(klass, on=klass.ends_on)
    db.session.commit()
    assert client.get(f"/attendance/scan/{other.id}/{token_now(app, session)}").status_code == 400
    assert client.get(f"/attendance/scan/999999/{token_now(app, session)}").status_code == 400
    with client.session_transaction() as browser:
        assert "attendance_grant" not in browser


def test_typing_the_short_code_checks_in_once(client: FlaskClient, setting, app: Flask) -> None:
    _c, _k, session, (huong, *_), _h = setting
    login(client, huong.person)
    assert "Mã điểm danh" in client.get("/attendance/checkin").get_data(as_text=True)
    done = client.post("/attendance/checkin", data={"code": code_now(app, session)}, follow_redirects=True)
    assert "Đã điểm danh" in done.get_data(as_text=True)
    again = client.post("/attendance/checkin", data={"code": code_now(app, session)}, follow_redirects=True)
    assert "đã điểm danh buổi học này rồi" in again.get_data(as_text=True)
    assert marks.current(session)[huong.id].source == "code" and count(AttendanceChange) == 1
    wrong = client.post("/attendance/checkin", data={"code": "12345"})
    assert "6 chữ số" in wrong.get_data(as_text=True)


def test_checking_in_to_a_class_one_is_not_in_offers_to_join_it(client: FlaskClient, setting, app: Flask) -> None:
    commune, klass, session, _l, _h = setting
    lanh = factories.person(commune, name="Bùi Thị Lành", consent=False)
    db.session.commit()
    login(client, lanh)
    offered = client.post("/attendance/checkin", data={"code": code_now(app, session)}, follow_redirects=True)
    page = offered.get_data(as_text=True)
    assert "Bạn chưa có tên trong lớp này." in page and "Xin vào lớp và điểm danh" in page
    assert count(AttendanceMark) == 0
    refused = client.post("/attendance/checkin/enrol", data={}, follow_redirects=True)  # consent is not implied
    assert "đồng ý" in refused.get_data(as_text=True) and enrolments.enrolment_of(klass, lanh) is None
    joined = client.post("/attendance/checkin/enrol", data={"consent": "y"}, follow_redirects=True)
    assert "Bạn đã ghi danh vào lớp" in joined.get_data(as_text=True)
    row = enrolments.enrolment_of(klass, lanh)
    assert row is not None and row.status == "enrolled"
    assert marks.current(session)[row.id].status in ("present", "late")


def test_a_full_class_puts_the_newcomer_on_the_waiting_list_and_does_not_mark_them(
        client: FlaskClient, setting, app: Flask) -> None:
    commune, klass, session, _l, _h = setting
    klass.capacity = 3
    lanh = factories.person(commune, name="Bùi Thị Lành")
    db.session.commit()
    login(client, lanh)
    client.post("/attendance/checkin", data={"code": code_now(app, session)})
    reply = client.post("/attendance/checkin/enrol", data={}, follow_redirects=True)
    assert "danh sách chờ" in reply.get_data(as_text=True)
    assert enrolments.enrolment_of(klass, lanh).status == "waitlisted" and count(AttendanceMark) == 0


def test_code_guesses_are_limited_per_person_not_per_address(app_factory, setting, app: Flask) -> None:
    _c, _k, session, (huong, binh, _t), _h = setting
    limited = app_factory(RATELIMIT_ENABLED=True, ATTENDANCE_CODE_LIMIT="3 per minute")
    guesser, neighbour = login(limited.test_client(), huong.person), login(limited.test_client(), binh.person)
    for _ in range(3):
        assert guesser.post("/attendance/checkin", data={"code": "000000"}).status_code == 200
    assert guesser.post("/attendance/checkin", data={"code": "000000"}).status_code == 429
    # Same tablet, same network: the next learner is not blocked.
    with limited.app_context():
        code = checkin.short_code(limited.config["SECRET_KEY"], session.id, checkin.step_at(utcnow()))
    assert neighbour.post("/attendance/checkin", data={"code": code}).status_code == 302


# --- reports, settings, panels -------------------------------------------------------------------

def test_the_class_report_and_its_exports_are_named_after_the_class_and_date(client: FlaskClient, setting) -> None:
    _c, klass, session, (huong, *_), hung = setting
    login(client, hung)
    client.post(f"/attendance/sessions/{session.id}/marks", data={"mark": f"{huong.id}:present"})
    page = client.get(f"/classes/{klass.id}/attendance").get_data(as_text=True)
    assert huong.person.full_name in page and "100%" in page
    today = vietnam.local_now().date().isoformat()
    csv = client.get(f"/classes/{klass.id}/attendance.csv")
    disposition = csv.headers["Content-Disposition"]
    assert f"filename=diem-danh-lop-dien-thoai-thong-minh-thon-dong-{today}.csv" in disposition
    assert "filename*=UTF-8''%C4%90i%E1%BB%83m%20danh" in disposition
    assert csv.data.startswith("\ufeff".encode()) and huong.person.full_name in csv.data.decode("utf-8-sig")
    xlsx = client.get(f"/classes/{klass.id}/attendance.xlsx")
    assert xlsx.data[:2] == b"PK" and f"{today}.xlsx" in xlsx.headers["Content-Disposition"]
    assert client.get(f"/classes/{klass.id}/attendance.pdf").status_code == 404


def test_a_village_team_member_follows_up_only_their_village(client: FlaskClient, setting) -> None:
    commune, klass, session, (huong, *_), hung = setting
    tay = factories.village(commune, "Thôn Tây")
    dong = huong.person.village
    far = enrolments.enrol(klass, factories.person(commune, name="Cao Thị Cúc", village=tay), source="staff")
    nam = factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=dong)
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    for row in (huong, far):
        marks.mark(session, row, "absent", actor=hung, now=utcnow())
    db.session.commit()
    seen = login(client, nam).get(f"/communes/{commune.id}/attendance?n=1").get_data(as_text=True)
    assert huong.person.full_name in seen and "Cao Thị Cúc" not in seen
    seen = login(client, officer).get(f"/communes/{commune.id}/attendance?n=1").get_data(as_text=True)
    assert huong.person.full_name in seen and "Cao Thị Cúc" in seen
    export = client.get(f"/communes/{commune.id}/attendance/absentees.csv?n=1").data.decode("utf-8-sig")
    assert "Cao Thị Cúc" in export and "Số buổi vắng liên tiếp" in export


def test_the_officer_sets_the_communes_rules(client: FlaskClient, setting) -> None:
    commune, *_ = setting
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    login(client, officer)
    bad = client.post(f"/communes/{commune.id}/attendance/settings", data={
        "late_window_minutes": "999", "grace_minutes": "10", "absentee_streak": "3"})
    assert bad.status_code == 200 and "Giá trị phải từ 0 đến 180" in bad.get_data(as_text=True)
    client.post(f"/communes/{commune.id}/attendance/settings", data={
        "late_window_minutes": "30", "grace_minutes": "5", "absentee_streak": "2"})
    row = db.session.get(AttendanceSettings, commune.id)
    assert (row.late_window_minutes, row.grace_minutes, row.absentee_streak) == (30, 5, 2)


def test_the_dashboard_takes_staff_to_todays_roll_call_and_learners_to_check_in(
        client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, *_), hung = setting
    home = login(client, hung).get("/").get_data(as_text=True)
    assert "Điểm danh hôm nay" in home and f"/attendance/sessions/{session.id}" in home
    assert f"/attendance/sessions/{session.id}/qr" in home and "data-outbox-count" in home and "outbox.js" in home
    home = login(client, huong.person).get("/").get_data(as_text=True)
    assert "Buổi học hôm nay" in home and "/attendance/checkin" in home


def test_withdrawn_learners_leave_the_roll_call(client: FlaskClient, setting) -> None:
    _c, _k, session, (huong, *_), hung = setting
    enrolments.withdraw(db.session.get(Enrolment, huong.id))
    db.session.commit()
    page = login(client, hung).get(f"/attendance/sessions/{session.id}").get_data(as_text=True)
    assert huong.person.full_name not in page


# --- issue 15: the outbox's batches -----------------------------------------------------------------

def test_random_batches_never_cause_a_server_error_and_bad_ones_store_nothing(client: FlaskClient, setting) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    _c, _k, session, learners, hung = setting
    login(client, hung)
    url = f"/attendance/sessions/{session.id}/marks.json"
    values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=8)
    item = st.fixed_dictionaries({}, optional={
        "client_id": st.one_of(st.uuids().map(str), st.text(max_size=70), values),
        "device_time": st.one_of(st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()), values),
        "enrolment_id": st.one_of(st.sampled_from([e.id for e in learners]), st.integers(), values),
        "status": st.one_of(st.sampled_from(list(marks.STATUSES)), values),
        "source": st.one_of(st.sampled_from(["tap", "everyone", "sync", "qr"]), values),
        "waited": st.one_of(st.booleans(), values)})
    batch = st.one_of(values, st.fixed_dictionaries({"items": st.lists(item, max_size=4)},
                                                    optional={"device": st.one_of(st.text(max_size=50), values)}))

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(batch)
    def check(body: object) -> None:
        before = count(AttendanceChange)
        reply = client.post(url, data=json.dumps(body), content_type="application/json")
        assert reply.status_code in (200, 400, 422) and reply.is_json, reply.status_code
        if reply.status_code != 200:
            assert count(AttendanceChange) == before

    check()
