"""Text from outside — forms, imported files, JSON bodies — cleaned once at the door.

Every name and free text is stored one way: Unicode NFC, without control characters (a NUL byte must
never reach PostgreSQL, and an \\x01 breaks Excel exports), without zero-width and bidirectional
marks (which make look-alike names slip past the duplicate check and can reorder text on screen).
"""
from __future__ import annotations

import logging
import unicodedata
from collections.abc import Collection
from typing import Any

# Characters dropped from every text: controls (Cc), format characters (Cf: zero-width spaces and
# joiners, bidi embeddings/overrides/isolates, the BOM, soft hyphens), lone surrogates (Cs),
# private-use (Co) and unassigned (Cn) code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Kept in multi-line text; every other kind of line or paragraph break becomes a newline.
_KEPT_CONTROLS = frozenset({"\n", "\t"})
_LINE_BREAKS = frozenset({"\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"})


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Return the value as clean text: NFC, no control or invisible characters, trimmed.

    One-line text (names, addresses, codes) also has its runs of white space collapsed to one space;
    multi-line text (notes, narratives) keeps its line breaks, normalised to "\\n".
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if multiline:
        text = text.replace("\r\n", "\n")
    kept: list[str] = []
    for char in text:
        if char in _LINE_BREAKS:
            kept.append("\n" if multiline else " ")
        elif multiline and char in _KEPT_CONTROLS:
            kept.append(char)
        elif unicodedata.category(char) in _DROPPED_CATEGORIES:
            if char == "\t" or char == "\n":
                kept.append(" ")
        else:
            kept.append(char)
    text = "".join(kept)
    if multiline:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return " ".join(text.split())


def has_invisible(value: str) -> bool:
    """Tell whether the text holds characters that `clean_text` would drop (not counting white space)."""
    return any(unicodedata.category(c) in _DROPPED_CATEGORIES and not c.isspace() for c in value)


def clean_json_strings(value: Any, *, multiline: Collection[str] = ()) -> Any:
    """Return a parsed JSON body with every string (keys too) cleaned like `clean_text`.

    Values under a key named in `multiline` keep their line breaks; numbers, booleans and null are kept.
    Depth is bounded by what the JSON parser accepted, so plain recursion is safe here.
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json_strings(item, multiline=multiline) for item in value]
    if isinstance(value, dict):
        cleaned: dict[Any, Any] = {}
        for key, item in value.items():
            name = clean_text(key) if isinstance(key, str) else key
            if isinstance(item, str) and name in multiline:
                cleaned[name] = clean_text(item, multiline=True)
            else:
                cleaned[name] = clean_json_strings(item, multiline=multiline)
        return cleaned
    return value


def without_nul(parameters: Any) -> Any:
    """Return statement parameters with NUL removed from every string (PostgreSQL cannot store one).

    Parameters come as a dict, a tuple or list of values, or a list of those (executemany); anything
    else (numbers, bytes, dates) passes unchanged, and so does a structure holding no NUL at all.
    """
    if isinstance(parameters, str):
        return parameters.replace("\x00", "") if "\x00" in parameters else parameters
    if isinstance(parameters, dict):
        return {key: without_nul(item) for key, item in parameters.items()}
    if isinstance(parameters, list):
        return [without_nul(item) for item in parameters]
    if type(parameters) is tuple:
        return tuple(without_nul(item) for item in parameters)
    return parameters


def holds_nul(parameters: Any) -> bool:
    """Tell whether statement parameters hold a NUL in any string (cheap: no copy is made)."""
    if isinstance(parameters, str):
        return "\x00" in parameters
    if isinstance(parameters, dict):
        return any(holds_nul(item) for item in parameters.values())
    if isinstance(parameters, (list, tuple)):
        return any(holds_nul(item) for item in parameters)
    return False


def strip_nul_before_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                             _executemany: bool) -> tuple[str, Any]:
    """Keep NUL out of every statement sent to the database (a SQLAlchemy `before_cursor_execute` hook).

    Text is cleaned at the door (forms, imports, JSON bodies); this is the last line for whatever path
    forgets: PostgreSQL refuses a NUL in text with an error (a 500 for the user), so it is dropped here,
    the same as `clean_text` would, and logged so the door that let it through can be found.
    """
    if holds_nul(parameters):
        logging.getLogger(__name__).warning("NUL removed from the parameters of: %.200s", statement)
        parameters = without_nul(parameters)
    return statement, parameters
