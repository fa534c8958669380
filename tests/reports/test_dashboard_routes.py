"""The commune dashboard, its downloads and the communes side by side: who sees what, and small groups stay hidden."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.catalog import services as catalog
from app.certificates.models import Completion
from app.extensions import db, utcnow
from app.people.models import Person
from app.places.models import Commune, Village
from app.policy import Role
from app.reports.models import Denominator, Task
from app.spreadsheets import FORMULA_STARTS
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.statements import counting

THIS_YEAR = local_today().year


def complete(person: Person, *, when: dt.datetime | None = None) -> None:
    """Record a confirmed completion showing every basic digital skill (assigning `skills` fills its rows)."""
    framework = catalog.current_framework()
    module = catalog.module_by_code("NCT-05")
    db.session.add(Completion(person_id=person.id, commune_id=person.commune_id, module_id=module.id,
                              module_version_id=module.current.id, framework_version_id=framework.id,
                              skills=list(framework.data["basic_completion"]["skills"]), status="confirmed",
                              confirmed_at=when or utcnow() - dt.timedelta(hours=1)))


def add_people(commune: Commune, village: Village, count: int, *, gender: str, birth_year: int,
               prefix: str) -> list[Person]:
    return [factories.person(commune, name=f"{prefix} {chr(65 + i)}", village=village, gender=gender,
                             birth_year=birth_year, role=None, account=False) for i in range(count)]


@pytest.fixture
def world(curriculum) -> dict[str, Any]:
    """Thôn Đông: 3 women who completed; Thôn Tây: 8 men, one of them last year; adults 100 and 200."""
    commune = factories.commune()
    east, west = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    women = add_people(commune, east, 3, gender="female", birth_year=1956, prefix="Nguyễn Thị")
    men = add_people(commune, west, 8, gender="male", birth_year=1980, prefix="Trần Văn")
    for person in women + men[1:]:
        complete(person)
    complete(men[0], when=dt.datetime(THIS_YEAR - 1, 6, 1, 3, tzinfo=dt.UTC))
    for village, adults in ((east, 100), (west, 200)):
        db.session.add(Denominator(commune_id=commune.id, village_id=village.id, year=THIS_YEAR, kind="adults",
                                   value=adults))
    db.session.add(Task(commune_id=commune.id, year=THIS_YEAR, title="Rà soát danh sách người dân",
                        responsible="Đoàn Thanh niên", deadline=local_today() - dt.timedelta(days=10),
                        status="in_progress", position=1))
    users = {
        "officer": factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER),
        "learner": factories.person(commune, name="Bùi Thị Lành", village=east),
        "team": factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=east),
        "admin": factories.person(commune, name="Phạm Minh Quân", role=Role.ADMIN),
    }
    db.session.commit()
    return {"commune": commune, "east": east, "west": west, **users}


def page(client: FlaskClient, person: Person, url: str) -> tuple[int, str]:
    login(client, person)
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def row(html: str, caption: str, label: str) -> str:
    """The cells of the row headed `label` in the table with this caption."""
    table = re.split(rf"<caption[^>]*>{re.escape(caption)}</caption>", html, maxsplit=1)[1].split("</table>", 1)[0]
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', table, re.S)
    assert match, (caption, label)
    return match.group(1)


def test_officer_sees_goals_years_villages_and_tasks(client: FlaskClient, world) -> None:
    status, html = page(client, world["officer"], f"/reports/commune/{world['commune'].id}")
    assert status == 200
    for heading in ("Mục tiêu năm", "Năm nay so với năm trước", "Theo thôn", "Ai còn ở lại phía sau",
                    "Theo nhóm người", "Theo quý", f"Nhiệm vụ năm {THIS_YEAR}"):
        assert f">{heading}</h2>" in html, heading
    # 11 of 300 adults this year (3,7 %), one last year; the plan's target for the year.
    goal = row(html, f"Mục tiêu năm {THIS_YEAR}: số liệu", "Người trưởng thành hoàn thành kỹ năng số cơ bản")
    assert "3,7 %" in goal and "11/300" in goal and "(theo kế hoạch)" in goal
    assert "Chưa đạt: còn thiếu 96,3 %" in goal
    assert "1 người" in row(html, f"Năm {THIS_YEAR} so với năm {THIS_YEAR - 1}",
                            "Người trưởng thành hoàn thành kỹ năng số cơ bản")
    east = row(html, "Người trưởng thành hoàn thành kỹ năng số cơ bản theo thôn", "Thôn Đông")
    # 3 people: written "<5", and no rate (with the village's population it would give the number away).
    assert "&lt;5" in east and ">3<" not in east and "3 %" not in east and 'data-label="Tỷ lệ">—<' in east
    # Still furthest behind (3 % of 100, 97 short, against 4 %), without its number.
    behind = html.split('id="behind"', 1)[1].split("</li>")[0]
    assert "<strong>Thôn Đông</strong>" in behind and "dưới 5 người" in behind
    assert "Quá hạn" in html and 'role="img"' in html


def test_a_learner_may_not_see_the_dashboard(client: FlaskClient, world) -> None:
    status, _html = page(client, world["learner"], f"/reports/commune/{world['commune'].id}")
    assert status == 403
    login(client, world["learner"])
    assert client.get(f"/reports/commune/{world['commune'].id}/figures.csv").status_code == 403


def test_a_village_team_member_sees_only_their_village(client: FlaskClient, world) -> None:
    base = f"/reports/commune/{world['commune'].id}"
    status, html = page(client, world["team"], base)
    assert status == 200
    assert "Thôn Đông" in html and "Thôn Tây" not in html
    assert "Số liệu theo nhóm người chỉ có cho cả xã." in html
    # The village's own figures, against the commune's (plan) target.
    goal = row(html, f"Mục tiêu năm {THIS_YEAR}: số liệu", "Người trưởng thành hoàn thành kỹ năng số cơ bản")
    assert "3/100" in goal and "Chưa đạt: còn thiếu 97 %" in goal
    assert client.get(f"{base}?village={world['west'].id}").status_code == 403
    assert client.get(f"{base}/figures.csv?village={world['west'].id}").status_code == 403
    assert client.get(f"{base}?village={world['east'].id}").status_code == 200


def test_a_group_of_three_is_shown_as_fewer_than_five(client: FlaskClient, world) -> None:
    status, html = page(client, world["officer"], f"/reports/commune/{world['commune'].id}")
    assert status == 200
    women = row(html, "Người trưởng thành hoàn thành kỹ năng số cơ bản – Theo giới tính", "Nữ")
    assert "&lt;5" in women and ">3<" not in women
    # With the women hidden, the men (8 of 11) would give them away: they are hidden too.
    assert "&lt;5" in row(html, "Người trưởng thành hoàn thành kỹ năng số cơ bản – Theo giới tính", "Nam")
    gender_chart = [svg for svg in re.findall(r"<svg.*?</svg>", html, re.S)
                    if "kỹ năng số cơ bản – Theo giới tính</title>" in svg]
    assert gender_chart and all("Nữ: &lt;5" in svg and "Nữ: 3" not in svg for svg in gender_chart)


def test_csv_download_has_headers_hidden_small_groups_and_no_formulas(client: FlaskClient, world) -> None:
    login(client, world["officer"])
    response = client.get(f"/reports/commune/{world['commune'].id}/figures.csv?year={THIS_YEAR}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Chỉ tiêu", "Đơn vị", "Năm nay", "Năm trước", "Dân số", "Tỷ lệ %", "Mục tiêu", "Nguồn"]
    skills = next(r for r in rows if r[0] == "Người trưởng thành hoàn thành kỹ năng số cơ bản")
    assert skills[2:6] == ["11", "1", "300", "3.7"] and skills[7] == "Tính từ dữ liệu"
    women = next(r for r in rows if r[0].endswith("Theo giới tính: Nữ")
                 and r[0].startswith("Người trưởng thành hoàn thành"))
    assert women[2] == "<5"
    assert all(not cell.startswith(FORMULA_STARTS) for r in rows for cell in r)
    assert client.get(f"/reports/commune/{world['commune'].id}/figures.xlsx").status_code == 200
    assert client.get(f"/reports/commune/{world['commune'].id}/figures.pdf").status_code == 404


@pytest.mark.parametrize(("asked", "message"), [(str(THIS_YEAR + 1), "chưa đến"), ("năm ngoái", "không hợp lệ"),
                                                 ("99999999999999999999", "không hợp lệ")])
def test_an_unusable_year_gives_a_message_and_this_year(client: FlaskClient, world, asked: str,
                                                        message: str) -> None:
    status, html = page(client, world["officer"], f"/reports/commune/{world['commune'].id}?year={asked}")
    assert status == 200
    assert message in html and f"năm {THIS_YEAR}</h1>" in html


def test_last_year_is_shown_when_asked(client: FlaskClient, world) -> None:
    status, html = page(client, world["officer"], f"/reports/commune/{world['commune'].id}?year={THIS_YEAR - 1}")
    assert status == 200 and f"năm {THIS_YEAR - 1}</h1>" in html


def test_compare_is_for_administrators(client: FlaskClient, world) -> None:
    other = factories.commune(factories.COMMUNE_CODES[1])
    db.session.commit()
    status, html = page(client, world["admin"], "/reports/compare")
    assert status == 200
    assert world["commune"].name in html and other.name in html
    commune_row = html.split(f">{world['commune'].name}</a></th>", 1)[1].split("</tr>", 1)[0]
    assert ">11<" in commune_row and "3,7 %" in commune_row
    status, _html = page(client, world["officer"], "/reports/compare")
    assert status == 403


def test_statements_do_not_grow_with_villages_or_people(client: FlaskClient, world) -> None:
    url = f"/reports/commune/{world['commune'].id}"
    login(client, world["officer"])
    assert client.get(url).status_code == 200
    db.session.commit()  # start both counts with nothing loaded in the session the test shares with requests
    with counting() as before:
        assert client.get(url).status_code == 200
    commune = world["commune"]
    for i in range(4):
        village = factories.village(commune, f"Thôn Mới {i}")
        for person in add_people(commune, village, 3, gender="female", birth_year=1970, prefix=f"Lê Thị {i}"):
            complete(person)
    db.session.commit()
    with counting() as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


@pytest.mark.browser
def test_dashboard_fits_a_phone_and_passes_axe(browser, live_server, axe_scan, world) -> None:
    from tests import axe
    from tests.test_layout import OVERFLOW

    path = f"/reports/commune/{world['commune'].id}"
    officer = lambda page: axe.sign_in(page, world["officer"].phone, factories.PASSWORD)  # noqa: E731
    assert axe_scan([path], sign_in=officer) == []
    admin = lambda page: axe.sign_in(page, world["admin"].phone, factories.PASSWORD)  # noqa: E731
    assert axe_scan(["/reports/compare"], sign_in=admin) == []
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server)
    page = context.new_page()
    try:
        officer(page)
        page.goto(path)
        found = page.evaluate(OVERFLOW)
        page.screenshot(path=str(factories.artifact("reports-dashboard-390.png")), full_page=True)
        assert found["scroll"] <= found["width"] and not found["wide"], found
    finally:
        context.close()


def test_a_village_is_checked(client: FlaskClient, world) -> None:
    other = factories.commune(factories.COMMUNE_CODES[1])
    elsewhere = factories.village(other, "Thôn Bắc")
    db.session.commit()
    base = f"/reports/commune/{world['commune'].id}"
    status, html = page(client, world["officer"], f"{base}?village=abc")
    assert status == 200 and "Thôn không hợp lệ." in html
    assert client.get(f"{base}?village={elsewhere.id}").status_code == 404
    status, html = page(client, world["officer"], f"{base}?village={world['west'].id}")
    assert status == 200 and "Số liệu Phong trào – Thôn Tây" in html
