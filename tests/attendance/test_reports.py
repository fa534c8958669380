"""Attendance reports: rates per learner, class and village; the absentee list; exports; the demo's marks."""
from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import event, select

from app import vietnam
from app.attendance import demo as attendance_demo
from app.attendance import marks, reports
from app.classes import enrolment as enrolments
from app.classes import services as classes
from app.classes import sessions
from app.classes.models import Class, ClassSession
from app.demo import services as demo
from app.extensions import db
from app.policy import Role
from app.vietnam import VIETNAM
from tests import factories


def moment(session: ClassSession, minutes: int = 5) -> dt.datetime:
    return (session.starts_at + dt.timedelta(minutes=minutes)).astimezone(dt.UTC)


@pytest.fixture
def school(ctx: Flask):
    """Four weekly sessions held (one more cancelled, one ahead), five learners of two villages."""
    commune = factories.commune()
    dong, tay = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    start = vietnam.local_today() - dt.timedelta(days=35)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), starts_on=start, weeks=10)
    held = [factories.class_session(klass, on=start + dt.timedelta(days=7 * i)) for i in range(4)]
    cancelled = factories.class_session(klass, on=start + dt.timedelta(days=10))
    ahead = factories.class_session(klass, on=start + dt.timedelta(days=42))
    a, b = (enrolments.enrol(klass, factories.person(commune, name=n, village=dong), source="staff")
            for n in ("An Thị Hoa", "Bùi Văn Bình"))
    c, e = (enrolments.enrol(klass, factories.person(commune, name=n, village=tay), source="staff")
            for n in ("Cao Thị Cúc", "Đỗ Văn Em"))
    enrolled_then = dt.datetime.combine(start, dt.time(7), tzinfo=VIETNAM).astimezone(dt.UTC)
    for row in (a, b, c, e):
        row.enrolled_at = enrolled_then
    walk_in = enrolments.enrol(klass, factories.person(commune, name="Dương Thị Duyên", village=tay), source="staff")
    walk_in.enrolled_at = (held[2].starts_at - dt.timedelta(minutes=30)).astimezone(dt.UTC)  # came in week 3
    plan = {a: "PPLP", b: "PAAA", c: "PXA.", walk_in: "..PA", e: "P..."}
    names = {"P": "present", "L": "late", "A": "absent", "X": "excused"}
    for row, letters in plan.items():
        for session, letter in zip(held, letters, strict=True):
            if letter != ".":
                marks.mark(session, row, names[letter], actor=hung, now=moment(session))
    marks.mark(cancelled, a, "present", actor=hung, now=moment(cancelled))
    sessions.cancel_session(cancelled, reason="Mất điện", actor=hung)
    marks.mark(ahead, b, "excused", actor=hung, now=moment(held[-1]))
    enrolments.withdraw(e)  # withdrawn learners do not count, marks or not
    other = factories.commune(factories.COMMUNE_CODES[1])
    far = factories.school_class(other, capacity=5, starts_on=start)
    far_session = factories.class_session(far)
    far_row = enrolments.enrol(far, factories.person(other, name="Mai Văn Khách"), source="staff")
    marks.mark(far_session, far_row, "absent", actor=None, now=moment(far_session))
    db.session.commit()
    as_of = moment(held[-1], 60)
    return klass, held, {"a": a, "b": b, "c": c, "d": walk_in}, as_of, dong, tay


def test_each_learner_has_the_share_of_sessions_attended_since_they_enrolled(school) -> None:
    klass, held, rows, as_of, *_ = school
    found = {item.person.full_name: item.rate for item in reports.class_learners(klass, as_of=as_of)}
    assert set(found) == {"An Thị Hoa", "Bùi Văn Bình", "Cao Thị Cúc", "Dương Thị Duyên"}  # not the withdrawn one
    assert found["An Thị Hoa"] == reports.Rate(held=4, present=3, late=1) and found["An Thị Hoa"].share == 1
    assert found["Bùi Văn Bình"] == reports.Rate(held=4, present=1, absent=3) and found["Bùi Văn Bình"].percent == "25%"
    assert found["Cao Thị Cúc"] == reports.Rate(held=4, present=1, absent=1, excused=1)
    # Her fourth session is not marked yet: not an absence, and not in her rate (1 attended of 3 marked).
    assert found["Cao Thị Cúc"].unmarked == 1 and found["Cao Thị Cúc"].marked == 3
    assert found["Cao Thị Cúc"].share == pytest.approx(1 / 3) and found["Cao Thị Cúc"].percent == "33%"
    assert found["Dương Thị Duyên"] == reports.Rate(held=2, present=1, absent=1)  # weeks 1–2 do not count
    share = reports.share_attended(klass, rows["a"].person, as_of=as_of)
    assert share is not None and share.share == 1.0
    assert reports.share_attended(klass, factories.person(klass.commune, name="Người Ngoài"), as_of=as_of) is None


