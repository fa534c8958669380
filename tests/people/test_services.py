"""People: checking fields, consent and its withdrawal, sensitive data, roles, search, erasure."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.extensions import db
from app.people import names, services
from app.people.models import AuditEvent, DisabilityRecord, Person
from app.policy import Role
from tests import factories

SECRET = "test-data-key"


def test_person_is_created_with_a_normalised_name_and_phone(ctx) -> None:
    commune = factories.commune()
    person = services.create_person(commune=commune, full_name="  Nguyễn   Thị Hương ", phone="+84 912.345.678",
                                    birth_year=1956)
    assert person.full_name == "Nguyễn Thị Hương"
    assert person.phone == "0912345678"
    assert person.name_search == "nguyen thi huong"


@pytest.mark.parametrize(("values", "field"), [
    ({"full_name": " "}, "full_name"),
    ({"birth_year": 1850}, "birth_year"),
    ({"birth_year": 2999}, "birth_year"),
    ({"phone": "12345"}, "phone"),
    ({"gender": "unknown"}, "gender"),
])
def test_bad_fields_are_refused_with_the_field_named(ctx, values: dict, field: str) -> None:
    commune = factories.commune()
    with pytest.raises(DomainError) as error:
        services.create_person(commune=commune, **{"full_name": "Trần Văn Bình", **values})
    assert error.value.field == field


def test_a_phone_number_belongs_to_one_person_only(ctx) -> None:
    commune = factories.commune()
    services.create_person(commune=commune, full_name="Trần Văn Bình", phone="0912345678")
    with pytest.raises(DomainError, match="đã được dùng"):
        services.create_person(commune=commune, full_name="Lê Văn Cường", phone="0912 345 678")


def test_village_must_belong_to_the_persons_commune(ctx) -> None:
    home, other = factories.commune(), factories.commune(factories.COMMUNE_CODES[1])
    with pytest.raises(DomainError, match="không thuộc xã"):
        services.create_person(commune=home, full_name="Trần Văn Bình", village=factories.village(other))


def test_elderly_follows_from_the_birth_year(ctx) -> None:
    commune = factories.commune()
    old = services.create_person(commune=commune, full_name="Ngô Văn Sáu", birth_year=1947)
    young = services.create_person(commune=commune, full_name="Cao Văn Thắng", birth_year=2009, tags=["pupil"])
    assert "elderly" in old.audiences
    assert young.audiences == {"pupil"}


def test_disability_cannot_be_stored_without_its_own_consent(ctx) -> None:
    person = factories.person(factories.commune())
    with pytest.raises(DomainError, match="đồng ý riêng"):
        services.set_disability(person, kinds=["vision"], needs="", actor=None, secret=SECRET)


def test_disability_is_encrypted_at_rest_and_every_read_is_logged(ctx) -> None:
    person = factories.person(factories.commune())
    services.record_consent(person, purpose="disability", method="paper", policy_version="t", recorded_by=None)
    services.set_disability(person, kinds=["vision"], needs="Cần chữ rất to", actor=None, secret=SECRET)
    record = db.session.get(DisabilityRecord, person.id)
    assert b"vision" not in record.kinds_encrypted and "Cần chữ".encode() not in record.needs_encrypted
    assert "disabled" in person.audiences
    assert services.read_disability(person, actor=None, secret=SECRET) == (["vision"], "Cần chữ rất to")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == person.id)).all()
    assert "sensitive.read" in actions


def test_disability_data_cannot_be_read_with_another_key(ctx) -> None:
    person = factories.person(factories.commune())
    services.record_consent(person, purpose="disability", method="paper", policy_version="t", recorded_by=None)
    services.set_disability(person, kinds=["mobility"], needs="", actor=None, secret=SECRET)
    with pytest.raises(ValueError):
        services.read_disability(person, actor=None, secret="another-key")


def test_withdrawing_disability_consent_deletes_the_sensitive_data(ctx) -> None:
    person = factories.person(factories.commune())
    consent = services.record_consent(person, purpose="disability", method="verbal", policy_version="t",
                                      recorded_by=None)
    services.set_disability(person, kinds=["hearing_speech"], needs="", actor=None, secret=SECRET)
    services.withdraw_consent(consent, by=None, note="Không muốn nữa")
    assert db.session.get(DisabilityRecord, person.id) is None
    assert consent.withdrawn_at is not None and not consent.active
    assert "disabled" not in person.audiences


def test_consent_is_never_implied(ctx) -> None:
    person = factories.person(factories.commune(), consent=False)
    assert services.active_consent(person, "learning") is None
    with pytest.raises(DomainError):
        services.record_consent(person, purpose="marketing", method="paper", policy_version="t", recorded_by=None)


def test_recording_the_same_consent_twice_keeps_one(ctx) -> None:
    person = factories.person(factories.commune())
    first = services.active_consent(person, "learning")
    again = services.record_consent(person, purpose="learning", method="online", policy_version="t",
                                    recorded_by=None)
    assert again is first


def test_roles_are_scoped_to_a_commune_or_one_village(ctx) -> None:
    commune = factories.commune()
    village = factories.village(commune)
    person = factories.person(commune, role=None)
    services.grant_role(person, Role.TEAM_MEMBER, commune=commune, village=village)
    services.grant_role(person, Role.TEAM_MEMBER, commune=commune, village=village)
    assert [(r.role, r.village_id) for r in person.role_assignments] == [("team_member", village.id)]
    with pytest.raises(DomainError):
        services.grant_role(person, Role.OFFICER, commune=None)


def test_search_finds_names_typed_without_diacritics_and_by_phone(ctx) -> None:
    commune = factories.commune()
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    factories.person(commune, name="Đỗ Văn Đức")
    db.session.flush()
    found = db.session.scalars(services.search(commune.id, "nguyen thi huong")).all()
    assert [p.id for p in found] == [huong.id]
    assert db.session.scalars(services.search(commune.id, "do van duc")).one().full_name == "Đỗ Văn Đức"
    assert db.session.scalars(services.search(commune.id, huong.phone[-4:])).one().id == huong.id


def test_search_treats_percent_and_underscore_literally(ctx) -> None:
    commune = factories.commune()
    factories.person(commune, name="Nguyễn Thị Hương")
    assert db.session.scalars(services.search(commune.id, "%")).all() == []


def test_erasing_a_person_removes_identifying_data_and_sign_in(ctx) -> None:
    commune = factories.commune()
    person = factories.person(commune)
    services.erase_person(person, actor=None)
    db.session.flush()
    stored = db.session.get(Person, person.id)
    assert stored.phone is None and stored.full_name == "(Đã xóa)" and stored.account is None
    assert not stored.is_active and all(not c.active for c in stored.consents)


def test_personal_data_export_lists_what_is_held(ctx) -> None:
    person = factories.person(factories.commune(), name="Lê Thị Ánh Tuyết", tags=["trader"])
    data = services.personal_data(person)
    assert data["full_name"] == "Lê Thị Ánh Tuyết"
    assert "trader" in data["audiences"] and data["consents"][0]["purpose"] == "learning"


@pytest.mark.parametrize(("raw", "clean"), [("0912345678", "0912345678"), ("+84912345678", "0912345678"),
                                             ("84 912 345 678", "0912345678"), ("0912.345.678", "0912345678"),
                                             ("", None)])
def test_phone_numbers_are_normalised(raw: str, clean: str | None) -> None:
    assert names.normalise_phone(raw) == clean


def test_names_are_masked_for_public_pages() -> None:
    assert names.mask_name("Nguyễn Thị Hương") == "N. T. Hương"
    assert names.mask_phone("0912345678") == "•••••••678"
