"""What a gate or a station tablet sends, read and checked, then handed to the services: the gate's form, a station's
check-in (the plain form or an outbox item) and the quiz as the station's page shows it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from app import inputs, outbox
from app.errors import DomainError
from app.events import services
from app.events.models import Event, Participant, Station
from app.extensions import db, utcnow
from app.people.models import Consent, Person
from app.quizzes.display import question_html
from app.quizzes.keys import Keys
from app.quizzes.types import Option, type_of

NAME_MAX = 120


def _year(value: Any) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) != 4:
        raise DomainError(_l("Năm sinh cần 4 chữ số, ví dụ 1958."), field="birth_year")
    return int(text)


def _id(value: Any, field: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return inputs.record_id(text)
    except ValueError:
        raise DomainError(_l("Lựa chọn không hợp lệ."), field=field) from None


@dataclass(frozen=True)
class GateEntry:
    """What the gate's form sent: a person found by the search, or a newcomer's details; consent; wants a class."""

    person_id: str
    full_name: str
    birth_year: str
    village_id: str
    phone: str
    consent: str
    wants_class: bool

    @classmethod
    def read(cls, form: Mapping[str, Any]) -> GateEntry:
        """Take the form's fields as text (checked when registering)."""
        def text(name: str, limit: int = NAME_MAX) -> str:
            value = form.get(name, "")
            return value[:limit] if isinstance(value, str) else ""
        return cls(text("person_id", 20), text("full_name"), text("birth_year", 10), text("village_id", 20),
                   text("phone", 20), text("consent", 20), form.get("wants_class") in ("1", "on", "true"))

    def as_entered(self) -> dict[str, Any]:
        """The newcomer's fields as typed, to show the form again."""
        return {"full_name": self.full_name, "birth_year": self.birth_year, "village_id": self.village_id,
                "phone": self.phone, "wants_class": self.wants_class}


def register_at_gate(event: Event, entry: GateEntry, *, actor: Person, client_id: str,
                     may_act_on: Callable[[Person], bool]) -> Participant:
    """Register the person the gate found (whom the volunteer may act on), or the newcomer it entered."""
    consent = entry.consent or None
    person_id = _id(entry.person_id, "person_id")
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is None or person.commune_id != event.commune_id or person.erased_at is not None:
            raise DomainError(_l("Không tìm thấy người này trong xã."), field="person_id")
        if services.participant_of(event, person) is None and not may_act_on(person):
            raise DomainError(_l("Bạn không thể đăng ký thay cho người này; mời người này tự đăng ký với ban tổ "
                                 "chức."), field="person_id")
        return services.register(event, person, source="gate", actor=actor, consent_method=consent,
                                 wants_class=entry.wants_class, client_id=client_id)
    newcomer = services.Newcomer(full_name=entry.full_name, birth_year=_year(entry.birth_year),
                                 village_id=_id(entry.village_id, "village_id"), phone=entry.phone.strip() or None)
    return services.register_newcomer(event, newcomer, source="gate", actor=actor, consent_method=consent,
                                      wants_class=entry.wants_class, client_id=client_id)


def consented_ids(person_ids: list[int]) -> set[int]:
    """Return which of these people consented to taking part in events (so the gate asks only the others)."""
    if not person_ids:
        return set()
    return set(db.session.scalars(select(Consent.person_id).where(
        Consent.person_id.in_(person_ids), Consent.purpose == services.CONSENT, Consent.withdrawn_at.is_(None))))


# --- stations ------------------------------------------------------------------------------------

def record(station: Station, participant: Participant, *, ticks: Any, answers: Mapping[str, Any], actor: Person,
           client_id: str, at: dt.datetime | None = None, device_time: dt.datetime | None = None) -> None:
    """Record a check-in with its steps and any quiz answers (keys as the page shows them)."""
    at = at or utcnow()
    services.check_in(station, participant, ticks=services.read_ticks(station, ticks), actor=actor,
                      client_id=client_id, at=at, device_time=device_time)
    for number, (question_id, choice) in enumerate(sorted(answers.items())):
        services.answer(station, participant, question_id, choice, actor=actor, client_id=f"{client_id}:{number}"[:64],
                        at=at)


def handle_item(event: Event, station: Station, item: outbox.Item, *, actor: Person, card_secret: str) -> None:
    """Store one outbox item of a station: a check-in ({"kind": "visit", "code", "ticks"}) or a quiz answer
    ({"kind": "answer", "code", "question", "choice"}); raise DomainError to refuse it."""
    fields = item.fields
    at = outbox.effective_time(item.device_time, utcnow())
    participant = services.find_participant(event, fields.get("code"), card_secret=card_secret, actor=actor)
    kind = fields.get("kind")
    if kind == "visit":
        services.check_in(station, participant, ticks=services.read_ticks(station, fields.get("ticks")), actor=actor,
                          client_id=item.client_id, at=at, device_time=item.device_time)
    elif kind == "answer":
        services.answer(station, participant, fields.get("question"), fields.get("choice"), actor=actor,
                        client_id=item.client_id, at=at)
    else:
        raise DomainError(_l("Dữ liệu gửi lên không đọc được."))


@dataclass(frozen=True)
class QuizQuestion:
    """A station's question as its page shows it: the text and the choices, named by the station's opaque keys."""

    id: int
    html: Markup
    options: list[Option]


def quiz_page(station: Station) -> list[QuizQuestion]:
    """Return the station's quiz for its page; nothing in it tells which answer is right."""
    shown = []
    for question in services.quiz_questions(station):
        keys = Keys((station.quiz_keys or {}).get(str(question.id)))
        order = (station.quiz_orders or {}).get(str(question.id)) or list(range(len(question.answers)))
        kind = type_of(question)
        try:
            # answer_text says a choice in words ("Đúng"/"Sai" for a true-false question, not the bank's spelling).
            options = [Option(keys.options[int(c.key)], kind.answer_text(question, int(c.key)))
                       for c in kind.options(question, order)]
        except (IndexError, ValueError):
            continue  # keys drawn for another version of the question: leave it out rather than show indexes
        shown.append(QuizQuestion(question.id, question_html(question), options))
    return shown