def test_only_sessions_that_have_started_count(school) -> None:
    klass, held, _rows, _as_of, *_ = school
    before_the_last = moment(held[-1], -10)
    found = {i.person.full_name: i.rate.held for i in reports.class_learners(klass, as_of=before_the_last)}
    assert found["An Thị Hoa"] == 3 and found["Dương Thị Duyên"] == 1


def test_the_class_and_village_rates_come_from_the_same_counts(school) -> None:
    klass, _held, _rows, as_of, dong, tay = school
    (only,) = reports.commune_classes(klass.commune_id, as_of=as_of)
    assert (only.klass, only.learners, only.sessions) == (klass, 4, 4)
    assert (only.rate.held, only.rate.unmarked, only.rate.attended) == (14, 1, 7)
    assert only.rate.share == pytest.approx(7 / 13)  # the session nobody marked is left out, not counted absent
    villages = {v.name: v for v in reports.commune_villages(klass.commune_id, as_of=as_of)}
    assert set(villages) == {"Thôn Đông", "Thôn Tây"}
    assert (villages["Thôn Đông"].learners, villages["Thôn Đông"].rate.held, villages["Thôn Đông"].rate.attended) == (
        2, 8, 5)
    assert (villages["Thôn Tây"].learners, villages["Thôn Tây"].rate.held, villages["Thôn Tây"].rate.attended) == (
        2, 6, 2)
    assert reports.total(list(villages.values())) == only.rate


def test_the_absentee_list_has_those_who_missed_their_latest_sessions_in_a_row(school) -> None:
    klass, held, _rows, as_of, _dong, tay = school
    three = reports.absentees(klass.commune_id, 3, as_of=as_of)
    assert [(a.person.full_name, a.missed, a.since, a.last_attended) for a in three] == [
        ("Bùi Văn Bình", 3, held[1].date, held[0].date)]
    # Cúc's latest session is not marked: it is skipped, not counted; the excused one before her absence ends the run.
    two = reports.absentees(klass.commune_id, 2, as_of=as_of)
    assert [(a.person.full_name, a.missed) for a in two] == [("Bùi Văn Bình", 3)]
    one = reports.absentees(klass.commune_id, 1, as_of=as_of)
    assert [(a.person.full_name, a.missed) for a in one] == [
        ("Bùi Văn Bình", 3), ("Cao Thị Cúc", 1), ("Dương Thị Duyên", 1)]
    assert one[1].since == held[2].date
    assert [a.person.full_name for a in reports.absentees(klass.commune_id, 1, as_of=as_of, village_ids={tay.id})] \
        == ["Cao Thị Cúc", "Dương Thị Duyên"]


def test_coming_back_ends_a_run_and_finished_classes_need_no_follow_up(school) -> None:
    klass, held, rows, as_of, *_ = school
    next_week = factories.class_session(klass, on=held[-1].date + dt.timedelta(days=14))
    marks.mark(next_week, rows["b"], "late", actor=None, now=moment(next_week))
    marks.mark(next_week, rows["c"], "absent", actor=None, now=moment(next_week))
    later = moment(next_week, 60)
    # Bình came back; Cúc is absent again: two absences in a row (the unmarked session between is skipped).
    assert [(a.person.full_name, a.missed) for a in reports.absentees(klass.commune_id, 2, as_of=later)] == [
        ("Cao Thị Cúc", 2)]
    classes.set_status(klass, "running")
    classes.set_status(klass, "finished")
    assert reports.absentees(klass.commune_id, 1, as_of=later) == []


def test_the_class_export_has_a_column_per_session_and_the_rate(school) -> None:
    klass, held, _rows, as_of, *_ = school
    headers, rows = reports.class_export(klass, as_of=as_of)
    assert headers[:4] == ["STT", "Họ và tên", "Năm sinh", "Thôn/Tổ dân phố"]
    assert headers[4:8] == [f"{s.date:%d/%m/%Y} 08:00" for s in held] and headers[-1] == "Tỉ lệ đi học (%)"
    by_name = {r[1]: r for r in rows}
    assert by_name["Bùi Văn Bình"][4:8] == ["Có mặt", "Vắng", "Vắng", "Vắng"] and by_name["Bùi Văn Bình"][-1] == 25.0
    assert by_name["Dương Thị Duyên"][4:8] == ["", "", "Có mặt", "Vắng"]
    assert by_name["Cao Thị Cúc"][7] == "Chưa điểm danh"


def test_the_demo_has_marks_and_someone_to_follow_up(ctx: Flask) -> None:
    commune = demo.load()
    db.session.commit()
    found = reports.absentees(commune.id, 3)
    assert attendance_demo.ABSENT_LATELY in {a.person.phone for a in found}
    rates = reports.commune_classes(commune.id)
    assert len(rates) >= 2 and all(r.rate.held > 0 for r in rates)
    assert 0.6 < reports.total(reports.commune_villages(commune.id)).share < 1


