"""Text from outside — forms, imported files, JSON bodies — cleaned once at the door.

Every name and free text is stored one way: Unicode NFC, without control characters (a NUL byte must
never reach PostgreSQL, and an \\x01 breaks Excel exports), without zero-width and bidirectional
marks (which make look-alike names slip past the duplicate check and can reorder text on screen).
"""
from __future__ import annotations

import unicodedata

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
