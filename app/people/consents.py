"""Purposes people consent to and the ways consent is given (registries, not if/elif chains)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class Purpose:
    """One purpose of processing personal data that needs its own consent."""

    code: str
    label: LazyString
    explanation: LazyString
    sensitive: bool = False


PURPOSES: dict[str, Purpose] = {
    p.code: p
    for p in (
        Purpose(
            "learning",
            _l("Tham gia lớp học"),
            _l("Xử lý họ tên, năm sinh, thôn, số điện thoại để xếp lớp, điểm danh, đánh giá và cấp "
               "giấy chứng nhận hoàn thành chương trình Bình dân học vụ số."),
        ),
        Purpose(
            "disability",
            _l("Thông tin khuyết tật (dữ liệu nhạy cảm)"),
            _l("Xử lý thông tin về dạng khuyết tật và nhu cầu hỗ trợ, chỉ để bố trí lớp học, chỗ "
               "ngồi, tài liệu và người hỗ trợ phù hợp. Chỉ cán bộ xã được xem."),
            sensitive=True,
        ),
        Purpose(
            "digital_support",
            _l("Hỗ trợ kỹ năng số tại cộng đồng"),
            _l("Ghi nhận điện thoại thông minh, tài khoản VNeID, tài khoản thanh toán, việc dùng dịch vụ công trực "
               "tuyến và công cụ AI; các lần Tổ công nghệ số đến nhà, Đại sứ số hoặc cán bộ xã hướng dẫn; để hỗ "
               "trợ đúng việc còn thiếu và tổng hợp số liệu của xã."),
        ),
        Purpose(
            "event",
            _l("Tham gia ngày hội, điểm học tập số"),
            _l("Xử lý họ tên, năm sinh, thôn và số điện thoại (nếu có) để đăng ký, cấp thẻ tham gia, ghi nhận các "
               "trạm đã trải nghiệm, mời tham gia lớp học khi người dân muốn, và thống kê số người tham gia (không "
               "nêu tên)."),
        ),
        Purpose(
            "vneid",
            _l("Liên kết tài khoản VNeID"),
            _l("Dùng tài khoản định danh điện tử VNeID để đăng nhập và xác nhận kết quả học tập. "
               "Hệ thống không lưu số định danh cá nhân ở dạng đọc được."),
        ),
    )
}

METHODS: dict[str, LazyString] = {
    "paper": _l("Phiếu đồng ý có chữ ký"),
    "verbal": _l("Đồng ý bằng lời, có người làm chứng"),
    "online": _l("Tự đánh dấu đồng ý trên hệ thống"),
    "guardian": _l("Người đại diện theo pháp luật đồng ý"),
}
