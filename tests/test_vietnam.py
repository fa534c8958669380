"""Vietnam's clock and names: today is Vietnam's date, dates as people write them, names folded for searching."""
from __future__ import annotations

import datetime as dt
import unicodedata

from app import vietnam


def test_today_is_vietnams_date_not_the_servers() -> None:
    new_years_eve_in_london = dt.datetime(2026, 12, 31, 18, 0, tzinfo=dt.UTC)
    assert vietnam.local_today(new_years_eve_in_london) == dt.date(2027, 1, 1)
    assert vietnam.local_today(dt.datetime(2026, 12, 31, 16, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 31)


def test_now_is_on_vietnams_clock() -> None:
    now = vietnam.local_now()
    assert now.utcoffset() == dt.timedelta(hours=7)  # Vietnam keeps no summer time
    assert vietnam.local_today() in {now.date(), now.date() + dt.timedelta(days=1)}


def test_a_date_is_written_day_month_year() -> None:
    assert vietnam.day(dt.date(2026, 3, 9)) == "09/03/2026"


def test_look_alike_names_fold_to_the_same_key() -> None:
    plain = "Nguyễn Thị Hương"
    for look_alike in (unicodedata.normalize("NFD", plain), "Nguyễn\u200b Thị Hương", " Nguyễn  Thị\u00a0Hương ",
                       "Nguyễn Thị\u202e Hương"):
        assert vietnam.clean_name(look_alike) == plain
        assert vietnam.search_key(look_alike) == vietnam.search_key(plain)


def test_a_name_is_found_typed_without_diacritics() -> None:
    assert vietnam.search_key("Đỗ  Thị Hà") == "do thi ha"
    assert vietnam.search_key("ĐẶNG VĂN ĐỨC") == "dang van duc"


def test_a_file_name_slug_is_plain_letters_and_digits() -> None:
    assert vietnam.slug("Lớp 4T – thôn Đông") == "lop-4t-thon-dong"
    assert vietnam.slug("  Điểm danh / 03-12-2026 ") == "diem-danh-03-12-2026"
    assert vietnam.slug("–") == ""
