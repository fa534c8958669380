"""Rules for VNeID identities and instructor-vouched accounts: hashing, claims, matching, linking, vouching."""
from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth import identity, services
from app.auth.identity import ClaimNames, VerifiedIdentity
from app.auth.models import VneidIdentity
from app.errors import DomainError
from app.extensions import db
from app.people import services as people
from app.policy import Role
from tests import factories
from tests.conftest import login

KEY = "test-citizen-id-key"
NUMBER = "001056012345"


def verified(number: str = NUMBER, name: str = "Nguyễn Thị Hương", birth_year: int | None = 1956,
             level: int | None = 2) -> VerifiedIdentity:
    return VerifiedIdentity(citizen_id_hmac=identity.citizen_hmac(number, KEY), citizen_id_last3=number[-3:],
                            issuer="https://id.example", subject="sub-1", full_name=name, birth_year=birth_year,
                            gender="female", assurance_level=level)


# --- the citizen ID is never kept in clear ---------------------------------------------------------

def test_citizen_id_is_kept_only_as_a_keyed_hash() -> None:
    hashed = identity.citizen_hmac(NUMBER, KEY)
    assert len(hashed) == 64 and NUMBER not in hashed
    assert hashed == identity.citizen_hmac("0010 5601 2345", KEY)  # spaces do not matter
    assert hashed != identity.citizen_hmac(NUMBER, "another-server-key")


@pytest.mark.parametrize("bad", ["", "12345678901", "1234567890123", "00105601234a"])
def test_citizen_id_must_be_twelve_digits(bad: str) -> None:
    with pytest.raises(DomainError, match="đúng 12 chữ số"):
        identity.clean_citizen_id(bad)


def test_hmac_key_comes_from_the_environment_or_the_instance_folder(app_factory, tmp_path) -> None:
    configured = app_factory(CITIZEN_ID_HMAC_KEY="from-env")
    with configured.app_context():
        assert identity.hmac_key() == "from-env"
    generated = app_factory(CITIZEN_ID_HMAC_KEY=None)
    generated.instance_path = str(tmp_path)
    with generated.app_context():
        first = identity.hmac_key()
        assert first == identity.hmac_key() and len(first) > 40
    assert (tmp_path / "citizen_id_hmac_key").stat().st_mode & 0o777 == 0o600


# --- reading claims, whatever the provider calls them -------------------------------------------

def test_claims_are_read_by_configured_names() -> None:
    names = ClaimNames(citizen_id="so_dinh_danh", name="ho_ten", birthdate="ngay_sinh", gender="gioi_tinh",
                       assurance="muc_do")
    claims = {"sub": "abc", "so_dinh_danh": "001 056 012 345", "ho_ten": "  Nguyễn  Thị Hương ",
              "ngay_sinh": "12/03/1956", "gioi_tinh": "Nữ", "muc_do": "2"}
    found = identity.identity_from_claims(claims, issuer="https://id.example", claim_names=names, key=KEY)
    assert found.as_dict() == {**verified().as_dict(), "subject": "abc"}
    assert NUMBER not in repr(found)


@pytest.mark.parametrize(("value", "year"), [("1956-03-12", 1956), ("12/03/1956", 1956), ("1956", 1956),
                                             (1956, 1956), ("0000-03-12", None), (None, None)])
def test_birth_year_from_any_usual_date(value: object, year: int | None) -> None:
    assert identity.birth_year_of(value) == year


@pytest.mark.parametrize(("value", "level"), [(2, 2), ("1", 1), ("urn:mock-vneid:level:2", 2),
                                              ("http://eidas.europa.eu/LoA/substantial", None), (None, None)])
def test_assurance_level_is_the_claims_last_number(value: object, level: int | None) -> None:
    assert identity.assurance_level_of(value) == level


def test_missing_citizen_id_claim_is_refused() -> None:
    with pytest.raises(DomainError, match="không gửi số định danh"):
        identity.identity_from_claims({"sub": "abc", "name": "A"}, issuer="x", claim_names=ClaimNames(), key=KEY)


# --- linking, matching and new learners --------------------------------------------------------

