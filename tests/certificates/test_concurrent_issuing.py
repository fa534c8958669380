"""Two officers at once: confirming and issuing a class's certificates both succeed, or say why; never a 500."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.certificates import completion, issuing, status
from app.certificates.models import Certificate, Completion
from app.classes.models import Class
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people.models import Person
from app.vietnam import local_today
from tests.conftest import login

BASE = "https://hocvuso.example.vn"
SECRET = "test-data-key"
SIGNER = issuing.Signer("Đỗ Thị Lan", "Cán bộ Văn hóa - Xã hội")


def _ids(finished) -> dict[str, Any]:
    ids = {"class": finished["class"].id, "commune": finished["commune"].id,
           "people": [p.id for p in finished["learners"][:2]]}
    db.session.remove()
    return ids


def _confirm_all(finished) -> None:
    klass = finished["class"]
    completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                       actor=finished["officer"], now=utcnow())
    db.session.commit()


def _together(app: Flask, work: Callable[[], Any]) -> tuple[dict[str, Any], list[BaseException]]:
    """Run `work` for two officers: the first holds its transaction open a moment before committing."""
    holding, results, errors = threading.Event(), {}, []

    def officer(name: str, hold: bool) -> None:
        try:
            with app.app_context():
                try:
                    results[name] = work()
                    if hold:
                        holding.set()
                        time.sleep(0.5)  # the other officer's request now runs into this one
                    db.session.commit()
                except DomainError as error:
                    db.session.rollback()
                    results[name] = error
                finally:
                    db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            holding.set()

    first = threading.Thread(target=officer, args=("first", True))
    first.start()
    assert holding.wait(20)
    second = threading.Thread(target=officer, args=("second", False))
    second.start()
    first.join(30)
    second.join(30)
    return results, errors


def _issue(ids: dict[str, Any]) -> Callable[[], list[int]]:
    def work() -> list[int]:
        klass = db.session.get(Class, ids["class"])
        people = [db.session.get(Person, i) for i in ids["people"]]
        made = issuing.issue_many(klass, people, signer=SIGNER, actor=None, base_url=BASE, secret=SECRET,
                                  today=local_today())
        return [c.id for c in made]
    return work


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        n = int(db.session.scalar(select(func.count()).select_from(model)) or 0)
        db.session.remove()
        return n


def test_two_officers_issuing_a_class_at_once_both_get_the_same_certificates(app: Flask, finished) -> None:
    _confirm_all(finished)
    ids = _ids(finished)
    results, errors = _together(app, _issue(ids))
    assert not errors, errors
    assert isinstance(results["first"], list) and results["first"] == results["second"]
    assert _count(app, Certificate) == 2


def test_a_certificate_created_twice_past_the_lock_ends_as_one_with_a_clear_message(
        app: Flask, finished, monkeypatch) -> None:
    _confirm_all(finished)
    status.lock(finished["commune"].id)  # the counter row exists, so allocating needs no lock
    db.session.commit()
    ids = _ids(finished)
    monkeypatch.setattr(status, "lock", lambda commune_id: None)  # as a script or an older process would
    results, errors = _together(app, _issue(ids))
    assert not errors, errors
    assert isinstance(results["first"], list)
    assert isinstance(results["second"], DomainError) and "đang được một cán bộ khác cấp" in str(results["second"])
    assert _count(app, Certificate) == 2


def test_two_officers_confirming_a_class_at_once_record_each_completion_once(app: Flask, finished) -> None:
    ids = _ids(finished)

    def work() -> int:
        klass = db.session.get(Class, ids["class"])
        return completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                                  actor=None, now=utcnow())

    results, errors = _together(app, work)
    assert not errors, errors
    assert sorted(results.values()) == [0, 2]  # each learner is confirmed (and counted) by one officer only
    assert _count(app, Completion) == 2


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_issuing_while_another_officer_holds_the_commune_says_so_instead_of_failing(
        client, finished, monkeypatch, accept: str) -> None:
    _confirm_all(finished)

    def busy(_commune_id: int) -> None:
        raise DomainError(status.BUSY)

    monkeypatch.setattr(status, "lock", busy)
    login(client, finished["officer"])
    response = client.post(f"/classes/{finished['class'].id}/certificates/issue", headers={"Accept": accept})
    if accept == "application/json":
        assert response.status_code == 409 and "đang được một cán bộ khác cấp" in response.get_json()["message"]
    else:
        assert response.status_code == 302
        page = client.get(response.location).get_data(as_text=True)
        assert "đang được một cán bộ khác cấp" in page
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
