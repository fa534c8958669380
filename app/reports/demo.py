"""Demo: the commune's numbers, so the dashboard and the reports have something real to show.

Populations for this year and last, a few targets of the commune's own, hand-entered figures for what no feature
records (households informed, articles; door-to-door visits, digital families and people's phones and accounts are
counted from the community features' own records, so they are skipped here), the task
table of a plan (wording from Nam Đồng's assignment of tasks, one task overdue), the reporting units and settings, a
village's submitted report for last quarter and the commune's draft report for the year. Last year gets two
finished classes with confirmed completions, so "this year vs last year" compares something. Dated from today.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from app import indicators
from app.catalog.models import Module
from app.demo import services as demo
from app.extensions import db
from app.indicators import Period, Population
from app.people import breakdowns
from app.people.models import Person
from app.places.models import Commune, Venue, Village
from app.reports import services, writing
from app.reports.models import ReportingUnit, ReportSettings
from app.vietnam import local_today

OFFICER = "0900000002"
YOUTH_UNION = "Đoàn Thanh niên xã"
# Per village: adults, aged 16+, households, public staff, pupils (this year; last year a little fewer).
POPULATIONS = {
    "Thôn Đông": {Population.ADULTS: 1480, Population.AGED_16: 1560, Population.HOUSEHOLDS: 540,
                  Population.PUBLIC_STAFF: 22, Population.PUPILS: 310},
    "Thôn Trung Hòa": {Population.ADULTS: 1230, Population.AGED_16: 1300, Population.HOUSEHOLDS: 455,
                       Population.PUBLIC_STAFF: 18, Population.PUPILS: 265},
    "Thôn Tây": {Population.ADULTS: 1105, Population.AGED_16: 1170, Population.HOUSEHOLDS: 410,
                 Population.PUBLIC_STAFF: 15, Population.PUPILS: 240},
}
SOURCE = "Số liệu dân số do trưởng thôn cung cấp (demo)"
# The commune's own targets this year where they differ from the plan (a % of the population, or a count).
TARGETS = {"basic_skills": 90.0, "households_informed": 95.0, "smartphone_adults": 90.0, "classes_held": 12.0,
           "learners_trained": 400.0}
# Hand-entered per village and quarter: (indicator, share of its population per quarter or count per quarter).
ENTERED = (("door_to_door_people", None, 40), ("door_to_door_households", None, 25),
           ("digital_families", Population.HOUSEHOLDS, 0.08), ("households_informed", Population.HOUSEHOLDS, 0.22),
           ("smartphone_adults", Population.ADULTS, 0.19), ("payment_accounts", Population.ADULTS, 0.11),
           ("vneid_level2", Population.AGED_16, 0.2))
NOTE = "Thôn báo cáo (nhập tay)"
TASKS = (  # title, responsible, deadline in days from today (None: ongoing), its text, status, result
    ("Tạo chuyên mục “Bình dân học vụ số” trên Cổng thông tin điện tử xã", "Văn phòng HĐND và UBND xã", -150,
     "", "done", "Đã có chuyên mục trên cổng thông tin"),
    ("Xây dựng fanpage về “Bình dân học vụ số”", "Trung tâm văn hóa, thông tin và truyền thông", -60, "",
     "in_progress", "Đã lập trang, chưa đăng bài thường xuyên"),
    ("Tăng cường các tin, bài viết, phóng sự trên cổng thông tin điện tử xã, các nền tảng mạng xã hội "
     "(facebook, fanpage, zalo…)", "Trung tâm văn hóa, thông tin và truyền thông", None, "Có ít nhất 01 tin/tuần",
     "in_progress", ""),
    ("Phổ biến đến từng hộ gia đình, người dân về mục đích, ý nghĩa của Phong trào “Bình dân học vụ số”",
     "Tổ công nghệ số cộng đồng", 30, "", "in_progress", "Đã phổ biến đến phần lớn hộ gia đình ở ba thôn"),
    ("Tiếp tục tuyên truyền cài đặt và sử dụng ứng dụng Công dân số (Smart Hải Phòng)", "Tổ công nghệ số cộng đồng",
     None, "Hằng năm", "in_progress", ""),
    ("Tham gia tổ chức vận hành và duy trì nền tảng tích hợp với VNeID để định danh, xác thực người học",
     "Công an xã", 90, "", "not_started", ""),
    ("Phát huy vai trò của học sinh, sinh viên trong hoạt động tình nguyện phổ cập kỹ năng số cho người dân, "
     "trước hết là người thân trong gia đình", "Đoàn Thanh niên", 120, "", "in_progress", ""),
)
VILLAGE_REPORT = {
    "intro": "Thôn Đông có nhiều người cao tuổi; phần lớn hộ đã có điện thoại thông minh nhưng chưa dùng thành thạo.",
    "tasks": "Tổ công nghệ số cộng đồng đến từng nhà hướng dẫn cài VNeID, Smart Hải Phòng; lớp điện thoại thông "
             "minh cho người cao tuổi học sáng thứ hai hằng tuần tại nhà văn hóa thôn.",
    "results": "Các hộ được tuyên truyền về Phong trào tăng rõ so với quý trước; nhiều cụ đã tự gọi video được.",
    "difficulties": "Một số cụ mắt kém, chưa có máy; sóng di động ở xóm 4 còn yếu.",
    "proposals": "Đề nghị xã hỗ trợ thêm máy tính bảng cho nhà văn hóa thôn.",
}
COMMUNE_REPORT = {
    "intro": "Xã Tiên Minh có ba thôn; người cao tuổi chiếm tỷ lệ lớn, nhiều hộ buôn bán nhỏ. Hạ tầng mạng đã phủ "
             "khắp các thôn, nhưng kỹ năng số của người dân còn chênh lệch.",
    "leadership": "UBND xã ban hành kế hoạch triển khai Phong trào, phân công nhiệm vụ cho các ban, ngành, đoàn thể "
                  "và Tổ công nghệ số cộng đồng ở từng thôn.",
    "tasks": "Mở các lớp điện thoại thông minh cho người cao tuổi, lớp 4T cho hộ kinh doanh, lớp cho người khuyết "
             "tật; Đoàn Thanh niên tổ chức tình nguyện viên hướng dẫn tại nhà.",
    "results": "Số người hoàn thành kỹ năng số cơ bản tăng so với cùng kỳ năm trước (bảng số liệu kèm theo).",
    "difficulties": "Thiếu thiết bị cho người chưa có máy; một số người cao tuổi ngại học.",
    "direction": "Năm tới mở rộng lớp ở thôn Tây, ưu tiên người khuyết tật và hộ kinh doanh.",
}


def _phones(commune: Commune) -> dict[str, Person]:
    return {p.phone: p for p in db.session.scalars(select(Person).where(Person.commune_id == commune.id)) if p.phone}


def _last_year_classes(commune: Commune, people: dict[str, Person], today: dt.date) -> None:
    """Two finished classes last year (older people at the commune hall, online safety at Thôn Đông)."""
    if db.session.scalar(select(Module.id).limit(1)) is None:
        return  # no curriculum loaded: last year's classes would have nothing to complete
    venues = {v.name: v.id for v in db.session.scalars(select(Venue).where(Venue.commune_id == commune.id))}
    year = today.year - 1

    def members(*numbers: int) -> tuple[int, ...]:
        return tuple(people[f"09100000{n:02d}"].id for n in numbers if f"09100000{n:02d}" in people)

    planned = [
        # Learners whose this-year classes teach other modules: a module is completed once per person.
        demo.PlannedClass("elderly", f"Lớp điện thoại thông minh cho người cao tuổi – khóa {year}",
                          dt.date(year, 9, 7), members(4, 5, 10, 13, 18, 24, 27, 30),
                          venues.get("Hội trường UBND xã")),
        demo.PlannedClass("general", f"Bình dân học vụ số năm {year}: an toàn trên mạng và AI – thôn Đông",
                          dt.date(year, 5, 11), members(2, 6, 11, 12, 17, 20, 21, 23, 29),
                          venues.get("Nhà văn hóa thôn Đông")),
    ]
    demo.write_classes(commune, planned, today=today, rng=random.Random(year), completing_share=1.0)


def _populations(commune: Commune, village: Village, year: int, planned: dict[Population, int], officer: Person,
                 today: dt.date) -> None:
    """Record a village's populations for a year: the planned figure, or a third more than the people the app
    already knows there when those are more (after a bulk load of learners)."""
    known = breakdowns.known_population(commune.id, village.id, year)
    for kind in Population:
        value = max(planned.get(kind, 0), round(known[kind.value] * 4 / 3))
        if value:
            entry = services.PopulationEntry(village, year, kind, value, SOURCE)
            services.set_population(commune, entry, actor=officer, today=today)


def raise_populations(commune: Commune) -> None:
    """After a bulk load, raise each village's populations above the people now known there."""
    officer = db.session.scalar(select(Person).where(Person.phone == OFFICER))
    if officer is None:
        return
    today = local_today()
    for village in commune.villages:
        for year, scale in ((today.year, 1.0), (today.year - 1, 0.98)):
            planned = {k: round(v * scale) for k, v in POPULATIONS.get(village.name, {}).items()}
            _populations(commune, village, year, planned, officer, today)


