"""Demo data: one commune with villages, venues, households, staff of every role and learners; in bulk, for
benchmarks, many learners with classes of this year and last, attendance marks and confirmed completions."""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select

from app import vietnam
from app.attendance.models import AttendanceMark
from app.auth import services as auth_services
from app.catalog.models import Module, ModuleVersion
from app.certificates import milestones
from app.certificates.models import Completion, CompletionSkill
from app.classes.models import Class, ClassModule, ClassSession, ClassStaff, Enrolment
from app.extensions import db, utcnow
from app.people import services as people
from app.people.models import Consent, Household, Person, PersonTag, RoleAssignment
from app.places import services as places
from app.places.models import Commune, Venue, Village
from app.policy import Role

COMMUNE_CODE = "11791"  # Xã Tiên Minh, thành phố Hải Phòng — one of the plans this project began from
STAFF_PASSWORD = "hocvuso2026"
LEARNER_PIN = "246810"

VILLAGES = (("Thôn Đông", "thon"), ("Thôn Trung Hòa", "thon"), ("Thôn Tây", "thon"))
VENUES: tuple[dict[str, Any], ...] = (
    {"name": "Nhà văn hóa thôn Đông", "village": "Thôn Đông", "address": "Đường trục thôn Đông", "capacity": 40,
     "tablets": 10, "wifi": True, "screen": True, "step_free": True, "accessible_toilet": True,
     "ground_floor": True, "active": True},
    {"name": "Nhà văn hóa thôn Trung Hòa", "village": "Thôn Trung Hòa", "address": "Cạnh sân bóng thôn Trung Hòa",
     "capacity": 30, "tablets": 6, "wifi": True, "screen": False, "step_free": False, "ground_floor": True,
     "active": True},
    {"name": "Hội trường UBND xã", "village": None, "address": "Trụ sở UBND xã Tiên Minh", "capacity": 120,
     "tablets": 20, "wifi": True, "screen": True, "step_free": True, "accessible_toilet": True,
     "hearing_loop": True, "ground_floor": True, "active": True},
)


@dataclass(frozen=True)
class DemoAccount:
    """A demo person with a role, printed in the README."""

    full_name: str
    phone: str
    role: Role | None
    birth_year: int
    gender: str
    village: str | None = None
    village_scoped: bool = False
    tags: tuple[str, ...] = ()


STAFF = (
    DemoAccount("Phạm Minh Quân", "0900000001", Role.ADMIN, 1985, "male"),
    DemoAccount("Đỗ Thị Lan", "0900000002", Role.OFFICER, 1982, "female"),
    DemoAccount("Nguyễn Văn Hùng", "0900000003", Role.INSTRUCTOR, 2001, "male", "Thôn Đông"),
    DemoAccount("Trần Thị Mai", "0900000004", Role.INSTRUCTOR, 1999, "female", "Thôn Trung Hòa"),
    DemoAccount("Lê Quang Huy", "0900000005", Role.YOUTH_ORGANISER, 1996, "male"),
    DemoAccount("Vũ Thị Thu", "0900000006", Role.AMBASSADOR, 1990, "female", "Thôn Tây"),
    DemoAccount("Hoàng Văn Nam", "0900000007", Role.TEAM_MEMBER, 1988, "male", "Thôn Đông", village_scoped=True),
    DemoAccount("Trịnh Văn Khải", "0900000008", Role.LEADER, 1974, "male"),
)

