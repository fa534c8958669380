"""Guards on what a request may carry, so hostile input gets a clear 400 or 404 instead of a server error.

- `DatabaseId` replaces the `int` URL converter: an id beyond the database's integer range (PostgreSQL
  refuses to compare one with an integer column) cannot name a row, so such a URL answers 404.
- `record_id` is the same rule for ids read from query strings and forms: `request.args.get("x", type=record_id)`.
- `refuse_hostile_input` runs before every view: a NUL character (PostgreSQL cannot store or compare one),
  percent-escapes that are not UTF-8, a number a hundred digits long in a query string or form, or JSON
  nested too deeply to read are refused with a message.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, Map

from app.errors import error_response

# Primary keys are INTEGER columns: 32-bit signed on PostgreSQL.
MAX_ID = 2**31 - 1
# Far beyond any list's last page, yet its offset still fits the database's integers.
MAX_PAGE = 100_000

HOSTILE_MESSAGE = _l("Địa chỉ hoặc dữ liệu gửi lên có ký tự không hợp lệ (ví dụ ký tự rỗng). "
                     "Vui lòng kiểm tra lại rồi thử lại.")
JSON_MESSAGE = _l("Dữ liệu JSON gửi lên không đọc được.")
NUMBER_MESSAGE = _l("Dữ liệu gửi lên có một số quá dài. Vui lòng kiểm tra lại rồi thử lại.")
# No field holds a number this long; WTForms' NumberRange cannot even compare one (float overflow).
LONG_NUMBER = re.compile(r"^\s*[-+]?\d{100,}\s*$")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class DatabaseId(IntegerConverter):
    """An `<int:...>` URL part that fits the database's integer ids; anything larger matches no route (404)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def record_id(value: Any) -> int:
    """Read a database id from a query string or form value; raise ValueError unless it is one (1 to MAX_ID)."""
    number = int(str(value).strip())
    if not 1 <= number <= MAX_ID:
        raise ValueError("not a database id")
    return number


def page_number(value: Any) -> int:
    """Read a list's page number from a query string; raise ValueError unless it is 1 to MAX_PAGE."""
    number = int(str(value).strip())
    if not 1 <= number <= MAX_PAGE:
        raise ValueError("not a page number")
    return number


def install_converters(app: Flask) -> None:
    """Make `<int:...>` mean a database id; call before any route is registered (rules compile on adding)."""
    app.url_map.converters["int"] = DatabaseId


def _bad_bytes(raw: bytes) -> bool:
    if b"\x00" in raw:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _has_nul(value: Any) -> bool:
    """Tell whether a parsed JSON value holds a NUL in any string or key (without recursion: depth is untrusted)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def hostile(environ_path: str, query: str) -> bool:
    """Tell whether a raw WSGI path (latin-1 text of the bytes) or query string has a NUL or broken UTF-8."""
    path = environ_path.encode("latin-1", "replace")
    return _bad_bytes(path) or _bad_bytes(unquote_to_bytes(query.replace("+", " ")))


def refuse_hostile_input() -> Any:
    """Answer 400 before any view runs when the address or the body carries what no page can use."""
    # Some servers (and the test client) have already replaced broken UTF-8 in the path with U+FFFD.
    if "\ufffd" in request.path or hostile(request.environ.get("PATH_INFO", ""),
                                             request.environ.get("QUERY_STRING", "")):
        return error_response(400, HOSTILE_MESSAGE)
    if any(LONG_NUMBER.match(v) for values in request.args.listvalues() for v in values):
        return error_response(400, NUMBER_MESSAGE)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.mimetype in FORM_TYPES:
        values = [v for values in request.form.listvalues() for v in values]
        fields = [*request.form.keys(), *values, *(f.filename or "" for f in request.files.values())]
        if any("\x00" in text for text in fields):
            return error_response(400, HOSTILE_MESSAGE)
        if any(LONG_NUMBER.match(v) for v in values):
            return error_response(400, NUMBER_MESSAGE)
    elif request.is_json:
        try:
            body = request.get_json(silent=True)  # cached: the view reads the same value
        except RecursionError:
            return error_response(400, JSON_MESSAGE)
        if _has_nul(body):
            return error_response(400, HOSTILE_MESSAGE)
    return None


def register(app: Flask) -> None:
    """Install the request guard (the URL converter is installed earlier, by `install_converters`)."""
    app.before_request(refuse_hostile_input)

