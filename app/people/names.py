"""Vietnamese phone numbers and names on public pages: normalising, masking (names are cleaned and folded by
`app/vietnam.py`)."""
from __future__ import annotations

import re

_PHONE_JUNK = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0\d{9}$")


def normalise_phone(raw: str | None) -> str | None:
    """Return a Vietnamese phone number as 0xxxxxxxxx, None when blank; raise ValueError if invalid."""
    if raw is None or not raw.strip():
        return None
    digits = _PHONE_JUNK.sub("", raw.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _MOBILE.match(digits):
        raise ValueError(raw)
    return digits


def mask_phone(phone: str | None) -> str:
    """Show only the last three digits of a phone number."""
    if not phone:
        return ""
    return "•" * (len(phone) - 3) + phone[-3:]


def mask_name(full_name: str) -> str:
    """Mask a name for public pages: keep the given name, initials for the rest ("N. T. Hương")."""
    parts = full_name.split()
    if len(parts) <= 1:
        return full_name[:1] + "•" * max(len(full_name) - 1, 0)
    return " ".join(f"{p[0]}." for p in parts[:-1]) + " " + parts[-1]
