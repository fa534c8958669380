"""Market pages: coverage, quick toggles, adding and changing stalls and markets, refusals, the trader's learning."""
from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.catalog import services as catalog
from app.classes import enrolment
from app.extensions import db
from app.markets import services
from app.markets.models import Market, Stall
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.markets.conftest import World


def _stall(world: World, label: str, market: Market | None = None, trader=None, **facts: bool) -> Stall:
    stall = services.save_stall(market or world.market, services.StallFields(label, "Rau củ", "", trader),
                                actor=world.officer)
    if facts:
        services.set_facts(stall, facts, on=local_today(), actor=world.officer)
    db.session.commit()
    return stall


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Stall))


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_markets_list_says_how_many_stalls_take_qr_payment(client: FlaskClient, world: World) -> None:
    for n in range(1, 6):
        _stall(world, str(n), qr_payment=n <= 3)
    html = _page(login(client, world.officer), f"/communes/{world.commune.id}/markets")
    assert "Chợ Tiên Minh: 3 / 5 quầy nhận thanh toán QR" in html
    assert "Chợ Việt An" not in html


def test_a_village_team_member_sees_the_commune_wide_markets_and_their_villages_only(client: FlaskClient,
                                                                                   world: World) -> None:
    services.save_market(world.commune, services.MarketFields("Chợ chiều thôn Tây", "market", world.west.id),
                         actor=None)
    db.session.commit()
    html = _page(login(client, world.team_east), f"/communes/{world.commune.id}/markets")
    assert "Chợ Tiên Minh" in html and "Điểm kinh doanh thôn Đông" in html and "Chợ chiều thôn Tây" not in html


def test_a_leader_reads_the_coverage_but_not_the_stalls_and_their_traders(client: FlaskClient, world: World) -> None:
    _stall(world, "1", trader=world.trader)
    login(client, world.leader)
    assert client.get(f"/communes/{world.commune.id}/markets").status_code == 200
    assert client.get(f"/markets/{world.market.id}").status_code == 403


