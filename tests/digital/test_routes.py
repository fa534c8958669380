"""A person's digital skills page: who reads and records, consent first, self-declaration, bad input."""
from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient

from app.digital import services
from app.digital.models import DigitalFact
from app.extensions import db
from app.policy import Role
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.digital.conftest import World
from tests.statements import counting


def facts(person) -> list[tuple[str, int, str]]:  # noqa: ANN001
    db.session.expire_all()
    return [(f.fact, f.value, f.source) for f in db.session.query(DigitalFact).filter_by(person_id=person.id)
            .order_by(DigitalFact.id)]


def form(**values: object) -> dict[str, object]:
    return {"observed_on": local_today().isoformat(), "source": "visit", **values}


def test_a_team_member_records_what_they_saw_at_home(client: FlaskClient, world: World) -> None:
    login(client, world.team)
    page = client.get(f"/people/{world.huong.id}/digital").get_data(as_text=True)
    assert "Kỹ năng số của Nguyễn Thị Hương" in page and "Chưa ghi nhận" in page and 'name="vneid"' in page
    response = client.post(f"/people/{world.huong.id}/digital", data=form(smartphone="1", vneid="2", ai_tools=""))
    assert response.status_code == 302
    assert facts(world.huong) == [("smartphone", 1, "visit"), ("vneid", 2, "visit")]
    page = client.get(f"/people/{world.huong.id}/digital").get_data(as_text=True)
    assert "Mức 2" in page and "Hoàng Văn Nam" in page and "Tổ công nghệ số thấy khi đến nhà" in page


def test_without_consent_the_page_links_to_consent_and_a_post_writes_nothing(client: FlaskClient,
                                                                            world: World) -> None:
    login(client, world.officer)
    page = client.get(f"/people/{world.binh.id}/digital").get_data(as_text=True)
    assert "chưa đồng ý" in page and f"/people/{world.binh.id}#consents" in page and 'name="vneid"' not in page
    response = client.post(f"/people/{world.binh.id}/digital", data=form(smartphone="1"))
    assert response.status_code == 400 and "chưa đồng ý" in response.get_data(as_text=True)
    assert facts(world.binh) == []


def test_bad_input_gets_a_clear_message_and_changes_nothing(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    url = f"/people/{world.huong.id}/digital"
    tomorrow = (local_today() + dt.timedelta(days=1)).isoformat()
    cases = [
        (form(observed_on=tomorrow, smartphone="1"), "tương lai"),
        (form(smartphone="7"), "không hợp lệ"),
        (form(vneid="<script>"), "không hợp lệ"),
        (form(source="vneid", smartphone="1"), "Nguồn thông tin không hợp lệ"),  # only a VNeID login says so
        (form(), "ít nhất một thông tin"),
        (form(observed_on="1999-12-31", smartphone="1"), "từ năm 2000"),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert facts(world.huong) == []


def test_the_person_sees_their_own_and_declares_it_themself(client: FlaskClient, world: World) -> None:
    login(client, world.huong)
    page = client.get(f"/people/{world.huong.id}/digital").get_data(as_text=True)
    assert "Kỹ năng số của tôi" in page and 'name="source"' not in page
    assert client.post(f"/people/{world.huong.id}/digital", data=form(source="visit", ai_tools="1")).status_code == 302
    assert facts(world.huong) == [("ai_tools", 1, "self")]  # whatever the form says, it is self-declared
    assert client.get(f"/people/{world.binh.id}/digital").status_code == 403  # not someone else's
    assert client.post(f"/people/{world.binh.id}/digital", data=form(smartphone="1")).status_code == 403
    assert "Kỹ năng số của tôi" in client.get("/").get_data(as_text=True)  # the home leads there


def test_scope_and_rank_limit_who_records(client: FlaskClient, world: World) -> None:
    stranger = factories.person(world.commune, name="Lý Văn Toàn", village=world.tay)
    outsider = factories.person(factories.commune(factories.COMMUNE_CODES[1]), name="Mai Văn Khách",
                                role=Role.OFFICER)
    db.session.commit()
    login(client, world.team)  # Thôn Đông's team: not Thôn Tây's residents
    assert client.get(f"/people/{stranger.id}/digital").status_code == 403
    login(client, world.ambassador)  # an ambassador records about residents, not about another ambassador
    assert client.get(f"/people/{world.huong.id}/digital").status_code == 200
    services.record(world.huong, "smartphone", 1, observed_on=local_today(), source="visit", actor=world.team)
    db.session.commit()
    assert client.post(f"/people/{world.team.id}/digital", data=form(smartphone="1")).status_code == 403
    login(client, world.youth)  # reads the commune's figures, not people's records
    assert client.get(f"/people/{world.huong.id}/digital").status_code == 403
    login(client, outsider)
    assert client.get(f"/people/{world.huong.id}/digital").status_code == 403
    assert client.post(f"/people/{world.huong.id}/digital", data=form(vneid="2")).status_code == 403
    assert facts(world.huong) == [("smartphone", 1, "visit")]


def test_statements_on_the_page_do_not_grow_with_the_history(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    url = f"/people/{world.huong.id}/digital"
    sizes = []
    for extra in (0, 25):
        for i in range(extra):
            services.record(world.huong, ("smartphone", "payment_account")[i % 2], i % 2,
                            observed_on=dt.date(2025, 1, 1) + dt.timedelta(days=i), source="visit",
                            actor=(world.team, world.officer)[i % 2])
        db.session.commit()
        client.get(url)
        with counting() as statements:
            assert client.get(url).status_code == 200
        sizes.append(len(statements))
    assert sizes[0] == sizes[1], sizes
