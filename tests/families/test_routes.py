"""Digital families pages: who sees what, the printable list and its spreadsheet, the rule, a household's alley."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.families import settings
from app.people import services as people
from app.people.models import Household
from app.policy import Role
from tests import factories
from tests.conftest import login
from tests.families.conftest import World, complete, member
from tests.statements import counting

EARLY = dt.datetime(2025, 1, 5, 3, tzinfo=dt.UTC)


def test_the_coverage_page_shows_each_village_and_the_commune(client: FlaskClient, world: World) -> None:
    complete(world.members["an"], EARLY)
    db.session.commit()
    login(client, world.officer)
    page = client.get(f"/communes/{world.commune.id}/families").get_data(as_text=True)
    assert "1 / 4 hộ gia đình" in page and "25%" in page
    assert "Thôn Đông" in page and "Thôn Tây" in page and "50%" in page
    assert f"/communes/{world.commune.id}/families/settings" in page


def test_a_bad_or_future_day_falls_back_to_today(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    for day in ("2999-01-01", "not-a-day", "0001-01-01"):
        response = client.get(f"/communes/{world.commune.id}/families?on={day}")
        assert response.status_code == 200
        assert "đang xem số liệu hôm nay" in response.get_data(as_text=True)


def test_a_village_team_lists_only_its_own_village(client: FlaskClient, world: World) -> None:
    login(client, world.team)
    page = client.get(f"/communes/{world.commune.id}/families/households").get_data(as_text=True)
    assert "Số 1, đường Làng" in page and "Số 7, xóm Bến" not in page
    assert client.get(f"/communes/{world.commune.id}/families/households?village={world.tay.id}").status_code == 404
    rows = list(csv.reader(io.StringIO(client.get(
        f"/communes/{world.commune.id}/families/households.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert {r[0] for r in rows[1:]} == {"Thôn Đông"}


def test_the_officer_prints_a_village_list_sorted_by_alley(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    page = client.get(f"/communes/{world.commune.id}/families/households?village={world.dong.id}").get_data(
        as_text=True)
    assert page.index("Số 1, đường Làng") < page.index("Số 3, đường Làng")  # Ngõ 1 before Ngõ 2
    assert "data-print" in page and "print-a4" in page
    assert "Nguyễn Minh Châu" in page and "chưa hoàn thành kỹ năng số cơ bản" in page


def test_the_spreadsheet_is_formula_safe(client: FlaskClient, world: World) -> None:
    member(world.commune, world.homes["empty"], "=HYPERLINK(\"http://x\")", 1990)
    db.session.commit()
    login(client, world.officer)
    response = client.get(f"/communes/{world.commune.id}/families/households.csv?village={world.tay.id}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert client.get(f"/communes/{world.commune.id}/families/households.xlsx").status_code == 200
    assert client.get(f"/communes/{world.commune.id}/families/households.pdf").status_code == 404


def test_the_officer_sets_the_rule_and_a_bad_one_changes_nothing(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    url = f"/communes/{world.commune.id}/families/settings"
    assert client.post(url, data={"rule": "all_adults"}).status_code == 302
    assert settings.rule_for(world.commune.id) == "all_adults"
    response = client.post(url, data={"rule": "<script>"})
    assert response.status_code == 200 and "Vui lòng chọn một cách tính" in response.get_data(as_text=True)
    assert settings.rule_for(world.commune.id) == "all_adults"
    login(client, world.team)
    assert client.post(url, data={"rule": "one_member"}).status_code == 403
    assert settings.rule_for(world.commune.id) == "all_adults"


def test_a_team_sets_the_alley_of_a_household_in_its_village_only(client: FlaskClient, world: World) -> None:
    login(client, world.team)
    home, elsewhere = world.homes["b"], world.homes["c"]
    response = client.post(f"/households/{home.id}/alley", data={"alley": "Ngõ Đình"})
    assert response.status_code == 302 and f"#household-{home.id}" in response.location
    assert db.session.get(Household, home.id).alley == "Ngõ Đình"
    assert client.post(f"/households/{elsewhere.id}/alley", data={"alley": "Ngõ Lạ"}).status_code == 403
    client.post(f"/households/{home.id}/alley", data={"alley": "x" * 200})
    db.session.expire_all()
    assert db.session.get(Household, home.id).alley == "Ngõ Đình"
    assert db.session.get(Household, elsewhere.id).alley == "Xóm Bến"


def test_another_communes_officer_sees_nothing(client: FlaskClient, world: World) -> None:
    outsider = factories.person(factories.commune(factories.COMMUNE_CODES[1]), name="Mai Văn Khách",
                                role=Role.OFFICER)
    db.session.commit()
    login(client, outsider)
    base = f"/communes/{world.commune.id}/families"
    assert [client.get(u).status_code for u in (base, f"{base}/households", f"{base}/households.csv",
                                                 f"{base}/settings")] == [403] * 4
    assert client.post(f"/households/{world.homes['a'].id}/alley", data={"alley": "x"}).status_code == 403


def _grow(world: World, households: int) -> None:
    for i in range(households):
        home = people.create_household(village=(world.dong, world.tay)[i % 2], address=f"Số {100 + i}")
        home.alley = f"Ngõ {i % 7}"
        a = member(world.commune, home, "Vũ Văn Tám", 1960 + i % 30)
        member(world.commune, home, "Vũ Thị Chín", 1965 + i % 30)
        if i % 3 == 0:
            complete(a, EARLY)
        if i % 4 == 0:
            people.record_consent(a, purpose="digital_support", method="paper", policy_version="t", recorded_by=None)
            from app.digital import services as digital

            digital.record(a, "smartphone", 1, observed_on=dt.date(2025, 2, 1), source="visit", actor=None)
    db.session.commit()


@pytest.mark.parametrize("path", ["families", "families/households", "families/households.csv"])
def test_statements_per_page_do_not_grow_with_households(client: FlaskClient, world: World, path: str) -> None:
    login(client, world.officer)
    url = f"/communes/{world.commune.id}/{path}"
    sizes = []
    for grow in (0, 30):
        _grow(world, grow)
        client.get(url)
        with counting() as statements:
            assert client.get(url).status_code == 200
        sizes.append(len(statements))
    assert sizes[0] == sizes[1], sizes
