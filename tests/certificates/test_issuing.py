"""Issuing: unique serials (also under concurrent issuing), signed credentials, revisions, revocation."""
from __future__ import annotations

import copy
import threading

import pytest
from sqlalchemy import func, select

from app.certificates import completion, credential, issuing
from app.certificates.models import Certificate
from app.errors import DomainError
from app.extensions import db, utcnow
from app.places.models import Commune
from app.vietnam import local_today
from tests import factories

BASE = "https://hocvuso.example.vn"
SECRET = "test-data-key"


def _issue_all(finished) -> list[Certificate]:
    klass = finished["class"]
    standings = completion.class_standing(klass, completion.rules_for(klass.commune_id))
    completion.confirm(klass, standings, actor=finished["officer"], now=utcnow())
    signer = issuing.Signer("Đỗ Thị Lan", "Cán bộ Văn hóa - Xã hội")
    return issuing.issue_many(klass, [s.person for s in standings if s.confirmed], signer=signer,
                              actor=finished["officer"], base_url=BASE, secret=SECRET, today=local_today())


def test_a_batch_takes_consecutive_serials_in_one_go(finished) -> None:
    commune = finished["commune"]
    assert issuing.next_serials(commune, 2030, 3) == ["11791-2030-000001", "11791-2030-000002", "11791-2030-000003"]
    assert issuing.next_serial(commune, 2030) == "11791-2030-000004"


def test_serials_follow_commune_year_and_sequence(finished) -> None:
    certificates = _issue_all(finished)
    year = local_today().year
    assert [c.serial for c in certificates] == [f"11791-{year}-000001", f"11791-{year}-000002"]


def test_issuing_twice_returns_the_same_certificate(finished) -> None:
    first = _issue_all(finished)
    again = _issue_all(finished)
    assert [c.id for c in first] == [c.id for c in again]
    assert len(db.session.scalars(select(Certificate)).all()) == 2


def test_issuing_the_next_batch_reports_progress_until_none_remain(finished) -> None:
    klass = finished["class"]
    completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                       actor=finished["officer"], now=utcnow())
    signer = issuing.Signer("Đỗ Thị Lan", "Cán bộ Văn hóa - Xã hội")

    def step() -> issuing.Progress:
        return issuing.issue_next(klass, batch=1, signer=signer, actor=finished["officer"], base_url=BASE,
                                  secret=SECRET, today=local_today())

    assert [(p.done, p.total, p.remaining) for p in (step(), step(), step())] == [(1, 2, 1), (2, 2, 0), (2, 2, 0)]
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2  # the third call issued nothing


def test_unconfirmed_learners_get_no_certificate(finished) -> None:
    with pytest.raises(DomainError, match="xác nhận"):
        issuing.issue(finished["learners"][2], finished["class"], signer=issuing.Signer("A", "B"), actor=None,
                      base_url=BASE, secret=SECRET, today=local_today())


def test_the_credential_is_signed_and_checks_out(finished) -> None:
    cert = _issue_all(finished)[0]
    signed = cert.current.credential
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert signed["credentialSubject"]["name"] == "Nguyễn Thị Hương"
    codes = [a["targetCode"] for a in signed["credentialSubject"]["achievement"]["alignment"]]
    assert codes == cert.skills and "5.2" in codes
    assert issuing.check_signature(cert).ok


@pytest.mark.parametrize("tamper", [
    lambda c: c["credentialSubject"].__setitem__("name", "Kẻ Giả Mạo"),
    lambda c: c["credentialSubject"]["achievement"].__setitem__("name", "Tiến sĩ"),
    lambda c: c.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
    lambda c: c["proof"].__setitem__("proofValue", c["proof"]["proofValue"][:-4] + "abcd"),
])
def test_a_tampered_credential_fails_the_check(finished, tamper) -> None:
    cert = _issue_all(finished)[0]
    forged = copy.deepcopy(cert.current.credential)
    tamper(forged)
    cert.current.credential = forged
    assert not issuing.check_signature(cert).ok


def test_a_key_of_another_commune_is_not_accepted(finished) -> None:
    from app.certificates import keys

    cert = _issue_all(finished)[0]
    other = factories.commune("20767")
    key, private = keys.active_key(other, SECRET)
    forged = copy.deepcopy(cert.current.credential)
    forged.pop("proof")
    cert.current.credential = credential.sign_credential(forged, private,
                                                         f"{forged['issuer']['id']}#{key.kid}")
    result = issuing.check_signature(cert)
    assert not result.ok and result.reason == "unknown_key"


def test_reissuing_after_a_name_correction_keeps_the_serial_and_history(finished) -> None:
    from app.people import services as people

    cert = _issue_all(finished)[0]
    person = finished["learners"][0]
    people.update_person(person, full_name="Nguyễn Thị Hường", birth_year=person.birth_year, village=None,
                         phone=person.phone, gender=None, tags=[])
    revision = issuing.reissue(cert, actor=finished["officer"], reason="Sửa họ tên", base_url=BASE, secret=SECRET)
    assert revision.number == 2 and cert.serial.endswith("000001")
    assert [r.holder_name for r in cert.revisions] == ["Nguyễn Thị Hương", "Nguyễn Thị Hường"]
    assert issuing.check_signature(cert).ok
    with pytest.raises(DomainError, match="chưa thay đổi"):
        issuing.reissue(cert, actor=None, reason="", base_url=BASE, secret=SECRET)


def test_revoking_needs_a_reason_and_is_recorded(finished) -> None:
    cert = _issue_all(finished)[1]
    with pytest.raises(DomainError):
        issuing.revoke(cert, reason=" ", actor=finished["officer"])
    issuing.revoke(cert, reason="Cấp nhầm người", actor=finished["officer"])
    assert cert.status == "revoked" and cert.revocation_reason == "Cấp nhầm người" and cert.revoked_at
    assert issuing.fields(cert, BASE).revoked


def test_serials_are_never_reused_under_concurrent_issuing(app, finished) -> None:
    commune_id = finished["commune"].id
    taken: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            with app.app_context():
                commune = db.session.get(Commune, commune_id)
                barrier.wait()
                for _ in range(25):
                    serial = issuing.next_serial(commune, 2099)
                    db.session.commit()
                    taken.append(serial)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(taken) == len(set(taken)) == 200
    assert sorted(int(s.rsplit("-", 1)[1]) for s in taken) == list(range(1, 201))


def test_the_command_confirms_and_issues_in_batches_and_a_rerun_adds_nothing(app, finished) -> None:
    class_id = finished["class"].id
    db.session.commit()
    args = ["certificates", "issue", "--class", str(class_id), "--base-url", BASE, "--confirm"]
    first = app.test_cli_runner().invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "2 certificate(s) for this class" in first.output
    again = app.test_cli_runner().invoke(args=args)
    assert again.exit_code == 0 and "2 certificate(s) for this class" in again.output
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2
