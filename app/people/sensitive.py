"""Sensitive personal data (disability): the official kinds (encrypted at rest with `app/crypto.py`)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The kinds of disability in the Law on Persons with Disabilities (51/2010/QH12, Article 3).
DISABILITY_KINDS = {
    "mobility": _l("Khuyết tật vận động"),
    "hearing_speech": _l("Khuyết tật nghe, nói"),
    "vision": _l("Khuyết tật nhìn"),
    "psychosocial": _l("Khuyết tật thần kinh, tâm thần"),
    "intellectual": _l("Khuyết tật trí tuệ"),
    "other": _l("Khuyết tật khác"),
    "undisclosed": _l("Không muốn nêu cụ thể"),
}