def _entered(commune: Commune, villages: dict[str, Village], officer: Person, today: dt.date) -> None:
    """Each village's quarterly figures for last year and this year's quarters begun, growing quarter by quarter."""
    periods = [Period(today.year - 1, q) for q in range(1, 5)]
    periods += [Period(today.year, q) for q in range(1, 5) if Period(today.year, q).started(today)]
    for name, village in villages.items():
        sizes = POPULATIONS.get(name)
        if sizes is None:
            continue
        for step, period in enumerate(periods, start=1):
            for code, population, amount in ENTERED:
                if not indicators.REGISTRY[code].manual:  # a feature now counts it from its own records
                    continue
                if population is None:  # a count per quarter
                    value = int(amount + 5 * (step % 3))
                else:  # a running total: a share of the population that grows, never above it
                    value = min(round(sizes[population] * amount * (1 + step) / 3), sizes[population])
                services.enter_figure(commune, village, code, period, value, note=NOTE, actor=officer, today=today)
    for step, period in enumerate(periods, start=1):
        services.enter_figure(commune, None, "articles", period, 8 + step % 4, note="Tin, bài trên cổng thông tin xã",
                              actor=officer, today=today)
        services.enter_figure(commune, None, "influencers", period, 3 + step % 3, note="", actor=officer, today=today)


