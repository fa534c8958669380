"""Wrong secrets lock an account for a short, growing time: counted in the database, per account, never per address."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth import guards, services
from app.auth.models import SignInGuard
from app.extensions import db, utcnow
from tests import factories
from tests.conftest import login

WRONG = "975310"


@pytest.fixture
def learner(ctx):
    person = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    return {"id": person.id, "phone": person.phone}


def _fail(client: FlaskClient, phone: str, times: int = guards.MAX_FAILURES) -> str:
    html = ""
    for _ in range(times):
        html = client.post("/login", data={"phone": phone, "secret": WRONG}).get_data(as_text=True)
    return html


def test_five_wrong_pins_lock_the_account_even_against_the_right_one(client: FlaskClient, learner) -> None:
    html = _fail(client, learner["phone"])
    assert "tạm khóa đăng nhập đến" in html
    refused = client.post("/login", data={"phone": learner["phone"], "secret": factories.PIN})
    assert refused.status_code == 200 and "tạm khóa" in refused.get_data(as_text=True)
    assert "Xin chào" not in client.get("/").get_data(as_text=True)


def test_the_count_is_shared_by_every_process(app_factory, learner) -> None:
    # Two app instances on one database stand in for two gunicorn workers: failures add up.
    first, second = app_factory(), app_factory()
    _fail(first.test_client(), learner["phone"], 3)
    _fail(second.test_client(), learner["phone"], 2)
    refused = second.test_client().post("/login", data={"phone": learner["phone"], "secret": factories.PIN})
    assert "tạm khóa" in refused.get_data(as_text=True)


def test_an_unknown_phone_locks_the_same_way_so_locks_reveal_no_account(client: FlaskClient, ctx) -> None:
    assert "tạm khóa đăng nhập đến" in _fail(client, "0987654321")
    assert db.session.scalar(select(SignInGuard.key)).startswith("phone:")
    assert "0987654321" not in db.session.scalar(select(SignInGuard.key))


def test_one_persons_failures_do_not_lock_out_others_on_the_same_network(client: FlaskClient, ctx, learner) -> None:
    other = factories.person(factories.commune(), name="Trần Văn Bình")
    db.session.commit()
    _fail(client, learner["phone"], 20)  # many more than one lock's worth, all from one address
    assert client.post("/login", data={"phone": other.phone, "secret": factories.PIN}).status_code == 302


def test_a_right_secret_before_the_limit_starts_the_count_again(client: FlaskClient, learner) -> None:
    _fail(client, learner["phone"], guards.MAX_FAILURES - 1)
    assert client.post("/login", data={"phone": learner["phone"], "secret": factories.PIN}).status_code == 302
    client.post("/logout")
    _fail(client, learner["phone"], guards.MAX_FAILURES - 1)
    assert client.post("/login", data={"phone": learner["phone"], "secret": factories.PIN}).status_code == 302


def test_locks_grow_and_end(ctx, learner) -> None:
    key = guards.person_key(learner["id"])
    now = utcnow()
    for _ in range(guards.MAX_FAILURES - 1):
        assert guards.record_failure(key, now) is None
    first = guards.record_failure(key, now)
    assert first == now + timedelta(minutes=1)
    for _ in range(guards.MAX_FAILURES - 1):
        guards.record_failure(key, now)
    assert guards.record_failure(key, now) == now + timedelta(minutes=2)
    assert guards.locked_until(key, now + timedelta(minutes=3)) is None
    assert guards.lock_length(30) == guards.LONGEST_LOCK


def test_a_quiet_day_forgives_old_failures(ctx, learner) -> None:
    key = guards.person_key(learner["id"])
    long_ago = utcnow() - timedelta(days=2)
    for _ in range(guards.MAX_FAILURES - 1):
        guards.record_failure(key, long_ago)
    assert guards.record_failure(key) is None  # counted afresh: one failure, not five


def test_kiosk_pins_and_sign_in_share_one_counter(ctx, learner) -> None:
    person = db.session.get(factories.Person, learner["id"])
    for _ in range(3):
        assert services.check_pin(person, WRONG).person is None
    for _ in range(2):
        outcome = services.authenticate(learner["phone"], WRONG)
    assert outcome.locked_until is not None
    assert services.check_pin(person, factories.PIN).person is None


def test_staff_unlock_a_learner(client: FlaskClient, ctx, learner) -> None:
    instructor = factories.person(db.session.get(factories.Person, learner["id"]).commune, name="Nguyễn Văn Hùng",
                                  role=factories.Role.INSTRUCTOR)
    db.session.commit()
    _fail(client, learner["phone"])
    staff = login(client.application.test_client(), instructor)
    assert "Mở khóa đăng nhập" in staff.get(f"/people/{learner['id']}/credentials").get_data(as_text=True)
    assert staff.post(f"/people/{learner['id']}/unlock").status_code == 302
    assert client.post("/login", data={"phone": learner["phone"], "secret": factories.PIN}).status_code == 302


def test_a_wrong_secret_costs_one_hash_whether_or_not_the_phone_exists(ctx, learner, monkeypatch) -> None:
    calls: list[str] = []
    real = services.check_password_hash

    def counting(stored: str, secret: str) -> bool:
        calls.append(stored)
        return real(stored, secret)

    monkeypatch.setattr(services, "check_password_hash", counting)
    for phone, secret in ((learner["phone"], WRONG), ("0987654321", WRONG), (learner["phone"], "sai-mat-khau"),
                          ("0987654322", "sai-mat-khau"), ("không phải số", WRONG)):
        calls.clear()
        assert services.authenticate(phone, secret).person is None
        assert len(calls) == 1, (phone, secret)
