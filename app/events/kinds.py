"""Registries of the events feature: kinds of event, ready-made station topics, volunteers' duties, how a participant
came to be registered. Adding one is adding an entry here (age bands are the commune report's: app/indicators.py)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class EventKind:
    """A kind of event: a learning day has many stations; a weekly session or a mobile point has one."""

    code: str
    label: LazyString
    single_station: bool


EVENT_KINDS: dict[str, EventKind] = {k.code: k for k in (
    EventKind("day", _l("Ngày hội toàn dân học tập số"), False),
    EventKind("weekly", _l("Mỗi tuần một kỹ năng số"), True),
    EventKind("mobile", _l("Điểm học tập số lưu động"), True),
)}


@dataclass(frozen=True)
class Topic:
    """A ready-made station: what it teaches, the framework skills, the module it draws on, and its checklist."""

    code: str
    name: LazyString
    skills: tuple[str, ...]
    module: str | None
    checklist: tuple[LazyString, ...]


TOPICS: dict[str, Topic] = {t.code: t for t in (
    Topic("vneid", _l("Cài VNeID và lên mức 2"), ("2.6", "4.2"), "NCT-03", (
        _l("Cài ứng dụng VNeID từ kho ứng dụng chính thức"),
        _l("Đăng nhập bằng số định danh cá nhân"),
        _l("Kiểm tra mức định danh (mức 2 cần CCCD gắn chip)"),
        _l("Đặt mật khẩu và mã PIN không ai biết"),
    )),
    Topic("vietqr", _l("Thanh toán bằng VietQR"), ("5.2", "4.2", "4.4"), "NCT-05", (
        _l("Mở ứng dụng ngân hàng và chọn quét mã QR"),
        _l("Quét mã, xem đúng tên người nhận"),
        _l("Nhập số tiền, xác nhận và xem biên lai"),
    )),
    Topic("scam", _l("Nhận biết cuộc gọi lừa đảo"), ("4.4", "4.2"), "NCT-06", (
        _l("Nghe một cuộc gọi mẫu và chỉ ra dấu hiệu lừa đảo"),
        _l("Biết không bao giờ đọc mã OTP cho người khác"),
        _l("Biết gọi lại số chính thức hoặc báo công an xã"),
    )),
    Topic("health", _l("Hỏi đáp sức khỏe trực tuyến"), ("5.2", "2.3"), "NCT-07", (
        _l("Mở ứng dụng hoặc trang y tế chính thức"),
        _l("Đặt một câu hỏi hoặc đặt lịch khám thử"),
        _l("Biết thông tin nào không nên gửi lên mạng"),
    )),
    Topic("ai", _l("Dùng trợ lý AI an toàn"), ("6.1", "6.2", "6.3"), "CHUNG-01", (
        _l("Hỏi trợ lý AI một câu bằng tiếng Việt"),
        _l("Kiểm tra lại câu trả lời ở nguồn chính thức"),
        _l("Biết không đưa số CCCD, mật khẩu cho AI"),
    )),
    Topic("public_services", _l("Nộp hồ sơ dịch vụ công trực tuyến"), ("2.3", "2.6"), "NCT-04", (
        _l("Đăng nhập Cổng dịch vụ công bằng VNeID"),
        _l("Tìm một thủ tục thường dùng"),
        _l("Xem cách theo dõi hồ sơ đã nộp"),
    )),
)}


@dataclass(frozen=True)
class Duty:
    """What a volunteer does in a slot."""

    code: str
    label: LazyString
    at_station: bool = False


DUTIES: dict[str, Duty] = {d.code: d for d in (
    Duty("gate", _l("Bàn đón tiếp, đăng ký")),
    Duty("station", _l("Hướng dẫn tại trạm"), at_station=True),
    Duty("guide", _l("Dẫn đường, hỗ trợ người cao tuổi, người khuyết tật")),
    Duty("board", _l("Màn hình, âm thanh, tổng hợp")),
)}

SOURCES: dict[str, LazyString] = {
    "signup": _l("Tự đăng ký trước"),
    "import": _l("Danh sách thôn gửi"),
    "gate": _l("Đăng ký tại bàn đón tiếp"),
    "card": _l("Thẻ học viên"),
}
