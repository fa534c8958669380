"""The shipped curriculum passes every check and meets the programme's content requirements;
broken course folders are reported with file and line."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from app.catalog import content
from tests.conftest import ROOT

COURSES = ROOT / "courses"
# Every web address named in the content; a new one must be checked to exist before it is added.
KNOWN_ADDRESSES = {"dichvucong.gov.vn", "moh.gov.vn", "chinhphu.vn", "facebook.com"}


@pytest.fixture(scope="module")
def shipped(app):
    with app.app_context():
        return content.read_courses(COURSES)


def test_shipped_curriculum_has_no_problems(shipped) -> None:
    assert [str(p) for p in shipped.problems] == []


def test_there_are_at_least_twelve_modules_in_four_tracks(shipped) -> None:
    assert len(shipped.modules) >= 12
    assert {t.audience for t in shipped.tracks} == {"elderly", "disabled", "trader", "general"}
    in_tracks = {code for t in shipped.tracks for code in t.modules}
    assert in_tracks == set(shipped.modules)


def test_every_module_has_three_short_lessons_ten_questions_and_a_task(shipped) -> None:
    for module in shipped.modules.values():
        assert len(module.lessons) >= 3, module.code
        assert len(module.questions) >= 10, module.code
        assert module.tasks, module.code
        for lesson in module.lessons:
            # Vietnamese words are syllables; a slow reader manages about 130 a minute.
            syllables = len(re.findall(r"\w+", lesson.body))
            assert syllables < 1300, f"{module.code}/{lesson.slug}: {syllables} syllables is ten minutes' reading"
            assert lesson.minutes <= 10, f"{module.code}/{lesson.slug}"


def test_every_group_of_the_residents_framework_is_taught(shipped) -> None:
    taught = {skill.split(".")[0] for m in shipped.modules.values() for skill in m.skills}
    assert taught == {g["code"] for g in shipped.framework.groups}


def test_every_question_is_tagged_with_a_skill_of_its_module(shipped) -> None:
    for module in shipped.modules.values():
        for question in module.questions:
            skills = [t for t in question.tags if content.SKILL_LIKE.match(t)]
            assert skills and set(skills) <= set(module.skills), f"{module.code} {question.title}"


def test_content_names_only_known_web_addresses() -> None:
    pattern = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:gov\.vn|com\.vn|vn|com|net|org))(?:/|\b)")
    found = set()
    for path in (COURSES / "modules").rglob("*"):
        if path.suffix in {".md", ".gift", ".yaml"}:
            found |= set(pattern.findall(path.read_text(encoding="utf-8").lower())) - {"gov.vn"}
    assert found <= KNOWN_ADDRESSES, found - KNOWN_ADDRESSES


# --- broken course folders -------------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the real framework and one real module, to break in different ways."""
    root = tmp_path / "courses"
    shutil.copytree(COURSES / "framework", root / "framework")
    shutil.copytree(COURSES / "modules" / "nct-01", root / "modules" / "nct-01")
    (root / "tracks.yaml").write_text("- code: t\n  audience: elderly\n  title: {vi: T}\n  modules: [NCT-01]\n",
                                      encoding="utf-8")
    return root


def _problems(app, root: Path) -> list[str]:
    with app.app_context():
        return [str(p) for p in content.read_courses(root).problems]


def test_a_copied_module_on_its_own_is_clean(app, tree: Path) -> None:
    assert _problems(app, tree) == []


def test_unknown_skill_code_is_reported_with_its_line(app, tree: Path) -> None:
    meta = tree / "modules/nct-01/module.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace('skills: ["0.1", "0.2", "2.1"]', 'skills: ["0.1", "0.2", "2.1", "9.9"]'),
                    encoding="utf-8")
    line = next(i for i, row in enumerate(meta.read_text(encoding="utf-8").splitlines(), 1) if row.startswith("skills"))
    assert f"modules/nct-01/module.yaml:{line}: Mã kỹ năng 9.9 không có trong khung kỹ năng." in _problems(app, tree)


def test_invalid_yaml_is_reported_with_its_line(app, tree: Path) -> None:
    (tree / "modules/nct-01/tasks.yaml").write_text("- code: A\n  title: {vi: x\n", encoding="utf-8")
    problems = _problems(app, tree)
    assert any(p.startswith("modules/nct-01/tasks.yaml:") and "YAML không hợp lệ" in p for p in problems)


def test_missing_image_is_reported_with_the_lesson_line(app, tree: Path) -> None:
    lesson = sorted((tree / "modules/nct-01/lessons").glob("*.md"))[0]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n![Một ảnh không có](../images/khong-co.svg)\n",
                      encoding="utf-8")
    line = len(lesson.read_text(encoding="utf-8").splitlines())
    expected = f"modules/nct-01/lessons/{lesson.name}:{line}: Không tìm thấy ảnh ../images/khong-co.svg"
    assert any(p.startswith(expected) for p in _problems(app, tree))


def test_image_without_alt_text_is_reported(app, tree: Path) -> None:
    lesson = sorted((tree / "modules/nct-01/lessons").glob("*.md"))[0]
    image = next((tree / "modules/nct-01/images").iterdir()).name
    lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n![](../images/{image})\n", encoding="utf-8")
    assert any("thiếu lời mô tả" in p for p in _problems(app, tree))


def test_gift_errors_come_through_with_file_and_line(app, tree: Path) -> None:
    bank = tree / "modules/nct-01/questions.gift"
    lines = bank.read_text(encoding="utf-8").splitlines()
    bank.write_text("\n".join(lines + ["", "// [tag:0.1]", "::Q-SO:: Bao nhiêu? {#2}"]) + "\n", encoding="utf-8")
    expected = f"modules/nct-01/questions.gift:{len(lines) + 3}:"
    assert any(p.startswith(expected) and "numerical" in p for p in _problems(app, tree))


def test_question_without_skill_tag_is_reported(app, tree: Path) -> None:
    bank = tree / "modules/nct-01/questions.gift"
    bank.write_text(bank.read_text(encoding="utf-8") + "\n::NCT-01-Q99:: Câu không gắn kỹ năng? {T}\n",
                    encoding="utf-8")
    assert any("chưa gắn mã kỹ năng" in p for p in _problems(app, tree))


def test_duplicate_module_codes_and_wrong_folder_names_are_reported(app, tree: Path) -> None:
    shutil.copytree(tree / "modules/nct-01", tree / "modules/nct-99")
    problems = _problems(app, tree)
    assert any(p.startswith("modules/nct-99/module.yaml:") and "nct-01" in p for p in problems)


def test_track_naming_a_missing_module_is_reported(app, tree: Path) -> None:
    (tree / "tracks.yaml").write_text("- code: t\n  audience: elderly\n  title: {vi: T}\n  modules: [NCT-01, X-1]\n",
                                      encoding="utf-8")
    assert "tracks.yaml:4: Lộ trình nêu học phần X-1 không tồn tại." in _problems(app, tree)


def test_skill_of_the_module_without_any_question_is_reported(app, tree: Path) -> None:
    bank = tree / "modules/nct-01/questions.gift"
    kept = [block for block in bank.read_text(encoding="utf-8").split("\n\n") if "[tag:2.1]" not in block]
    bank.write_text("\n\n".join(kept), encoding="utf-8")
    assert any("Kỹ năng 2.1 của học phần chưa có câu hỏi nào" in p for p in _problems(app, tree))