def test_another_communes_officer_is_refused_everything_of_the_commune(client: FlaskClient, world: World) -> None:
    stall = _stall(world, "1", trader=world.trader)
    login(client, world.other_officer)
    for url in (f"/communes/{world.commune.id}/markets", f"/markets/{world.market.id}", f"/stalls/{stall.id}",
                f"/stalls/{stall.id}/edit", f"/markets/{world.market.id}/edit"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/stalls/{stall.id}/toggle", data={"fact": "qr_payment"}).status_code == 403
    assert client.post(f"/markets/{world.market.id}/stalls/new", data={"label": "99"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Stall, stall.id).qr_payment is False and _count() == 1


def test_one_tap_toggles_a_fact_and_returns_to_the_same_stall(client: FlaskClient, world: World) -> None:
    stall = _stall(world, "7")
    login(client, world.team_east)
    response = client.post(f"/stalls/{stall.id}/toggle", data={"fact": "qr_payment", "missing": "qr_payment"})
    assert response.status_code == 302
    assert response.location.endswith(f"/markets/{world.market.id}?missing=qr_payment#stall-{stall.id}")
    db.session.expire_all()
    saved = db.session.get(Stall, stall.id)
    assert saved.qr_payment is True and saved.qr_payment_on == local_today()
    assert saved.qr_payment_by_id == world.team_east.id


def test_a_forged_fact_is_refused_with_a_message_and_changes_nothing(client: FlaskClient, world: World) -> None:
    stall = _stall(world, "7")
    login(client, world.officer)
    response = client.post(f"/stalls/{stall.id}/toggle", data={"fact": "trader_id"}, follow_redirects=True)
    assert "Thông tin 4T không hợp lệ." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Stall, stall.id).trader_id is None


def test_the_market_page_lists_stalls_with_pressed_toggles_and_filters(client: FlaskClient, world: World) -> None:
    _stall(world, "1", trader=world.trader, qr_payment=True)
    _stall(world, "2")
    html = _page(login(client, world.youth), f"/markets/{world.market.id}")
    assert "Hoàng Thị Lụa" in html and 'aria-pressed="true"' in html and 'id="stall-' in html
    filtered = _page(client, f"/markets/{world.market.id}?missing=qr_payment")
    assert "Quầy 2" in filtered and "Quầy 1<" not in filtered


def test_adding_a_stall_records_its_facts_checked_that_day(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    day = local_today() - dt.timedelta(days=2)
    response = client.post(f"/markets/{world.market.id}/stalls/new", data={
        "label": "b-12", "goods": "Quần áo", "business_name": "Thời trang Xuân Mai", "trader_id": str(world.trader.id),
        "qr_payment": "y", "online_sales": "y", "platforms": ["zalo", "tiktok"], "checked_on": day.isoformat()})
    assert response.status_code == 302
    stall = db.session.scalar(select(Stall).where(Stall.label == "B-12"))
    assert stall.trader_id == world.trader.id and stall.platform_codes == ["zalo", "tiktok"]
    assert (stall.qr_payment, stall.qr_payment_on, stall.e_invoice, stall.e_invoice_on) == (True, day, False, day)


@pytest.mark.parametrize(("extra", "message"), [
    ({"label": "5"}, "đã có quầy số 5"),
    ({"label": "6", "checked_on": "2999-01-01"}, "Ngày kiểm tra không được ở tương lai."),
    ({"label": "6", "trader_id": "SHY"}, "chưa đồng ý cho ghi nhận"),
    ({"label": "6", "trader_id": "OTHER"}, "Người bán phải là người dân của xã này."),
    ({"label": "6", "trader_id": "WEST"}, "ngoài phạm vi bạn phụ trách"),
    ({"label": "6", "online_sales": "y", "platforms": ["myspace"]}, "Nền tảng bán hàng không hợp lệ."),
    ({"label": ""}, "Vui lòng nhập số quầy."),
])
def test_a_bad_stall_is_refused_with_a_message_and_nothing_written(client: FlaskClient, world: World, extra: dict,
                                                                    message: str) -> None:
    _stall(world, "5")
    ids = {"SHY": world.shy_trader.id, "OTHER": world.other_trader.id, "WEST": world.west_trader.id}
    data = {"checked_on": local_today().isoformat(), **extra}
    if data.get("trader_id") in ids:
        data["trader_id"] = str(ids[data["trader_id"]])
    login(client, world.team_east)
    response = client.post(f"/markets/{world.market.id}/stalls/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count() == 1


def test_a_trader_without_consent_is_refused_with_a_link_to_record_it(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    response = client.post(f"/markets/{world.market.id}/stalls/new", data={
        "label": "8", "trader_id": str(world.shy_trader.id), "checked_on": local_today().isoformat()})
    html = response.get_data(as_text=True)
    assert f'href="/people/{world.shy_trader.id}"' in html and "ghi nhận sự đồng ý" in html
    assert _count() == 0


def test_a_forged_trader_id_reads_as_no_trader(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    response = client.post(f"/markets/{world.market.id}/stalls/new", data={
        "label": "8", "trader_id": "not-a-number", "checked_on": local_today().isoformat()})
    assert response.status_code == 302
    assert db.session.scalar(select(Stall.trader_id).where(Stall.label == "8")) is None


def test_editing_only_the_goods_keeps_the_days_facts_were_checked(client: FlaskClient, world: World) -> None:
    stall = _stall(world, "9", qr_payment=True)
    old = local_today() - dt.timedelta(days=30)
    stall.qr_payment_on = old
    db.session.commit()
    login(client, world.officer)
    form = {"label": "9", "goods": "Hoa quả", "qr_payment": "y", "checked_on": local_today().isoformat()}
    assert client.post(f"/stalls/{stall.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Stall, stall.id).qr_payment_on == old
    assert client.post(f"/stalls/{stall.id}/edit", data={**form, "recheck": "y"}).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Stall, stall.id)
    assert saved.qr_payment_on == local_today() and saved.e_invoice_on == local_today()
    assert saved.goods == "Hoa quả"


def test_only_an_officer_removes_a_stall(client: FlaskClient, world: World) -> None:
    stall = _stall(world, "3")
    login(client, world.team_east)
    assert client.post(f"/stalls/{stall.id}/delete").status_code == 403
    login(client, world.officer)
    assert client.post(f"/stalls/{stall.id}/delete").status_code == 302
    assert _count() == 0


def test_an_officer_adds_a_market_and_a_village_of_another_commune_is_refused(client: FlaskClient,
                                                                             world: World) -> None:
    foreign = factories.village(world.other, "Thôn Ngoài")
    db.session.commit()
    login(client, world.officer)
    url = f"/communes/{world.commune.id}/markets/new"
    response = client.post(url, data={"name": "Chợ cá", "kind": "market", "village_id": str(foreign.id)})
    assert "Thôn đã chọn không thuộc xã này." in response.get_data(as_text=True)
    response = client.post(url, data={"name": "Chợ Tiên Minh", "kind": "market", "village_id": "0"})
    assert "Xã đã có" in response.get_data(as_text=True)
    response = client.post(url, data={"name": "Chợ cá", "kind": "street", "village_id": str(world.west.id)})
    assert response.status_code == 302
    made = db.session.scalar(select(Market).where(Market.name == "Chợ cá"))
    assert made.village_id == world.west.id and made.kind == "street"
    login(client, world.youth)
    assert client.get(url).status_code == 403


def test_the_stall_page_links_its_trader_to_the_4t_modules_and_classes(client: FlaskClient, world: World,
                                                                       track_4t: object) -> None:
    stall = _stall(world, "4", trader=world.trader, qr_payment=True)
    module = catalog.module_by_code("4T-01")
    klass = factories.school_class(world.commune, title="Lớp 4T cho tiểu thương", audience="trader",
                                   modules=(module,))
    factories.school_class(world.commune, title="Lớp cho người cao tuổi", audience="elderly")
    enrolment.enrol(klass, world.trader, source="staff")
    db.session.commit()
    html = _page(login(client, world.team_east), f"/stalls/{stall.id}")
    assert "/catalog/modules/4T-01" in html and "/catalog/modules/4T-02" in html
    assert "Lớp 4T cho tiểu thương" in html and "Lớp cho người cao tuổi" not in html
    assert "Người bán đã đăng ký" in html and "Đỗ Thị Lan" in html  # who checked the QR payment


HOSTILE = ("", " ", "-1", "0", str(2**31), "9" * 99, "abc", "9999-12-30", "0001-01-01", "2024-02-30",
           "<script>alert(1)</script>", "' OR 1=1 --", "a" * 5000, "Thôn Đông 𝔘 ✓", "null", "[]")
STALL_FIELDS = ("label", "goods", "business_name", "trader_id", "qr_payment", "online_sales", "platforms",
                "digital_savings", "e_invoice", "checked_on", "recheck")


def test_hostile_values_in_every_field_get_an_answer_never_a_server_error(client: FlaskClient, world: World) -> None:
    stall = _stall(world, "1")
    login(client, world.officer)
    base = {"label": "2", "checked_on": local_today().isoformat()}
    for value in HOSTILE:
        for name in STALL_FIELDS:
            for url in (f"/markets/{world.market.id}/stalls/new", f"/stalls/{stall.id}/edit"):
                response = client.post(url, data={**base, name: value})
                assert response.status_code < 500, (url, name, value)
            db.session.rollback()
            # Whatever was accepted, "2" stays unique and the first stall keeps its label.
            assert db.session.scalar(select(func.count()).select_from(Stall).where(Stall.label == "2")) <= 1
        for name in ("name", "kind", "village_id", "address"):
            response = client.post(f"/communes/{world.commune.id}/markets/new",
                                   data={"name": "Chợ thử", "kind": "market", name: value})
            assert response.status_code < 500, (name, value)
        assert client.post(f"/stalls/{stall.id}/toggle", data={"fact": value, "missing": value}).status_code < 500
        assert client.get(f"/markets/{world.market.id}", query_string={"missing": value}).status_code == 200


def test_a_date_that_is_not_a_date_gets_a_vietnamese_message(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    response = client.post(f"/markets/{world.market.id}/stalls/new", data={"label": "2", "checked_on": "2024-02-30"})
    assert "Vui lòng nhập ngày (ngày/tháng/năm)." in response.get_data(as_text=True) and _count() == 0
