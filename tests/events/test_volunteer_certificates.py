"""Thank-you certificates for an event's volunteers: issued once each with their hours, signed and verifiable like
completion certificates, printed from their own template, and never counted as completions."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select

from app.certificates import completion, issuing, pdf, progress, verification
from app.certificates.models import Certificate
from app.events import planning, thanks
from app.events.models import Event, Shift
from app.extensions import db, utcnow
from app.indicators import REGISTRY, Period
from app.people import services as people
from app.people.models import Person
from app.vietnam import day as day_text
from app.vietnam import local_today
from tests.certificates.conftest import finished  # noqa: F401  (fixture)
from tests.conftest import login

BASE = "https://hocvuso.example.vn"
SECRET = "test-data-key"
SIGNER = issuing.Signer("Đỗ Thị Lan", "Phó Chủ tịch")


@pytest.fixture
def world(finished: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """The finished class with its completion certificates issued, and a 10/10 day in the same commune with two
    volunteers on its roster (the class's instructor, and a learner who already holds a completion certificate)."""
    klass, officer = finished["class"], finished["officer"]
    completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                       actor=officer, now=utcnow())
    issuing.issue_next(klass, batch=10, signer=SIGNER, actor=officer, base_url=BASE, secret=SECRET,
                       today=local_today())
    event = planning.create_event(finished["commune"], kind="day", name="Ngày hội toàn dân học tập số 10/10",
                                  held_on=local_today(), opens_at=dt.time(7, 30), closes_at=dt.time(16, 30),
                                  actor=officer)
    station = planning.add_station(event, topic="vietqr", quiz=False)
    hung, huong = finished["instructor"], finished["learners"][0]
    for person, duty, start, end, at in ((hung, "gate", (7, 30), (11, 30), None),
                                         (hung, "station", (11, 0), (13, 0), station),
                                         (huong, "guide", (13, 0), (16, 30), None),
                                         (None, "board", (7, 30), (16, 30), None)):
        db.session.add(Shift(event_id=event.id, person_id=person.id if person else None, duty=duty,
                             station_id=at.id if at else None, starts_at=dt.time(*start), ends_at=dt.time(*end)))
    db.session.commit()
    return {**finished, "event": event, "hung": hung, "huong": huong}


def _issue(world: dict[str, Any], batch: int = 25) -> thanks.Progress:
    event = db.session.get(Event, world["event"].id)
    done = thanks.issue_next(event, batch=batch, signer=SIGNER, actor=world["officer"], base_url=BASE,
                             secret=SECRET, today=local_today())
    db.session.commit()
    return done


def _volunteer_certs() -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.kind == "volunteer")
                                   .order_by(Certificate.serial)))


def test_each_volunteer_gets_one_certificate_a_batch_at_a_time(world: dict[str, Any]) -> None:
    assert _issue(world, batch=1) == thanks.Progress(done=1, total=2)
    assert _issue(world, batch=1) == thanks.Progress(done=2, total=2)
    assert _issue(world, batch=1) == thanks.Progress(done=2, total=2)
    certs = _volunteer_certs()
    assert len(certs) == 2 and len({c.serial for c in certs}) == 2
    by_person = {c.person_id: c for c in certs}
    hung = by_person[world["hung"].id]
    assert hung.hours == 5.5  # 07:30–11:30 and 11:00–13:00: the half hour they overlap counts once
    assert by_person[world["huong"].id].hours == 3.5
    assert hung.achievement == f"Ngày hội toàn dân học tập số 10/10, ngày {day_text(local_today())}"
    assert (hung.event_id, hung.class_id, hung.framework_version_id, hung.skills) == (world["event"].id, None,
                                                                                     None, [])
    assert hung.current.holder_name == "Nguyễn Văn Hùng" and hung.status_index is not None


def test_a_volunteer_certificate_is_signed_and_verifies_like_the_others(world: dict[str, Any],
                                                                       client: FlaskClient) -> None:
    _issue(world)
    cert = next(c for c in _volunteer_certs() if c.person_id == world["hung"].id)
    check = issuing.check_signature(cert)
    assert check is not None and check.ok
    achievement = cert.current.credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CommunityService" and achievement["alignment"] == []
    assert "5,5 giờ" in achievement["description"]
    found = verification.find(cert.serial)
    assert found is not None
    info = verification.summary(*found)
    assert info["kind"] == "volunteer" and info["record_matches"] and info["signature"]["valid"]
    assert info["achievement"] == cert.achievement and info["holder"] == "N. V. Hùng"
    page = client.get(f"/verify/{cert.serial}").get_data(as_text=True)
    assert "Giấy chứng nhận hợp lệ" in page and "Tình nguyện viên tại" in page and "5,5 giờ" in page
    assert client.get(f"/verify/{cert.serial}.json").get_json()["kind"] == "volunteer"


