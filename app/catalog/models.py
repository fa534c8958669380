"""The curriculum in the database: framework versions, modules and their versions, lessons, tasks, questions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, utcnow
from app.policy import Scope


class FrameworkVersion(db.Model):
    """One version of the skills framework; results keep pointing at the version they were earned under."""

    __tablename__ = "framework_versions"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    title_vi: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_current: Mapped[bool] = mapped_column(default=False)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def groups(self) -> list[dict[str, Any]]:
        return list(self.data.get("groups") or [])

    @property
    def basic_completion(self) -> list[str]:
        return [str(c) for c in (self.data.get("basic_completion") or {}).get("skills") or []]

    def skill_titles(self, lang: str = "vi") -> dict[str, str]:
        """Map every skill code to its title in one language (Vietnamese when the other is missing)."""
        titles = {}
        for group in self.groups:
            for skill in group.get("skills") or []:
                title = skill.get("title") or {}
                titles[str(skill["code"])] = str(title.get(lang) or title.get("vi") or "")
        return titles

    def group_titles(self, lang: str = "vi") -> dict[str, str]:
        """Map every group code to its title."""
        return {str(g["code"]): str((g.get("title") or {}).get(lang) or (g.get("title") or {}).get("vi") or "")
                for g in self.groups}


class Module(db.Model):
    """A module's lasting identity; its content lives in versions."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)  # false when its folder is removed
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_versions.id", use_alter=True, ondelete="SET NULL"))

    current: Mapped[ModuleVersion | None] = relationship(foreign_keys=[current_version_id], lazy="joined",
                                                         post_update=True)

    @property
    def access_scope(self) -> Scope:
        return Scope(None)


class ModuleVersion(db.Model):
    """A module's content as it was at one sync; attempts and results point here."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(20), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    title_vi: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_vi: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    audiences: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes: Mapped[int] = mapped_column(default=0)
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    module: Mapped[Module] = relationship(foreign_keys=[module_id])
    framework_version: Mapped[FrameworkVersion] = relationship()
    lessons: Mapped[list[Lesson]] = relationship(order_by="Lesson.position", cascade="all, delete-orphan",
                                                 back_populates="module_version")
    tasks: Mapped[list[PracticalTask]] = relationship(order_by="PracticalTask.position",
                                                      cascade="all, delete-orphan")
    questions: Mapped[list[Question]] = relationship(order_by="Question.position", cascade="all, delete-orphan")

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi

    def summary(self, lang: str = "vi") -> str:
        return self.summary_en if lang == "en" and self.summary_en else self.summary_vi


class Lesson(db.Model):
    """A lesson of one module version; its Markdown is rendered to HTML once, at sync."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("module_version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    slug: Mapped[str] = mapped_column(String(120))
    title_vi: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    minutes: Mapped[int] = mapped_column(default=0)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)

    module_version: Mapped[ModuleVersion] = relationship(back_populates="lessons")

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


class PracticalTask(db.Model):
    """Something an instructor watches a learner do, e.g. "pays by VietQR"."""

    __tablename__ = "practical_tasks"
    __table_args__ = (UniqueConstraint("module_version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    title_vi: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    description_vi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


class Question(db.Model):
    """A question from the module's GIFT bank, as parsed (type, text, answers, feedback, skills)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("module_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(120))  # the GIFT title (or idnumber)
    type: Mapped[str] = mapped_column(String(20))
    text_format: Mapped[str] = mapped_column(String(10), default="moodle")
    text: Mapped[str] = mapped_column(Text)
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    general_feedback: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    missing_word: Mapped[bool] = mapped_column(default=False)
    source_line: Mapped[int] = mapped_column(default=0)

    module_version: Mapped[ModuleVersion] = relationship(viewonly=True)


class Track(db.Model):
    """An ordered path of modules for one audience."""

    __tablename__ = "tracks"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    audience: Mapped[str] = mapped_column(String(30))
    title_vi: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    module_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    def title(self, lang: str = "vi") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_vi


class LessonRead(db.Model):
    """A learner finished reading a lesson; kept by module and slug so it survives content edits."""

    __tablename__ = "lesson_reads"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True)
    lesson_slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id", ondelete="CASCADE"))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
