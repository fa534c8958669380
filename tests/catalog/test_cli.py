"""`flask courses check | sync | parse-gift`."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from tests.conftest import ROOT

BANK = ROOT / "courses/modules/nct-05/questions.gift"


def test_check_passes_on_the_shipped_content(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["courses", "check"])
    assert result.exit_code == 0, result.output
    assert "17 modules" in result.output


def test_check_fails_with_file_and_line(app: Flask, tmp_path: Path, monkeypatch) -> None:
    import shutil

    root = tmp_path / "courses"
    shutil.copytree(ROOT / "courses" / "framework", root / "framework")
    shutil.copytree(ROOT / "courses" / "modules" / "nct-05", root / "modules" / "nct-05")
    (root / "modules/nct-05/tasks.yaml").write_text("- code: X\n  skills: [\"7.7\"]\n", encoding="utf-8")
    monkeypatch.setitem(app.config, "COURSES_DIR", str(root))
    result = app.test_cli_runner().invoke(args=["courses", "check"])
    assert result.exit_code != 0
    assert "modules/nct-05/tasks.yaml:2: Mã kỹ năng 7.7 không có trong khung kỹ năng." in result.output


def test_sync_loads_then_reports_nothing_changed(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["courses", "sync"])
    assert first.exit_code == 0 and "created 17" in first.output
    second = runner.invoke(args=["courses", "sync"])
    assert "created 0, updated 0, unchanged 17" in second.output


def test_parse_gift_prints_questions_as_json(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["courses", "parse-gift", str(BANK)])
    assert result.exit_code == 0
    questions = json.loads(result.output)
    assert questions[0]["title"] == "NCT-05-Q01" and questions[0]["line"] > 0
    assert {"type", "text", "answers"} <= set(questions[0])


def test_parse_gift_exits_non_zero_with_the_errors(app: Flask, tmp_path: Path) -> None:
    bad = tmp_path / "bad.gift"
    bad.write_text("::Q1:: Hai cộng hai? {#4}\n\n::Q2:: Câu đúng? {T}\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["courses", "parse-gift", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1:" in result.output
