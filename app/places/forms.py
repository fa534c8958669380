"""Forms for villages, venues and communes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import CleanForm, choices
from app.places.services import VILLAGE_KINDS


class VillageForm(CleanForm):
    """A village or residential group."""

    name = StringField(_l("Tên thôn/tổ dân phố"), validators=[DataRequired(_l("Vui lòng nhập tên.")), Length(max=120)])
    kind = SelectField(_l("Loại"), choices=choices(VILLAGE_KINDS.items()))


class VenueForm(CleanForm):
    """A venue and its accessibility facts."""

    name = StringField(_l("Tên địa điểm"), validators=[DataRequired(_l("Vui lòng nhập tên địa điểm.")),
                                                         Length(max=160)])
    village_id = SelectField(_l("Thuộc thôn/tổ dân phố"), coerce=int, validators=[Optional()])
    address = StringField(_l("Địa chỉ"), validators=[Optional(), Length(max=255)])
    capacity = IntegerField(_l("Sức chứa (số người)"), default=30,
                            validators=[InputRequired(_l("Vui lòng nhập sức chứa.")),
                                        NumberRange(1, 2000, _l("Sức chứa phải từ 1 đến 2000 người."))])
    tablets = IntegerField(_l("Số máy tính bảng có sẵn"), default=0,
                           validators=[InputRequired(_l("Vui lòng nhập số máy (0 nếu không có).")),
                                       NumberRange(0, 500, _l("Số máy tính bảng phải từ 0 đến 500."))])
    wifi = BooleanField(_l("Có Wi-Fi"))
    screen = BooleanField(_l("Có máy chiếu hoặc màn hình lớn"))
    step_free = BooleanField(_l("Lối vào không có bậc (xe lăn vào được)"))
    accessible_toilet = BooleanField(_l("Có nhà vệ sinh cho người khuyết tật"))
    hearing_loop = BooleanField(_l("Có vòng từ hỗ trợ máy trợ thính"))
    ground_floor = BooleanField(_l("Lớp học ở tầng trệt"), default=True)
    notes = TextAreaField(_l("Ghi chú (giờ mở cửa, người giữ chìa khóa…)"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("Đang sử dụng"), default=True)


class CommuneForm(CleanForm):
    """Add a commune by its official code."""

    code = StringField(_l("Mã xã/phường (theo danh mục hành chính)"),
                       validators=[DataRequired(_l("Vui lòng nhập mã.")), Length(max=8)])