def test_sessions_not_marked_yet_are_not_absences_anywhere(school) -> None:
    klass, held, rows, as_of, *_ = school
    # A fifth session is held and nobody marks it: no rate goes down, and it is counted as not marked yet.
    fifth = factories.class_session(klass, on=held[-1].date + dt.timedelta(days=7))
    later = moment(fifth, 60)
    before = {i.person.full_name: i.rate for i in reports.class_learners(klass, as_of=as_of)}
    after = {i.person.full_name: i.rate for i in reports.class_learners(klass, as_of=later)}
    for name, rate in after.items():
        assert rate.share == before[name].share and rate.unmarked == before[name].unmarked + 1, name
        assert rate.absent == before[name].absent
    (only,) = reports.commune_classes(klass.commune_id, as_of=later)
    assert only.rate.unmarked == 5 and only.rate.share == pytest.approx(7 / 13)
    assert reports.total(reports.commune_villages(klass.commune_id, as_of=later)).share == pytest.approx(7 / 13)
    assert [a.person.full_name for a in reports.absentees(klass.commune_id, 2, as_of=later)] == ["Bùi Văn Bình"]
    rate = reports.share_attended(klass, rows["a"].person, as_of=later)
    assert rate is not None and (rate.share, rate.unmarked) == (1.0, 1)
    headers, table = reports.class_export(klass, as_of=later)
    an = next(r for r in table if r[1] == "An Thị Hoa")
    assert an[headers.index("Chưa điểm danh")] == 1 and an[-1] == 100.0
    nobody = reports.Rate(held=3)
    assert (nobody.share, nobody.percent, nobody.unmarked) == (None, "—", 3)


def test_absent_twice_lists_recorded_absences_in_active_classes(school) -> None:
    klass, held, rows, as_of, *_ = school
    found = reports.absent_twice(klass.commune_id, as_of=as_of)
    assert [(a.person.full_name, a.klass, a.absences, a.last_absent) for a in found] == [
        ("Bùi Văn Bình", klass, 3, held[3].date)]
    # Cúc has one absence and one session nobody marked: not twice absent.
    marks.mark(held[3], rows["c"], "absent", actor=None, now=moment(held[3], 30))
    found = reports.absent_twice(class_ids=[klass.id], as_of=as_of)
    assert [(a.person.full_name, a.absences) for a in found] == [("Bùi Văn Bình", 3), ("Cao Thị Cúc", 2)]
    assert [a.person.full_name for a in reports.absent_twice(klass.commune_id, at_least=3, as_of=as_of)] == [
        "Bùi Văn Bình"]
    assert len(reports.absent_twice(klass.commune_id, as_of=as_of, limit=1)) == 1
    _klass, _held, _rows, _as_of, dong, tay = school
    assert [a.person.full_name for a in reports.absent_twice(klass.commune_id, village_ids={tay.id}, as_of=as_of)] \
        == ["Cao Thị Cúc"]
    assert reports.absent_twice(class_ids=[], as_of=as_of) == []
    # The other commune's learner (one absence) never appears; a finished class needs no follow-up.
    classes.set_status(klass, "running")
    classes.set_status(klass, "finished")
    assert reports.absent_twice(klass.commune_id, as_of=as_of) == []
    with pytest.raises(ValueError):
        reports.absent_twice(as_of=as_of)


def test_absent_twice_for_several_communes_is_each_communes_list_merged_by_absences_in_one_query(school) -> None:
    klass, held, rows, as_of, dong, tay = school
    marks.mark(held[3], rows["c"], "absent", actor=None, now=moment(held[3], 30))
    far = db.session.scalar(select(Class.commune_id).where(Class.commune_id != klass.commune_id))
    db.session.commit()

    def one_by_one(reach: dict[int, set[int] | None]) -> list[tuple[str, int, int]]:
        found = [a for cid in sorted(reach) for a in reports.absent_twice(cid, village_ids=reach[cid], at_least=1,
                                                                           as_of=as_of)]
        return [(a.person.full_name, a.klass.id, a.absences) for a in sorted(found, key=lambda a: -a.absences)]

    both = {klass.commune_id: None, far: None}
    for reach in (both, {klass.commune_id: {tay.id}, far: None}, {far: None}, {klass.commune_id: {dong.id}}):
        merged = reports.absent_twice(communes=reach, at_least=1, as_of=as_of)
        assert [(a.person.full_name, a.klass.id, a.absences) for a in merged] == one_by_one(reach)
    names = [a.person.full_name for a in reports.absent_twice(communes=both, at_least=1, as_of=as_of)]
    assert names[:2] == ["Bùi Văn Bình", "Cao Thị Cúc"] and "Mai Văn Khách" in names
    db.session.expunge_all()  # nothing already loaded: each class's staff must not cost a query of its own
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert len(reports.absent_twice(communes=both, at_least=1, as_of=as_of)) == len(names)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert len(statements) == 1
