"""Who a class is for: audience tags, one registry shared by people, courses and classes."""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

ELDERLY_AGE = 60


class Audience(StrEnum):
    """Audiences named in the commune plans."""

    ELDERLY = "elderly"
    DISABLED = "disabled"
    TRADER = "trader"
    PUBLIC_STAFF = "public_staff"
    ENTERPRISE_WORKER = "enterprise_worker"
    PUPIL = "pupil"
    GENERAL = "general"


LABELS = {
    Audience.ELDERLY: _l("Người cao tuổi"),
    Audience.DISABLED: _l("Người khuyết tật"),
    Audience.TRADER: _l("Tiểu thương, hộ kinh doanh"),
    Audience.PUBLIC_STAFF: _l("Cán bộ, công chức, viên chức"),
    Audience.ENTERPRISE_WORKER: _l("Người lao động trong doanh nghiệp"),
    Audience.PUPIL: _l("Học sinh"),
    Audience.GENERAL: _l("Mọi người dân"),
}

# Tags a person carries as plain data. Elderly follows from the birth year; disabled from a
# disability record, which needs its own consent (sensitive data).
STORED = (Audience.TRADER, Audience.PUBLIC_STAFF, Audience.ENTERPRISE_WORKER, Audience.PUPIL)


def is_elderly(birth_year: int | None, this_year: int) -> bool:
    """Tell whether someone born in birth_year is 60 or over this year."""
    return birth_year is not None and this_year - birth_year >= ELDERLY_AGE
