"""The curriculum folder (courses/): read modules, lessons, tasks, question banks and tracks, and check them."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.catalog import gift, yamlfile
from app.catalog.framework import Framework, Problem, find_framework_file, read_framework, text
from app.catalog.yamlfile import Mapping, Sequence, line_of
from app.people.audiences import Audience

IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}
SKILL_LIKE = re.compile(r"^\d+\.\d+$")
CODE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
LIST_ITEM = re.compile(r"^( *)(?:[-*+]|\d+[.)])\s")


@dataclass
class Lesson:
    """One lesson: a Markdown file with front matter."""

    slug: str
    position: int
    title_vi: str
    title_en: str
    minutes: int
    skills: list[str]
    body: str


@dataclass
class Task:
    """A practical task an instructor watches the learner do."""

    code: str
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    skills: list[str]


@dataclass
class Module:
    """A module folder, read whole."""

    code: str
    folder: Path
    label: str = ""
    title_vi: str = ""
    title_en: str = ""
    summary_vi: str = ""
    summary_en: str = ""
    audiences: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    minutes: int = 0
    prerequisites: list[str] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    questions: list[gift.GiftQuestion] = field(default_factory=list)
    content_hash: str = ""


@dataclass
class Track:
    """An ordered list of modules for one audience."""

    code: str
    audience: str
    title_vi: str
    title_en: str
    modules: list[str]


@dataclass
class Courses:
    """Everything under courses/, with every problem found while reading it."""

    framework: Framework
    modules: dict[str, Module]
    tracks: list[Track]
    problems: list[Problem]


class _Reader:
    def __init__(self, root: Path, framework: Framework, problems: list[Problem]) -> None:
        self.root, self.framework, self.problems = root, framework, problems

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(str(path.relative_to(self.root)), line, message))

    def yaml(self, path: Path) -> Any:
        try:
            return yamlfile.load(path)
        except yamlfile.YamlError as error:
            self.problem(path, error.line, _("YAML không hợp lệ: %(e)s", e=str(error)))
        except UnicodeDecodeError:
            self.problem(path, 1, _("Tệp không ở bảng mã UTF-8."))
        return None

    def skills(self, path: Path, line: int, value: Any, allowed: list[str] | None) -> list[str]:
        """Check a list of skill codes against the framework (and the module's own list)."""
        if not isinstance(value, list) or not value:
            self.problem(path, line, _("Cần danh sách mã kỹ năng, ví dụ [\"0.1\"]."))
            return []
        codes = [str(v) for v in value]
        for code in codes:
            if code not in self.framework.skills:
                self.problem(path, line, _("Mã kỹ năng %(c)s không có trong khung kỹ năng.", c=code))
            elif allowed is not None and code not in allowed:
                self.problem(path, line, _("Kỹ năng %(c)s không nằm trong danh sách kỹ năng của học phần.", c=code))
        return codes

    def images(self, path: Path, body: str, first_line: int, folder: Path, base: Path) -> None:
        for offset, line in enumerate(body.splitlines()):
            for match in IMAGE.finditer(line):
                alt, src = match.group(1).strip(), match.group(2)
                where = first_line + offset
                if not alt:
                    self.problem(path, where, _("Ảnh %(src)s thiếu lời mô tả (alt text).", src=src))
                target = (base / src).resolve()
                if target.suffix.lower() not in IMAGE_TYPES:
                    self.problem(path, where, _("Ảnh %(src)s: chỉ dùng SVG, PNG, JPG, WebP hoặc GIF.", src=src))
                elif not target.is_relative_to(folder.resolve() / "images") or not target.is_file():
                    self.problem(path, where, _("Không tìm thấy ảnh %(src)s (ảnh phải nằm trong thư mục images/ "
                                                "của học phần).", src=src))

    def nested_lists(self, path: Path, body: str, first_line: int) -> None:
        # The lesson renderer (Python-Markdown) nests a list only under 4 spaces; with fewer, the items
        # run into their parent's text as "- …" dashes.
        in_list, fenced = False, False
        for offset, line in enumerate(body.splitlines()):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            if fenced or not line.strip():
                continue
            item = LIST_ITEM.match(line)
            if item and in_list and 0 < len(item.group(1)) < 4:
                self.problem(path, first_line + offset, _("Danh sách con phải thụt vào 4 dấu cách (dòng này thụt "
                                                          "%(n)s), nếu không sẽ hiện thành gạch đầu dòng liền chữ.",
                                                          n=len(item.group(1))))
            in_list = bool(item) or (in_list and line.startswith(" "))

    def module(self, folder: Path) -> Module | None:
        meta_path = folder / "module.yaml"
        if not meta_path.is_file():
            self.problem(folder, 0, _("Thư mục học phần thiếu tệp module.yaml."))
            return None
        meta = self.yaml(meta_path)
        if not isinstance(meta, Mapping):
            if meta is not None:
                self.problem(meta_path, 1, _("module.yaml phải là một bảng (mapping) YAML."))
            return None
        code = str(meta.get("code") or "")
        if not CODE.match(code):
            self.problem(meta_path, line_of(meta, "code"), _("Mã học phần \"%(c)s\" không hợp lệ (ví dụ NCT-01).",
                                                               c=code))
        elif folder.name != code.lower():
            self.problem(meta_path, line_of(meta, "code"),
                         _("Thư mục phải mang tên mã học phần viết thường: %(name)s.", name=code.lower()))
        module = Module(code=code, folder=folder, label=str(meta.get("version") or ""))
        for key in ("version", "title", "summary", "audiences", "skills", "minutes"):
            if meta.get(key) in (None, "", []):
                self.problem(meta_path, meta.line, _("Thiếu mục \"%(key)s\".", key=key))
        module.title_vi, module.title_en = text(meta.get("title"), "vi"), text(meta.get("title"), "en")
        module.summary_vi, module.summary_en = text(meta.get("summary"), "vi"), text(meta.get("summary"), "en")
        if meta.get("title") and not module.title_vi:
            self.problem(meta_path, line_of(meta, "title"), _("Thiếu tên tiếng Việt (title.vi)."))
        audiences = meta.get("audiences") or []
        module.audiences = [str(a) for a in audiences] if isinstance(audiences, list) else []
        for audience in module.audiences:
            if audience not in {a.value for a in Audience}:
                self.problem(meta_path, line_of(meta, "audiences"),
                             _("Đối tượng \"%(a)s\" không hợp lệ.", a=audience))
        module.skills = self.skills(meta_path, line_of(meta, "skills"), meta.get("skills"), None)
        minutes = meta.get("minutes")
        if minutes is not None and (not isinstance(minutes, int) or not 1 <= minutes <= 1000):
            self.problem(meta_path, line_of(meta, "minutes"), _("Thời lượng (minutes) phải là số phút từ 1 đến 1000."))
        module.minutes = minutes if isinstance(minutes, int) else 0
        prerequisites = meta.get("prerequisites") or []
        module.prerequisites = [str(p) for p in prerequisites] if isinstance(prerequisites, list) else []
        self.lessons(module)
        self.tasks(module)
        self.questions(module)
        module.content_hash = folder_hash(folder)
        return module

    def lessons(self, module: Module) -> None:
        files = sorted((module.folder / "lessons").glob("*.md"))
        if not files:
            self.problem(module.folder, 0, _("Học phần chưa có bài học nào (thư mục lessons/)."))
        for position, path in enumerate(files, start=1):
            raw = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
            if not raw.startswith("---\n") or "\n---\n" not in raw[3:]:
                self.problem(path, 1, _("Bài học phải mở đầu bằng phần thông tin giữa hai dòng \"---\"."))
                continue
            head, body = raw[4:].split("\n---\n", 1)
            try:
                front = yamlfile.loads(head, offset=1)
            except yamlfile.YamlError as error:
                self.problem(path, error.line, _("YAML không hợp lệ: %(e)s", e=str(error)))
                continue
            if not isinstance(front, Mapping):
                self.problem(path, 2, _("Phần thông tin của bài học phải là một bảng (mapping) YAML."))
                continue
            title_vi = text(front.get("title"), "vi")
            if not title_vi:
                self.problem(path, line_of(front, "title"), _("Bài học thiếu tên tiếng Việt (title.vi)."))
            minutes = front.get("minutes")
            if not isinstance(minutes, int) or not 1 <= minutes <= 60:
                self.problem(path, line_of(front, "minutes"), _("Thời lượng bài học (minutes) phải từ 1 đến 60 phút."))
            skills = self.skills(path, line_of(front, "skills"), front.get("skills"), module.skills)
            body_line = head.count("\n") + 4
            self.images(path, body, body_line, module.folder, path.parent)
            self.nested_lists(path, body, body_line)
            slug = re.sub(r"^\d+-", "", path.stem)
            module.lessons.append(Lesson(slug, position, title_vi, text(front.get("title"), "en"),
                                         minutes if isinstance(minutes, int) else 0, skills, body.strip() + "\n"))

    def tasks(self, module: Module) -> None:
        path = module.folder / "tasks.yaml"
        if not path.is_file():
            self.problem(module.folder, 0, _("Học phần thiếu tệp tasks.yaml (bài thực hành)."))
            return
        data = self.yaml(path)
        if data is None:
            return
        if not isinstance(data, Sequence):
            self.problem(path, 1, _("tasks.yaml phải là một danh sách."))
            return
        seen: set[str] = set()
        for item in data:
            if not isinstance(item, Mapping):
                self.problem(path, line_of(item), _("Mỗi bài thực hành phải là một bảng (mapping)."))
                continue
            code = str(item.get("code") or "")
            if not code:
                self.problem(path, item.line, _("Bài thực hành thiếu mã (code)."))
            elif code in seen:
                self.problem(path, line_of(item, "code"), _("Mã bài thực hành %(c)s bị trùng.", c=code))
            seen.add(code)
            if not text(item.get("title"), "vi"):
                self.problem(path, item.line, _("Bài thực hành %(c)s thiếu tên tiếng Việt.", c=code))
            skills = self.skills(path, line_of(item, "skills"), item.get("skills"), module.skills)
            module.tasks.append(Task(code, text(item.get("title"), "vi"), text(item.get("title"), "en"),
                                     text(item.get("description"), "vi"), text(item.get("description"), "en"),
                                     skills))

    def questions(self, module: Module) -> None:
        path = module.folder / "questions.gift"
        if not path.is_file():
            self.problem(module.folder, 0, _("Học phần thiếu ngân hàng câu hỏi questions.gift."))
            return
        result = gift.parse_gift_file(path)
        for error in result.errors:
            self.problem(path, error.line, error.message)
        covered: set[str] = set()
        for question in result.questions:
            skills = [t for t in question.tags if SKILL_LIKE.match(t)]
            if not skills:
                self.problem(path, question.line, _("Câu hỏi chưa gắn mã kỹ năng (dòng chú thích // [tag:0.1])."))
            self.skills(path, question.line, skills or ["-"], module.skills) if skills else None
            if not question.title:
                self.problem(path, question.line, _("Câu hỏi cần có tên, ví dụ ::%(c)s-Q01::", c=module.code))
            self.images(path, question.text, question.line, module.folder, module.folder)
            covered.update(skills)
            module.questions.append(question)
        for code in module.skills:
            if code not in covered:
                self.problem(path, 1, _("Kỹ năng %(c)s của học phần chưa có câu hỏi nào.", c=code))


def folder_hash(folder: Path) -> str:
    """Hash every file of a module folder, so any change makes a new version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _tracks(root: Path, modules: dict[str, Module], problems: list[Problem]) -> list[Track]:
    path = root / "tracks.yaml"
    reader = _Reader(root, Framework(), problems)
    data = reader.yaml(path) if path.is_file() else None
    tracks = []
    for item in data if isinstance(data, Sequence) else []:
        if not isinstance(item, Mapping):
            continue
        codes = [str(c) for c in item.get("modules") or []]
        for code in codes:
            if code not in modules:
                reader.problem(path, line_of(item, "modules"), _("Lộ trình nêu học phần %(c)s không tồn tại.", c=code))
        audience = str(item.get("audience") or "")
        if audience not in {a.value for a in Audience}:
            reader.problem(path, line_of(item, "audience"), _("Đối tượng \"%(a)s\" không hợp lệ.", a=audience))
        tracks.append(Track(str(item.get("code") or ""), audience, text(item.get("title"), "vi"),
                            text(item.get("title"), "en"), codes))
    return tracks


def read_courses(root: Path) -> Courses:
    """Read and check the whole curriculum folder; problems are collected, never raised."""
    problems: list[Problem] = []
    framework_file = find_framework_file(root, problems)
    framework = read_framework(framework_file, root, problems) if framework_file else Framework()
    reader = _Reader(root, framework, problems)
    modules: dict[str, Module] = {}
    for folder in sorted(p for p in (root / "modules").iterdir() if p.is_dir()) if (root / "modules").is_dir() else []:
        module = reader.module(folder)
        if module is None:
            continue
        if module.code in modules:
            reader.problem(folder / "module.yaml", 1, _("Mã học phần %(c)s bị trùng.", c=module.code))
            continue
        modules[module.code] = module
    for module in modules.values():
        for code in module.prerequisites:
            if code not in modules:
                reader.problem(module.folder / "module.yaml", 1,
                               _("Học phần cần học trước %(c)s không tồn tại.", c=code))
    return Courses(framework, modules, _tracks(root, modules, problems), problems)
