"""Registering people for an event (once, whoever registers them and however often) and what they do at stations."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import DomainError
from app.events import services
from app.events.models import Participant, StationAnswer, StationVisit
from app.events.services import Newcomer
from app.extensions import db
from app.people.models import Consent, Person
from tests import factories
from tests.events.conftest import Day, consent


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _newcomer(day: Day, **changes: object) -> Newcomer:
    values: dict[str, object] = {"full_name": "Lò Văn Páo", "birth_year": 1949, "village_id": day.dong.id,
                                 "phone": None}
    values.update(changes)
    return Newcomer(**values)  # type: ignore[arg-type]


# --- registration and its dedup ------------------------------------------------------------------

def test_a_person_registered_twice_is_one_participant_with_one_badge(day: Day) -> None:
    first = services.register(day.event, day.huong, source="gate", actor=day.youth)
    again = services.register(day.event, day.huong, source="gate", actor=day.officer)
    assert again.id == first.id
    assert _count(Participant) == 1
    assert len(first.badge_code) == services.BADGE_LENGTH
    assert set(first.badge_code) <= set(services.BADGE_ALPHABET)


def test_the_same_write_sent_twice_is_answered_with_what_the_first_stored(day: Day) -> None:
    first = services.register_newcomer(day.event, _newcomer(day), source="gate", actor=day.youth,
                                       consent_method="verbal", client_id="gate-abcdef01")
    again = services.register_newcomer(day.event, _newcomer(day, full_name="Lo Van Pao"), source="gate",
                                       actor=day.youth, consent_method="verbal", client_id="gate-abcdef01")
    assert again.id == first.id
    assert _count(Participant) == 1


def test_a_client_id_of_another_events_registration_is_refused(day: Day) -> None:
    import datetime as dt

    from app.events import planning

    other = planning.create_event(day.commune, kind="weekly", name="Mỗi tuần một kỹ năng số",
                                  held_on=day.event.held_on, opens_at=dt.time(8), closes_at=dt.time(10), actor=None)
    services.register(other, day.huong, source="gate", actor=None, client_id="gate-elsewhere1")
    with pytest.raises(DomainError):
        services.register(day.event, day.huong, source="gate", actor=None, client_id="gate-elsewhere1")
    assert services.participant_of(day.event, day.huong) is None


def test_a_newcomer_who_is_already_known_by_name_year_and_village_is_not_created_again(day: Day) -> None:
    before = _count(Person)
    participant = services.register_newcomer(
        day.event, _newcomer(day, full_name="nguyen thi  HUONG", birth_year=1955), source="gate", actor=day.youth,
        consent_method="verbal")
    assert participant.person_id == day.huong.id
    assert _count(Person) == before


def test_a_newcomer_known_by_phone_and_name_is_found_even_with_a_mistyped_year(day: Day) -> None:
    before = _count(Person)
    participant = services.register_newcomer(
        day.event, _newcomer(day, full_name="Nguyen Thi Huong", birth_year=1956, phone=day.huong.phone),
        source="signup", actor=None, consent_method="online", arrived=False)
    assert participant.person_id == day.huong.id
    assert participant.arrived_at is None
    assert _count(Person) == before


def test_someone_sharing_a_phone_with_another_person_is_registered_as_themself(day: Day) -> None:
    participant = services.register_newcomer(
        day.event, _newcomer(day, full_name="Lê Văn Tám", birth_year=1953, phone=day.huong.phone), source="gate",
        actor=day.youth, consent_method="verbal")
    person = db.session.get(Person, participant.person_id)
    assert person.id != day.huong.id and person.full_name == "Lê Văn Tám" and person.phone is None


def test_a_newcomer_with_the_same_name_in_another_village_is_another_person(day: Day) -> None:
    participant = services.register_newcomer(day.event, _newcomer(day, full_name="Nguyễn Thị Hương",
                                                                  birth_year=1955, village_id=day.tay.id),
                                             source="gate", actor=day.youth, consent_method="verbal")
    assert participant.person_id != day.huong.id


def test_a_phone_of_someone_in_another_commune_is_not_used_and_not_revealed(day: Day) -> None:
    stranger = factories.person(day.other_commune, name="Mai Văn Khách")
    participant = services.register_newcomer(day.event, _newcomer(day, phone=stranger.phone), source="signup",
                                             actor=None, consent_method="online", arrived=False)
    person = db.session.get(Person, participant.person_id)
    assert person.commune_id == day.commune.id
    assert person.phone is None


def test_a_newcomer_needs_consent_a_birth_year_and_a_village_of_the_commune(day: Day) -> None:
    with pytest.raises(DomainError) as missing_consent:
        services.register_newcomer(day.event, _newcomer(day), source="gate", actor=day.youth, consent_method=None)
    assert missing_consent.value.field == "consent"
    with pytest.raises(DomainError) as no_year:
        services.register_newcomer(day.event, _newcomer(day, birth_year=None), source="gate", actor=day.youth,
                                   consent_method="verbal")
    assert no_year.value.field == "birth_year"
    other_village = factories.village(day.other_commune, "Thôn Ngoài")
    with pytest.raises(DomainError) as foreign:
        services.register_newcomer(day.event, _newcomer(day, village_id=other_village.id), source="gate",
                                   actor=day.youth, consent_method="verbal")
    assert foreign.value.field == "village_id"
    assert _count(Participant) == 0


def test_a_known_person_without_consent_is_asked_for_it_and_it_is_recorded(day: Day) -> None:
    with pytest.raises(DomainError) as error:
        services.register(day.event, day.binh, source="gate", actor=day.youth)
    assert error.value.field == "consent"
    services.register(day.event, day.binh, source="gate", actor=day.youth, consent_method="verbal")
    given = db.session.scalar(select(Consent).where(Consent.person_id == day.binh.id,
                                                      Consent.purpose == services.CONSENT))
    assert given is not None and given.method == "verbal" and given.recorded_by_id == day.youth.id


def test_someone_of_another_commune_cannot_be_registered(day: Day) -> None:
    stranger = factories.person(day.other_commune, name="Mai Văn Khách")
    consent(stranger)
    with pytest.raises(DomainError):
        services.register(day.event, stranger, source="gate", actor=day.youth)


def test_a_signed_up_person_arrives_at_the_gate_and_keeps_their_badge(day: Day) -> None:
    signed_up = services.register(day.event, day.huong, source="signup", actor=None, arrived=False)
    assert signed_up.arrived_at is None
    arrived = services.register(day.event, day.huong, source="gate", actor=day.youth, wants_class=True)
    assert arrived.id == signed_up.id and arrived.arrived_at is not None and arrived.wants_class
    assert arrived.source == "signup"


def test_badge_codes_are_read_however_they_are_typed(day: Day) -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=day.youth)
    typed = f" {participant.badge_code[:3].lower()}-{participant.badge_code[3:].lower()} "
    assert services.find_participant(day.event, typed, card_secret="x", actor=None).id == participant.id
    with pytest.raises(DomainError):
        services.find_participant(day.event, "ZZZZZZ", card_secret="x", actor=None)


def test_a_learners_card_finds_them_and_registers_them_when_they_consented(day: Day, app: object) -> None:
    from app.kiosk.services import card_token

    secret = "card-secret"
    card = f"http://localhost/kiosk/card/{card_token(day.huong, secret)}"
    participant = services.find_participant(day.event, card, card_secret=secret, actor=day.youth)
    assert participant.person_id == day.huong.id and participant.source == "card"
    with pytest.raises(DomainError):  # Bình never consented: the gate asks first
        services.find_participant(day.event, f"/kiosk/card/{card_token(day.binh, secret)}", card_secret=secret,
                                  actor=day.youth)
    with pytest.raises(DomainError):  # a forged card
        services.find_participant(day.event, "/kiosk/card/forged.token", card_secret=secret, actor=day.youth)


# --- stations: a visit stored once, answers without an answer key on the page --------------------

def test_a_station_keeps_one_visit_per_participant_and_adds_up_the_steps(day: Day) -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=day.youth)
    services.check_in(day.qr, participant, ticks=[0], actor=day.youth, client_id="visit-00000001")
    visit = services.check_in(day.qr, participant, ticks=[1, 2], actor=day.youth, client_id="visit-00000002")
    assert _count(StationVisit) == 1
    assert visit.ticks == [0, 1, 2] and visit.completed


def test_steps_that_are_not_on_the_checklist_are_refused(day: Day) -> None:
    for raw in ([99], ["-1"], ["x"], [True]):
        with pytest.raises(DomainError):
            services.read_ticks(day.qr, raw)
    assert services.read_ticks(day.qr, ["1", 1, "0"]) == [0, 1]


def test_a_quiz_answer_is_scored_on_the_server_and_the_latest_counts(day: Day) -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=day.youth)
    question = services.quiz_questions(day.qr)[0]
    keys = day.qr.quiz_keys[str(question.id)]["options"]
    right = max(range(len(question.answers)), key=lambda i: question.answers[i]["fraction"])
    wrong = next(i for i in range(len(question.answers)) if i != right)
    first = services.answer(day.qr, participant, question.id, keys[wrong], actor=None, client_id="answer-0000001")
    assert first.score == 0
    again = services.answer(day.qr, participant, str(question.id), keys[right], actor=None,
                            client_id="answer-0000002")
    assert again.id == first.id and again.score == 1
    assert _count(StationAnswer) == 1 and _count(StationVisit) == 1


def test_an_answer_to_another_stations_question_or_an_unknown_key_is_refused(day: Day) -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=day.youth)
    other = day.scam.quiz_question_ids[0]
    with pytest.raises(DomainError):
        services.answer(day.qr, participant, other, "whatever", actor=None, client_id="answer-0000003")
    mine = day.qr.quiz_question_ids[0]
    for choice in ("0", 0, "not-a-key", None, ["x"]):
        with pytest.raises(DomainError):
            services.answer(day.qr, participant, mine, choice, actor=None, client_id="answer-0000004")
    assert _count(StationAnswer) == 0


def test_the_station_quiz_keys_never_name_an_answers_place_in_the_bank(day: Day) -> None:
    for question_id in day.qr.quiz_question_ids:
        keys = day.qr.quiz_keys[str(question_id)]["options"]
        assert all(not key.isdigit() for key in keys)
        assert len(set(keys)) == len(keys)


def test_known_client_ids_cover_visits_and_answers(day: Day) -> None:
    participant = services.register(day.event, day.huong, source="gate", actor=day.youth)
    services.check_in(day.qr, participant, ticks=[], actor=None, client_id="visit-00000009")
    services.answer(day.qr, participant, day.qr.quiz_question_ids[0],
                    day.qr.quiz_keys[str(day.qr.quiz_question_ids[0])]["options"][0], actor=None,
                    client_id="answer-0000009")
    assert services.known_client_ids(["visit-00000009", "answer-0000009", "other-000001"]) == {
        "visit-00000009", "answer-0000009"}
