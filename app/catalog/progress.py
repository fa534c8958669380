"""Where a learner stands: lessons read and quizzes passed per module, today's module, and what to do next.

The rule for "Học tiếp" lives here, once. The learner's modules come in tiers: today's module (when a session of
their class today names one), then their classes' modules in teaching order, then the modules of the tracks for
their audiences. The first tier with something left gives its first unread lesson, else its first quiz not yet
passed; when no tier has anything left, everything is done.
Read-only; a fixed handful of queries however many modules and classes there are.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, literal_column, or_, select, union_all
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app.catalog.models import Lesson, LessonRead, Module, Question, Track
from app.classes.models import Class, ClassSession, Enrolment
from app.extensions import db
from app.quizzes.models import Attempt
from app.vietnam import local_today

HIGHLIGHTED_STATUSES = ("planned", "open", "running")  # a finished or cancelled class has no "module of the day"


@dataclass(frozen=True)
class LessonStub:
    """A lesson's place and title, enough to link to it."""

    slug: str
    title_vi: str
    title_en: str

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


@dataclass(frozen=True)
class ModuleProgress:
    """One learner's progress through a module's current version."""

    module: Module
    read_slugs: frozenset[str]
    read: int
    total: int
    next_lesson: LessonStub | None  # the first lesson not yet read
    has_quiz: bool
    passed: bool

    @property
    def lessons_done(self) -> bool:
        return self.read >= self.total

    @property
    def complete(self) -> bool:
        return self.lessons_done and (self.passed or not self.has_quiz)


@dataclass(frozen=True)
class NextStep:
    """What "Học tiếp" opens: a lesson, a quiz, or nothing left ("done"; "none" when there is nothing to learn)."""

    kind: str
    module: Module | None = None
    lesson: LessonStub | None = None

    def module_title(self, lang: str = "vi") -> str:
        return self.module.current.title(lang) if self.module and self.module.current else ""


@dataclass
class ClassLearning:
    """A class as one person sees its modules: the module of the day and, for its learners, progress and next step."""

    class_id: int
    module_ids: list[int]
    current_module_id: int | None = None
    current_is_today: bool = False
    progress: dict[int, ModuleProgress] = field(default_factory=dict)
    next: NextStep | None = None


# --- progress per module ------------------------------------------------------------------------

def module_progress(person_id: int, modules: Iterable[Module]) -> dict[int, ModuleProgress]:
    """Return each module's progress for a person (current versions only), in one query."""
    modules = [m for m in modules if m.current is not None]
    if not modules:
        return {}
    versions = {m.current_version_id: m for m in modules}
    module_ids = [m.id for m in modules]
    none, zero = literal_column("''"), literal_column("0")
    # The lessons and the person's flags in one query: lessons, lessons read, versions with a quiz, quizzes passed.
    rows = union_all(
        select(literal_column("'lesson'"), Lesson.module_version_id, Lesson.slug, Lesson.title_vi, Lesson.title_en,
               Lesson.position).where(Lesson.module_version_id.in_(list(versions))),
        select(literal_column("'read'"), LessonRead.module_id, LessonRead.lesson_slug, none, none, zero)
        .where(LessonRead.person_id == person_id, LessonRead.module_id.in_(module_ids)),
        select(literal_column("'quiz'"), Question.module_version_id, none, none, none, zero)
        .where(Question.module_version_id.in_(list(versions))).distinct(),
        select(literal_column("'passed'"), Attempt.module_id, none, none, none, zero)
        .where(Attempt.person_id == person_id, Attempt.module_id.in_(module_ids), Attempt.passed.is_(True))
        .distinct())
    lessons: dict[int, list[tuple[int, LessonStub]]] = {m.id: [] for m in modules}
    read: dict[int, set[str]] = {mid: set() for mid in module_ids}
    with_quiz: set[int] = set()
    passed: set[int] = set()
    for kind, key, slug, title_vi, title_en, position in db.session.execute(rows):
        if kind == "lesson" and key in versions:
            lessons[versions[key].id].append((position, LessonStub(slug, title_vi, title_en)))
        elif kind == "read" and key in read:
            read[key].add(slug)
        elif kind == "quiz" and key in versions:
            with_quiz.add(versions[key].id)
        elif kind == "passed":
            passed.add(key)
    found = {}
    for module in modules:
        ordered = [stub for _, stub in sorted(lessons[module.id], key=lambda pair: pair[0])]
        done = frozenset(lesson.slug for lesson in ordered if lesson.slug in read[module.id])
        found[module.id] = ModuleProgress(
            module=module, read_slugs=done, read=len(done), total=len(ordered),
            next_lesson=next((lesson for lesson in ordered if lesson.slug not in done), None),
            has_quiz=module.id in with_quiz, passed=module.id in passed)
    return found


