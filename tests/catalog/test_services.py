"""Loading the curriculum: idempotent, versioned, and learners' reads survive new versions."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.catalog import content, services
from app.catalog.models import FrameworkVersion, LessonRead, Module, ModuleVersion, Question
from app.errors import DomainError
from app.extensions import db
from tests import factories
from tests.conftest import ROOT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(ROOT / "courses" / "framework", root / "framework")
    for code in ("nct-01", "nct-06"):
        shutil.copytree(ROOT / "courses" / "modules" / code, root / "modules" / code)
    (root / "tracks.yaml").write_text("- code: t\n  audience: elderly\n  title: {vi: T}\n  modules: [NCT-01, NCT-06]\n",
                                      encoding="utf-8")
    return root


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_syncing_twice_changes_nothing(ctx, tree: Path) -> None:
    first = services.sync(content.read_courses(tree))
    assert first.created == ["NCT-01", "NCT-06"] and first.framework == "loaded"
    counts = (_count(ModuleVersion), _count(Question), _count(FrameworkVersion))
    second = services.sync(content.read_courses(tree))
    assert not second.changed and second.unchanged == ["NCT-01", "NCT-06"]
    assert (_count(ModuleVersion), _count(Question), _count(FrameworkVersion)) == counts


def test_changed_content_becomes_a_new_version_and_old_attempts_keep_theirs(ctx, tree: Path) -> None:
    services.sync(content.read_courses(tree))
    module = db.session.scalars(select(Module).where(Module.code == "NCT-01")).one()
    old_version = module.current
    learner = factories.person(factories.commune())
    services.mark_read(learner.id, old_version.lessons[0])
    lesson = sorted((tree / "modules/nct-01/lessons").glob("*.md"))[0]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nMột câu mới thêm vào.\n", encoding="utf-8")
    report = services.sync(content.read_courses(tree))
    assert report.updated == ["NCT-01"] and report.unchanged == ["NCT-06"]
    db.session.refresh(module)
    assert module.current.number == 2 and module.current.id != old_version.id
    assert "Một câu mới thêm vào." in module.current.lessons[0].body_markdown
    assert db.session.get(ModuleVersion, old_version.id).lessons[0].body_markdown != \
        module.current.lessons[0].body_markdown
    read = db.session.scalars(select(LessonRead)).one()
    assert read.module_version_id == old_version.id  # the read is kept against the version it was made on
    assert services.read_slugs(learner.id, [module.id])[module.id] == {old_version.lessons[0].slug}


def test_a_new_framework_version_is_loaded_beside_the_old_one(ctx, tree: Path) -> None:
    services.sync(content.read_courses(tree))
    old = services.current_framework()
    old_module_version = db.session.scalars(select(Module).where(Module.code == "NCT-01")).one().current
    framework = next((tree / "framework").glob("*.yaml"))
    framework.write_text(framework.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'),
                         encoding="utf-8")
    report = services.sync(content.read_courses(tree))
    assert report.framework == "loaded" and report.updated == ["NCT-01", "NCT-06"]
    new = services.current_framework()
    assert new.version == "1.1" and new.id != old.id and not db.session.get(FrameworkVersion, old.id).is_current
    assert db.session.get(ModuleVersion, old_module_version.id).framework_version_id == old.id


def test_editing_the_framework_without_raising_its_version_is_refused(ctx, tree: Path) -> None:
    services.sync(content.read_courses(tree))
    framework = next((tree / "framework").glob("*.yaml"))
    framework.write_text(framework.read_text(encoding="utf-8").replace("Sử dụng thiết bị", "Dùng thiết bị"),
                         encoding="utf-8")
    with pytest.raises(DomainError, match="tăng"):
        services.sync(content.read_courses(tree))


def test_sync_refuses_a_folder_with_problems(ctx, tree: Path) -> None:
    (tree / "modules/nct-01/tasks.yaml").write_text("- code: [\n", encoding="utf-8")
    with pytest.raises(DomainError, match="flask courses check"):
        services.sync(content.read_courses(tree))
    assert _count(Module) == 0


def test_a_removed_module_is_retired_not_deleted(ctx, tree: Path) -> None:
    services.sync(content.read_courses(tree))
    shutil.rmtree(tree / "modules/nct-06")
    (tree / "tracks.yaml").write_text("- code: t\n  audience: elderly\n  title: {vi: T}\n  modules: [NCT-01]\n",
                                      encoding="utf-8")
    report = services.sync(content.read_courses(tree))
    assert report.retired == ["NCT-06"]
    assert [m.code for m in services.active_modules()] == ["NCT-01"]
    assert db.session.scalars(select(Module).where(Module.code == "NCT-06")).one().current is not None


def test_questions_keep_their_type_answers_feedback_and_skills(ctx, tree: Path) -> None:
    services.sync(content.read_courses(tree))
    question = db.session.scalars(select(Question).where(Question.key == "NCT-01-Q01")).one()
    assert question.type in {"multichoice", "truefalse", "multiresponse", "shortanswer", "matching"}
    assert question.skills and all(s in {"0.1", "0.2", "2.1"} for s in question.skills)
    assert any(a["fraction"] > 0 for a in question.answers)


def test_progress_counts_finished_lessons_and_points_to_the_next(ctx, tree: Path) -> None:
    services.sync(content.read_courses(tree))
    version = services.module_by_code("nct-01").current
    learner = factories.person(factories.commune())
    assert services.mark_read(learner.id, version.lessons[0]) is True
    assert services.mark_read(learner.id, version.lessons[0]) is False
    done = services.read_slugs(learner.id, [version.module_id])[version.module_id]
    summary = services.progress(version, done)
    assert summary["done"] == 1 and summary["next"] == version.lessons[1].slug


def test_catalogue_filters_by_audience_and_skill_group(ctx) -> None:
    services.sync(content.read_courses(ROOT / "courses"))
    traders = [m.code for m in services.active_modules("trader")]
    assert "4T-02" in traders and "NKT-01" not in traders and "CHUNG-01" in traders
    safety = [m.code for m in services.active_modules(group="4")]
    assert "NCT-06" in safety and "NCT-01" not in safety
