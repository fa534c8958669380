"""Loading the curriculum into the database (idempotent, versioned) and what learners see of it."""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update

from app.catalog import content as course_files
from app.catalog.content import Courses
from app.catalog.models import (
    FrameworkVersion,
    Lesson,
    LessonRead,
    Module,
    ModuleVersion,
    PracticalTask,
    Question,
    Track,
)
from app.catalog.render import to_html
from app.errors import DomainError
from app.extensions import db


@dataclass
class SyncReport:
    """What a sync did."""

    framework: str = "unchanged"  # or "loaded"
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.framework != "unchanged" or self.created or self.updated or self.retired)


def current_framework() -> FrameworkVersion | None:
    """Return the framework version now in force."""
    return db.session.scalar(select(FrameworkVersion).where(FrameworkVersion.is_current.is_(True)))


def _sync_framework(courses: Courses, report: SyncReport) -> FrameworkVersion:
    spec = courses.framework
    existing: FrameworkVersion | None = db.session.scalar(select(FrameworkVersion).where(
        FrameworkVersion.code == spec.code, FrameworkVersion.version == spec.version))
    if existing is not None:
        if existing.content_hash != spec.content_hash:
            raise DomainError(_l("Khung kỹ năng đã thay đổi nhưng vẫn mang phiên bản %(v)s. Hãy tăng \"version\" "
                                 "để kết quả cũ vẫn gắn với phiên bản cũ.", v=spec.version))
        framework = existing
    else:
        framework = FrameworkVersion(code=spec.code, version=spec.version, title_vi=spec.title_vi,
                                     title_en=spec.title_en, content_hash=spec.content_hash, data=spec.data)
        db.session.add(framework)
        report.framework = "loaded"
    if not framework.is_current:
        db.session.execute(update(FrameworkVersion).values(is_current=False))
        framework.is_current = True
        report.framework = "loaded"
    db.session.flush()
    return framework


def _new_version(module: Module, spec: course_files.Module, framework: FrameworkVersion, number: int) -> ModuleVersion:
    media = f"/catalog/media/{spec.code.lower()}"
    version = ModuleVersion(
        module_id=module.id, number=number, label=spec.label, content_hash=spec.content_hash,
        framework_version_id=framework.id, title_vi=spec.title_vi, title_en=spec.title_en,
        summary_vi=spec.summary_vi, summary_en=spec.summary_en, audiences=spec.audiences, skills=spec.skills,
        minutes=spec.minutes, prerequisites=spec.prerequisites,
        lessons=[Lesson(position=lesson.position, slug=lesson.slug, title_vi=lesson.title_vi, title_en=lesson.title_en,
                        minutes=lesson.minutes, skills=lesson.skills, body_markdown=lesson.body,
                        body_html=to_html(lesson.body, media_url=media, version=spec.content_hash[:10]))
                 for lesson in spec.lessons],
        tasks=[PracticalTask(position=i, code=t.code, title_vi=t.title_vi, title_en=t.title_en,
                             description_vi=t.description_vi, description_en=t.description_en, skills=t.skills)
               for i, t in enumerate(spec.tasks, start=1)],
        questions=[Question(position=i, key=q.title or q.idnumber or f"Q{i}", type=q.type, text_format=q.text_format,
                            text=q.text, answers=[{"text": a.text, "fraction": a.fraction, "feedback": a.feedback,
                                                   "match": a.match} for a in q.answers],
                            general_feedback=q.general_feedback, missing_word=q.missing_word, source_line=q.line,
                            skills=[t for t in q.tags if course_files.SKILL_LIKE.match(t)])
                   for i, q in enumerate(spec.questions, start=1)],
    )
    db.session.add(version)
    db.session.flush()
    return version


