"""Assessments: settings, drawing, limits and waiting, saving and resuming, assisted attempts, versions."""
from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.catalog import content
from app.catalog import services as catalog
from app.catalog.models import Module, Question
from app.errors import DomainError
from app.extensions import db, utcnow
from app.policy import Role
from app.quizzes import services
from app.quizzes.models import Attempt
from app.quizzes.types import type_of
from tests import factories
from tests.conftest import ROOT


@pytest.fixture
def module(curriculum) -> Module:
    return catalog.module_by_code("NCT-06")


@pytest.fixture
def learner(ctx):
    return factories.person(factories.commune(), name="Nguyễn Thị Hương")


def _right(question: Question) -> object:
    return type_of(question).best_response(question)


def _answer_all(attempt: Attempt, right: bool = True) -> None:
    for question in services.questions_of(attempt):
        if right:
            services.save_answer(attempt, question.id, _right(question), now=utcnow())


def test_defaults_apply_until_a_commune_changes_them(module, learner) -> None:
    assert services.settings_for(learner.commune_id, module.id).question_count == 10
    values = {"question_count": 5, "pass_percent": 80}
    services.save_settings(commune_id=learner.commune_id, module_id=None, values=values, actor=None)
    assert services.settings_for(learner.commune_id, module.id).pass_percent == 80
    services.save_settings(commune_id=learner.commune_id, module_id=module.id,
                           values={**values, "pass_percent": 60}, actor=None)
    assert services.settings_for(learner.commune_id, module.id).pass_percent == 60
    assert services.settings_for(learner.commune_id + 1, module.id).pass_percent == 70


def test_settings_out_of_range_are_refused(ctx) -> None:
    with pytest.raises(DomainError) as error:
        services.save_settings(commune_id=None, module_id=None,
                               values={"pass_percent": 150}, actor=None)
    assert error.value.field == "pass_percent"


def test_draw_covers_every_skill_of_the_module_even_with_few_questions(module) -> None:
    version = module.current
    for seed in range(25):
        settings = replace(services.DEFAULTS, question_count=2)
        ids, orders = services.draw(version, settings, random.Random(seed))
        drawn = [q for q in version.questions if q.id in ids]
        assert {s for q in drawn for s in q.skills} >= set(version.skills)
        assert len(ids) == len(set(ids)) >= 2 and set(orders) == {str(i) for i in ids}


def test_draw_takes_the_configured_number_without_repeats(module) -> None:
    ids, _ = services.draw(module.current, replace(services.DEFAULTS, question_count=8), random.Random(4))
    assert len(ids) == 8 == len(set(ids))
    all_ids, _ = services.draw(module.current, replace(services.DEFAULTS, question_count=50), random.Random(4))
    assert len(all_ids) == len(module.current.questions)


def test_unshuffled_draw_keeps_the_bank_order(module) -> None:
    settings = replace(services.DEFAULTS, question_count=50, shuffle_questions=False, shuffle_answers=False)
    ids, orders = services.draw(module.current, settings, random.Random(1))
    assert ids == [q.id for q in module.current.questions]
    assert all(order == sorted(order) for order in orders.values())


def test_a_full_right_attempt_passes_and_shows_every_skill(module, learner) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow(), rng=random.Random(2))
    _answer_all(attempt)
    services.submit(attempt, now=utcnow())
    assert attempt.score == 1.0 and attempt.passed
    shown, practise = services.skills_split(attempt)
    assert set(shown) == set(module.current.skills) and practise == []


def test_unanswered_questions_count_as_wrong(module, learner) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow(), rng=random.Random(2))
    first = services.questions_of(attempt)[0]
    services.save_answer(attempt, first.id, _right(first), now=utcnow())
    services.submit(attempt, now=utcnow())
    assert attempt.score == pytest.approx(1 / len(attempt.question_ids)) and attempt.passed is False
    assert services.skills_split(attempt)[1]


def test_attempt_limits_and_waiting_time(module, learner) -> None:
    values = {"max_attempts": 2, "wait_minutes": 30}
    services.save_settings(commune_id=learner.commune_id, module_id=None, values=values, actor=None)
    now = utcnow()
    first = services.start_attempt(learner, module, now=now)
    services.submit(first, now=now)
    with pytest.raises(DomainError, match="làm lại sau"):
        services.start_attempt(learner, module, now=now + timedelta(minutes=10))
    second = services.start_attempt(learner, module, now=now + timedelta(minutes=31))
    services.submit(second, now=now + timedelta(minutes=31))
    with pytest.raises(DomainError, match="đủ 2 lần"):
        services.start_attempt(learner, module, now=now + timedelta(days=2))


