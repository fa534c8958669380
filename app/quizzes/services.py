"""Assessment rules: settings, drawing questions, attempts and their limits, saving answers, scoring."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, update

from app import inputs
from app import settings as kernel
from app.catalog.models import Module, ModuleVersion, Question
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.quizzes import keys
from app.quizzes.models import AssessmentSettings, Attempt, AttemptAnswer
from app.quizzes.types import type_of

SKILL_SHOWN = 0.7  # a skill counts as shown when at least this share of its questions was right
BATCH_MAX = 100  # answers in one save from the page (the script sends at most 50)
INVALID = _l("Câu trả lời không hợp lệ.")


@dataclass(frozen=True)
class AssessmentRules:
    """How a module is assessed. Decision 757 leaves these to the organiser; the README states the defaults."""

    question_count: int = kernel.number(10, 1, 50)
    pass_percent: int = kernel.number(70, 1, 100)
    max_attempts: int = kernel.number(3, 1, 20)
    wait_minutes: int = kernel.number(30, 0, 10080)
    shuffle_questions: bool = kernel.flag(True)
    shuffle_answers: bool = kernel.flag(True)
    time_limit_minutes: int | None = kernel.number(None, 1, 240, optional=True, message=_l(
        "Thời gian làm bài phải từ 1 đến 240 phút, hoặc để trống."))


# A commune's own for one module, else its own for all, else the system's for the module, else for all.
STORE = kernel.Settings(AssessmentRules, AssessmentSettings, scope=("commune_id", "module_id"))
DEFAULTS = STORE.defaults


def settings_for(commune_id: int | None, module_id: int | None) -> AssessmentRules:
    """Return the settings in force: commune+module, then commune, then module, then system, then defaults."""
    return STORE.get(commune_id=commune_id, module_id=module_id)


def save_settings(*, commune_id: int | None, module_id: int | None, values: dict[str, Any],
                  actor: Person | None) -> AssessmentSettings:
    """Store settings for a commune (all modules or one), after checking each value (those not given keep the
    value in force)."""
    row: AssessmentSettings = STORE.save(values, actor=actor, commune_id=commune_id, module_id=module_id)
    return row


def draw(version: ModuleVersion, settings: AssessmentRules,
         rng: random.Random) -> tuple[list[int], dict[str, list[int]]]:
    """Pick the questions: at least one for each skill the module covers, the rest at random."""
    questions = list(version.questions)
    chosen: list[Question] = []
    skills = list(version.skills)
    rng.shuffle(skills)
    for skill in skills:
        candidates = [q for q in questions if skill in q.skills and q not in chosen]
        if candidates and not any(skill in q.skills for q in chosen):
            chosen.append(rng.choice(candidates))
    rest = [q for q in questions if q not in chosen]
    rng.shuffle(rest)
    chosen += rest[: max(0, settings.question_count - len(chosen))]
    if settings.shuffle_questions:
        rng.shuffle(chosen)
    else:
        chosen.sort(key=lambda q: q.position)
    orders = {str(q.id): type_of(q).order(q, rng, settings.shuffle_answers) for q in chosen}
    return [q.id for q in chosen], orders


def submitted_attempts(person_id: int, module_id: int) -> list[Attempt]:
    """Return a person's submitted attempts at a module, newest first."""
    return list(db.session.scalars(select(Attempt).where(
        Attempt.person_id == person_id, Attempt.module_id == module_id, Attempt.status == "submitted")
        .order_by(Attempt.submitted_at.desc())))


def open_attempt(person_id: int, module_id: int) -> Attempt | None:
    """Return the attempt a person has started and not submitted, if any."""
    return db.session.scalar(select(Attempt).where(Attempt.person_id == person_id, Attempt.module_id == module_id,
                                                   Attempt.status == "in_progress"))


def check_can_start(person_id: int, module_id: int, settings: AssessmentRules, now: datetime) -> None:
    """Raise DomainError, saying why and until when, if a new attempt may not start now."""
    done = submitted_attempts(person_id, module_id)
    if any(a.passed for a in done):
        raise DomainError(_l("Bạn đã đạt bài kiểm tra của học phần này."))
    if len(done) >= settings.max_attempts:
        raise DomainError(_l("Bạn đã làm đủ %(n)s lần cho phép. Hãy nhờ người hướng dẫn ôn lại cùng bạn.",
                             n=settings.max_attempts))
    if done and settings.wait_minutes and done[0].submitted_at is not None:
        ready = done[0].submitted_at + timedelta(minutes=settings.wait_minutes)
        if now < ready:
            raise DomainError(_l("Hãy ôn lại bài rồi làm lại sau %(time)s.",
                                 time=format_datetime(ready, "HH:mm dd/MM")))


