"""The live board: its figures (who came, stations now and in all, villages, audiences, age bands with small groups
hidden, basic digital skills reached today), a fixed number of SQL statements, who may open it (the key or a
signed-in viewer), the Server-Sent Events stream, and replacing the key."""
from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from flask import Flask
from flask_login import login_user
from sqlalchemy import insert, select

from app.catalog.models import FrameworkVersion
from app.certificates.models import SkillMilestone
from app.events import live, live_routes
from app.events import services as events
from app.events.models import Event, Participant, StationVisit
from app.extensions import db, utcnow
from app.people import services as people
from app.people.models import Person, PersonTag
from app.places.models import Village
from app.policy import Role
from app.vietnam import VIETNAM
from tests import factories
from tests.conftest import login
from tests.events.conftest import Day, consent
from tests.statements import counting

_made = iter(range(1, 10**6))


def come(day: Day, n: int, *, village: Village | None, age: int | None, arrived: bool = True,
         tags: tuple[str, ...] = ()) -> list[Participant]:
    """Register n new people of the commune for the day's event (arrived, or only signed up)."""
    year = day.event.held_on.year
    found = []
    for _ in range(n):
        person = people.create_person(commune=day.commune, full_name=f"Người Thử {next(_made)}",
                                      birth_year=year - age if age is not None else None, village=village,
                                      tags=tags)
        consent(person)
        found.append(events.register(day.event, person, source="gate", actor=day.youth, arrived=arrived))
    return found


