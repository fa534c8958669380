"""A learner's rights across features: the data export holds every feature's part, and erasure unnames
their certificates everywhere (PDF data, public page, signed credential) while keeping the serials."""
from __future__ import annotations

import json

from sqlalchemy import select

from app.certificates import completion, issuing
from app.certificates.models import Certificate
from app.extensions import db, utcnow
from app.people import services as people
from app.quizzes.models import PracticalCheck
from app.vietnam import local_today
from tests.conftest import login

BASE = "https://hocvuso.example.vn"


def _issue(finished) -> list[Certificate]:
    klass = finished["class"]
    standings = completion.class_standing(klass, completion.rules_for(klass.commune_id))
    completion.confirm(klass, standings, actor=finished["officer"], now=utcnow())
    certificates = issuing.issue_many(klass, [s.person for s in standings if s.confirmed],
                                      signer=issuing.Signer("Đỗ Thị Lan", "Cán bộ Văn hóa - Xã hội"),
                                      actor=finished["officer"], base_url=BASE, secret="test-data-key",
                                      today=local_today())
    db.session.commit()
    return certificates


def test_the_data_export_holds_every_features_part(finished) -> None:
    huong = finished["learners"][0]
    cert = _issue(finished)[0]

    data = json.loads(json.dumps(people.personal_data(huong)))  # what the download serialises

    assert data["full_name"] == "Nguyễn Thị Hương"
    assert [e["class"] for e in data["enrolments"]] == [finished["class"].title]
    assert [m["status"] for m in data["attendance"]] == ["present"] * 4
    assert data["quiz_attempts"][0]["module"] == "NCT-05" and data["quiz_attempts"][0]["passed"] is True
    assert {c["task"] for c in data["practical_checks"]} == {t.code for t in finished["module"].current.tasks}
    assert [(c["module"], c["status"]) for c in data["completions"]] == [("NCT-05", "confirmed")]
    assert data["certificates"][0]["serial"] == cert.serial
    assert data["certificates"][0]["revisions"][0]["holder_name"] == "Nguyễn Thị Hương"
    assert data["account"]["has_pin"] is True and data["account"]["vneid"] is None
    assert huong.account.pin_hash not in json.dumps(data)  # never a secret, not even hashed


def test_erasure_revokes_and_unnames_certificates_but_keeps_the_serial(finished, client) -> None:
    huong, binh = finished["learners"][:2]
    certs = {c.person_id: c for c in _issue(finished)}
    module = finished["module"]
    check = db.session.scalar(select(PracticalCheck).where(PracticalCheck.person_id == huong.id))
    check.note = "Bà Hương hơi run tay, cần người giúp"
    db.session.commit()

    people.erase_person(huong, actor=finished["officer"])
    db.session.commit()

    erased = db.session.get(Certificate, certs[huong.id].id)
    assert erased.serial == certs[huong.id].serial and erased.status == "revoked"
    assert all(r.holder_name == people.ERASED_NAME and r.birth_year is None and r.credential == {}
               for r in erased.revisions)
    assert "Hương" not in json.dumps(people.personal_data(huong), ensure_ascii=False)
    assert db.session.scalar(select(PracticalCheck.note).where(PracticalCheck.id == check.id)) == ""
    ticks = db.session.scalars(select(PracticalCheck.task_code).where(PracticalCheck.person_id == huong.id)).all()
    assert set(ticks) == {t.code for t in module.current.tasks}  # the ticks stay, as anonymous counts

    answer = client.get(f"/verify/{erased.serial}.json").get_json()
    assert answer["status"] == "revoked" and answer["holder"] is None and answer.get("birth_year") is None
    assert answer["signature"] == {"valid": False, "reason": "removed", "method": None}
    page = client.get(f"/verify/{erased.serial}").get_data(as_text=True)
    assert "Hương" not in page and "Giấy chứng nhận đã bị thu hồi" in page
    assert "Chứng nhận số đã được xóa cùng dữ liệu cá nhân của người được cấp." in page

    login(client, finished["officer"])
    gone = client.get(f"/certificates/{erased.serial}/credential.json")
    assert gone.status_code == 410 and "xóa" in gone.get_json()["message"]

    # Someone else's certificate is untouched and still verifies.
    other = client.get(f"/verify/{certs[binh.id].serial}.json").get_json()
    assert other["status"] == "valid" and other["holder"] == "T. V. Bình" and other["signature"]["valid"] is True