def choose_next(tiers: Sequence[Sequence[Module]], progress: dict[int, ModuleProgress]) -> NextStep:
    """Pick the next step tier by tier: a tier's first unread lesson, else its first quiz not passed."""
    seen = False
    for tier in tiers:
        steps = [progress[m.id] for m in tier if m.id in progress]
        seen = seen or bool(steps)
        for step in steps:
            if step.next_lesson is not None:
                return NextStep("lesson", step.module, step.next_lesson)
        for step in steps:
            if step.has_quiz and not step.passed:
                return NextStep("quiz", step.module)
    return NextStep("done") if seen else NextStep("none")


# --- the learner's modules ----------------------------------------------------------------------

def enrolled_classes(person: Any) -> list[Class]:
    """Return the classes a person is enrolled in (not cancelled ones), earliest first, with their modules (one
    statement)."""
    return list(db.session.scalars(
        select(Class).join(Enrolment, Enrolment.class_id == Class.id)
        .where(Enrolment.person_id == person.id, Enrolment.status == "enrolled", Class.status != "cancelled")
        .options(joinedload(Class.modules), lazyload(Class.staff)).order_by(Class.starts_on, Class.id)).unique())


def track_modules(person: Any) -> list[Module]:
    """Return the modules of the tracks for the person's audiences (and everyone's), in track order."""
    audiences = {str(a) for a in person.audiences} | {"general"}
    codes = [code for track in db.session.scalars(select(Track).where(Track.audience.in_(audiences))
                                                  .order_by(Track.position)) for code in track.module_codes]
    if not codes:
        return []
    found = {m.code: m for m in db.session.scalars(select(Module).where(
        Module.code.in_(codes), Module.active.is_(True), Module.current_version_id.is_not(None)))}
    return [found[code] for code in dict.fromkeys(codes) if code in found]


def current_modules(classes: Sequence[Class], today: dt.date,
                    sessions: Sequence[ClassSession] | None = None) -> dict[int, tuple[int, bool]]:
    """Return, per class, its module of the moment and whether a session today names it.

    That is the module of the latest session up to today that names one; failing that, the class's first module.
    Given the classes' sessions (all of them), no query.
    """
    live = [c for c in classes if c.status in HIGHLIGHTED_STATUSES and c.modules]
    if not live:
        return {}
    found: dict[int, tuple[int, bool]] = {}
    if sessions is not None:
        ids = {c.id for c in live}
        rows: Iterable[Any] = sorted(
            ((s.class_id, s.date, s.module_id, s.start_time, s.id) for s in sessions
             if s.class_id in ids and s.status == "scheduled" and s.module_id is not None and s.date <= today),
            key=lambda row: (row[1], row[3], row[4]), reverse=True)
    else:
        rows = db.session.execute(
            select(ClassSession.class_id, ClassSession.date, ClassSession.module_id)
            .where(ClassSession.class_id.in_([c.id for c in live]), ClassSession.status == "scheduled",
                   ClassSession.module_id.is_not(None), ClassSession.date <= today)
            .order_by(ClassSession.date.desc(), ClassSession.start_time.desc(), ClassSession.id.desc()))
    for class_id, day, module_id, *_ in rows:
        found.setdefault(class_id, (module_id, day == today))
    for klass in live:
        found.setdefault(klass.id, (klass.modules[0].module_id, False))
    return found


