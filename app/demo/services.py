"""Demo data: one commune with villages, venues, households, staff of every role and learners."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select

from app import vietnam
from app.auth import services as auth_services
from app.extensions import db, utcnow
from app.people import services as people
from app.people.models import Consent, Household, Person, PersonTag
from app.places import services as places
from app.places.models import Commune, Village
from app.policy import Role

COMMUNE_CODE = "11791"  # Xã Tiên Minh, thành phố Hải Phòng — one of the plans this project began from
STAFF_PASSWORD = "hocvuso2026"
LEARNER_PIN = "246810"

VILLAGES = (("Thôn Đông", "thon"), ("Thôn Trung Hòa", "thon"), ("Thôn Tây", "thon"))
VENUES = (
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
        household_rows = [{"commune_id": commune.id, "village_id": villages[(done + i) % len(villages)].id,
                           "address": f"Số {rng.randint(1, 400)}, xóm {rng.randint(1, 12)}", "created_at": now}
                          for i in range(0, size, 3)]
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
