"""The skills framework file (courses/framework/*.yaml): read it and check it."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.catalog import yamlfile
from app.catalog.yamlfile import Mapping, line_of


@dataclass(frozen=True)
class Problem:
    """Something wrong in a course file, named by file and line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Skill:
    """One skill of the framework."""

    code: str
    group: str
    title_vi: str
    title_en: str
    confirmed: bool


@dataclass
class Framework:
    """A version of the skills framework, as read from its file."""

    code: str = ""
    version: str = ""
    title_vi: str = ""
    title_en: str = ""
    source: str = ""
    groups: list[dict[str, Any]] = field(default_factory=list)
    skills: dict[str, Skill] = field(default_factory=dict)
    basic_completion: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""


def text(value: Any, lang: str) -> str:
    """Return one language of a {vi: …, en: …} title, or the value itself when it is plain text."""
    if isinstance(value, dict):
        return str(value.get(lang) or "").strip()
    return str(value or "").strip() if lang == "vi" else ""


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False))


def read_framework(path: Path, root: Path, problems: list[Problem]) -> Framework:
    """Read the framework file, adding a Problem for everything wrong with it."""
    name = str(path.relative_to(root))
    framework = Framework()
    try:
        data = yamlfile.load(path)
    except yamlfile.YamlError as error:
        problems.append(Problem(name, error.line, _("YAML không hợp lệ: %(e)s", e=str(error))))
        return framework
    except UnicodeDecodeError:
        problems.append(Problem(name, 1, _("Tệp không ở bảng mã UTF-8.")))
        return framework
    if not isinstance(data, Mapping):
        problems.append(Problem(name, 1, _("Tệp khung kỹ năng phải là một bảng (mapping) YAML.")))
        return framework
    for key in ("code", "version", "title", "groups"):
        if not data.get(key):
            problems.append(Problem(name, data.line, _("Thiếu mục \"%(key)s\".", key=key)))
    framework.code, framework.version = str(data.get("code", "")), str(data.get("version", ""))
    framework.title_vi, framework.title_en = text(data.get("title"), "vi"), text(data.get("title"), "en")
    framework.source = str(data.get("source", ""))
    for group in data.get("groups") or []:
        if not isinstance(group, Mapping) or not group.get("code"):
            problems.append(Problem(name, line_of(group), _("Nhóm kỹ năng thiếu mã (code).")))
            continue
        gcode = str(group["code"])
        skills = []
        for skill in group.get("skills") or []:
            code = str(skill.get("code", "")) if isinstance(skill, Mapping) else ""
            if not code or not code.startswith(gcode + "."):
                problems.append(Problem(name, line_of(skill),
                                        _("Mã kỹ năng \"%(c)s\" phải bắt đầu bằng mã nhóm %(g)s.", c=code, g=gcode)))
                continue
            if code in framework.skills:
                problems.append(Problem(name, line_of(skill), _("Mã kỹ năng %(c)s bị trùng.", c=code)))
                continue
            if not text(skill.get("title"), "vi"):
                problems.append(Problem(name, line_of(skill), _("Kỹ năng %(c)s thiếu tên tiếng Việt.", c=code)))
            framework.skills[code] = Skill(code, gcode, text(skill.get("title"), "vi"), text(skill.get("title"), "en"),
                                           bool(skill.get("confirmed", False)))
            skills.append(code)
        framework.groups.append({"code": gcode, "title_vi": text(group.get("title"), "vi"),
                                 "title_en": text(group.get("title"), "en"),
                                 "confirmed": bool(group.get("confirmed", False)), "skills": skills})
    completion = data.get("basic_completion") or {}
    framework.basic_completion = [str(c) for c in (completion.get("skills") or [])] if isinstance(
        completion, Mapping) else []
    for code in framework.basic_completion:
        if code not in framework.skills:
            problems.append(Problem(name, line_of(completion, "skills"),
                                    _("basic_completion nêu kỹ năng %(c)s không có trong khung.", c=code)))
    framework.data = _plain(data)
    framework.content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    return framework


def find_framework_file(root: Path, problems: list[Problem]) -> Path | None:
    """Return the single framework file under courses/framework/."""
    files = sorted((root / "framework").glob("*.yaml"))
    if len(files) != 1:
        problems.append(Problem("framework", 0, _("Cần đúng một tệp khung kỹ năng trong courses/framework/ "
                                                  "(đang có %(n)s).", n=len(files))))
        return None
    return files[0]