# Learners across the audiences; the first three sign in with the PIN in the README.
LEARNERS = (
    DemoAccount("Nguyễn Thị Hương", "0910000001", Role.LEARNER, 1956, "female", "Thôn Đông"),
    DemoAccount("Trần Văn Bình", "0910000002", Role.LEARNER, 1952, "male", "Thôn Đông"),
    DemoAccount("Lê Thị Ánh Tuyết", "0910000003", Role.LEARNER, 1975, "female", "Thôn Trung Hòa", tags=("trader",)),
    DemoAccount("Phạm Văn Đức", "0910000004", Role.LEARNER, 1949, "male", "Thôn Tây"),
    DemoAccount("Vũ Thị Nga", "0910000005", Role.LEARNER, 1960, "female", "Thôn Tây"),
    DemoAccount("Đặng Văn Tư", "0910000006", Role.LEARNER, 1958, "male", "Thôn Đông"),
    DemoAccount("Bùi Thị Hạnh", "0910000007", Role.LEARNER, 1971, "female", "Thôn Trung Hòa", tags=("trader",)),
    DemoAccount("Đỗ Văn Khánh", "0910000008", Role.LEARNER, 1980, "male", "Thôn Trung Hòa", tags=("trader",)),
    DemoAccount("Hoàng Thị Lụa", "0910000009", Role.LEARNER, 1968, "female", "Thôn Đông", tags=("trader",)),
    DemoAccount("Ngô Văn Sáu", "0910000010", Role.LEARNER, 1947, "male", "Thôn Tây"),
    DemoAccount("Dương Thị Mận", "0910000011", Role.LEARNER, 1954, "female", "Thôn Trung Hòa"),
    DemoAccount("Lý Văn Toàn", "0910000012", Role.LEARNER, 1963, "male", "Thôn Đông"),
    DemoAccount("Mai Thị Xuân", "0910000013", Role.LEARNER, 1959, "female", "Thôn Tây"),
    DemoAccount("Trịnh Văn Lực", "0910000014", Role.LEARNER, 1986, "male", "Thôn Đông", tags=("enterprise_worker",)),
    DemoAccount("Phan Thị Quế", "0910000015", Role.LEARNER, 1992, "female", "Thôn Trung Hòa", tags=("public_staff",)),
    DemoAccount("Cao Văn Thắng", "0910000016", Role.LEARNER, 2009, "male", "Thôn Tây", tags=("pupil",)),
    DemoAccount("Lương Thị Bích", "0910000017", Role.LEARNER, 1965, "female", "Thôn Đông"),
    DemoAccount("Tạ Văn Lâm", "0910000018", Role.LEARNER, 1950, "male", "Thôn Trung Hòa"),
    DemoAccount("Hà Thị Nhung", "0910000019", Role.LEARNER, 1978, "female", "Thôn Tây", tags=("trader",)),
    DemoAccount("Kiều Văn Phúc", "0910000020", Role.LEARNER, 1944, "male", "Thôn Đông"),
    DemoAccount("Đinh Thị Thoa", "0910000021", Role.LEARNER, 1957, "female", "Thôn Trung Hòa"),
    DemoAccount("Chu Văn Hải", "0910000022", Role.LEARNER, 1983, "male", "Thôn Tây", tags=("enterprise_worker",)),
    DemoAccount("Tô Thị Yến", "0910000023", Role.LEARNER, 1961, "female", "Thôn Đông"),
    DemoAccount("Lại Văn Cường", "0910000024", Role.LEARNER, 1955, "male", "Thôn Tây"),
    DemoAccount("Quách Thị Hoa", "0910000025", Role.LEARNER, 1972, "female", "Thôn Trung Hòa", tags=("trader",)),
    DemoAccount("Thái Văn Minh", "0910000026", Role.LEARNER, 1948, "male", "Thôn Đông"),
    DemoAccount("Văn Thị Liên", "0910000027", Role.LEARNER, 1966, "female", "Thôn Tây"),
    DemoAccount("Triệu Văn Dũng", "0910000028", Role.LEARNER, 1990, "male", "Thôn Trung Hòa",
                tags=("public_staff",)),
    DemoAccount("Âu Thị Kim", "0910000029", Role.LEARNER, 1953, "female", "Thôn Đông"),
    DemoAccount("Khúc Văn Tài", "0910000030", Role.LEARNER, 1962, "male", "Thôn Tây"),
)
# Learners who agreed to record a disability, for the disability track.
DISABLED = {"0910000004": (["vision"], "Cần chữ rất to và trình đọc màn hình"),
            "0910000018": (["hearing_speech"], "Cần phụ đề, ngồi gần người hướng dẫn"),
            "0910000026": (["mobility"], "Đi xe lăn: cần lối vào không bậc")}

# Steps later features add to the demo (classes, attendance, quizzes, certificates), run in order.
STEPS: list[Callable[[Commune], None]] = []