def sync(courses: Courses) -> SyncReport:
    """Load the curriculum: new modules and changed content become new versions; running it twice changes nothing."""
    if courses.problems:
        raise DomainError(_l("Thư mục học liệu còn %(n)s lỗi; chạy \"flask courses check\" để xem.",
                             n=len(courses.problems)))
    report = SyncReport()
    framework = _sync_framework(courses, report)
    order = {code: i for i, code in enumerate(c for t in courses.tracks for c in t.modules)}
    modules = {m.code: m for m in db.session.scalars(select(Module))}
    for code, spec in courses.modules.items():
        module = modules.get(code)
        if module is None:
            module = Module(code=code)
            db.session.add(module)
            db.session.flush()
        position = order.get(code, len(order) + 1)
        current = module.current
        if current is not None and current.content_hash == spec.content_hash \
                and current.framework_version_id == framework.id:
            if module.position != position or not module.active:
                module.position, module.active = position, True
            report.unchanged.append(code)
            continue
        latest = db.session.scalar(select(func.max(ModuleVersion.number)).where(ModuleVersion.module_id == module.id))
        version = _new_version(module, spec, framework, (latest or 0) + 1)
        (report.updated if current is not None else report.created).append(code)
        module.current_version_id, module.position, module.active = version.id, position, True
    for code, module in modules.items():
        if code not in courses.modules and module.active:
            module.active = False  # folder removed: hide it, keep its history
            report.retired.append(code)
    _sync_tracks(courses)
    db.session.flush()
    return report


def _sync_tracks(courses: Courses) -> None:
    existing = {t.code: t for t in db.session.scalars(select(Track))}
    for position, spec in enumerate(courses.tracks):
        track = existing.pop(spec.code, None) or Track(code=spec.code)
        values = {"audience": spec.audience, "title_vi": spec.title_vi, "title_en": spec.title_en,
                  "module_codes": spec.modules, "position": position}
        for key, value in values.items():
            if getattr(track, key) != value:
                setattr(track, key, value)
        db.session.add(track)
    for stale in existing.values():
        db.session.delete(stale)


# --- what learners see --------------------------------------------------------------------------

def active_modules(audience: str | None = None, group: str | None = None) -> list[Module]:
    """Return the modules on offer, in track order, optionally for one audience or skill group."""
    modules = db.session.scalars(select(Module).where(Module.active.is_(True), Module.current_version_id.is_not(None))
                                 .order_by(Module.position, Module.code)).all()
    if audience:
        modules = [m for m in modules if audience in m.current.audiences or "general" in m.current.audiences]  # type: ignore[union-attr]
    if group:
        modules = [m for m in modules if any(s.split(".")[0] == group for s in m.current.skills)]  # type: ignore[union-attr]
    return list(modules)


def module_by_code(code: str) -> Module | None:
    """Return an active module by its code (case-insensitive)."""
    return db.session.scalar(select(Module).where(Module.code == code.upper(), Module.active.is_(True),
                                                  Module.current_version_id.is_not(None)))


@dataclass(frozen=True)
class LessonEntry:
    """A lesson as the lesson page shows it."""

    slug: str
    position: int
    title_vi: str
    title_en: str
    minutes: int
    body_html: str

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


@dataclass(frozen=True)
class TaskEntry:
    """A practical task as the module page lists it."""

    title_vi: str
    title_en: str
    description_vi: str
    description_en: str

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


@dataclass(frozen=True)
class Outline:
    """A module version's lessons, practical tasks and whether it has a quiz: immutable, so each process keeps it in
    memory once read."""

    module_id: int
    code: str
    version_id: int
    title_vi: str
    title_en: str
    lessons: tuple[LessonEntry, ...]
    tasks: tuple[TaskEntry, ...] = ()
    has_quiz: bool = False

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi

    def index_of(self, slug: str) -> int | None:
        return next((i for i, lesson in enumerate(self.lessons) if lesson.slug == slug), None)