def by_key(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {r["key"]: r["count"] for r in rows}


def visit(day: Day, station: Any, participant: Participant, *, at: dt.datetime, done: bool) -> StationVisit:
    ticks = list(range(len(station.checklist))) if done else [0]
    return events.check_in(station, participant, ticks=ticks, actor=day.youth, client_id=f"v-{next(_made)}", at=at)


# --- the figures --------------------------------------------------------------------------------------------

def test_people_who_came_are_counted_apart_from_those_only_signed_up(day: Day) -> None:
    come(day, 3, village=day.dong, age=40)
    later, _never = come(day, 2, village=day.tay, age=40, arrived=False)
    totals = live.snapshot(day.event)["totals"]
    assert (totals["arrived"], totals["expected"]) == (3, 2)
    come(day, 1, village=day.tay, age=40)
    events.register(day.event, later.person, source="gate", actor=None)  # signed up beforehand, arrives now
    totals = live.snapshot(day.event)["totals"]
    assert (totals["arrived"], totals["expected"]) == (5, 1)


def test_villages_list_every_village_and_people_of_no_known_village(day: Day) -> None:
    come(day, 6, village=day.dong, age=40)
    come(day, 7, village=day.tay, age=40)
    come(day, 5, village=None, age=40)
    come(day, 3, village=day.tay, age=40, arrived=False)  # not here yet
    empty = factories.village(day.commune, "Thôn Bắc")
    ten, two = factories.village(day.commune, "Tổ 10"), factories.village(day.commune, "Tổ 2")
    villages = live.snapshot(day.event)["villages"]
    assert [(v["key"], v["name"], v["count"]) for v in villages] == [
        (f"v{empty.id}", "Thôn Bắc", 0), (f"v{day.dong.id}", "Thôn Đông", 6), (f"v{day.tay.id}", "Thôn Tây", 7),
        (f"v{two.id}", "Tổ 2", 0), (f"v{ten.id}", "Tổ 10", 0), ("v0", "Chưa rõ thôn", 5)]


def test_a_small_village_shows_under_five_and_the_next_smallest_is_hidden_too(day: Day) -> None:
    come(day, 2, village=day.tay, age=40)
    come(day, 9, village=day.dong, age=40)
    come(day, 6, village=None, age=40)
    counts = by_key(live.snapshot(day.event)["villages"])
    # Thôn Tây's 2 could be worked out from the total (17) minus the others: the smallest other group hides too.
    assert counts == {f"v{day.tay.id}": "<5", f"v{day.dong.id}": 9, "v0": "≥5"}


def test_age_bands_follow_the_event_year_and_hide_groups_under_five(day: Day) -> None:
    come(day, 6, village=day.dong, age=70)
    come(day, 5, village=day.dong, age=60)  # 60 this year: elderly
    come(day, 2, village=day.dong, age=34)
    come(day, 1, village=day.dong, age=35)
    come(day, 2, village=day.dong, age=None)
    come(day, 4, village=day.dong, age=20, arrived=False)
    bands = live.snapshot(day.event)["age_bands"]
    assert [b["key"] for b in bands] == ["under_35", "35_59", "60_plus", "unknown"]
    assert [b["name"] for b in bands] == ["Dưới 35 tuổi", "Từ 35 đến 59 tuổi", "Từ 60 tuổi", "Chưa rõ năm sinh"]
    assert by_key(bands) == {"under_35": "<5", "35_59": "<5", "60_plus": 11, "unknown": "<5"}
    come(day, 5, village=day.dong, age=34)
    come(day, 5, village=day.dong, age=50)
    come(day, 3, village=day.dong, age=None)
    assert by_key(live.snapshot(day.event)["age_bands"]) == {"under_35": 7, "35_59": 6, "60_plus": 11,
                                                              "unknown": 5}


def test_audiences_count_the_elderly_and_stored_tags_and_never_the_disabled(day: Day) -> None:
    come(day, 5, village=day.dong, age=65, tags=("trader",))
    come(day, 1, village=day.dong, age=30, tags=("public_staff", "trader"))
    come(day, 3, village=day.dong, age=30, tags=("pupil",), arrived=False)
    hidden = come(day, 6, village=day.dong, age=30)
    for participant in hidden:  # even stored as a tag by mistake, the disabled audience is never shown
        db.session.execute(insert(PersonTag).values(person_id=participant.person_id, tag="disabled"))
    audiences = live.snapshot(day.event)["audiences"]
    assert [a["key"] for a in audiences] == ["elderly", "trader", "public_staff", "enterprise_worker", "pupil"]
    assert by_key(audiences) == {"elderly": 5, "trader": 6, "public_staff": "<5", "enterprise_worker": 0,
                                 "pupil": 0}
    text = json.dumps(live.snapshot(day.event), ensure_ascii=False)
    assert "disabled" not in text and "khuyết tật" not in text


def test_stations_count_visits_now_in_all_and_completed(day: Day) -> None:
    now = utcnow()
    a, b, c = come(day, 3, village=day.dong, age=40)
    visit(day, day.qr, a, at=now - dt.timedelta(minutes=5), done=True)
    visit(day, day.qr, b, at=now - dt.timedelta(minutes=14), done=False)
    visit(day, day.qr, c, at=now - dt.timedelta(minutes=16), done=True)
    visit(day, day.scam, a, at=now - dt.timedelta(hours=2), done=False)
    visit(day, day.qr, a, at=now, done=True)  # a second check-in at the same station: still one visit
    board = live.snapshot(day.event, now=now)
    stations = {s["key"]: (s["name"], s["now"], s["visits"], s["completed"]) for s in board["stations"]}
    assert stations == {f"s{day.vneid.id}": ("Cài VNeID và lên mức 2", 0, 0, 0),
                        f"s{day.qr.id}": ("Thanh toán bằng VietQR", 2, 3, 2),
                        f"s{day.scam.id}": ("Nhận biết cuộc gọi lừa đảo", 0, 1, 0)}
    assert [s["key"] for s in board["stations"]] == [f"s{day.vneid.id}", f"s{day.qr.id}", f"s{day.scam.id}"]
    assert (board["totals"]["now"], board["totals"]["visits"], board["totals"]["completed"]) == (2, 4, 2)
    later = live.snapshot(day.event, now=now + dt.timedelta(minutes=20))
    assert later["totals"]["now"] == 0 and later["totals"]["completed"] == 2


def _milestone(person_id: int, at: dt.datetime, milestone: str = "basic") -> None:
    framework = db.session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_current.is_(True)))
    db.session.add(SkillMilestone(person_id=person_id, milestone=milestone, framework_version_id=framework,
                                  reached_at=at))


def test_basic_digital_skills_count_participants_who_reached_them_on_the_event_day(day: Day) -> None:
    start = dt.datetime.combine(day.event.held_on, dt.time(), VIETNAM)
    early, late, yesterday, ai_only, absent = come(day, 5, village=day.dong, age=40)
    absent.arrived_at = None
    _milestone(early.person_id, (start + dt.timedelta(minutes=30)).astimezone(dt.UTC))  # 00:30 in Vietnam
    _milestone(late.person_id, start + dt.timedelta(hours=23, minutes=59))
    _milestone(yesterday.person_id, start - dt.timedelta(minutes=1))
    _milestone(ai_only.person_id, start + dt.timedelta(hours=9), milestone="group-6")
    _milestone(absent.person_id, start + dt.timedelta(hours=9))
    _milestone(day.huong.id, start + dt.timedelta(hours=9))  # not a participant
    db.session.flush()
    assert live.snapshot(day.event)["totals"]["basic_today"] == 2