def _tiers(classes: Sequence[Class], current: dict[int, tuple[int, bool]]) -> list[list[Module]]:
    """Today's modules, then the classes' modules in teaching order (each module once)."""
    today = [cm.module for c in classes for cm in c.modules if current.get(c.id) == (cm.module_id, True)]
    rest = [cm.module for c in classes for cm in c.modules if cm.module not in today]
    return [today, list({m.id: m for m in rest}.values())]


def next_step(person: Any, *, klass: Class | None = None, today: dt.date | None = None) -> NextStep:
    """Return what "Học tiếp" opens for a person: across their classes then tracks, or within one class."""
    return learning(person, klass=klass, today=today)[1]


def learning(person: Any, *, klass: Class | None = None, today: dt.date | None = None,
             sessions: Sequence[ClassSession] | None = None) -> tuple[dict[int, ClassLearning], NextStep]:
    """Return each class's view (module of the day, progress) and the next step, with one set of queries.

    Given one class and all its sessions, the module of the day costs no query.
    """
    today = today or local_today()
    classes = [klass] if klass is not None else enrolled_classes(person)
    current = current_modules(classes, today, sessions if klass is not None else None)
    tiers = _tiers(classes, current)
    if klass is None:
        taken = {m.id for tier in tiers for m in tier}
        tiers.append([m for m in track_modules(person) if m.id not in taken])
    progress = module_progress(person.id, [m for tier in tiers for m in tier])
    views = {c.id: ClassLearning(c.id, [cm.module_id for cm in c.modules], *current.get(c.id, (None, False)),
                                 progress={cm.module_id: progress[cm.module_id] for cm in c.modules
                                           if cm.module_id in progress})
             for c in classes}
    return views, choose_next(tiers, progress)


def class_view(person: Any, klass: Class, *, today: dt.date | None = None, enrolled: bool | None = None,
               sessions: Sequence[ClassSession] | None = None) -> ClassLearning:
    """Return a class as a person sees it: the module of the day, and progress and next step when enrolled.

    A caller that knows whether the person is enrolled, or has all the class's sessions, passes them on and saves
    those queries.
    """
    today = today or local_today()
    if enrolled is None:
        enrolled = person is not None and getattr(person, "is_authenticated", False) and db.session.scalar(
            select(Enrolment.id).where(Enrolment.class_id == klass.id, Enrolment.person_id == person.id,
                                       Enrolment.status == "enrolled")) is not None
    if not enrolled:
        view = ClassLearning(klass.id, [cm.module_id for cm in klass.modules])
        view.current_module_id, view.current_is_today = current_modules([klass], today, sessions).get(
            klass.id, (None, False))
        return view
    views, step = learning(person, klass=klass, today=today, sessions=sessions)
    views[klass.id].next = step
    return views[klass.id]


# --- the next session ---------------------------------------------------------------------------

def skip_ended_sessions(items: Sequence[Any], now: dt.datetime) -> None:
    """Replace any "next session" (`item.next_session`, class `item.enrolment.class_id`) that has already ended.

    A session today whose end time has passed is not "next": the class's following session takes its place.
    Costs a query only when some next session has ended.
    """
    stale = [item for item in items if item.next_session is not None and item.next_session.ends_at <= now]
    if not stale:
        return
    today, clock = now.date(), now.time().replace(tzinfo=None)
    following: dict[int, ClassSession] = {}
    for session in db.session.scalars(
            select(ClassSession).where(
                ClassSession.class_id.in_([item.enrolment.class_id for item in stale]),
                ClassSession.status == "scheduled",
                or_(ClassSession.date > today, and_(ClassSession.date == today, ClassSession.end_time > clock)))
            .options(selectinload(ClassSession.venue), selectinload(ClassSession.module))
            .order_by(ClassSession.date, ClassSession.start_time, ClassSession.id)):
        following.setdefault(session.class_id, session)
    for item in stale:
        item.next_session = following.get(item.enrolment.class_id)
