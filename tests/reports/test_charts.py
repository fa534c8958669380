"""Dashboard charts: well-formed, labelled SVG with Vietnamese numbers, escaped text and honest bar lengths."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from app.reports.charts import bar_chart, number, progress_bar, year_line

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Markup) -> ET.Element:
    assert isinstance(chart, Markup)
    return ET.fromstring(str(chart))


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if e.get("class") == cls]


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(SVG + "text")]


def f(element: ET.Element, attribute: str) -> float:
    return float(element.get(attribute) or "nan")


NASTY = "Thôn \"Đông\" & 'Tây' <b>"
CHARTS = {
    "progress": lambda: progress_bar("Tỷ lệ có kỹ năng số", 85.5, 80),
    "progress none": lambda: progress_bar(NASTY, None, None),
    "progress count": lambda: progress_bar("Người học", 12345, 20000, unit="người"),
    "progress zero": lambda: progress_bar("Người học", 0, 0, unit="người"),
    "progress negative": lambda: progress_bar("x", -5, -1),
    "progress huge": lambda: progress_bar("x", 1e15, 2e15, unit="người", maximum=1e16),
    "progress nan": lambda: progress_bar("x", float("nan"), float("inf")),
    "bars": lambda: bar_chart("Theo thôn", [("Thôn Đông", 320), ("Thôn Tây", 150)], unit="người"),
    "bars one": lambda: bar_chart("Theo thôn", [(NASTY, 0)]),
    "bars sixty": lambda: bar_chart("Theo thôn", [(f"Thôn {i}", i * 1000.5) for i in range(60)],
                                    previous=[i * 900 for i in range(60)]),
    "bars odd": lambda: bar_chart("Theo tuổi", [("a", None), ("b", -3), ("c", 1e18)], previous=[None]),
    "bars all zero": lambda: bar_chart("Theo giới", [("Nam", 0), ("Nữ", 0)], unit="%"),
    "bars empty": lambda: bar_chart(NASTY, []),
    "line": lambda: year_line("Theo quý", [("Q1", 45.5), ("Q2", 60), ("Q3", None), ("Q4", 88)],
                              previous=[("Q1", 40), ("Q2", 50), ("Q3", 70), ("Q4", 75)], unit="%"),
    "line months": lambda: year_line("Theo tháng", [(f"T{i}", i * 1234.5) for i in range(1, 13)], unit="người"),
    "line one": lambda: year_line(NASTY, [(NASTY, 0)]),
    "line tiny": lambda: year_line("x", [("Q1", 0.2), ("Q2", 0.4)]),
    "line huge": lambda: year_line("x", [("Q1", 1e15), ("Q2", -4)]),
    "line empty": lambda: year_line("x", []),
    "line none": lambda: year_line("x", [("Q1", None)], previous=[("Q1", None)]),
}


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_well_formed_scalable_and_labelled(name: str) -> None:
    root = parse(CHARTS[name]())
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    ids = (root.get("aria-labelledby") or "").split()
    assert len(ids) == 2
    elements = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert elements[ids[0]].tag == SVG + "title" and (elements[ids[0]].text or "").strip()
    assert elements[ids[1]].tag == SVG + "desc" and (elements[ids[1]].text or "").strip()


@pytest.mark.parametrize("name", CHARTS)
def test_text_is_at_least_14_px_on_a_390_px_phone(name: str) -> None:
    root = parse(CHARTS[name]())
    _, _, width, _ = (float(v) for v in (root.get("viewBox") or "").split())
    assert width <= 390  # drawn at 390 px or more, a unit is at least a pixel
    sizes = [f(t, "font-size") for t in root.iter(SVG + "text")]
    assert sizes and min(sizes) >= 14


def test_two_charts_on_one_page_have_different_ids() -> None:
    first, second = parse(progress_bar("a", 1, 2)), parse(progress_bar("a", 1, 2))
    assert set(first.get("aria-labelledby", "").split()).isdisjoint(second.get("aria-labelledby", "").split())


def test_numbers_are_written_the_vietnamese_way() -> None:
    assert number(12345) == "12.345"
    assert number(85.5) == "85,5"
    assert number(1234.56) == "1.234,6"
    assert number(0) == "0"
    assert number(80.0) == "80"
    assert "85,5 %" in texts(parse(progress_bar("x", 85.5, 80)))
    assert "12.345 người" in texts(parse(progress_bar("x", 12345, 20000, unit="người")))
    assert "Mục tiêu 20.000 người" in texts(parse(progress_bar("x", 12345, 20000, unit="người")))
    assert "1.500" in texts(parse(bar_chart("t", [("a", 1500)])))
    assert "45,5 %" in texts(parse(year_line("t", [("Q1", 45.5)], unit="%")))


def test_labels_are_escaped() -> None:
    label = "<script>alert('x')</script> & \"Thôn\""
    for chart in (progress_bar(label, 1, 2), bar_chart(label, [(label, 3)]), year_line(label, [(label, 3)])):
        assert "<script>" not in str(chart)
        root = parse(chart)
        title = next(root.iter(SVG + "title"))
        assert title.text == label


def test_suppressed_row_prints_less_than_five_and_draws_no_bar() -> None:
    chart = bar_chart("Người khuyết tật theo thôn", [("Thôn Đông", 12), ("Thôn Tây", 3)],
                      previous=[10, 2], suppressed={"Thôn Tây"})
    assert "&lt;5" in str(chart)
    east, west = parse(chart).iter(SVG + "g")
    assert [r.get("class") for r in east.iter(SVG + "rect")] == ["bar", "bar-last"]
    assert list(west.iter(SVG + "rect")) == []
    assert [t for t in texts(west) if t != "Thôn Tây"] == ["<5", "<5"]
    assert "3" not in texts(west) and "2" not in texts(west)
    assert "Thôn Tây: <5" in (next(parse(chart).iter(SVG + "desc")).text or "")


def test_no_data_says_so() -> None:
    for chart in (bar_chart("t", []), year_line("t", []), year_line("t", [("Q1", None)])):
        root = parse(chart)
        assert "Chưa có số liệu" in texts(root)
        assert not by_class(root, "rect", "bar")
    empty = parse(progress_bar("Hộ có tài khoản", None, 100))
    assert "Chưa có số liệu" in texts(empty)
    assert not by_class(empty, "rect", "bar")
    assert by_class(empty, "rect", "track")


def test_callers_can_pass_the_labels_in_another_language() -> None:
    root = parse(bar_chart("t", [], no_data_label="No data yet"))
    assert texts(root) == ["No data yet"]
    root = parse(progress_bar("x", 50, 80, target_label="Target"))
    assert "Target 80 %" in texts(root)


def test_last_years_series_appears_only_when_given() -> None:
    items = [("Nam", 40), ("Nữ", 60)]
    plain = parse(bar_chart("t", items))
    assert not by_class(plain, "rect", "bar-last")
    assert "Năm trước" not in texts(plain)
    both = parse(bar_chart("t", items, previous=[30, 50]))
    assert len(by_class(both, "rect", "bar-last")) == 3  # a legend swatch and one bar a row
    assert {"Năm nay", "Năm trước"} <= set(texts(both))
    points = [("Q1", 10), ("Q2", 20)]
    assert not by_class(parse(year_line("t", points)), "polyline", "line-last")
    line = parse(year_line("t", points, previous=[("Q1", 5), ("Q2", 15)]))
    dashed = by_class(line, "polyline", "line-last")
    assert len(dashed) == 1 and dashed[0].get("stroke-dasharray")
    assert {"Năm nay", "Năm trước"} <= set(texts(line))


def test_bar_widths_are_proportional_to_values() -> None:
    root = parse(bar_chart("t", [("a", 300), ("b", 150), ("c", -20)], unit="người"))
    a, b, c = by_class(root, "rect", "bar")
    assert f(a, "width") == pytest.approx(2 * f(b, "width"), rel=0.01)
    assert f(c, "width") == 0  # negatives are drawn as 0
    assert "0 người" in texts(root)


def test_target_marker_for_80_percent_sits_at_80_percent_of_the_track() -> None:
    root = parse(progress_bar("Tỷ lệ", 50, 80))
    track = by_class(root, "rect", "track")[0]
    bar = by_class(root, "rect", "bar")[0]
    marker = by_class(root, "line", "target")[0]
    assert marker.get("stroke-dasharray")
    start, width = f(track, "x"), f(track, "width")
    assert (f(marker, "x1") - start) / width == pytest.approx(0.8, abs=0.005)
    assert f(bar, "width") / width == pytest.approx(0.5, abs=0.005)
    assert "Mục tiêu 80 %" in texts(root)


def test_progress_in_counts_scales_to_the_largest_of_value_target_and_maximum() -> None:
    root = parse(progress_bar("Người học", 50, 100, unit="người", maximum=200))
    track, bar = by_class(root, "rect", "track")[0], by_class(root, "rect", "bar")[0]
    assert f(bar, "width") / f(track, "width") == pytest.approx(0.25, abs=0.005)
    over = parse(progress_bar("Tỷ lệ", 120, 100, maximum=500))  # a percentage ignores maximum and stays in the track
    assert f(by_class(over, "rect", "bar")[0], "width") == pytest.approx(f(by_class(over, "rect", "track")[0], "width"))
    assert "120 %" in texts(over)


def test_long_labels_are_shortened_but_kept_whole_in_the_row_title() -> None:
    label = "Thôn Đông Xuân Thượng Hạ Phong Lưu Nghĩa Hiệp"
    row = next(parse(bar_chart("t", [(label, 5)])).iter(SVG + "g"))
    assert row.findtext(SVG + "title") == label
    shown = [t for t in texts(row) if t.startswith("Thôn")][0]
    assert shown.endswith("…") and len(shown) <= 30


def test_height_grows_with_rows() -> None:
    def height(chart: Markup) -> float:
        return float((parse(chart).get("viewBox") or "").split()[3])

    assert height(bar_chart("t", [(str(i), i) for i in range(60)])) > 50 * height(bar_chart("t", [("a", 1)]))


def test_missing_points_leave_a_gap_in_the_line() -> None:
    root = parse(year_line("t", [("Q1", 1), ("Q2", 2), ("Q3", None), ("Q4", 4), ("T5", 5)]))
    assert len(by_class(root, "polyline", "line")) == 2
    assert len(by_class(root, "circle", "marker")) == 4
    lonely = parse(year_line("t", [("Q1", 1), ("Q2", None), ("Q3", 3)]))
    assert not by_class(lonely, "polyline", "line")
    assert len(by_class(lonely, "circle", "marker")) == 2


def test_line_axes_have_gridlines_and_higher_values_sit_higher() -> None:
    root = parse(year_line("t", [("Q1", 10), ("Q2", 40)]))
    assert len(by_class(root, "line", "grid")) >= 2
    low, high = by_class(root, "circle", "marker")
    assert f(high, "cy") < f(low, "cy")