def test_the_snapshot_names_nobody_and_changes_version_only_when_a_figure_changes(day: Day) -> None:
    events.register(day.event, day.huong, source="gate", actor=None)
    now = utcnow()
    first = live.snapshot(day.event, now=now)
    again = live.snapshot(day.event, now=now + dt.timedelta(seconds=30))
    assert first["version"] == again["version"] and first["as_of"] != again["as_of"]
    text = json.dumps(first, ensure_ascii=False)
    assert day.huong.full_name not in text and day.huong.phone not in text
    assert "person" not in text and "badge" not in text
    come(day, 1, village=day.tay, age=30)
    assert live.snapshot(day.event, now=now)["version"] != first["version"]
    assert first["as_of_time"] == now.astimezone(VIETNAM).strftime("%H:%M:%S")


def grow(day: Day, n: int) -> None:
    """Add n arrived participants with tags, a milestone and two station visits each, in bulk."""
    year, now = day.event.held_on.year, utcnow()
    framework = db.session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_current.is_(True)))
    for k in range(n):
        tag = next(_made)
        person = Person(full_name=f"Người {tag}", name_search=f"nguoi {tag}", commune_id=day.commune.id,
                        village_id=(day.dong.id, day.tay.id, None)[k % 3], birth_year=year - 20 - k % 60)
        db.session.add(person)
        db.session.flush()
        db.session.add(PersonTag(person_id=person.id, tag=("trader", "pupil")[k % 2]))
        participant = Participant(event_id=day.event.id, person_id=person.id, badge_code=f"B{tag}"[:8],
                                  source="gate", village_id=person.village_id, birth_year=person.birth_year,
                                  arrived_at=now)
        db.session.add(participant)
        db.session.flush()
        for station in (day.qr, day.scam):
            db.session.add(StationVisit(event_id=day.event.id, station_id=station.id, participant_id=participant.id,
                                        ticks=[0], completed=k % 2 == 0, visited_at=now,
                                        client_id=f"g-{tag}-{station.id}"))
        db.session.add(SkillMilestone(person_id=person.id, milestone="basic", framework_version_id=framework,
                                      reached_at=now))
    db.session.commit()


def test_the_snapshot_costs_the_same_statements_however_many_participants(day: Day) -> None:
    come(day, 2, village=day.dong, age=40)
    db.session.commit()
    db.session.refresh(day.event)
    with counting() as small:
        live.snapshot(day.event)
    grow(day, 300)
    db.session.refresh(day.event)
    with counting() as large:
        board = live.snapshot(day.event)
    assert board["totals"]["arrived"] == 302 and board["totals"]["visits"] == 600
    assert len(large) == len(small) <= 5


def test_the_board_page_costs_the_same_statements_however_many_participants(app: Flask, day: Day,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "LIVE_CACHE_SECONDS", 0)
    url = f"/events/{day.event.id}/live.json?key={day.event.board_key}"
    client = app.test_client()
    client.get(url)
    db.session.expire_all()  # as in a fresh request: the event is read again
    with counting() as small:
        assert client.get(url).status_code == 200
    grow(day, 200)
    db.session.expire_all()
    with counting() as large:
        assert client.get(url).get_json()["totals"]["arrived"] == 200
    assert len(large) == len(small)


def test_the_memory_answers_without_the_database_and_forgets_an_old_key(day: Day) -> None:
    event_id, key = day.event.id, day.event.board_key
    first = live.board(event_id, key, locale="vi", seconds=60)
    with counting() as ran:
        assert live.board(event_id, key, locale="vi", seconds=60) is first
    assert ran == []
    live.replace_board_key(day.event)
    db.session.commit()
    assert live.board(event_id, key, locale="vi", seconds=60) is first  # within the memory's time: as before
    assert live.board(event_id, key, locale="en", seconds=60) is None  # looked up: the key is no longer valid
    assert live.board(event_id, day.event.board_key, locale="vi", seconds=60) is not first


# --- who may open the board -----------------------------------------------------------------------------------

BOARD_URLS = ("/events/{id}/live", "/events/{id}/live.json", "/events/{id}/live/stream")