def test_the_certificate_prints_from_the_volunteer_template(world: dict[str, Any], client: FlaskClient) -> None:
    _issue(world)
    cert = next(c for c in _volunteer_certs() if c.person_id == world["hung"].id)
    login(client, world["officer"])
    response = client.get(f"/certificates/{cert.serial}.pdf")
    assert response.status_code == 200
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.data)).pages).split())
    for expected in ("GIẤY CHỨNG NHẬN", "Tình nguyện viên Bình dân học vụ số", "Nguyễn Văn Hùng",
                     "Ngày hội toàn dân học tập số 10/10", "Thời gian tham gia: 5,5 giờ", cert.serial):
        assert expected in text, expected
    assert "Đã hoàn thành" not in text and "Hoàn thành chương trình" not in text
    login(client, world["hung"])  # the volunteer finds it among their own
    mine = client.get("/my/certificates").get_data(as_text=True)
    assert cert.serial in mine and "Giấy chứng nhận tình nguyện viên" in mine


def test_volunteer_certificates_change_no_count_of_completions(world: dict[str, Any]) -> None:
    commune, klass = world["commune"], world["class"]
    year = local_today().year
    before = (progress.year_figures({commune.id}, year), progress.class_counts(klass),
              progress.list_counts([klass.id]), REGISTRY["basic_skills"].count([commune.id], Period(year)))
    _issue(world)
    db.session.expire_all()
    klass = db.session.get(type(klass), klass.id)
    after = (progress.year_figures({commune.id}, year), progress.class_counts(klass),
             progress.list_counts([klass.id]), REGISTRY["basic_skills"].count([commune.id], Period(year)))
    assert before == after
    assert before[0].certified == 2  # the two learners who completed; not Hùng, who only volunteered
    total = db.session.scalar(select(func.count()).select_from(Certificate).where(Certificate.commune_id == commune.id))
    assert total == 4


def test_a_volunteer_certificate_is_reissued_and_revoked_like_the_others(world: dict[str, Any]) -> None:
    _issue(world)
    cert = next(c for c in _volunteer_certs() if c.person_id == world["hung"].id)
    hung = db.session.get(Person, world["hung"].id)
    people.update_person(hung, full_name="Nguyễn Văn Hưng", birth_year=hung.birth_year, village=hung.village,
                         phone=hung.phone, gender=hung.gender, tags=[t.tag for t in hung.tags])
    issuing.reissue(cert, actor=world["officer"], reason="Sửa họ tên", base_url=BASE, secret=SECRET)
    db.session.commit()
    assert cert.current.number == 2 and cert.current.holder_name == "Nguyễn Văn Hưng"
    check = issuing.check_signature(cert)
    assert check is not None and check.ok
    assert cert.current.credential["credentialSubject"]["achievement"]["achievementType"] == "CommunityService"
    issuing.revoke(cert, reason="Cấp nhầm người", actor=world["officer"])
    db.session.commit()
    assert verification.summary(*verification.find(cert.serial))["status"] == "revoked"


def test_an_erased_volunteer_is_thanked_no_more(world: dict[str, Any]) -> None:
    people.erase_person(db.session.get(Person, world["huong"].id), actor=world["officer"])
    db.session.commit()
    assert _issue(world) == thanks.Progress(done=1, total=1)
    assert [c.person_id for c in _volunteer_certs()] == [world["hung"].id]


def test_the_office_issues_from_the_summary_with_progress_and_downloads_them_all(world: dict[str, Any],
                                                                                client: FlaskClient) -> None:
    event_id = world["event"].id
    login(client, world["officer"])
    url = f"/events/{event_id}/volunteers/certificates"
    assert client.get(f"{url}.zip").status_code == 404  # nothing issued yet
    answer = client.post(url, headers={"Accept": "application/json"})
    assert answer.get_json() == {"done": 2, "total": 2, "remaining": 0}
    page = client.get(f"/events/{event_id}/summary").get_data(as_text=True)
    assert all(c.serial in page for c in _volunteer_certs())
    archive = client.get(f"{url}.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as files:
        assert sorted(files.namelist()) == sorted(f"{c.serial}.pdf" for c in _volunteer_certs())
    assert "giay-chung-nhan-tinh-nguyen-vien" in archive.headers["Content-Disposition"]
    assert client.post(url, follow_redirects=True).status_code == 200
    assert len(_volunteer_certs()) == 2
    login(client, world["hung"])
    assert client.post(url).status_code == 403


def test_the_volunteer_template_is_checked_like_any_other() -> None:
    template = pdf.template_for("volunteer")
    assert template.name.startswith("Giấy chứng nhận tình nguyện viên")
    assert pdf.template_for("completion").path == pdf.DEFAULT_TEMPLATE
    assert pdf.template_for(None).path == pdf.DEFAULT_TEMPLATE