def test_no_new_attempt_after_passing(module, learner) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow())
    _answer_all(attempt)
    services.submit(attempt, now=utcnow())
    with pytest.raises(DomainError, match="đã đạt"):
        services.start_attempt(learner, module, now=utcnow() + timedelta(days=1))


def test_interrupted_attempt_resumes_at_the_same_question_with_answers_kept(module, learner) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow(), rng=random.Random(5))
    questions = services.questions_of(attempt)
    for question in questions[:4]:
        services.save_answer(attempt, question.id, _right(question), now=utcnow())
    learner_id, module_id, attempt_id, order = learner.id, module.id, attempt.id, list(attempt.question_ids)
    answered = {q.id for q in questions[:4]}
    db.session.commit()
    db.session.expunge_all()  # the tablet's battery dies; someone else uses it; the learner comes back
    again = services.start_attempt(db.session.get(type(learner), learner_id), db.session.get(Module, module_id),
                                   now=utcnow())
    assert again.id == attempt_id and again.question_ids == order
    assert services.resume_index(again) == 4
    assert set(services.answers_by_question(again)) == answered


def test_the_same_save_sent_twice_changes_nothing(module, learner) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow())
    question = services.questions_of(attempt)[0]
    services.save_answer(attempt, question.id, _right(question), now=utcnow(), client_id="abc",
                         client_time=utcnow())
    first = services.answers_by_question(attempt)[question.id].saved_at
    services.save_answer(attempt, question.id, _right(question), now=utcnow(), client_id="abc",
                         client_time=utcnow())
    assert len(attempt.answers) == 1 and services.answers_by_question(attempt)[question.id].saved_at == first


def test_an_older_save_arriving_late_does_not_undo_a_newer_one(module, learner) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow())
    question = next(q for q in services.questions_of(attempt) if q.type == "multichoice")
    right, wrong = _right(question), next(i for i, a in enumerate(question.answers) if a["fraction"] <= 0)
    later = utcnow()
    services.save_answer(attempt, question.id, right, now=later, client_id="new", client_time=later)
    services.save_answer(attempt, question.id, wrong, now=later, client_id="old",
                         client_time=later - timedelta(minutes=2))
    assert services.answers_by_question(attempt)[question.id].response == right


def test_answers_are_refused_after_submitting_or_for_other_questions(module, learner) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow())
    with pytest.raises(DomainError, match="không thuộc"):
        services.save_answer(attempt, 999999, 0, now=utcnow())
    services.submit(attempt, now=utcnow())
    question = services.questions_of(attempt)[0]
    with pytest.raises(DomainError, match="đã nộp"):
        services.save_answer(attempt, question.id, 0, now=utcnow())


def test_assisted_attempt_records_the_helper(module, learner) -> None:
    instructor = factories.person(factories.commune(), name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    attempt = services.start_attempt(learner, module, now=utcnow(), assisted_by=instructor)
    assert attempt.assisted and attempt.assisted_by_id == instructor.id and attempt.person_id == learner.id


def test_an_attempt_keeps_pointing_at_the_version_it_was_taken_on(module, learner, tmp_path) -> None:
    attempt = services.start_attempt(learner, module, now=utcnow())
    _answer_all(attempt)
    services.submit(attempt, now=utcnow())
    taken_on = attempt.module_version_id
    root = tmp_path / "courses"
    shutil.copytree(ROOT / "courses/framework", root / "framework")
    for name in ("nct-01", "nct-06"):
        shutil.copytree(ROOT / "courses/modules" / name, root / "modules" / name)
    bank = root / "modules/nct-06/questions.gift"
    bank.write_text(bank.read_text(encoding="utf-8") + "\n// [tag:4.4]\n::NCT-06-Q99:: Câu mới? {T}\n",
                    encoding="utf-8")
    catalog.sync(content.read_courses(root))
    db.session.refresh(module)
    assert module.current.id != taken_on
    assert db.session.get(Attempt, attempt.id).module_version_id == taken_on
    assert all(q.module_version_id == taken_on for q in services.questions_of(attempt))
    new_question = db.session.scalars(select(Question).where(Question.key == "NCT-06-Q99")).one()
    assert new_question.module_version_id == module.current.id