def is_empty() -> bool:
    """Tell whether the database has no communes yet."""
    return not db.session.scalar(select(func.count()).select_from(Commune))


def _person(commune: Commune, villages: dict[str, Village], account: DemoAccount, actor: Person | None) -> Person:
    person = people.create_person(commune=commune, full_name=account.full_name, birth_year=account.birth_year,
                                  gender=account.gender, phone=account.phone, tags=account.tags,
                                  village=villages.get(account.village or ""), created_by=actor)
    people.record_consent(person, purpose="learning", method="paper", recorded_by=actor,
                          policy_version=current_app.config["CONSENT_POLICY_VERSION"], note="Phiếu đồng ý (demo)")
    if account.role is not None:
        scoped = villages[account.village] if account.village_scoped and account.village else None
        people.grant_role(person, account.role, commune=commune, village=scoped, granted_by=actor)
    return person


def load() -> Commune:
    """Create the demo commune and its people; run every feature's demo step."""
    commune = places.add_commune(COMMUNE_CODE)
    villages = {name: places.save_village(commune, name=name, kind=kind) for name, kind in VILLAGES}
    for venue in VENUES:
        values = {**venue, "village_id": villages[venue["village"]].id if venue["village"] else None}
        places.save_venue(commune, values=values)
    officer = None
    for account in STAFF:
        person = _person(commune, villages, account, officer)
        auth_services.set_password(person, STAFF_PASSWORD, actor=officer)
        if account.role == Role.OFFICER:
            officer = person
    households: dict[str, Household] = {}
    secret = current_app.config["DATA_ENCRYPTION_KEY"]
    for index, account in enumerate(LEARNERS):
        person = _person(commune, villages, account, officer)
        village = villages[account.village or VILLAGES[0][0]]
        address = f"Xóm {index % 4 + 1}, {village.name}"
        household = households.get(address) or people.create_household(village=village, address=address)
        households[address] = household
        person.household_id = household.id
        auth_services.set_pin(person, LEARNER_PIN, actor=officer)
        if account.phone in DISABLED:
            kinds, needs = DISABLED[account.phone]
            people.record_consent(person, purpose="disability", method="paper", recorded_by=officer,
                                  policy_version=current_app.config["CONSENT_POLICY_VERSION"])
            people.set_disability(person, kinds=kinds, needs=needs, actor=officer, secret=secret)
    db.session.flush()
    for step in STEPS:
        step(commune)
    return commune


SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Tạ", "Lương", "Cao", "Hà", "Tô", "Chu")
MIDDLE = {"female": ("Thị", "Thị", "Thị Thu", "Thị Ngọc", "Thị Minh", "Thị Thanh", "Ngọc", "Thu"),
          "male": ("Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh")}
GIVEN = {"female": ("Hương", "Lan", "Mai", "Hoa", "Hạnh", "Nga", "Tuyết", "Xuân", "Thoa", "Yến", "Liên", "Nhung",
                    "Bích", "Hằng", "Trang", "Thảo", "Loan", "Dung", "Huệ", "Ánh"),
         "male": ("Bình", "Hùng", "Dũng", "Minh", "Tuấn", "Sơn", "Hải", "Nam", "Long", "Thắng", "Đức", "Cường",
                  "Phúc", "Toàn", "Lâm", "Khánh", "Tài", "Lực", "Quang", "Thành")}


