"""A person's digital facts: the overview, the data export, erasure, and the commune's indicators counted from them."""
from __future__ import annotations

import datetime as dt

import pytest

from app import indicators
from app.auth import identity
from app.digital import services
from app.digital.models import DigitalFact
from app.errors import DomainError
from app.extensions import db
from app.indicators import Dimension, Period
from app.people import rights
from tests import factories
from tests.digital.conftest import World, agree

JAN, MAR, MAY = dt.date(2026, 1, 10), dt.date(2026, 3, 2), dt.date(2026, 5, 20)


def test_overview_gives_the_latest_of_each_fact_and_the_history_newest_first(world: World) -> None:
    services.record(world.huong, "vneid", 1, observed_on=JAN, source="visit", actor=world.team)
    services.record(world.huong, "vneid", 2, observed_on=MAR, source="helpdesk", actor=world.officer)
    services.record(world.huong, "smartphone", 1, observed_on=JAN, source="self", actor=world.huong)
    latest, history = services.overview(world.huong)
    assert {code: (row.value, row.source) for code, row in latest.items()} == {
        "vneid": (2, "helpdesk"), "smartphone": (1, "self")}
    assert [(r.fact, r.observed_on) for r in history] == [("vneid", MAR), ("smartphone", JAN), ("vneid", JAN)]
    assert latest["vneid"].recorded_by.full_name == "Đỗ Thị Lan"
    assert services.value_label("vneid", 2) == "Mức 2" and services.value_label("smartphone", 0) == "Chưa"


def test_nothing_is_recorded_without_consent(world: World) -> None:
    with pytest.raises(DomainError) as error:
        services.record(world.binh, "smartphone", 1, observed_on=JAN, source="visit", actor=world.team)
    assert "chưa đồng ý" in str(error.value.message)
    assert services.overview(world.binh) == ({}, [])


def test_the_data_export_lists_every_fact_about_the_person(world: World) -> None:
    services.record_many(world.huong, {"smartphone": 1, "payment_account": 0}, observed_on=JAN, source="visit",
                         actor=world.team, reference="visit:7")
    section = rights.sections(world.huong)["digital_facts"]
    assert [(s["fact"], s["meaning"], s["observed_on"], s["reference"]) for s in section] == [
        ("smartphone", "Có", "2026-01-10", "visit:7"), ("payment_account", "Chưa", "2026-01-10", "visit:7")]


def test_erasure_deletes_the_persons_facts_and_only_theirs(world: World) -> None:
    agree(world.binh)
    services.record(world.huong, "smartphone", 1, observed_on=JAN, source="visit", actor=world.team)
    services.record(world.binh, "smartphone", 1, observed_on=JAN, source="visit", actor=world.huong)
    rights.erase(world.huong, world.officer)
    assert db.session.query(DigitalFact).filter_by(person_id=world.huong.id).count() == 0
    assert db.session.query(DigitalFact).filter_by(person_id=world.binh.id).count() == 1


def count(code: str, world: World, period: Period, by: Dimension | None = None) -> dict:
    return {key: n for (commune, key), n in indicators.REGISTRY[code].count([world.commune.id], period, by).items()
            if commune == world.commune.id}


def test_the_indicators_are_computed_not_entered(world: World) -> None:
    for code in ("smartphone_adults", "payment_accounts", "vneid_level2"):
        indicator = indicators.REGISTRY[code]
        assert not indicator.manual and indicator.cumulative
        assert Dimension.VILLAGE in indicator.dimensions
    assert indicators.REGISTRY["vneid_level2"].population == "aged_16"


def test_smartphone_adults_counts_the_latest_record_by_the_periods_end(world: World) -> None:
    agree(world.binh)
    services.record(world.huong, "smartphone", 1, observed_on=JAN, source="visit", actor=world.team)
    services.record(world.binh, "smartphone", 1, observed_on=MAY, source="visit", actor=world.team)
    assert count("smartphone_adults", world, Period(2026, 1)) == {None: 1}
    assert count("smartphone_adults", world, Period(2026, 2)) == {None: 2}
    services.record(world.huong, "smartphone", 0, observed_on=MAY, source="visit", actor=world.team)  # lost it
    assert count("smartphone_adults", world, Period(2026, 2)) == {None: 1}
    assert count("smartphone_adults", world, Period(2026, 1)) == {None: 1}
    assert count("smartphone_adults", world, Period(2026), Dimension.GENDER) == {"male": 1}
    assert count("smartphone_adults", world, Period(2026), Dimension.VILLAGE) == {world.dong.id: 1}
    assert count("smartphone_adults", world, Period(2026), Dimension.AGE_BAND) == {"60_plus": 1}


def test_vneid_level2_counts_level_two_from_sixteen_and_payment_accounts_adults(world: World) -> None:
    teen = factories.person(world.commune, name="Cao Văn Thắng", village=world.tay, birth_year=2009)
    child = factories.person(world.commune, name="Cao Thị Nhỏ", village=world.tay, birth_year=2012)
    for p in (teen, child):
        agree(p)
        services.record_many(p, {"vneid": 2, "payment_account": 1}, observed_on=JAN, source="class", actor=None)
    services.record(world.huong, "vneid", 1, observed_on=JAN, source="visit", actor=world.team)
    assert count("vneid_level2", world, Period(2026)) == {None: 1}  # the 17-year-old, not level 1, not the child
    assert count("payment_accounts", world, Period(2026)) == {}  # the 17-year-old is not an adult


def test_an_erased_person_is_not_counted(world: World) -> None:
    services.record(world.huong, "smartphone", 1, observed_on=JAN, source="visit", actor=world.team)
    world.huong.erased_at = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    db.session.flush()
    assert count("smartphone_adults", world, Period(2026)) == {}


def test_a_vneid_sign_in_records_the_level_once_and_only_with_consent(world: World) -> None:
    assert services.record_vneid_login(world.binh, 2, today=MAY) is None  # no consent: nothing, and no error
    assert services.record_vneid_login(world.huong, 2, today=MAY).source == "vneid"
    assert services.record_vneid_login(world.huong, 2, today=MAY) is None  # already level 2
    assert services.record_vneid_login(world.huong, 1, today=MAY) is None  # never lowers it
    assert services.record_vneid_login(world.huong, 7, today=MAY) is None
    assert [(r.fact, r.value, r.source) for r in services.history(world.huong)] == [("vneid", 2, "vneid")]
    assert services.history(world.binh) == []


def test_signing_in_with_vneid_records_the_level_through_the_sign_in_hook(world: World) -> None:
    number, key = "001056012345", "test-citizen-id-key"
    verified = identity.VerifiedIdentity(
        citizen_id_hmac=identity.citizen_hmac(number, key), citizen_id_last3=number[-3:], issuer="https://id.example",
        subject="sub-1", full_name=world.huong.full_name, birth_year=1956, gender="female", assurance_level=2)
    identity.link(world.huong, verified, policy_version="test")
    assert [(r.fact, r.value, r.source) for r in services.history(world.huong)] == [("vneid", 2, "vneid")]
    assert identity.sign_in(verified, policy_version="test") == world.huong  # the next sign-in adds nothing
    assert len(services.history(world.huong)) == 1
