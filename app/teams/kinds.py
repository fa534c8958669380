"""The kinds of help a team gives at a door (a registry): each linked to framework skills, some to a digital fact."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class HelpKind:
    """One kind of help: its label, the framework skills it practises, and the fact it shows (fact, value)."""

    code: str
    label: LazyString
    skills: tuple[str, ...]
    sets: tuple[str, int] | None = None


HELP_KINDS: dict[str, HelpKind] = {
    k.code: k
    for k in (
        HelpKind("smartphone_basics", _l("Làm quen điện thoại thông minh"), ("0.1", "0.2"), ("smartphone", 1)),
        HelpKind("vneid_level2", _l("Cài VNeID và kích hoạt mức 2"), ("2.6",), ("vneid", 2)),
        HelpKind("payment_account", _l("Mở tài khoản thanh toán điện tử"), ("5.2",), ("payment_account", 1)),
        HelpKind("vietqr", _l("Thanh toán, nhận tiền bằng mã VietQR"), ("5.2",)),
        HelpKind("public_service", _l("Dùng dịch vụ công trực tuyến"), ("2.3",), ("public_services", 1)),
        HelpKind("spot_scam", _l("Nhận biết lừa đảo trên mạng"), ("4.4", "4.2")),
        HelpKind("health_app", _l("Dùng ứng dụng sức khỏe, đặt lịch khám"), ("5.2", "4.3")),
        HelpKind("ai_assistant", _l("Dùng trợ lý AI an toàn"), ("6.1", "6.2"), ("ai_tools", 1)),
        HelpKind("video_call", _l("Gọi video, nhắn tin với người thân"), ("2.1",)),
        HelpKind("city_app", _l("Cài ứng dụng công dân số của tỉnh, thành phố"), ("0.2", "2.3")),
    )
}


def facts_of(kinds: list[str]) -> dict[str, int]:
    """Return the digital facts a set of kinds shows (the highest value where two kinds set one fact)."""
    found: dict[str, int] = {}
    for code in kinds:
        kind = HELP_KINDS[code]
        if kind.sets:
            fact, value = kind.sets
            found[fact] = max(value, found.get(fact, 0))
    return found