def test_matching_needs_phone_birth_year_and_the_verified_name(ctx: Flask) -> None:
    commune = factories.commune()
    huong = factories.person(commune, name="Nguyễn Thị Hương", birth_year=1956)
    assert identity.match_person(verified(), phone=huong.phone, birth_year=1956) is huong
    assert identity.match_person(verified(name="NGUYEN THI HUONG"), phone=huong.phone, birth_year=1956) is huong
    for phone, year, name in ((huong.phone, 1957, "Nguyễn Thị Hương"), ("0999999999", 1956, "Nguyễn Thị Hương"),
                              (huong.phone, 1956, "Trần Văn Bình"), ("not a phone", 1956, "Nguyễn Thị Hương"),
                              (huong.phone, None, "Nguyễn Thị Hương")):
        with pytest.raises(identity.NoMatch):
            identity.match_person(verified(name=name), phone=phone, birth_year=year)


def test_linking_records_consent_and_makes_an_account(ctx: Flask) -> None:
    person = factories.person(factories.commune(), account=False)
    link = identity.link(person, verified(), policy_version="test")
    assert (link.person_id, link.citizen_id_last3, link.assurance_level) == (person.id, "345", 2)
    assert link.linked_at is not None and person.account is not None and person.is_active
    assert people.active_consent(person, "vneid").method == "online"


def test_one_citizen_one_person(ctx: Flask) -> None:
    commune = factories.commune()
    first, second = factories.person(commune), factories.person(commune, name="Trần Văn Bình")
    identity.link(first, verified(), policy_version="test")
    with pytest.raises(DomainError):
        identity.link(second, verified(), policy_version="test")
    with pytest.raises(DomainError):
        identity.link(first, verified(number="001056099999"), policy_version="test")


def test_matched_record_already_linked_elsewhere_is_not_offered(ctx: Flask) -> None:
    huong = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    identity.link(huong, verified(number="001056099999"), policy_version="test")
    with pytest.raises(identity.NoMatch):
        identity.match_person(verified(), phone=huong.phone, birth_year=1956)


def test_sign_in_finds_only_linked_citizens_and_refreshes_the_level(ctx: Flask) -> None:
    person = factories.person(factories.commune())
    assert identity.sign_in(verified(), policy_version="test") is None
    identity.link(person, verified(level=1), policy_version="test")
    assert identity.sign_in(verified(level=2), policy_version="test") is person
    assert identity.identity_of(person).assurance_level == 2


def test_new_learner_from_vneid(ctx: Flask) -> None:
    commune = factories.commune()
    village = factories.village(commune)
    person = identity.create_learner(verified(name="Hoàng Thị Mơ", birth_year=1950), commune=commune,
                                     village=village, policy_version="test")
    assert (person.full_name, person.birth_year, person.gender, person.village_id) == (
        "Hoàng Thị Mơ", 1950, "female", village.id)
    assert [a.role for a in person.role_assignments] == [Role.LEARNER.value]
    assert {c.purpose for c in person.consents} == {"learning", "vneid"}


def test_erasing_a_person_removes_their_vneid_link(ctx: Flask) -> None:
    person = factories.person(factories.commune())
    identity.link(person, verified(), policy_version="test")
    people.erase_person(person, actor=None)
    db.session.commit()
    assert db.session.scalars(select(VneidIdentity)).all() == []
    assert identity.sign_in(verified(), policy_version="test") is None


def test_the_data_export_shows_the_vneid_link_as_kept_never_the_number(ctx: Flask) -> None:
    person = factories.person(factories.commune())
    identity.link(person, verified(level=2), policy_version="test")
    db.session.commit()
    data = people.personal_data(person)
    assert data["account"]["vneid"]["citizen_id"] == "•••••••••345"
    assert data["account"]["vneid"]["assurance_level"] == 2
    assert NUMBER not in str(data) and identity.identity_of(person).citizen_id_hmac not in str(data)


def test_withdrawing_vneid_consent_unlinks_but_keeps_the_account(ctx: Flask) -> None:
    person = factories.person(factories.commune())
    identity.link(person, verified(), policy_version="test")
    people.withdraw_consent(people.active_consent(person, "vneid"), by=person)
    db.session.commit()
    assert identity.identity_of(person) is None and identity.sign_in(verified(), policy_version="test") is None
    assert services.authenticate(person.phone, factories.PIN).person is person


# --- instructor-vouched accounts ----------------------------------------------------------------

