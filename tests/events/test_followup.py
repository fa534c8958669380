"""Following up the people who asked for a class: the nearest class for their audience, enrolled once, within
capacity, only with consent to learning confirmed by the staff member who asked, and only within the commune."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.classes.models import Class, Enrolment
from app.errors import DomainError
from app.events import followup, services
from app.events.models import Participant
from app.events.services import Newcomer
from app.extensions import db
from app.people import services as people
from app.people.models import Consent, Person
from app.policy import Role
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.events.conftest import Day, consent
from tests.statements import counting


@dataclass
class Classes:
    elderly_dong: Class  # for the elderly, in Đông, in a week
    elderly_tay: Class  # for the elderly, in Tây, tomorrow
    general_dong: Class  # for everyone, in Đông
    traders: Class  # for small traders, at a venue of no village
    elsewhere: Class  # another commune's, for the elderly


@dataclass
class Asked:
    huong: Participant  # elderly, Đông, consents to learning
    binh: Participant  # elderly, Tây, consents to learning
    pao: Participant  # elderly newcomer, Đông, no consent to learning yet
    lan: Participant  # 31 years old, Đông, a trader, no consent to learning yet
    minh: Participant  # 30 years old, no tag, Tây, consents to learning


def _classes(day: Day) -> Classes:
    today = local_today()
    dong = factories.venue(day.commune, "Điểm học thôn Đông", in_village=day.dong)
    tay = factories.venue(day.commune, "Điểm học thôn Tây", in_village=day.tay)
    teacher = (day.instructor,)
    made = Classes(
        factories.school_class(day.commune, title="Người cao tuổi thôn Đông", at=dong, instructors=teacher,
                               starts_on=today + dt.timedelta(days=7)),
        factories.school_class(day.commune, title="Người cao tuổi thôn Tây", at=tay, instructors=teacher,
                               starts_on=today + dt.timedelta(days=1)),
        factories.school_class(day.commune, title="Kỹ năng số cho mọi người", at=dong, instructors=teacher,
                               audience="general", starts_on=today + dt.timedelta(days=3)),
        factories.school_class(day.commune, title="Bán hàng qua mạng", at=day.venue, instructors=teacher,
                               audience="trader", starts_on=today + dt.timedelta(days=2)),
        factories.school_class(day.other_commune, title="Người cao tuổi xã bên", audience="elderly"),
    )
    return made


def _asked(day: Day) -> Asked:
    year = local_today().year
    lan = factories.person(day.commune, name="Vũ Thị Lan", village=day.dong, birth_year=year - 31, consent=False,
                           account=False)
    people.set_tags(lan, ["trader"])
    minh = factories.person(day.commune, name="Đinh Văn Minh", village=day.tay, birth_year=year - 30, account=False)
    consent(lan)
    consent(minh)
    consent(day.binh)
    asked = Asked(
        services.register(day.event, day.huong, source="gate", actor=day.youth, wants_class=True),
        services.register(day.event, day.binh, source="gate", actor=day.youth, wants_class=True),
        services.register_newcomer(day.event, Newcomer("Lò Văn Páo", 1949, day.dong.id), source="gate",
                                   actor=day.youth, consent_method="verbal", wants_class=True),
        services.register(day.event, lan, source="gate", actor=day.youth, wants_class=True),
        services.register(day.event, minh, source="signup", actor=None, arrived=False, wants_class=True),
    )
    services.register(day.event, factories.person(day.commune, name="Mạc Văn Không", village=day.dong),
                      source="gate", actor=day.youth, consent_method="verbal")  # came, did not ask
    db.session.commit()
    return asked


def _by_name(found: list[followup.Proposal]) -> dict[str, followup.Proposal]:
    return {p.person.full_name: p for p in found}


def _enrolments() -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.source == "event")) or 0


def _learning(person: Person) -> list[Consent]:
    return list(db.session.scalars(select(Consent).where(Consent.person_id == person.id,
                                                         Consent.purpose == "learning")))


def _everyone(day: Day, **kwargs: Any) -> followup.Outcome:
    """Enrol everyone who asked; the staff member confirms having asked all those the page lists as to be asked."""
    found = followup.proposals(day.event, today=local_today())
    kwargs.setdefault("may_act_on", lambda _person: True)
    kwargs.setdefault("confirmed", {p.participant.id for p in found if not p.consented})
    outcome = followup.enrol_asked(day.event, found, actor=day.youth, **kwargs)
    db.session.commit()
    return outcome


def test_each_is_proposed_a_class_for_their_audience_then_in_their_village_then_the_soonest(day: Day) -> None:
    classes = _classes(day)
    _asked(day)
    found = _by_name(followup.proposals(day.event, today=local_today()))
    assert set(found) == {"Nguyễn Thị Hương", "Trần Văn Bình", "Lò Văn Páo", "Vũ Thị Lan", "Đinh Văn Minh"}
    assert found["Nguyễn Thị Hương"].klass is classes.elderly_dong  # her village's, though Tây's starts sooner
    assert found["Trần Văn Bình"].klass is classes.elderly_tay
    assert found["Lò Văn Páo"].klass is classes.elderly_dong
    assert found["Vũ Thị Lan"].klass is classes.traders  # her audience's, though the general class is in Đông
    assert found["Đinh Văn Minh"].klass is classes.general_dong  # no audience: a class for everyone
    assert found["Nguyễn Thị Hương"].audiences == ("elderly",) and found["Đinh Văn Minh"].audiences == ()
    assert [p.consented for p in found.values()] == [p.person.full_name in ("Nguyễn Thị Hương", "Trần Văn Bình",
                                                                           "Đinh Văn Minh") for p in found.values()]


def test_a_full_class_comes_after_one_with_a_free_seat(day: Day) -> None:
    classes = _classes(day)
    _asked(day)
    classes.elderly_dong.capacity = 1
    factories.enrol_learners(classes.elderly_dong, 1)
    db.session.commit()
    found = _by_name(followup.proposals(day.event, today=local_today()))
    assert found["Nguyễn Thị Hương"].klass is classes.elderly_tay


def test_a_disability_record_never_chooses_the_class(day: Day) -> None:
    _classes(day)
    disabled = factories.school_class(day.commune, title="Lớp cho người khuyết tật", instructors=(day.instructor,),
                                      audience="disabled")
    _asked(day)
    people.record_consent(day.huong, purpose="disability", method="paper", policy_version="t", recorded_by=None)
    people.set_disability(day.huong, kinds=["vision"], needs="", actor=None, secret="test-data-key")
    db.session.commit()
    found = _by_name(followup.proposals(day.event, today=local_today()))
    assert found["Nguyễn Thị Hương"].klass is not disabled and "disabled" not in found["Nguyễn Thị Hương"].audiences


def test_enrolling_all_without_confirming_consent_enrols_only_those_who_consent_to_learning(day: Day) -> None:
    classes, asked = _classes(day), _asked(day)
    outcome = _everyone(day, consent_method=None)
    assert sorted(outcome.enrolled) == ["Nguyễn Thị Hương", "Trần Văn Bình", "Đinh Văn Minh"]
    assert sorted(outcome.need_consent) == ["Lò Văn Páo", "Vũ Thị Lan"]
    pao = db.session.get(Person, asked.pao.person_id)
    assert _learning(pao) == []  # nothing written for someone not asked yet
    assert db.session.get(Participant, asked.pao.id).enrolled_class_id is None
    assert db.session.get(Participant, asked.huong.id).enrolled_class_id == classes.elderly_dong.id
    row = db.session.scalar(select(Enrolment).where(Enrolment.person_id == asked.huong.person_id))
    assert row.status == "enrolled" and row.source == "event" and row.created_by_id == day.youth.id


def test_confirmed_consent_is_recorded_by_the_staff_member_and_enrolling_twice_enrols_once(day: Day) -> None:
    classes, asked = _classes(day), _asked(day)
    first = _everyone(day, consent_method="verbal")
    assert len(first.enrolled) == 5 and not first.need_consent
    pao = db.session.get(Person, asked.pao.person_id)
    given = _learning(pao)
    assert len(given) == 1
    assert given[0].method == "verbal" and given[0].recorded_by_id == day.youth.id
    assert day.event.name in given[0].note
    huong = db.session.get(Person, day.huong.id)
    assert len(_learning(huong)) == 1  # her own consent stands; none is added on her behalf
    assert _enrolments() == 5

    again = _everyone(day, consent_method="verbal")
    assert again.enrolled == [] and len(again.already) == 5
    assert _enrolments() == 5 and len(_learning(pao)) == 1
    assert db.session.get(Participant, asked.lan.id).enrolled_class_id == classes.traders.id


def test_the_confirmation_covers_only_those_the_page_listed_as_to_be_asked(day: Day) -> None:
    _classes(day)
    asked = _asked(day)
    outcome = _everyone(day, consent_method="verbal", confirmed={asked.lan.id})  # Páo was not on the page yet
    assert outcome.need_consent == ["Lò Văn Páo"] and "Vũ Thị Lan" in outcome.enrolled
    assert _learning(db.session.get(Person, asked.pao.person_id)) == []


def test_a_class_that_fills_up_puts_the_next_on_its_waiting_list(day: Day) -> None:
    classes, asked = _classes(day), _asked(day)
    classes.elderly_dong.capacity = 1
    db.session.commit()
    outcome = _everyone(day, consent_method="verbal")
    assert outcome.enrolled.count("Nguyễn Thị Hương") + outcome.enrolled.count("Lò Văn Páo") == 1
    assert outcome.waitlisted == ["Nguyễn Thị Hương"]  # the list is in name order: Páo (Lò) first
    statuses = dict(db.session.execute(select(Enrolment.person_id, Enrolment.status)
                                       .where(Enrolment.class_id == classes.elderly_dong.id)).all())
    assert statuses == {asked.pao.person_id: "enrolled", asked.huong.person_id: "waitlisted"}
    assert db.session.get(Participant, asked.huong.id).enrolled_class_id == classes.elderly_dong.id


def test_nobody_is_enrolled_whom_the_staff_member_does_not_outrank(day: Day) -> None:
    _classes(day)
    asked = _asked(day)
    outcome = _everyone(day, consent_method="verbal", may_act_on=lambda p: p.id != asked.huong.person_id)
    assert outcome.not_allowed == ["Nguyễn Thị Hương"]
    assert db.session.get(Participant, asked.huong.id).enrolled_class_id is None


def test_one_person_into_a_class_of_another_commune_or_a_closed_one_is_refused(day: Day) -> None:
    classes, asked = _classes(day), _asked(day)
    mine = followup.proposals(day.event, today=local_today(), participant_id=asked.huong.id)
    assert [p.participant.id for p in mine] == [asked.huong.id]
    for klass in (classes.elsewhere, factories.school_class(day.commune, title="Lớp đã xong", status="finished",
                                                             instructors=(day.instructor,))):
        with pytest.raises(DomainError):
            followup.enrol_asked(day.event, mine, actor=day.youth, consent_method=None, confirmed=(),
                                 may_act_on=lambda _p: True, klass=klass)
    assert _enrolments() == 0
    assert classes.elsewhere not in followup.open_classes(day.commune.id, local_today())


def test_nobody_without_a_class_for_them_is_enrolled_anywhere(day: Day) -> None:
    _asked(day)
    outcome = _everyone(day, consent_method="verbal")
    assert len(outcome.no_class) == 5 and _enrolments() == 0


# --- the pages ------------------------------------------------------------------------------------------------------

def test_the_follow_up_page_lists_those_who_asked_with_their_class(day: Day, client: FlaskClient) -> None:
    _classes(day)
    _asked(day)
    login(client, day.youth)
    page = client.get(f"/events/{day.event.id}/followup")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Lò Văn Páo" in text and "Mạc Văn Không" not in text  # only those who asked
    assert "Người cao tuổi thôn Đông" in text and "Cần hỏi" in text
    assert "Người cao tuổi xã bên" not in text  # never another commune's class


def test_enrolling_from_the_page_needs_the_confirmation_for_those_not_yet_asked(day: Day, client: FlaskClient) -> None:
    classes, asked = _classes(day), _asked(day)
    login(client, day.youth)
    url = f"/events/{day.event.id}/followup"
    text = client.post(url, data={}, follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi danh 3 người" in text and "Chưa ghi danh 2 người" in text
    listed = [str(asked.pao.id), str(asked.lan.id)]
    assert f'name="asked" value="{asked.pao.id}"' in client.get(url).get_data(as_text=True)
    text = client.post(url, data={"consent_asked": "y", "consent_method": "paper", "asked": ["x", *listed[1:]]},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi danh 1 người" in text and "Chưa ghi danh 1 người" in text
    text = client.post(url, data={"consent_asked": "y", "consent_method": "paper", "asked": listed},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi danh 1 người: Lò Văn Páo" in text
    assert _learning(db.session.get(Person, asked.lan.person_id))[0].method == "paper"
    text = client.post(url, data={"consent_asked": "y", "consent_method": "verbal"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Không còn ai cần ghi danh" in text and _enrolments() == 5
    assert client.post(url, data={"consent_asked": "y", "consent_method": "sms"}).status_code == 302
    assert classes.elderly_dong.id in set(db.session.scalars(select(Participant.enrolled_class_id)))


def test_one_person_is_enrolled_in_the_class_chosen_for_them(day: Day, client: FlaskClient) -> None:
    classes, asked = _classes(day), _asked(day)
    login(client, day.officer)
    url = f"/events/{day.event.id}/followup/{asked.pao.id}"
    assert client.post(url, data={"class_id": str(classes.elsewhere.id), "consent_asked": "y"}).status_code == 302
    assert client.post(url, data={"class_id": str(classes.general_dong.id)}).status_code == 302
    assert _enrolments() == 0  # not asked yet: nothing written
    client.post(url, data={"class_id": str(classes.general_dong.id), "consent_asked": "y"})
    assert db.session.get(Participant, asked.pao.id).enrolled_class_id == classes.general_dong.id
    assert _enrolments() == 1


def test_a_staff_member_is_not_enrolled_by_an_organiser_of_the_same_rank(day: Day, client: FlaskClient) -> None:
    _classes(day)
    helper = factories.person(day.commune, name="Bùi Văn Tình", village=day.dong, role=Role.AMBASSADOR)
    consent(helper)
    mine = services.register(day.event, helper, source="gate", actor=day.youth, wants_class=True)
    db.session.commit()
    login(client, day.youth)
    assert client.post(f"/events/{day.event.id}/followup/{mine.id}", data={"class_id": "1"}).status_code == 403
    login(client, day.officer)
    assert client.post(f"/events/{day.event.id}/followup/{mine.id}",
                       data={"class_id": str(db.session.scalar(select(Class.id).where(
                           Class.title == "Kỹ năng số cho mọi người")))}).status_code == 302
    assert db.session.get(Participant, mine.id).enrolled_class_id is not None


def test_the_follow_up_page_costs_the_same_statements_however_many_asked(day: Day, client: FlaskClient) -> None:
    _classes(day)
    _asked(day)
    login(client, day.youth)
    url = f"/events/{day.event.id}/followup"
    client.get(url)  # warm any per-process cache first
    db.session.expire_all()  # the test's session is the requests' too: both runs start from nothing loaded
    with counting() as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        person = factories.person(day.commune, name=f"Hoàng Văn Số {i}", village=(day.dong, day.tay)[i % 2],
                                  birth_year=1950 + i, consent=i % 2 == 0, account=False)
        consent(person)
        people.set_tags(person, ["trader"] if i % 3 == 0 else [])
        services.register(day.event, person, source="gate", actor=day.youth, wants_class=True)
    factories.school_class(day.commune, title="Thêm một lớp", instructors=(day.instructor,), audience="general")
    db.session.commit()
    db.session.expire_all()
    with counting() as many:
        page = client.get(url)
    assert page.status_code == 200 and "Hoàng Văn Số 29" in page.get_data(as_text=True)
    assert len(few) == len(many)
