"""Demo: the ambassador of Thôn Tây guides four older residents (one short of the target, so the officer sees the
flag), with a few weeks of guidance contacts; the commune office logged the citizens it helped this month."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from app.demo import services as demo
from app.extensions import db
from app.mentoring import helpdesk, services
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune, Village
from app.vietnam import local_today

AMBASSADOR = "0900000006"
OFFICER = "0900000002"
MENTEES = ("0910000004", "0910000005", "0910000010", "0910000013")
# (days ago, mentee, skill, note, what they can now do)
CONTACTS = (
    (20, "0910000004", "0.1", "Tập mở khóa máy, tăng cỡ chữ", ()),
    (18, "0910000005", "0.1", "Cài Zalo, gọi video cho con", ("smartphone",)),
    (13, "0910000010", "2.6", "Cài VNeID, chờ công an xã kích hoạt mức 2", ()),
    (9, "0910000004", "4.4", "Nhận biết tin nhắn giả ngân hàng", ()),
    (6, "0910000013", "2.3", "Tra cứu thủ tục trên Cổng dịch vụ công", ()),
    (3, "0910000010", "2.6", "Đăng nhập VNeID mức 2 thành công", ("vneid",)),
    (1, "0910000005", "4.4", "Cảnh giác cuộc gọi giả công an", ()),
)
HELPDESK = (
    (0, "vneid", "60_plus", "Thôn Đông", "Quên mật khẩu VNeID"),
    (1, "public_service", "35_59", "Thôn Trung Hòa", "Nộp hồ sơ đăng ký hộ kinh doanh"),
    (2, "civil_status", "under_35", "Thôn Tây", "Đăng ký khai sinh trực tuyến cho con"),
    (4, "payment", "60_plus", "Thôn Đông", "Thanh toán tiền điện qua ứng dụng"),
    (6, "health", "35_59", "Thôn Tây", "Cài VssID"),
)


def add_mentoring(commune: Commune) -> None:
    """Link the ambassador's mentees, log their contacts and the office's help-desk entries."""
    by_phone = {p.phone: p for p in db.session.scalars(select(Person).where(Person.commune_id == commune.id))}
    ambassador, officer = by_phone.get(AMBASSADOR), by_phone.get(OFFICER)
    if ambassador is None or officer is None:
        return
    today = local_today()
    version = current_app.config["CONSENT_POLICY_VERSION"]
    for phone in MENTEES:
        mentee = by_phone[phone]
        people.record_consent(mentee, purpose="digital_support", method="paper", policy_version=version,
                              recorded_by=ambassador, note="Phiếu đồng ý (demo)")
        services.link(ambassador, mentee, commune_id=commune.id, actor=ambassador, today=today - dt.timedelta(days=25))
    if services.skill_titles():
        for number, (ago, phone, skill, note, can_now) in enumerate(CONTACTS):
            fields = services.ContactFields(by_phone[phone].id, skill, today - dt.timedelta(days=ago), note, can_now)
            services.record_contact(ambassador, fields, actor=ambassador, client_id=f"demo-contact-{number:04d}",
                                    today=today)
    villages = {v.name: v.id for v in db.session.scalars(select(Village).where(Village.commune_id == commune.id))}
    for number, (ago, service, band, village, note) in enumerate(HELPDESK):
        day = max(today - dt.timedelta(days=ago), today.replace(day=1))
        fields = helpdesk.HelpdeskFields(day, service, "", band, villages.get(village), note)
        helpdesk.record(commune, officer, fields, client_id=f"demo-helpdesk-{number:04d}", today=today)
    db.session.flush()


if add_mentoring not in demo.STEPS:
    demo.STEPS.append(add_mentoring)