def _lock_learner(person_id: int) -> None:
    """Hold the learner's row until the transaction ends, so two starts (two taps, two tablets) go one at a time."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Person.id).where(Person.id == person_id).with_for_update(key_share=True))
    else:  # SQLite: a no-op UPDATE takes the database's single write lock
        db.session.execute(update(Person).where(Person.id == person_id).values(updated_at=Person.updated_at)
                           .execution_options(synchronize_session=False))


def start_attempt(person: Person, module: Module, *, now: datetime, rng: random.Random | None = None,
                  assisted_by: Person | None = None, class_id: int | None = None) -> Attempt:
    """Start an attempt on the module's current version, or return the one already under way.

    The learner's row is locked first, so the open attempt and the attempts used are counted by one start at a
    time; a unique index on open attempts backs this up in the schema.
    """
    _lock_learner(person.id)
    existing = open_attempt(person.id, module.id)
    if existing is not None:
        return existing
    version = module.current
    if version is None or not version.questions:
        raise DomainError(_l("Học phần này chưa có bài kiểm tra."))
    settings = settings_for(person.commune_id, module.id)
    check_can_start(person.id, module.id, settings, now)
    question_ids, orders = draw(version, settings, rng or random.Random())
    limit = settings.time_limit_minutes
    attempt = Attempt(person_id=person.id, commune_id=person.commune_id, module_id=module.id,
                      module_version_id=version.id, class_id=class_id, started_at=now,
                      assisted_by_id=assisted_by.id if assisted_by else None, question_ids=question_ids,
                      answer_orders=orders, option_keys=keys.draw_keys(orders),
                      settings=kernel.as_dict(settings),  # as they were at the start
                      deadline_at=now + timedelta(minutes=limit) if limit else None)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def questions_of(attempt: Attempt) -> list[Question]:
    """Return the attempt's questions in the order they are shown."""
    found = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(attempt.question_ids)))}
    return [found[qid] for qid in attempt.question_ids]


def answers_by_question(attempt: Attempt) -> dict[int, AttemptAnswer]:
    """Return the attempt's saved answers by question id."""
    return {a.question_id: a for a in attempt.answers}