@pytest.mark.parametrize("path", BOARD_URLS)
def test_the_board_opens_with_its_key_and_keeps_the_key_to_itself(app: Flask, day: Day, path: str) -> None:
    response = app.test_client().get(path.format(id=day.event.id) + f"?key={day.event.board_key}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    response.close()


@pytest.mark.parametrize("path", BOARD_URLS)
def test_a_wrong_or_missing_key_is_not_found(app: Flask, day: Day, path: str) -> None:
    right = day.event.board_key
    for key in ("", "wrong", "Thôn Đông 𝔘", "%", "a" * 5000, right + "x", right[:-1], right.upper()):
        response = app.test_client().get(path.format(id=day.event.id), query_string={"key": key})
        assert response.status_code == 404, key
    assert app.test_client().get(path.format(id=day.event.id)).status_code == 404


@pytest.mark.parametrize("path", BOARD_URLS)
def test_another_events_key_does_not_open_this_board(app: Flask, day: Day, path: str) -> None:
    from app.events import planning

    other = planning.create_event(day.other_commune, kind="day", name="Ngày hội xã khác",
                                  held_on=day.event.held_on, opens_at=dt.time(8), closes_at=dt.time(11), actor=None)
    db.session.commit()
    assert app.test_client().get(path.format(id=day.event.id), query_string={"key": other.board_key}).status_code \
        == 404
    assert app.test_client().get(f"/events/{2**31 - 1}/live", query_string={"key": other.board_key}).status_code \
        == 404


@pytest.mark.parametrize("path", BOARD_URLS)
def test_signed_in_viewers_of_the_commune_open_it_without_a_key_and_others_do_not(app: Flask, day: Day,
                                                                                 path: str) -> None:
    outsider = factories.person(day.other_commune, name="Mai Văn Khách", role=Role.OFFICER)
    learner = factories.person(day.commune, name="Phan Thị Học")
    db.session.commit()
    url = path.format(id=day.event.id)
    assert login(app.test_client(), day.youth).get(url).status_code == 200
    assert login(app.test_client(), day.officer).get(url).status_code == 200
    assert login(app.test_client(), outsider).get(url).status_code == 404
    assert login(app.test_client(), learner).get(url).status_code == 404
    assert app.test_client().get(url).status_code == 404


def test_the_board_page_shows_the_figures_without_names(app: Flask, day: Day) -> None:
    events.register(day.event, day.huong, source="gate", actor=None)
    come(day, 6, village=day.tay, age=70)
    db.session.commit()
    page = app.test_client().get(f"/events/{day.event.id}/live?key={day.event.board_key}").get_data(as_text=True)
    assert day.event.name in page and "cập nhật lúc" in page
    assert 'data-live-total="arrived">7<' in page and "Thanh toán bằng VietQR" in page and "Thôn Tây" in page
    assert day.huong.full_name not in page and "Người Thử" not in page
    assert f"/events/{day.event.id}/live/stream?key={day.event.board_key}" in page
    assert "events-live.js" in page and "http-equiv" not in page


# --- the stream ------------------------------------------------------------------------------------------------

def parse(chunks: list[bytes]) -> list[tuple[str, str]]:
    """Split Server-Sent Events text into (field, value) lines; a comment has the field ""."""
    found = []
    for block in b"".join(chunks).decode().split("\n\n"):
        for line in block.splitlines():
            field, _colon, value = line.partition(":")
            found.append((field, value.strip()))
    return found


@pytest.fixture
def quick_streams(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_routes, "CHECK_SECONDS", 0.05)
    monkeypatch.setattr(live_routes, "HEARTBEAT_SECONDS", 0.2)
    monkeypatch.setitem(app.config, "LIVE_STREAM_SECONDS", 1.0)
    monkeypatch.setitem(app.config, "LIVE_CACHE_SECONDS", 0)


THREADED = {"wsgi.multithread": True}


def test_the_stream_sends_the_figures_then_changes_and_heartbeats_and_ends(app: Flask, day: Day,
                                                                           quick_streams: None) -> None:
    event_id, key = day.event.id, day.event.board_key
    response = app.test_client().get(f"/events/{event_id}/live/stream?key={key}", environ_overrides=THREADED)
    assert response.mimetype == "text/event-stream" and response.headers["X-Accel-Buffering"] == "no"
    chunks = iter(response.response)
    started = time.monotonic()
    head = [next(chunks), next(chunks)]
    assert head[0] == b"retry: 3000\n\n"
    first = json.loads(parse(head)[1][1])
    assert first["totals"]["arrived"] == 0 and first["event"]["id"] == event_id
    come(day, 1, village=day.dong, age=40)
    db.session.commit()
    rest = list(chunks)
    assert time.monotonic() - started < 3  # bounded: the browser reconnects
    lines = parse(rest)
    data = [json.loads(v) for f, v in lines if f == "data"]
    assert [d["totals"]["arrived"] for d in data] == [1]  # sent once, when it changed
    assert ("", "keepalive") in lines and all(f in ("data", "") for f, _v in lines)
    response.close()


def test_the_stream_holds_no_database_connection_between_checks(app: Flask, day: Day, quick_streams: None) -> None:
    url = f"/events/{day.event.id}/live/stream?key={day.event.board_key}"
    db.session.commit()  # the test's own session holds no connection either
    before = db.engine.pool.checkedout()
    response = app.test_client().get(url, environ_overrides=THREADED)
    chunks = iter(response.response)
    next(chunks), next(chunks)
    assert db.engine.pool.checkedout() == before
    for _ in range(3):
        next(chunks)  # a heartbeat after some checks
        assert db.engine.pool.checkedout() == before
    response.close()


def test_a_server_without_threads_gets_one_message_per_stream(app: Flask, day: Day, quick_streams: None) -> None:
    response = app.test_client().get(f"/events/{day.event.id}/live/stream?key={day.event.board_key}")
    lines = parse(list(response.response))
    assert lines[0] == ("retry", "5000") and [f for f, _v in lines[1:]] == ["data"]


def test_a_stream_ends_when_the_key_is_replaced(app: Flask, day: Day, quick_streams: None) -> None:
    response = app.test_client().get(f"/events/{day.event.id}/live/stream?key={day.event.board_key}",
                                     environ_overrides=THREADED)
    chunks = iter(response.response)
    next(chunks), next(chunks)
    live.replace_board_key(day.event)
    db.session.commit()
    started = time.monotonic()
    assert list(chunks) == [] and time.monotonic() - started < 0.5


# --- the organiser's link and a new key -------------------------------------------------------------------------

def test_the_link_partial_shows_the_address_with_its_key_and_a_qr_code(ctx: Flask, day: Day) -> None:
    from flask import render_template

    login_user(day.youth)
    html = render_template("events/_live_link.html", event=day.event)
    assert f"/events/{day.event.id}/live?key={day.event.board_key}" in html and "<svg" in html
    assert f'action="/events/{day.event.id}/live/key"' in html and 'name="csrf_token"' in html


def test_replacing_the_key_makes_the_old_link_stop_working(app: Flask, day: Day) -> None:
    old = day.event.board_key
    client = login(app.test_client(), day.youth)
    response = client.post(f"/events/{day.event.id}/live/key", data={"next": f"/events/{day.event.id}"})
    assert response.status_code == 302 and response.location == f"/events/{day.event.id}"
    new = db.session.scalar(select(Event.board_key).where(Event.id == day.event.id))
    assert new != old and len(new) >= 24
    anonymous = app.test_client()
    assert anonymous.get(f"/events/{day.event.id}/live?key={old}").status_code == 404
    assert anonymous.get(f"/events/{day.event.id}/live?key={new}").status_code == 200


def test_only_the_communes_organisers_replace_the_key(app: Flask, day: Day) -> None:
    outsider = factories.person(day.other_commune, name="Mai Văn Khách", role=Role.OFFICER)
    db.session.commit()
    old = day.event.board_key
    assert login(app.test_client(), outsider).post(f"/events/{day.event.id}/live/key").status_code == 403
    assert login(app.test_client(), day.instructor).post(f"/events/{day.event.id}/live/key").status_code == 403
    assert app.test_client().post(f"/events/{day.event.id}/live/key").status_code == 302  # to sign in
    assert db.session.scalar(select(Event.board_key).where(Event.id == day.event.id)) == old


def test_replacing_the_key_needs_the_forms_csrf_token(app_factory: Any, day: Day) -> None:
    guarded = app_factory(WTF_CSRF_ENABLED=True)
    old = day.event.board_key
    assert login(guarded.test_client(), day.youth).post(f"/events/{day.event.id}/live/key").status_code == 400
    assert db.session.scalar(select(Event.board_key).where(Event.id == day.event.id)) == old