def _tasks(commune: Commune, officer: Person, today: dt.date) -> None:
    for title, responsible, days, deadline_text, status, result in TASKS:
        deadline = today + dt.timedelta(days=days) if days is not None else None
        when = deadline_text or ("" if deadline else "Thường xuyên")
        fields = services.TaskFields(title, responsible, deadline, when, status, result)
        services.save_task(commune, None, fields, year=today.year, actor=officer)


def _units_and_settings(commune: Commune, villages: dict[str, Village], officer: Person) -> dict[str, ReportingUnit]:
    units = {name: ReportingUnit(commune_id=commune.id, name=name, village_id=village.id)
             for name, village in villages.items()}
    units[YOUTH_UNION] = ReportingUnit(commune_id=commune.id, name=YOUTH_UNION)
    db.session.add_all(units.values())
    province = commune.province.name if commune.province else "Thành phố Hải Phòng"
    db.session.add(ReportSettings(
        commune_id=commune.id, unit_year_deadline="12-05", commune_year_deadline="12-10", quarter_days=5,
        recipient=f"UBND {_lower_first(province)}",
        plan_reference=f"Kế hoạch số 63/KH-UBND ngày 01/10/2025 của UBND {_lower_first(commune.name)}",
        signer_lines="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", signer_name="Nguyễn Văn Thành",
        updated_by_id=officer.id))
    db.session.flush()
    return units


def _lower_first(name: str) -> str:
    """"Thành phố Hải Phòng" as it reads inside a sentence: "thành phố Hải Phòng"."""
    return name[:1].lower() + name[1:]


def _reports(commune: Commune, units: dict[str, ReportingUnit], officer: Person, today: dt.date) -> None:
    """Thôn Đông's report for last quarter, submitted; the commune's report for the year, a draft."""
    quarter = (today.month - 1) // 3 + 1
    last_quarter = Period(today.year, quarter - 1) if quarter > 1 else Period(today.year - 1, 4)
    unit = units.get("Thôn Đông")
    if unit is not None:
        report = writing.open_report(commune, unit, last_quarter, actor=officer, today=today)
        writing.save_draft(report, VILLAGE_REPORT, {"door_to_door_people": 52, "articles": 2},
                           number="05/BC-TĐ", actor=officer)
        writing.submit(report, actor=officer)
    report = writing.open_report(commune, None, Period(today.year), actor=officer, today=today)
    writing.save_draft(report, COMMUNE_REPORT, {}, number="", actor=officer)


def add_reports(commune: Commune) -> None:
    """Give the demo commune its populations, targets, hand-entered figures, tasks, units and reports."""
    officer = db.session.scalar(select(Person).where(Person.phone == OFFICER))
    if officer is None:
        return
    today = local_today()
    villages = {v.name: v for v in commune.villages}
    _last_year_classes(commune, _phones(commune), today)
    raise_populations(commune)
    for code, value in TARGETS.items():
        services.set_target(commune, None, today.year, code, value, actor=officer, today=today)
    _entered(commune, villages, officer, today)
    _tasks(commune, officer, today)
    units = _units_and_settings(commune, villages, officer)
    _reports(commune, units, officer, today)


if add_reports not in demo.STEPS:
    demo.STEPS.append(add_reports)
if raise_populations not in demo.AFTER_BULK:
    demo.AFTER_BULK.append(raise_populations)