def attempt_for_page(attempt_id: int) -> tuple[Attempt, str, str] | None:
    """Return an attempt with its module's title (of the current version) and its learner's name, in one query."""
    row = db.session.execute(
        select(Attempt, ModuleVersion.title_vi, Person.full_name)
        .join(Person, Person.id == Attempt.person_id).join(Module, Module.id == Attempt.module_id)
        .outerjoin(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(Attempt.id == attempt_id)).first()
    return (row[0], row[1] or "", row[2]) if row else None


def questions_with_answers(attempt: Attempt) -> tuple[list[Question], dict[int, AttemptAnswer]]:
    """Return the attempt's questions in the order shown and its saved answers by question id, in one query."""
    saved = and_(AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.question_id == Question.id)
    found: dict[int, Question] = {}
    answers: dict[int, AttemptAnswer] = {}
    for question, answer in db.session.execute(
            select(Question, AttemptAnswer).outerjoin(AttemptAnswer, saved)
            .where(Question.id.in_(attempt.question_ids))):
        found[question.id] = question
        if answer is not None:
            answers[question.id] = answer
    return [found[qid] for qid in attempt.question_ids], answers


def resume_index(attempt: Attempt, answers: dict[int, AttemptAnswer] | None = None) -> int:
    """Return where to carry on: the first question without an answer (or the last question)."""
    answered = answers_by_question(attempt) if answers is None else answers
    return next((i for i, qid in enumerate(attempt.question_ids) if qid not in answered),
                len(attempt.question_ids) - 1)


def _open_question(attempt: Attempt, question_id: int, now: datetime) -> Question:
    if attempt.status != "in_progress":
        raise DomainError(_l("Bài này đã nộp; không sửa được nữa."))
    if attempt.deadline_at is not None and now > attempt.deadline_at + timedelta(minutes=1):
        raise DomainError(_l("Đã hết thời gian làm bài."))
    if question_id not in attempt.question_ids:
        raise DomainError(_l("Câu hỏi không thuộc bài này."))
    return db.session.get(Question, question_id)  # type: ignore[return-value]


def save_from_page(attempt: Attempt, question_id: int, raw: Any, *, now: datetime, client_id: str | None = None,
                   client_time: datetime | None = None) -> AttemptAnswer | None:
    """Save an answer as the page sent it: the attempt's option keys, or typed text."""
    question = _open_question(attempt, question_id, now)
    try:
        chosen = keys.from_page(attempt, question, raw)
    except ValueError:
        raise DomainError(INVALID) from None
    return save_answer(attempt, question_id, chosen, now=now, client_id=client_id, client_time=client_time)


def save_answer(attempt: Attempt, question_id: int, raw: Any, *, now: datetime, client_id: str | None = None,
                client_time: datetime | None = None) -> AttemptAnswer | None:
    """Save an answer (answer indexes) the moment it is chosen; a replayed save or an older one changes nothing."""
    question = _open_question(attempt, question_id, now)
    kind = type_of(question)
    try:
        response = kind.read(question, raw)
    except (ValueError, TypeError, KeyError, OverflowError):
        raise DomainError(INVALID) from None
    if response in (None, "", [], {}):
        raise DomainError(_l("Hãy chọn hoặc nhập câu trả lời rồi mới lưu."))
    answer = answers_by_question(attempt).get(question_id)
    if answer is not None:
        if client_id is not None and answer.client_id == client_id:
            return answer
        if client_time is not None and answer.client_time is not None and client_time < answer.client_time:
            return answer  # an older save arriving late (offline queue) must not undo a newer one
    else:
        answer = AttemptAnswer(attempt=attempt, question_id=question_id)
        db.session.add(answer)
    answer.response = response
    answer.score = kind.score(question, response)
    answer.client_id, answer.client_time = client_id, client_time
    db.session.flush()
    return answer


def question_id_of(value: Any) -> int:
    """Read a saved answer's question id (a number, or digits as text); raise DomainError unless it is a database id."""
    digits = isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18
    if (isinstance(value, int) and not isinstance(value, bool)) or digits:
        try:
            return inputs.record_id(value)
        except ValueError:
            pass
    raise DomainError(_l("Câu hỏi không thuộc bài này."))


def submit(attempt: Attempt, *, now: datetime) -> Attempt:
    """Score the attempt: unanswered questions earn nothing; skills are scored from their questions."""
    if attempt.status != "in_progress":
        return attempt
    questions = questions_of(attempt)
    answers = answers_by_question(attempt)
    scores = {q.id: (answers[q.id].score if q.id in answers else 0.0) for q in questions}
    attempt.score = round(sum(scores.values()) / len(questions), 4) if questions else 0.0
    attempt.passed = attempt.score * 100 >= attempt.settings["pass_percent"] - 1e-9
    version = db.session.get(ModuleVersion, attempt.module_version_id)
    skill_scores = {}
    for skill in version.skills:  # type: ignore[union-attr]
        tagged = [scores[q.id] for q in questions if skill in q.skills]
        if tagged:
            skill_scores[skill] = round(sum(tagged) / len(tagged), 4)
    attempt.skill_scores = skill_scores
    attempt.status, attempt.submitted_at = "submitted", now
    db.session.flush()
    return attempt


@dataclass(frozen=True)
class AnswerReview:
    """One question of a finished attempt, as the results page shows it."""

    question: Question
    response: Any
    score: float
    feedback: list[str]
    right_answer: list[str]


def review(attempt: Attempt) -> list[AnswerReview]:
    """Return each question with the answer given, its mark and its feedback."""
    answers = answers_by_question(attempt)
    rows = []
    for question in questions_of(attempt):
        kind = type_of(question)
        given = answers.get(question.id)
        response = given.response if given else None
        rows.append(AnswerReview(question, response, given.score if given else 0.0,
                                 kind.feedback(question, response) if given else [], kind.right_answer(question)))
    return rows


def skills_split(attempt: Attempt) -> tuple[list[str], list[str]]:
    """Return the skills shown and the skills that need more practice."""
    scores = attempt.skill_scores or {}
    shown = sorted(s for s, v in scores.items() if v >= SKILL_SHOWN)
    return shown, sorted(s for s in scores if s not in shown)


def attempt_count(person_id: int, module_id: int) -> int:
    """Count a person's submitted attempts at a module."""
    return db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.person_id == person_id, Attempt.module_id == module_id, Attempt.status == "submitted")) or 0
