"""Vietnam's clock and names: the time zone, now and today in Vietnam, dates as people write them, names folded.

Every feature schedules, counts and dates things by Vietnam's wall clock (Asia/Ho_Chi_Minh), whatever the
server's zone; and finds people by their name typed without diacritics ("do thi ha" finds "Đỗ Thị Hà").
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from app.text import clean_text

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def local_now() -> dt.datetime:
    """Return the current time in Vietnam."""
    return dt.datetime.now(VIETNAM)


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Return today's date in Vietnam (the date classes are scheduled by), at `now` (a time with its zone) or now."""
    return now.astimezone(VIETNAM).date() if now is not None else local_now().date()


def day(value: dt.date) -> str:
    """Format a date the Vietnamese way (dd/mm/yyyy) for messages."""
    return value.strftime("%d/%m/%Y")


def clean_name(raw: str) -> str:
    """Clean a name like any text (NFC, no control or invisible characters, one space between words).

    So look-alikes — the same name typed with a zero-width space, decomposed diacritics (NFD) or other
    spacing — are stored, and found by the duplicate checks, as one name.
    """
    return clean_text(raw)


def _folded(text: str) -> str:
    """Lower case without diacritics, đ as d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_key(text: str) -> str:
    """Fold a name for searching: lower case, no diacritics, đ as d ("Đỗ Thị Hà" -> "do thi ha").

    Invisible characters are dropped first, so a look-alike folds to the same key.
    """
    return " ".join(_folded(clean_text(text)).split())


def slug(text: str) -> str:
    """Fold text into plain letters for a file name ("Lớp 4T – thôn Đông" -> "lop-4t-thon-dong")."""
    return _NOT_SLUG.sub("-", _folded(text)).strip("-")
