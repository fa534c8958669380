"""A team's plan: households not visited yet (by alley), follow-ups due this week, progress, the form's roster."""
from __future__ import annotations

import datetime as dt

from app.teams import plan, services
from app.vietnam import local_today
from tests import factories
from tests.teams.conftest import Place, household

TODAY = local_today()


def visit(place: Place, home, on: dt.date, follow: dt.date | None, client_id: str) -> None:
    services.record_visit(place.team, services.VisitInput(home.id, on, (place.nam.id,), {}, "", follow),
                          actor=place.nam, client_id=client_id)


def test_households_not_visited_are_listed_by_alley_then_address(place: Place) -> None:
    b = household(place.dong, "Số 2, ngõ 1", "Ngõ 1")
    a = household(place.dong, "Số 1, ngõ 1", "Ngõ 1")
    visit(place, b, TODAY, None, "web-plan-0001")
    assert [h.address for h in plan.not_visited(place.team)] == [a.address, place.home.address]


def test_follow_ups_due_this_week_include_overdue_and_follow_the_latest_visit(place: Place) -> None:
    due = household(place.dong, "Số 5, ngõ 2", "Ngõ 2")
    later = household(place.dong, "Số 6, ngõ 2", "Ngõ 2")
    done = household(place.dong, "Số 7, ngõ 2", "Ngõ 2")
    visit(place, place.home, TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=2), "web-plan-0002")
    visit(place, due, TODAY, TODAY + dt.timedelta(days=1), "web-plan-0003")
    visit(place, later, TODAY, TODAY + dt.timedelta(days=30), "web-plan-0004")
    visit(place, done, TODAY - dt.timedelta(days=5), TODAY, "web-plan-0005")
    visit(place, done, TODAY, None, "web-plan-0006")  # came back already: nothing due
    week_end = TODAY + dt.timedelta(days=6 - TODAY.weekday())
    shown = [f.address for f in plan.follow_ups(place.team, max(week_end, TODAY + dt.timedelta(days=1)))]
    assert shown == [place.home.address, due.address]


def test_progress_counts_households_visited_ever_and_this_year(place: Place) -> None:
    other = household(place.dong, "Số 9", "Ngõ 9")
    household(place.dong, "Số 10", "Ngõ 9")
    visit(place, place.home, TODAY, None, "web-plan-0007")
    visit(place, other, dt.date(TODAY.year - 1, 6, 1), None, "web-plan-0008")
    assert plan.progress(place.team, TODAY) == plan.Progress(3, 2, 1)


def test_the_roster_has_the_villages_households_with_members_and_their_consent(place: Place) -> None:
    roster = plan.roster(place.team)
    assert [h["address"] for h in roster] == [place.home.address]
    members = {m["name"]: m["consent"] for m in roster[0]["members"]}
    assert members == {"Nguyễn Thị Hương": True, "Trần Văn Bình": False}


def test_the_roster_leaves_out_other_villages_and_communes(place: Place) -> None:
    household(factories.village(place.other_commune, "Thôn Đông"), "Số 12, ngõ 3", "Ngõ 3")
    assert [h["id"] for h in plan.roster(place.team)] == [place.home.id]
