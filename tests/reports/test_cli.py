"""`flask reports generate`: the newest report as the web gives it, an unsaved draft when none exists, clear errors."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from app.indicators import Period
from app.policy import Role
from app.reports import writing
from app.reports.cli import reports_cli
from app.reports.models import Report, ReportingUnit
from app.vietnam import local_today
from tests import factories
from tests.conftest import login

TODAY = local_today()
PERIOD = Period(TODAY.year - 1, 3)
NARRATIVE = "Đoàn Thanh niên xã đã tổ chức 4 buổi hướng dẫn cài đặt VNeID tại nhà văn hóa."


@pytest.fixture
def world(ctx: Any) -> dict[str, Any]:
    commune = factories.commune()
    east = factories.village(commune, "Thôn Đông")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    unit = ReportingUnit(commune_id=commune.id, name="Thôn Đông", village_id=east.id)
    youth = ReportingUnit(commune_id=commune.id, name="Đoàn Thanh niên xã")
    db.session.add_all([unit, youth])
    db.session.commit()
    return {"commune": commune, "officer": officer, "unit": unit, "youth": youth}


def run(app: Any, *args: str) -> Any:
    return app.test_cli_runner().invoke(reports_cli, ["generate", *args])


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_writes_the_newest_report_of_a_unit(app: Any, world: dict[str, Any], tmp_path: Path) -> None:
    report = writing.open_report(world["commune"], world["youth"], PERIOD, actor=world["officer"], today=TODAY)
    writing.save_draft(report, {"tasks": NARRATIVE}, {}, number="3/BC-ĐTN", actor=world["officer"])
    writing.submit(report, actor=world["officer"])
    db.session.commit()
    out = tmp_path / "doan.docx"
    result = run(app, "--commune", world["commune"].code, "--period", PERIOD.code, "--unit", "doan thanh nien xa",
                 "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "submitted" in result.output
    text = _paragraphs(out)
    assert NARRATIVE in text and "ĐOÀN THANH NIÊN XÃ" in "\n".join(
        cell.text for table in docx.Document(str(out)).tables for row in table.rows for cell in row.cells)
    # The same content as the web download.
    client = login(app.test_client(), world["officer"])
    web = client.get(f"/reports/report/{report.id}/download.docx").get_data()
    assert [p.text for p in docx.Document(io.BytesIO(web)).paragraphs] == text


def test_without_a_report_an_unsaved_draft_with_live_figures(app: Any, world: dict[str, Any],
                                                             tmp_path: Path) -> None:
    out = tmp_path / "xa.pdf"
    result = run(app, "--commune", world["commune"].code, "--period", str(PERIOD.year), "--format", "pdf",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "unsaved draft" in result.output
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(out)).pages).split())
    assert "ỦY BAN NHÂN DÂN XÃ TIÊN MINH" in text and "Bảng 1. Kết quả thực hiện các chỉ tiêu" in text
    assert "DỰ THẢO" in text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_a_village_name_finds_its_unit_and_xlsx_holds_the_tables(app: Any, world: dict[str, Any],
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "dong.xlsx"
    result = run(app, "--commune", world["commune"].code, "--period", PERIOD.code, "--unit", "THÔN ĐÔNG",
                 "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(openpyxl.load_workbook(out).sheetnames) >= 1


@pytest.mark.parametrize(("args", "words"), [
    (("--commune", "99999", "--period", "2025"), "no commune with code '99999'"),
    (("--period", "2025-Q5"), "'2025-Q5' is not a period"),
    (("--period", "2025", "--unit", "Thôn Bắc"), "no single unit 'Thôn Bắc'"),
    (("--period", "2025", "--format", "odt"), "'odt' is not one of"),
])
def test_clear_errors(app: Any, world: dict[str, Any], tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    options = {"--commune": world["commune"].code, "--format": "docx", "-o": str(tmp_path / "x")}
    given = dict(zip(args[::2], args[1::2], strict=True))
    options.update(given)
    result = run(app, *[part for pair in options.items() for part in pair])
    assert result.exit_code == 2 and words in result.output, result.output
    assert not (tmp_path / "x").exists()
