"""Markets and stalls: the rules on labels, traders and consent, the 4T facts, coverage, and personal data."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.extensions import db
from app.markets import learning, services
from app.markets.models import Market, Stall
from app.people import rights
from app.people.models import AuditEvent
from tests.markets.conftest import World

TODAY = dt.date(2026, 6, 15)


def _stall(world: World, label: str, market: Market | None = None, **facts: bool) -> Stall:
    stall = services.save_stall(market or world.market, services.StallFields(label, "Rau củ"), actor=world.officer)
    if facts:
        services.set_facts(stall, facts, on=TODAY, actor=world.officer, today=TODAY)
    return stall


def test_a_stall_label_is_unique_within_its_market_whatever_its_case(world: World) -> None:
    _stall(world, "a-05")
    with pytest.raises(DomainError, match="đã có quầy số A-05"):
        services.save_stall(world.market, services.StallFields(" A-05 "), actor=world.officer)
    assert db.session.scalar(select(Stall.label)) == "A-05"
    assert _stall(world, "A-05", world.east_point).market_id == world.east_point.id  # another market: fine


def test_renaming_a_stall_to_a_taken_label_is_refused_and_keeps_its_own(world: World) -> None:
    _stall(world, "1")
    second = _stall(world, "2")
    db.session.commit()
    with pytest.raises(DomainError):
        services.save_stall(world.market, services.StallFields("1"), actor=world.officer, stall=second)
    db.session.rollback()
    assert db.session.get(Stall, second.id).label == "2"


def test_an_empty_or_overlong_label_is_refused(world: World) -> None:
    for label in ("", "   ", "X" * 21):
        with pytest.raises(DomainError, match="số quầy"):
            services.save_stall(world.market, services.StallFields(label), actor=world.officer)


def test_a_stall_cannot_be_moved_into_another_market_by_saving_it_there(world: World) -> None:
    stall = _stall(world, "3")
    with pytest.raises(DomainError, match="chợ khác"):
        services.save_stall(world.other_market, services.StallFields("3"), actor=world.officer, stall=stall)


def test_a_trader_needs_consent_to_digital_support_before_being_linked(world: World) -> None:
    with pytest.raises(DomainError, match="chưa đồng ý"):
        services.save_stall(world.market, services.StallFields("7", trader=world.shy_trader), actor=world.officer)
    assert db.session.scalar(select(Stall.id)) is None
    stall = services.save_stall(world.market, services.StallFields("7", trader=world.trader), actor=world.officer)
    assert stall.trader_id == world.trader.id
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.subject_id == world.trader.id,
                                                             AuditEvent.action == "markets.link_trader"))


def test_a_trader_of_another_commune_is_refused(world: World) -> None:
    with pytest.raises(DomainError, match="người dân của xã này"):
        services.save_stall(world.market, services.StallFields("8", trader=world.other_trader), actor=world.officer)


def test_a_market_name_is_unique_in_its_commune_but_not_across_communes(world: World) -> None:
    with pytest.raises(DomainError, match="đã có"):
        services.save_market(world.commune, services.MarketFields("chợ tiên minh", "market", None), actor=None)
    made = services.save_market(world.other, services.MarketFields("Chợ Tiên Minh", "market", None), actor=None)
    assert made.commune_id == world.other.id


def test_a_market_in_a_village_of_another_commune_or_of_an_unknown_kind_is_refused(world: World) -> None:
    other_village = db.session.scalar(select(Market.village_id).where(Market.id == world.other_market.id))
    assert other_village is None
    from tests import factories

    foreign = factories.village(world.other, "Thôn Ngoài")
    with pytest.raises(DomainError, match="không thuộc xã này"):
        services.save_market(world.commune, services.MarketFields("Chợ mới", "market", foreign.id), actor=None)
    with pytest.raises(DomainError, match="Loại"):
        services.save_market(world.commune, services.MarketFields("Chợ mới", "bazaar", None), actor=None)
    with pytest.raises(DomainError, match="xã khác"):
        services.save_market(world.commune, services.MarketFields("Chợ Việt An 2", "market", None), actor=None,
                             market=world.other_market)


def test_facts_record_the_day_and_who_checked_and_a_future_day_is_refused(world: World) -> None:
    stall = _stall(world, "9")
    services.set_facts(stall, {"qr_payment": True, "online_sales": True}, on=TODAY - dt.timedelta(days=3),
                       actor=world.team_east, platforms=["zalo", "facebook"], today=TODAY)
    assert (stall.qr_payment, stall.qr_payment_on, stall.qr_payment_by_id) == (
        True, TODAY - dt.timedelta(days=3), world.team_east.id)
    assert stall.platform_codes == ["zalo", "facebook"] and stall.digital_savings_on is None
    with pytest.raises(DomainError, match="tương lai"):
        services.set_facts(stall, {"e_invoice": True}, on=TODAY + dt.timedelta(days=1), actor=None, today=TODAY)
    with pytest.raises(DomainError, match="Nền tảng"):
        services.set_facts(stall, {"online_sales": True}, on=TODAY, actor=None, platforms=["myspace"], today=TODAY)
    with pytest.raises(DomainError, match="4T"):
        services.set_facts(stall, {"qr_payment": False, "bitcoin": True}, on=TODAY, actor=None, today=TODAY)
    assert stall.qr_payment is True and stall.e_invoice is False  # nothing changed by the refused ones


def test_stopping_online_sales_forgets_the_platforms(world: World) -> None:
    stall = _stall(world, "10")
    services.set_facts(stall, {"online_sales": True}, on=TODAY, actor=None, platforms=["shopee"], today=TODAY)
    services.set_facts(stall, {"online_sales": False}, on=TODAY, actor=None, today=TODAY)
    assert stall.platforms == ""


def test_a_toggle_flips_one_fact_and_marks_it_checked_today(world: World) -> None:
    stall = _stall(world, "11")
    assert services.toggle(stall, "qr_payment", actor=world.youth, today=TODAY) is True
    assert (stall.qr_payment_on, stall.qr_payment_by_id) == (TODAY, world.youth.id)
    assert services.toggle(stall, "qr_payment", actor=world.youth, today=TODAY) is False
    with pytest.raises(DomainError):
        services.toggle(stall, "qr_payment_by_id", actor=world.youth, today=TODAY)


def test_coverage_counts_stalls_per_market_and_per_fact(world: World) -> None:
    for n in range(1, 6):
        _stall(world, str(n), qr_payment=n <= 3, e_invoice=n == 1)
    _stall(world, "1", world.east_point, qr_payment=True)
    _stall(world, "1", world.other_market, qr_payment=True)
    rows = dict(services.coverage(world.commune.id))
    assert set(rows) == {world.market, world.east_point}  # another commune's market is never counted
    assert rows[world.market].stalls == 5 and rows[world.market].counts["qr_payment"] == 3
    assert rows[world.market].counts["e_invoice"] == 1 and rows[world.market].share("qr_payment") == 60
    assert rows[world.east_point].stalls == 1
    total = services.total(rows.items())
    assert (total.stalls, total.counts["qr_payment"]) == (6, 4)


def test_a_market_without_stalls_has_zero_coverage(world: World) -> None:
    cov = services.market_coverage(world.market)
    assert cov.stalls == 0 and cov.share("qr_payment") == 0


def test_a_village_scoped_reach_sees_its_village_and_the_commune_wide_markets(world: World) -> None:
    west_point = services.save_market(world.commune, services.MarketFields("Chợ chiều thôn Tây", "market",
                                                                           world.west.id), actor=None)
    seen = {m for m, _ in services.coverage(world.commune.id, {world.east.id})}
    assert seen == {world.market, world.east_point}
    assert west_point in {m for m, _ in services.coverage(world.commune.id, None)}
    assert services.markets_in_reach(world.commune.id, {world.west.id}) == [world.market, west_point]


def test_market_stalls_sort_numbers_as_numbers_and_filter_those_missing_a_fact(world: World) -> None:
    for label in ("10", "2", "A-1", "1"):
        _stall(world, label, qr_payment=label == "2")
    assert [s.label for s in services.market_stalls(world.market)] == ["1", "2", "10", "A-1"]
    assert [s.label for s in services.market_stalls(world.market, missing="qr_payment")] == ["1", "10", "A-1"]


def test_trader_candidates_are_the_communes_traders_within_reach(world: World) -> None:
    everyone = services.trader_candidates(world.commune.id, None)
    assert {p.id for p in everyone} == {world.trader.id, world.shy_trader.id, world.west_trader.id}
    east = services.trader_candidates(world.commune.id, {world.east.id})
    assert {p.id for p in east} == {world.trader.id, world.shy_trader.id}


def test_the_export_lists_a_traders_stalls_and_erasure_unlinks_them(world: World) -> None:
    stall = services.save_stall(world.market, services.StallFields("12", "Cá", "Cá đồng", world.trader),
                                actor=world.officer)
    services.set_facts(stall, {"qr_payment": True}, on=TODAY, actor=world.team_east, today=TODAY)
    exported = rights.sections(world.trader)["market_stalls"]
    assert exported == [{"market": "Chợ Tiên Minh", "stall": "12", "goods": "Cá", "business_name": "Cá đồng",
                         "platforms": [], "qr_payment": {"value": True, "checked_on": TODAY.isoformat()},
                         "online_sales": {"value": False, "checked_on": None},
                         "digital_savings": {"value": False, "checked_on": None},
                         "e_invoice": {"value": False, "checked_on": None}}]
    rights.erase(world.trader, world.officer)
    rights.erase(world.team_east, world.officer)
    db.session.flush()
    kept = db.session.get(Stall, stall.id)
    assert kept is not None and kept.trader_id is None and kept.qr_payment_by_id is None and kept.qr_payment
    assert rights.sections(world.trader)["market_stalls"] == []


def test_the_4t_track_modules_come_in_track_order_with_completions_counted(world: World, track_4t: object) -> None:
    modules = learning.track_modules()
    assert [m.code for m in modules] == ["4T-01", "4T-02"]
    assert learning.completed([world.trader.id], [m.id for m in modules]) == {}
    assert learning.trader_progress(world.trader, modules)[modules[0].id].read == 0


def test_without_the_curriculum_there_are_no_4t_modules(world: World) -> None:
    assert learning.track_modules() == []
    assert learning.trader_classes(world.commune.id, []) == []


def test_stalls_cashless_counts_stalls_taking_qr_by_the_periods_end_per_village(world: World) -> None:
    from app.indicators import Dimension, Period
    from app.markets.indicators import StallsCashless

    _stall(world, "1", qr_payment=True)
    _stall(world, "2", qr_payment=False)
    _stall(world, "1", world.east_point, qr_payment=True)
    _stall(world, "1", world.other_market, qr_payment=True)
    ids = [world.commune.id, world.other.id]
    assert StallsCashless.count(ids, Period(2026)) == {(world.commune.id, None): 2, (world.other.id, None): 1}
    assert StallsCashless.count([world.commune.id], Period(2026), Dimension.VILLAGE) == {
        (world.commune.id, None): 1, (world.commune.id, world.east.id): 1}
    assert StallsCashless.count(ids, Period(2026, 1)) == {}  # checked in June: not yet by the end of March
