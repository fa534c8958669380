"""Every shipped lesson renders its lists as lists: no nested item runs into its parent as "- …" text."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.catalog import content
from app.catalog.render import to_html
from tests.conftest import ROOT

COURSES = ROOT / "courses"
LESSONS = sorted((COURSES / "modules").glob("*/lessons/*.md"))
# A list marker at the start of a line inside a list item's own text: Markdown did not see it as a list.
INLINE_MARKER = re.compile(r"(?:^|\n)\s*(?:[-*+]|\d+[.)])\s")


def _body(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return raw[4:].split("\n---\n", 1)[1]


class _Items(HTMLParser):
    """Collect the text of each <li> that is its own (not that of a nested list), with line breaks kept."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.open: list[int] = []  # indexes into texts of the <li> elements being read

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "li":
            self.texts.append("")
            self.open.append(len(self.texts) - 1)
        elif tag in ("ul", "ol"):
            self.open.append(-1)  # text inside a nested list belongs to its own items

    def handle_endtag(self, tag: str) -> None:
        if tag in ("li", "ul", "ol") and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] >= 0:
            self.texts[self.open[-1]] += data


def _item_texts(html: str) -> list[str]:
    parser = _Items()
    parser.feed(html)
    return parser.texts


def test_there_are_lessons_to_check() -> None:
    assert len(LESSONS) >= 40


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_list_item_shows_a_list_marker_as_text(path: Path) -> None:
    html = to_html(_body(path), media_url="/catalog/media/x", version="test")
    bad = [text.strip()[:80] for text in _item_texts(html) if INLINE_MARKER.search(text)
           or text.lstrip().startswith(("- ", " - "))]
    assert bad == []


def test_the_four_lessons_with_sub_lists_nest_them() -> None:
    for name in ("nct-01/lessons/04-goi-dien-va-goi-zalo.md", "nct-02/lessons/04-tin-gia-dung-lai-truoc-khi-chia-se.md",
                 "nct-04/lessons/03-tim-thu-tuc-va-nop-ho-so.md", "nkt-04/lessons/02-sos-va-nguoi-than-tin-cay.md"):
        html = to_html(_body(COURSES / "modules" / name), media_url="/m", version="t")
        assert re.search(r"<li>[^<]*(?:<strong>[^<]*</strong>[^<]*)*<ul>\s*<li>", html), name


def test_the_check_catches_an_item_run_into_its_parent() -> None:
    html = to_html("1. Có hai nút:\n   - Nút xanh\n   - Nút đỏ\n2. Xong\n", media_url="/m", version="t")
    assert any(INLINE_MARKER.search(text) for text in _item_texts(html))


def test_course_check_reports_a_sub_list_indented_less_than_four_spaces(app, tmp_path: Path) -> None:
    root = tmp_path / "courses"
    shutil.copytree(COURSES / "framework", root / "framework")
    shutil.copytree(COURSES / "modules" / "nct-01", root / "modules" / "nct-01")
    (root / "tracks.yaml").write_text("- code: t\n  audience: elderly\n  title: {vi: T}\n  modules: [NCT-01]\n",
                                      encoding="utf-8")
    lesson = root / "modules/nct-01/lessons/04-goi-dien-va-goi-zalo.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("\n    - Hình", "\n  - Hình"), encoding="utf-8")
    line = next(i for i, row in enumerate(lesson.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("  - Hình"))
    with app.app_context():
        problems = [str(p) for p in content.read_courses(root).problems]
    assert any(p.startswith(f"modules/nct-01/lessons/04-goi-dien-va-goi-zalo.md:{line}: Danh sách con phải thụt vào 4")
               for p in problems), problems
