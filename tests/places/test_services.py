"""Places: communes from the official list, villages and venues with unique names."""
from __future__ import annotations

import pytest

from app.errors import DomainError
from app.places import services


def test_a_commune_is_added_once_from_its_official_code(ctx) -> None:
    commune = services.add_commune("11791")
    assert commune.name == "Xã Tiên Minh" and commune.province.name == "Thành phố Hải Phòng"
    assert services.add_commune("11791").id == commune.id


def test_an_unknown_code_is_refused(ctx) -> None:
    with pytest.raises(DomainError, match="không có trong danh mục"):
        services.add_commune("99999")


def test_communes_are_found_by_name_without_diacritics() -> None:
    assert any(ward.name == "Xã Tiên Minh" for ward in services.find_communes("tien minh"))


def test_village_names_are_unique_ignoring_case_even_for_vietnamese_letters(ctx) -> None:
    commune = services.add_commune("11791")
    services.save_village(commune, name="Thôn Đông", kind="thon")
    with pytest.raises(DomainError, match="đã có"):
        services.save_village(commune, name="THÔN ĐÔNG", kind="thon")


def test_venue_names_are_unique_and_facts_are_checked(ctx) -> None:
    commune = services.add_commune("11791")
    services.save_venue(commune, values={"name": "Nhà văn hóa thôn Đông", "capacity": 40, "tablets": 10,
                                         "step_free": True})
    with pytest.raises(DomainError, match="đã có"):
        services.save_venue(commune, values={"name": "nhà văn hóa thôn đông", "capacity": 40})
    with pytest.raises(DomainError) as error:
        services.save_venue(commune, values={"name": "Hội trường", "capacity": 0})
    assert error.value.field == "capacity"