def test_instructor_vouches_for_someone_without_vneid(ctx: Flask) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    learner = factories.person(commune, name="Kiều Văn Phúc", birth_year=1944, account=False)
    identity.vouch(learner, voucher=instructor, pin="975310", key=KEY, policy_version="test")
    account = learner.account
    assert account.vouched_by_id == instructor.id and account.vouched_at is not None and account.active
    assert services.authenticate(learner.phone, "975310").person is learner
    assert identity.identity_of(learner) is None


def test_vouching_refuses_people_who_already_have_an_account(ctx: Flask) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    learner = factories.person(commune, name="Kiều Văn Phúc")
    with pytest.raises(DomainError, match="đã có tài khoản"):
        identity.vouch(learner, voucher=instructor, pin="975310", key=KEY, policy_version="test")


def test_vouching_does_not_unlock_a_locked_account(ctx: Flask) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    learner = factories.person(commune, name="Kiều Văn Phúc", account=False)
    services.ensure_account(learner).active = False
    with pytest.raises(DomainError, match="đang bị khóa"):
        identity.vouch(learner, voucher=instructor, pin="975310", key=KEY, policy_version="test")


def test_vouching_with_a_citizen_id_needs_consent_and_links_on_first_login(ctx: Flask) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    learner = factories.person(commune, name="Kiều Văn Phúc", birth_year=1944, account=False)
    with pytest.raises(DomainError, match="hình thức đồng ý"):
        identity.vouch(learner, voucher=instructor, pin="975310", citizen_id=NUMBER, key=KEY, policy_version="t")
    identity.vouch(learner, voucher=instructor, pin="975310", citizen_id=NUMBER, consent_method="verbal", key=KEY,
                   policy_version="test")
    noted = identity.identity_of(learner)
    assert noted.linked_at is None and noted.citizen_id_last3 == "345" and NUMBER not in noted.citizen_id_hmac
    assert people.active_consent(learner, "vneid").recorded_by_id == instructor.id
    # Later the person gets VNeID: the first login links to the same, still vouched, account.
    assert identity.sign_in(verified(name="Kiều Văn Phúc", level=1), policy_version="test") is learner
    assert noted.linked_at is not None and noted.assurance_level == 1
    assert learner.account.vouched_by_id == instructor.id
    assert services.authenticate(learner.phone, "975310").person is learner


def test_a_citizen_id_is_noted_for_one_person_only(ctx: Flask) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    first = factories.person(commune, name="Kiều Văn Phúc", account=False)
    second = factories.person(commune, name="Tạ Văn Lâm", account=False)
    identity.vouch(first, voucher=instructor, pin="975310", citizen_id=NUMBER, consent_method="paper", key=KEY,
                   policy_version="test")
    with pytest.raises(DomainError, match="một người khác"):
        identity.vouch(second, voucher=instructor, pin="975310", citizen_id=NUMBER, consent_method="paper",
                       key=KEY, policy_version="test")


def test_vouching_through_the_person_page(client, ctx: Flask) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    learner = factories.person(commune, name="Kiều Văn Phúc", birth_year=1944, account=False)
    db.session.commit()
    login(client, instructor)
    page = client.get(f"/people/{learner.id}").get_data(as_text=True)
    assert "Tạo tài khoản và bảo lãnh" in page and "Chưa liên kết" in page
    weak = client.post(f"/people/{learner.id}/vouch", data={"pin": "123456"})
    assert "quá dễ đoán" in weak.get_data(as_text=True)
    done = client.post(f"/people/{learner.id}/vouch", data={"pin": "975310", "citizen_id": "0010 5601 2345",
                                                            "consent_method": "paper"})
    assert done.status_code == 302
    page = client.get(f"/people/{learner.id}").get_data(as_text=True)
    assert "Tài khoản do Nguyễn Văn Hùng tạo và bảo lãnh" in page
    assert "•••••••••345" in page and NUMBER not in page and "Tạo tài khoản và bảo lãnh" not in page


def test_learners_cannot_vouch(client, ctx: Flask) -> None:
    commune = factories.commune()
    learner = factories.person(commune, name="Trần Văn Bình")
    other = factories.person(commune, name="Kiều Văn Phúc", account=False)
    db.session.commit()
    login(client, learner)
    assert client.post(f"/people/{other.id}/vouch", data={"pin": "975310"}).status_code == 403