@lru_cache(maxsize=64)
def _outline(version_id: int, content_hash: str) -> Outline:
    # Keyed by the content hash too, so a rebuilt database can never serve another version's text.
    version = db.session.get(ModuleVersion, version_id)
    assert version is not None and version.content_hash == content_hash
    has_quiz = db.session.scalar(select(Question.id).where(Question.module_version_id == version.id).limit(1))
    return Outline(version.module_id, version.module.code, version.id, version.title_vi, version.title_en,
                   tuple(LessonEntry(lesson.slug, lesson.position, lesson.title_vi, lesson.title_en, lesson.minutes,
                                     lesson.body_html)
                         for lesson in version.lessons),
                   tuple(TaskEntry(task.title_vi, task.title_en, task.description_vi, task.description_en)
                         for task in version.tasks),
                   has_quiz is not None)


def outline_of(version: ModuleVersion) -> Outline:
    """Return a module version's lessons, tasks and quiz flag from memory (read from the database once)."""
    return _outline(version.id, version.content_hash)


_CURRENT_VERSION = (select(ModuleVersion.id, ModuleVersion.content_hash)
                    .join(Module, Module.current_version_id == ModuleVersion.id)
                    .where(Module.code == bindparam("code"), Module.active.is_(True)))
_current: dict[str, tuple[float, Any]] = {}


def outline(code: str) -> Outline | None:
    """Return the current version's lessons of an active module from memory.

    Which version is current is looked up at most every CATALOG_CACHE_SECONDS (a sync shows up within
    that time); the lessons of a version never change, so they are read from the database once.
    """
    code, now = code.upper(), time.monotonic()
    ttl = current_app.config.get("CATALOG_CACHE_SECONDS", 5)
    cached = _current.get(code)
    if cached is None or cached[0] < now:
        row = db.session.execute(_CURRENT_VERSION, {"code": code}).first()
        cached = (now + ttl, tuple(row) if row else None)
        if ttl:
            _current[code] = cached
    return _outline(*cached[1]) if cached[1] else None


def lesson_by_slug(version: ModuleVersion, slug: str) -> Lesson | None:
    """Return a lesson of a module version."""
    return db.session.scalar(select(Lesson).where(Lesson.module_version_id == version.id, Lesson.slug == slug))


def has_read(person_id: int, module_id: int, slug: str) -> bool:
    """Tell whether a person finished one lesson."""
    found = select(LessonRead.read_at).where(LessonRead.person_id == person_id, LessonRead.module_id == module_id,
                                             LessonRead.lesson_slug == slug)
    return db.session.execute(found).first() is not None


def read_slugs(person_id: int, module_ids: Sequence[int]) -> dict[int, set[str]]:
    """Return, per module, the lesson slugs a person has finished."""
    found: dict[int, set[str]] = {mid: set() for mid in module_ids}
    if not module_ids:
        return found
    for module_id, slug in db.session.execute(
            select(LessonRead.module_id, LessonRead.lesson_slug).where(LessonRead.person_id == person_id,
                                                                        LessonRead.module_id.in_(module_ids))):
        found[module_id].add(slug)
    return found


def mark_read(person_id: int, lesson: Lesson) -> bool:
    """Record that a person finished a lesson; doing it again changes nothing. Return True when new."""
    version = lesson.module_version
    key = (person_id, version.module_id, lesson.slug)
    if db.session.get(LessonRead, key) is not None:
        return False
    db.session.add(LessonRead(person_id=person_id, module_id=version.module_id, lesson_slug=lesson.slug,
                              module_version_id=version.id))
    db.session.flush()
    return True


def progress(version: ModuleVersion | Outline, done: set[str]) -> dict[str, Any]:
    """Summarise a learner's progress through a module version."""
    slugs = [lesson.slug for lesson in version.lessons]
    finished = [s for s in slugs if s in done]
    next_slug = next((s for s in slugs if s not in done), None)
    return {"done": len(finished), "total": len(slugs), "next": next_slug,
            "percent": round(100 * len(finished) / len(slugs)) if slugs else 0}