def generate_learners(commune: Commune, count: int, *, seed: int = 757,
                      progress: Callable[[int], None] | None = None) -> int:
    """Add `count` realistic learners (with households and consent) in bulk, fast enough for benchmarks."""
    rng = random.Random(seed)
    villages = list(commune.villages)
    if not villages:
        villages = [places.save_village(commune, name=name, kind=kind) for name, kind in VILLAGES]
    version = current_app.config["CONSENT_POLICY_VERSION"]
    this_year = datetime.now(UTC).year
    now = utcnow()
    chunk = 5000
    done = 0
    while done < count:
        size = min(chunk, count - done)
        # Three people a household, households dealt round the villages in turn.
        household_rows = [{"commune_id": commune.id, "village_id": villages[(done // 3 + h) % len(villages)].id,
                           "address": f"Số {rng.randint(1, 400)}, xóm {rng.randint(1, 12)}", "created_at": now}
                          for h in range((size + 2) // 3)]
        household_ids = list(db.session.scalars(
            insert(Household).returning(Household.id, sort_by_parameter_order=True), household_rows))
        person_rows: list[dict[str, Any]] = []
        for i in range(size):
            gender = rng.choice(("female", "male"))
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
            household_index = i // 3
            person_rows.append({
                "full_name": name, "name_search": vietnam.search_key(name),
                "birth_year": this_year - int(rng.triangular(16, 90, 66)), "gender": gender,
                "commune_id": commune.id, "village_id": household_rows[household_index]["village_id"],
                "household_id": household_ids[household_index], "created_at": now, "updated_at": now})
        person_ids = list(db.session.scalars(
            insert(Person).returning(Person.id, sort_by_parameter_order=True), person_rows))
        db.session.execute(insert(Consent), [{"person_id": pid, "purpose": "learning", "method": "paper",
                                              "policy_version": version, "given_at": now, "note": "",
                                              "withdrawal_note": ""} for pid in person_ids])
        tags = [{"person_id": pid, "tag": "trader"} for pid in person_ids if rng.random() < 0.12]
        if tags:
            db.session.execute(insert(PersonTag), tags)
        done += size
        if progress:
            progress(done)
    return done


# --- classes, attendance and completions in bulk (benchmarks: 20,000 learners give ~200,000 marks) -------------

@dataclass(frozen=True)
class Track:
    """What a generated class teaches an audience, and its title."""

    audience: str
    modules: tuple[str, ...]
    title: str


TRACKS = {
    "elderly": Track("elderly", ("NCT-01", "NCT-02", "NCT-03", "NCT-04", "NCT-05", "NCT-06"),
                     "Lớp điện thoại thông minh cho người cao tuổi"),
    "trader": Track("trader", ("4T-01", "4T-02", "4T-03", "4T-04"), "Lớp 4T: bán hàng online, thanh toán số"),
    "general": Track("general", ("CHUNG-01", "CHUNG-02"), "Lớp Bình dân học vụ số: an toàn trên mạng và AI"),
}
CLASS_SIZE = 25
SESSIONS_PER_CLASS = 10  # weekly; ten marks per learner once a class is over
LAST_YEAR_SHARE = 0.4  # of the generated learners, those taught last year (the rest this year)
COMPLETING_SHARE = 0.7  # of the learners of a finished class who attended enough, those confirmed
MARKS = (("present", 0.8), ("late", 0.05), ("absent", 0.12), ("excused", 0.03))
# Hand-entered follow-ups after a bulk load (the reports demo raises its populations above the people added).
AFTER_BULK: list[Callable[[Commune], None]] = []


def _chunks(rows: list[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _insert(model: Any, rows: list[dict[str, Any]], *, ids: bool = False) -> list[int]:
    """Insert rows in chunks; return their new ids in order when asked."""
    found: list[int] = []
    for part in _chunks(rows):
        if ids:
            found += db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), part)
        else:
            db.session.execute(insert(model), part)
    return found


def _village_venues(commune: Commune) -> dict[int, int]:
    """A venue per village (the village's cultural house, added where the village has none)."""
    venues: dict[int, int] = {}
    for venue_id, village_id in db.session.execute(select(Venue.id, Venue.village_id).where(
            Venue.commune_id == commune.id, Venue.village_id.is_not(None)).order_by(Venue.id)):
        if village_id is not None:
            venues.setdefault(village_id, venue_id)
    missing = [v for v in commune.villages if v.id not in venues]
    rows = [{"commune_id": commune.id, "village_id": v.id, "name": f"Nhà văn hóa {v.name}", "address": "",
             "capacity": 40, "tablets": 5, "wifi": True, "notes": "", "created_at": utcnow()} for v in missing]
    for village, venue_id in zip(missing, _insert(Venue, rows, ids=True), strict=True):
        venues[village.id] = venue_id
    return venues


def _start(rng: random.Random, year: int, today: dt.date) -> dt.date:
    """A class start in the year, early enough that most of it lies in the past."""
    first = dt.date(year, 1, 5)
    last = min(dt.date(year, 10, 15), today - dt.timedelta(weeks=SESSIONS_PER_CLASS))
    if last < first:  # early in the year: this year's classes have begun, not finished
        last = max(dt.date(year, 1, 1), min(today, first))
        first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


@dataclass(frozen=True)
class PlannedClass:
    """A class to write in bulk: its audience's track, where, when it starts, who learns in it."""

    audience: str  # a key of TRACKS
    title: str
    starts: dt.date
    members: tuple[int, ...]
    venue_id: int | None


def generate_classes(commune: Commune, person_ids: list[int], *, today: dt.date, seed: int = 757) -> dict[str, int]:
    """Put learners in classes (last year's and this year's, per village and audience) with weekly sessions,
    attendance marks for sessions held, and confirmed completions with their skills for most who attended enough."""
    rng = random.Random(seed)
    # Read the whole commune and keep the chosen: an IN list of 20,000 ids is past what SQLite binds.
    chosen = set(person_ids)
    trader_ids = set(db.session.scalars(select(PersonTag.person_id).join(Person, Person.id == PersonTag.person_id)
                                        .where(PersonTag.tag == "trader", Person.commune_id == commune.id)))
    learners = [row for row in db.session.execute(select(Person.id, Person.village_id, Person.birth_year)
                                                  .where(Person.commune_id == commune.id).order_by(Person.id))
                if row.id in chosen]
    groups: dict[tuple[int, int, str], list[int]] = {}
    for pid, village_id, birth_year in learners:
        year = today.year - 1 if rng.random() < LAST_YEAR_SHARE else today.year
        audience = ("trader" if pid in trader_ids
                    else "elderly" if birth_year and birth_year <= year - 60 else "general")
        groups.setdefault((year, village_id or 0, audience), []).append(pid)
    venues = _village_venues(commune)
    villages = {v.id: v.name for v in commune.villages}
    planned = []
    for (year, village_id, audience), members in sorted(groups.items()):
        for number, begin in enumerate(range(0, len(members), CLASS_SIZE), start=1):
            title = f"{TRACKS[audience].title} – {villages.get(village_id, '')} – khóa {number}/{year}"
            planned.append(PlannedClass(audience, title, _start(rng, year, today),
                                        tuple(members[begin:begin + CLASS_SIZE]), venues.get(village_id)))
    return write_classes(commune, planned, today=today, rng=rng)


def write_classes(commune: Commune, planned: list[PlannedClass], *, today: dt.date, rng: random.Random,
                  completing_share: float = COMPLETING_SHARE) -> dict[str, int]:
    """Write planned classes in bulk: weekly sessions, enrolments, marks for sessions held, and confirmed
    completions (with their skill rows, which a bulk insert does not fill by itself) in finished classes."""
    now = utcnow()
    modules = {m.code: m for m in db.session.scalars(select(Module).where(Module.active.is_(True)))}
    versions = {v.id: v for v in db.session.scalars(select(ModuleVersion).where(
        ModuleVersion.id.in_([m.current_version_id for m in modules.values() if m.current_version_id])))}
    instructors = list(db.session.scalars(select(RoleAssignment.person_id).where(
        RoleAssignment.commune_id == commune.id, RoleAssignment.role == Role.INSTRUCTOR.value)))
    plans: list[tuple[dict[str, Any], Any, list[dt.date], list[Module]]] = []  # (class row, learners, dates, modules)
    for plan in planned:
        taught = [modules[c] for c in TRACKS[plan.audience].modules
                  if c in modules and modules[c].current_version_id in versions]
        dates = [plan.starts + dt.timedelta(weeks=w) for w in range(SESSIONS_PER_CLASS)]
        row: dict[str, Any] = {"commune_id": commune.id, "title": plan.title[:200], "audience": plan.audience,
               "status": "finished" if dates[-1] < today else "running", "venue_id": plan.venue_id,
               "capacity": max(CLASS_SIZE, len(plan.members)) + 5, "starts_on": plan.starts, "ends_on": dates[-1],
               "description": "", "access_notes": "", "created_at": now, "updated_at": now}
        plans.append((row, plan.members, dates, taught))
    class_ids = _insert(Class, [p[0] for p in plans], ids=True)
    sessions: list[dict[str, Any]] = []
    staff, links, enrolments = [], [], []
    for class_id, (row, members, dates, taught) in zip(class_ids, plans, strict=True):
        if instructors:
            staff.append({"class_id": class_id, "person_id": instructors[class_id % len(instructors)],
                          "role": "instructor"})
        links += [{"class_id": class_id, "module_id": m.id, "position": i} for i, m in enumerate(taught)]
        sessions += [{"class_id": class_id, "date": day, "start_time": dt.time(8 + 6 * (class_id % 2)),
                      "end_time": dt.time(10 + 6 * (class_id % 2)), "venue_id": row["venue_id"],
                      "module_id": taught[i % len(taught)].id if taught else None, "topic": "",
                      "status": "scheduled", "sequence": 0, "created_at": now, "updated_at": now}
                     for i, day in enumerate(dates)]
        enrolments += [{"class_id": class_id, "person_id": pid, "status": "enrolled", "source": "staff",
                        "requested_at": now, "enrolled_at": now, "above_capacity": False, "created_at": now}
                       for pid in members]
    _insert(ClassStaff, staff)
    _insert(ClassModule, links)
    session_ids = _insert(ClassSession, sessions, ids=True)
    enrolment_ids = _insert(Enrolment, enrolments, ids=True)
    held: dict[int, list[int]] = {}  # class id -> ids of its sessions already held
    for session_id, session in zip(session_ids, sessions, strict=True):
        if session["date"] <= today:
            held.setdefault(session["class_id"], []).append(session_id)
    statuses = [status for status, _weight in MARKS]
    weights = [weight for _status, weight in MARKS]
    marks, attended = [], {}
    for enrolment_id, enrolment in zip(enrolment_ids, enrolments, strict=True):
        chosen = rng.choices(statuses, weights, k=len(held.get(enrolment["class_id"], ())))
        attended[enrolment_id] = sum(s in ("present", "late") for s in chosen) / max(len(chosen), 1)
        marks += [{"session_id": sid, "enrolment_id": enrolment_id, "status": status, "source": "tap",
                   "effective_time": now, "marked_by_id": None, "updated_at": now}
                  for sid, status in zip(held.get(enrolment["class_id"], ()), chosen, strict=True)]
    _insert(AttendanceMark, marks)
    completions = []
    finished = {cid: p for cid, p in zip(class_ids, plans, strict=True) if p[0]["status"] == "finished"}
    for enrolment_id, enrolment in zip(enrolment_ids, enrolments, strict=True):
        taken = finished.get(enrolment["class_id"])
        if taken is None or attended[enrolment_id] < 0.7 or rng.random() >= completing_share:
            continue
        done = dt.datetime.combine(taken[0]["ends_on"], dt.time(20), vietnam.VIETNAM).astimezone(UTC)
        for module in taken[3]:  # modules with a current version only (see `taught`)
            version = versions[module.current_version_id or 0]
            completions.append({"person_id": enrolment["person_id"], "commune_id": commune.id, "module_id": module.id,
                                "module_version_id": version.id, "framework_version_id": version.framework_version_id,
                                "class_id": enrolment["class_id"], "skills": list(version.skills),
                                "attendance_share": round(attended[enrolment_id], 2), "status": "confirmed",
                                "eligible_at": done, "confirmed_at": done})
    completion_ids = _insert(Completion, completions, ids=True)
    _insert(CompletionSkill, [{"completion_id": cid, "skill": str(skill)}
                              for cid, row in zip(completion_ids, completions, strict=True)
                              for skill in dict.fromkeys(row["skills"])])
    milestones.refresh({row["person_id"] for row in completions})  # bulk inserts bypass the flush that keeps it
    return {"classes": len(class_ids), "sessions": len(session_ids), "enrolments": len(enrolment_ids),
            "marks": len(marks), "completions": len(completion_ids)}
