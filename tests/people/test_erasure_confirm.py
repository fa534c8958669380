"""Erasing a person is permanent: the page says what goes, and the person's full name must be typed to confirm."""
from __future__ import annotations

import unicodedata

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.people import rights
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def world(ctx):
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    db.session.commit()
    return {"officer": officer, "huong": huong, "commune": commune}


def _erased(person: Person) -> bool:
    db.session.expire_all()
    return db.session.get(Person, person.id).erased_at is not None


@pytest.mark.parametrize(("typed", "same"), [
    ("Nguyễn Thị Hương", True),
    ("  nguyễn   THỊ hương ", True),
    (unicodedata.normalize("NFD", "Nguyễn Thị Hương"), True),  # decomposed diacritics, as some keyboards send
    ("Nguyễn\u200b Thị Hương", True),  # an invisible zero-width space
    ("Nguyen Thi Huong", False),  # the diacritics are part of the name
    ("Nguyễn Thị", False),
    ("", False),
    (None, False),
])
def test_the_typed_name_must_be_the_full_name(typed: str | None, same: bool) -> None:
    assert rights.names_match(typed, "Nguyễn Thị Hương") is same


def test_the_confirmation_says_what_is_deleted_and_that_it_cannot_be_undone(client: FlaskClient, world) -> None:
    huong = world["huong"]
    login(client, world["officer"])
    page = client.get(f"/people/{huong.id}").get_data(as_text=True)
    assert f'href="/people/{huong.id}/erase"' in page and f'action="/people/{huong.id}/erase"' not in page
    page = client.get(f"/people/{huong.id}/erase").get_data(as_text=True)
    assert "Không thể hoàn tác." in page and "Họ và tên, số điện thoại" in page
    assert "Gõ họ và tên của người này để xác nhận" in page and "Xóa vĩnh viễn" in page
    assert not _erased(huong)


def test_a_one_tap_or_forged_erase_changes_nothing(client: FlaskClient, world) -> None:
    huong = world["huong"]
    login(client, world["officer"])
    for data in ({}, {"confirm": "yes"}, {"full_name": huong.full_name}):
        response = client.post(f"/people/{huong.id}/erase", data=data)
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert response.location.endswith(f"/people/{huong.id}/erase")
    assert not _erased(huong)


def test_a_wrong_name_is_refused_and_says_so(client: FlaskClient, world) -> None:
    huong = world["huong"]
    login(client, world["officer"])
    response = client.post(f"/people/{huong.id}/erase", data={"confirm": "yes", "full_name": "Nguyen Thi Huong"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Họ tên bạn gõ không khớp với &#34;Nguyễn Thị Hương&#34;. Chưa xóa gì" in page
    assert 'aria-invalid="true"' in page
    assert not _erased(huong)
    assert db.session.get(Person, huong.id).full_name == "Nguyễn Thị Hương"


def test_the_full_name_typed_in_any_case_erases(client: FlaskClient, world) -> None:
    huong = world["huong"]
    login(client, world["officer"])
    response = client.post(f"/people/{huong.id}/erase", data={"confirm": "yes", "full_name": " nguyễn thị HƯƠNG"},
                           follow_redirects=True)
    assert "Đã xóa vĩnh viễn" in response.get_data(as_text=True)
    assert _erased(huong)
    assert client.get(f"/people/{huong.id}/erase").status_code == 302  # nothing left to erase


def test_the_rank_rule_still_applies_to_the_confirmation(client: FlaskClient, world) -> None:
    other = factories.person(world["commune"], name="Phạm Văn Quân", role=Role.OFFICER)
    db.session.commit()
    login(client, world["officer"])
    assert client.get(f"/people/{other.id}/erase").status_code == 403
    assert client.post(f"/people/{other.id}/erase", data={"confirm": "yes", "full_name": other.full_name}
                       ).status_code == 403
    assert not _erased(other)
