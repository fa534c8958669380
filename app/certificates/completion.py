"""Completion: the commune's rules, who in a class meets them, confirming, and "basic digital skills completed"."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, bindparam, case, delete, func, literal_column, null, select, union_all
from sqlalchemy.exc import IntegrityError

from app import settings, vietnam
from app.attendance import reports as attendance
from app.attendance.marks import STATUSES
from app.attendance.reports import Rate
from app.catalog.models import FrameworkVersion, Module, PracticalTask
from app.certificates import milestones, status
from app.certificates.models import Completion, CompletionRules
from app.classes.models import Class, ClassModule, Enrolment
from app.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.quizzes.models import Attempt, PracticalCheck

CONFIRMATIONS = ("officer", "auto")


@dataclass(frozen=True)
class CompletionTerms:
    """What a learner must do to complete a class's modules, who confirms it, who signs the certificates.
    Decision 757 leaves these to the organiser; the README states the defaults."""

    attendance_percent: int = settings.number(70, 0, 100, message=_l("Tỉ lệ buổi học phải từ 0 đến 100%."))
    require_assessment: bool = settings.flag(True)
    require_practical: bool = settings.flag(True)
    confirmation: str = settings.choice("officer", CONFIRMATIONS, message=_l("Cách xác nhận không hợp lệ."))
    officer_name: str = settings.text("", 120)  # printed on certificates; empty: the officer who issues them
    officer_title: str = settings.text("", 160)


# A commune's own, else the system's (the row with no commune), else the defaults.
STORE = settings.Settings(CompletionTerms, CompletionRules)
DEFAULT_RULES = STORE.defaults


def rules_for(commune_id: int) -> CompletionTerms:
    """Return the completion rules in force for a commune (its own, else the system's, else the defaults)."""
    return STORE.get(commune_id=commune_id)


def rules_by_commune(commune_ids: set[int]) -> dict[int, CompletionTerms]:
    """Return the completion rules in force for each of these communes, in one query."""
    return STORE.many({"commune_id": commune_id} for commune_id in commune_ids)


def attendance_met(share: float | None, rules: CompletionTerms) -> bool:
    """Tell whether a share of sessions attended (None: nothing marked yet) meets the commune's rule."""
    return share is not None and share + 1e-9 >= rules.attendance_percent / 100


def module_met(passed: bool, practised: bool, rules: CompletionTerms) -> bool:
    """Tell whether a learner meets the rules on one module: its assessment passed, its practical tasks done."""
    return (passed or not rules.require_assessment) and (practised or not rules.require_practical)


def save_rules(commune_id: int, values: dict[str, Any], actor: Person | None) -> CompletionRules:
    """Store a commune's completion rules after checking them (those not given keep the value in force)."""
    row: CompletionRules = STORE.save(values, actor=actor, commune_id=commune_id)
    return row


@dataclass
class ModuleStanding:
    """Where a learner stands on one module of the class."""

    module: Module
    attempt: Attempt | None  # the passing attempt, if any
    practical_done: bool
    eligible: bool


@dataclass
class Standing:
    """Where a learner stands in a class against the completion rules."""

    person: Person
    attendance: Rate
    attendance_ok: bool
    modules: list[ModuleStanding] = field(default_factory=list)
    completions: dict[int, Completion] = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        return self.attendance_ok and bool(self.modules) and all(m.eligible for m in self.modules)

    @property
    def confirmed(self) -> bool:
        return bool(self.modules) and all(
            self.completions.get(m.module.id) is not None and self.completions[m.module.id].status == "confirmed"
            for m in self.modules)


def class_standing(klass: Class, rules: CompletionTerms, *, as_of: dt.datetime | None = None) -> list[Standing]:
    """Evaluate every enrolled learner of a class against the rules (a few queries for the whole class)."""
    return standings_for([klass], {klass.commune_id: rules}, as_of=as_of)[klass.id]


def _learners(class_ids: list[int], as_of: dt.datetime | None) -> list[tuple[int, Person, Rate]]:
    """Each enrolled learner of these classes with their attendance (as `attendance.class_learners`, many classes)."""
    slots = attendance._slots(as_of or vietnam.local_now(), Enrolment.class_id.in_(class_ids))
    tally = select(slots.c.enrolment_id, *attendance._tallies(slots)).group_by(slots.c.enrolment_id).subquery()
    rows = db.session.execute(
        select(Enrolment.class_id, Person, *(getattr(tally.c, n) for n in ("held", *STATUSES)))
        .join(Person, Person.id == Enrolment.person_id).outerjoin(tally, tally.c.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id.in_(class_ids), Enrolment.status == "enrolled")
        .order_by(Person.name_search, Person.id))
    return [(row.class_id, row.Person, attendance._rate(row)) for row in rows]


def standings_for(classes: list[Class], rules: dict[int, CompletionTerms], *,
                  as_of: dt.datetime | None = None) -> dict[int, list[Standing]]:
    """Evaluate the learners of many classes at once (`rules` by commune id); as many queries for one class as for
    fifty, whatever the number of modules taught."""
    found: dict[int, list[Standing]] = {k.id: [] for k in classes}
    if not classes:
        return found
    learners = _learners(list(found), as_of)
    people = sorted({person.id for _, person, _ in learners})
    modules = {m.id: m for k in classes for m in k.module_list if m.current is not None}
    passed: dict[tuple[int, int], Attempt] = {}
    ticks: dict[tuple[int, int], set[str]] = {}
    tasks: dict[int, set[str]] = {mid: set() for mid in modules}
    if people and modules:
        for attempt in db.session.scalars(select(Attempt).where(
                Attempt.person_id.in_(people), Attempt.module_id.in_(list(modules)),
                Attempt.passed.is_(True)).order_by(Attempt.submitted_at)):
            passed.setdefault((attempt.person_id, attempt.module_id), attempt)
        for person_id, module_id, code in db.session.execute(
                select(PracticalCheck.person_id, PracticalCheck.module_id, PracticalCheck.task_code)
                .where(PracticalCheck.person_id.in_(people), PracticalCheck.module_id.in_(list(modules)))):
            ticks.setdefault((person_id, module_id), set()).add(code)
        versions = {m.current_version_id: mid for mid, m in modules.items()}
        for version_id, code in db.session.execute(select(PracticalTask.module_version_id, PracticalTask.code)
                                                   .where(PracticalTask.module_version_id.in_(list(versions)))):
            tasks[versions[version_id]].add(code)
    existing: dict[int, dict[int, Completion]] = {pid: {} for pid in people}
    if people:
        for completion in db.session.scalars(select(Completion).where(Completion.person_id.in_(people))):
            existing[completion.person_id][completion.module_id] = completion
    by_id = {k.id: k for k in classes}
    for class_id, person, rate in learners:
        klass = by_id[class_id]
        commune_rules = rules[klass.commune_id]
        standing = Standing(person, rate, attendance_met(rate.share, commune_rules), completions=existing[person.id])
        for module in klass.module_list:
            if module.id not in modules:
                continue
            attempt = passed.get((person.id, module.id))
            done = tasks[module.id] <= ticks.get((person.id, module.id), set())
            standing.modules.append(ModuleStanding(module, attempt, done,
                                                   module_met(attempt is not None, done, commune_rules)))
        found[class_id].append(standing)
    return found


@dataclass(frozen=True)
class Tally:
    """How many enrolled learners of a class meet the rules, are confirmed, and meet them but wait for confirming."""

    eligible: int = 0
    confirmed: int = 0
    waiting: int = 0


def tallies(class_ids: list[int], rules: dict[int, CompletionTerms], *,
            as_of: dt.datetime | None = None) -> dict[int, Tally]:
    """Count, per class, what `standings_for` would show as eligible, confirmed and waiting (`rules` by commune id),
    in one aggregate query: one row of counts per enrolled learner, no objects."""
    if not class_ids:
        return {}
    counts = {cid: [0, 0, 0] for cid in class_ids}
    for row in db.session.execute(_progress(class_ids, as_of), {"class_ids": class_ids}):
        commune_rules = rules[row.commune_id]
        modules = int(row.module or 0)
        eligible = bool(modules) and attendance_met(attendance._rate(row).share, commune_rules) \
            and _modules_met(row, commune_rules) == modules
        confirmed = bool(modules) and int(row.confirmed or 0) == modules
        tally = counts[row.class_id]
        tally[0] += eligible
        tally[1] += confirmed
        tally[2] += eligible and not confirmed
    return {cid: Tally(*values) for cid, values in counts.items()}


def _modules_met(row: Any, rules: CompletionTerms) -> int:
    """How many of a learner's modules meet the rules (as `module_met`), from the counts `_progress` gives."""
    if rules.require_assessment and rules.require_practical:
        return int(row.both or 0)
    if rules.require_assessment:
        return int(row.passed or 0)
    if rules.require_practical:
        return int(row.practised or 0)
    return int(row.module or 0)


_ONE, _ZERO = literal_column("1", Integer), literal_column("0", Integer)


def _progress(class_ids: list[int], as_of: dt.datetime | None) -> Any:
    """Per enrolled learner of these classes: attendance tallies (as `attendance.class_learners`), and of the class's
    modules with a current version how many are passed, practised, both, and confirmed (run with `class_ids`)."""
    slots = attendance._slots(as_of or vietnam.local_now(), Enrolment.class_id.in_(class_ids))
    sessions = select(slots.c.class_id, slots.c.enrolment_id, slots.c.status, _ONE.label("session"),
                      *(_ZERO.label(name) for name in ("module", "passed", "practised", "both", "confirmed")))
    # One row per session that counts and one per module taught, added up once per learner: no join between two
    # aggregates (which a planner short of statistics runs again for every learner).
    rows = union_all(sessions, _module_rows()).subquery()
    return (select(rows.c.class_id, Class.commune_id, func.sum(rows.c.session).label("held"),
                   *(func.sum(case((rows.c.status == s, 1), else_=0)).label(s) for s in STATUSES),
                   *(func.sum(getattr(rows.c, n)).label(n) for n in ("module", "passed", "practised", "both",
                                                                      "confirmed")))
            .join(Class, Class.id == rows.c.class_id)
            .group_by(rows.c.class_id, Class.commune_id, rows.c.enrolment_id))


@functools.cache
def _module_rows() -> Any:
    """One row per enrolled learner and module taught (with a current version) in the classes of the `class_ids`
    parameter: 1 or 0 for passed, practised (every task of the current version ticked), both, and confirmed.
    Built once: it depends on nothing but the parameter."""
    class_ids = bindparam("class_ids", expanding=True)
    taught = (select(ClassModule.class_id, ClassModule.module_id, Module.current_version_id.label("version_id"))
              .join(Module, Module.id == ClassModule.module_id)
              .where(ClassModule.class_id.in_(class_ids), Module.current_version_id.is_not(None)).subquery())
    passed = select(Attempt.id).where(Attempt.person_id == Enrolment.person_id, Attempt.module_id == taught.c.module_id,
                                      Attempt.passed.is_(True)).exists()
    ticked = select(PracticalCheck.id).where(
        PracticalCheck.person_id == Enrolment.person_id, PracticalCheck.module_id == taught.c.module_id,
        PracticalCheck.task_code == PracticalTask.code).correlate_except(PracticalCheck).exists()  # two levels up
    practised = ~select(PracticalTask.id).where(PracticalTask.module_version_id == taught.c.version_id,
                                                ~ticked).exists()
    confirmed = select(Completion.id).where(
        Completion.person_id == Enrolment.person_id, Completion.module_id == taught.c.module_id,
        Completion.status == "confirmed").exists()
    return (select(Enrolment.class_id, Enrolment.id.label("enrolment_id"), null().label("status"),
                   _ZERO.label("session"), _ONE.label("module"), case((passed, 1), else_=0).label("passed"),
                   case((practised, 1), else_=0).label("practised"),
                   case((and_(passed, practised), 1), else_=0).label("both"),
                   case((confirmed, 1), else_=0).label("confirmed"))
            .join(taught, taught.c.class_id == Enrolment.class_id)
            .where(Enrolment.class_id.in_(class_ids), Enrolment.status == "enrolled"))


def confirm(klass: Class, standings: list[Standing], *, actor: Person | None, now: dt.datetime,
            only: set[int] | None = None) -> int:
    """Record completion for every eligible learner (or those in `only`) and confirm it; return how many learners
    this call confirmed (those confirmed before are not counted again)."""
    chosen = [s for s in standings if s.eligible and (only is None or s.person.id in only)]
    if all(getattr(s.completions.get(item.module.id), "status", None) == "confirmed"
           for s in chosen for item in s.modules):
        return 0  # nothing to write (the page confirms automatically on every visit)
    # Two officers (or two visits) confirming at once: the second waits, then sees the first one's rows.
    status.lock(klass.commune_id)
    fresh = select(Completion).where(Completion.person_id.in_([s.person.id for s in chosen]))
    by_person = {s.person.id: s for s in chosen}
    for row in db.session.scalars(fresh.execution_options(populate_existing=True)):
        by_person[row.person_id].completions[row.module_id] = row
    confirmed = 0
    for standing in chosen:
        newly = False
        for item in standing.modules:
            completion = standing.completions.get(item.module.id)
            version = db.session.get(type(item.module.current), item.attempt.module_version_id) \
                if item.attempt else item.module.current
            if completion is None:
                completion = Completion(person_id=standing.person.id, commune_id=klass.commune_id,
                                        module_id=item.module.id, module_version_id=version.id,
                                        framework_version_id=version.framework_version_id, eligible_at=now)
                db.session.add(completion)
                standing.completions[item.module.id] = completion
            if completion.status == "confirmed":
                continue
            completion.class_id, completion.attempt_id = klass.id, item.attempt.id if item.attempt else None
            completion.attendance_share = standing.attendance.share
            shown = set(item.attempt.skill_scores or {}) if item.attempt else set(version.skills)
            completion.skills = sorted(shown or set(version.skills))
            completion.status, completion.confirmed_at = "confirmed", now
            completion.confirmed_by_id = actor.id if actor else None
            newly = True
        confirmed += newly
    try:
        db.session.flush()
    except IntegrityError as error:  # confirmed meanwhile through another commune's class: no 500
        raise DomainError(status.BUSY) from error
    return confirmed


def auto_confirm(klass: Class, *, now: dt.datetime) -> int:
    """Where the commune chose automatic confirmation, confirm everyone eligible in the class now."""
    rules = rules_for(klass.commune_id)
    if rules.confirmation != "auto":
        return 0
    return confirm(klass, class_standing(klass, rules), actor=None, now=now)


def withdraw_confirmation(person: Person, module: Module) -> None:
    """Undo a completion confirmed by mistake (certificates already issued must be revoked separately)."""
    db.session.execute(delete(Completion).where(Completion.person_id == person.id, Completion.module_id == module.id))
    milestones.refresh({person.id})  # a bulk delete: no flush sees it


@dataclass(frozen=True)
class BasicStatus:
    """Whether a resident has completed the basic digital skills, as the framework defines it."""

    framework: FrameworkVersion | None
    shown: list[str]
    missing: list[str]

    @property
    def completed(self) -> bool:
        return self.framework is not None and not self.missing


def basic_status(person_id: int) -> BasicStatus:
    """Compare the skills of a person's confirmed completions with the current framework's definition."""
    # One query: the framework in force with each of the person's confirmed completions (a handful of rows at most).
    rows = db.session.execute(
        select(FrameworkVersion, Completion.skills)
        .outerjoin(Completion, (Completion.person_id == person_id) & (Completion.status == "confirmed"))
        .where(FrameworkVersion.is_current.is_(True)).order_by(FrameworkVersion.id)).all()
    if not rows:
        return BasicStatus(None, [], [])
    framework = rows[0].FrameworkVersion
    shown = sorted({s for row in rows if row.FrameworkVersion is framework for s in row.skills or ()})
    missing = [code for code in framework.basic_completion if code not in shown]
    return BasicStatus(framework, shown, missing)
