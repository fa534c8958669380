"""Rules for places: communes from the official list, villages and venues."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from vietnam_provinces import Province as OfficialProvince
from vietnam_provinces import ProvinceCode, Ward, WardCode

from app.errors import DomainError
from app.extensions import db
from app.places.models import Commune, Province, Venue, Village
from app.vietnam import search_key

VILLAGE_KINDS = {
    "thon": _l("Thôn"),
    "to_dan_pho": _l("Tổ dân phố"),
    "ap": _l("Ấp"),
    "ban": _l("Bản"),
    "khu_pho": _l("Khu phố"),
    "lang": _l("Làng"),
}


def official_ward(code: str) -> Ward:
    """Look up a commune, ward or special zone in the official list (vietnam-provinces)."""
    try:
        return Ward.from_code(WardCode(int(code)))
    except ValueError:
        raise DomainError(_l("Mã xã/phường %(code)s không có trong danh mục hành chính.", code=code),
                          field="code") from None


def add_commune(code: str) -> Commune:
    """Add a commune by its official code, with its province; adding it twice returns the same one."""
    ward = official_ward(code.strip())
    existing: Commune | None = db.session.scalar(select(Commune).where(Commune.code == str(int(ward.code))))
    if existing is not None:
        return existing
    official = OfficialProvince.from_code(ProvinceCode(ward.province_code))
    province_code = f"{int(official.code):02d}"
    if db.session.get(Province, province_code) is None:
        db.session.add(Province(code=province_code, name=official.name,
                                division_type=official.division_type.value))
    commune = Commune(code=str(int(ward.code)), name=ward.name, division_type=ward.division_type.value,
                      province_code=province_code)
    db.session.add(commune)
    db.session.flush()
    return commune


def find_communes(query: str, limit: int = 20) -> list[Ward]:
    """Find official communes whose name contains the query (for the administrator's picker)."""
    key = search_key(query)
    if not key:
        return []
    return [w for w in Ward.iter_all() if key in search_key(w.name)][:limit]


def _clean(text: str, field: str, label: Any, max_len: int) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise DomainError(_l("Vui lòng nhập %(what)s.", what=label), field=field)
    return value[:max_len]


def _same_name(model: type[Village] | type[Venue], commune_id: int, name: str) -> int | None:
    """Return the id of a place in the commune with the same name, ignoring case (also for Đ, Ă, Ơ…)."""
    # SQLite's lower() only folds ASCII, so compare in Python; a commune has few villages and venues.
    wanted = name.casefold()
    rows = db.session.execute(select(model.id, model.name).where(model.commune_id == commune_id))
    return next((row_id for row_id, other in rows if other.casefold() == wanted), None)


def save_village(commune: Commune, *, name: str, kind: str, village: Village | None = None) -> Village:
    """Create or rename a village; names are unique within a commune."""
    name = _clean(name, "name", _l("tên thôn/tổ dân phố"), 120)
    if kind not in VILLAGE_KINDS:
        raise DomainError(_l("Loại đơn vị không hợp lệ."), field="kind")
    clash = _same_name(Village, commune.id, name)
    if clash is not None and (village is None or clash != village.id):
        raise DomainError(_l("Xã đã có thôn/tổ dân phố tên \"%(name)s\".", name=name), field="name")
    if village is None:
        village = Village(commune_id=commune.id)
        db.session.add(village)
    village.name, village.kind = name, kind
    db.session.flush()
    return village


VENUE_FLAGS = ("wifi", "screen", "step_free", "accessible_toilet", "hearing_loop", "ground_floor", "active")


def save_venue(commune: Commune, *, values: dict[str, Any], venue: Venue | None = None) -> Venue:
    """Create or update a venue after checking its facts."""
    name = _clean(values.get("name", ""), "name", _l("tên địa điểm"), 160)
    village_id = values.get("village_id") or None
    if village_id is not None:
        village = db.session.get(Village, village_id)
        if village is None or village.commune_id != commune.id:
            raise DomainError(_l("Thôn/tổ dân phố không thuộc xã này."), field="village_id")
    capacity, tablets = int(values.get("capacity") or 0), int(values.get("tablets") or 0)
    if not 1 <= capacity <= 2000:
        raise DomainError(_l("Sức chứa phải từ 1 đến 2000 người."), field="capacity")
    if not 0 <= tablets <= 500:
        raise DomainError(_l("Số máy tính bảng phải từ 0 đến 500."), field="tablets")
    clash = _same_name(Venue, commune.id, name)
    if clash is not None and (venue is None or clash != venue.id):
        raise DomainError(_l("Xã đã có địa điểm tên \"%(name)s\".", name=name), field="name")
    if venue is None:
        venue = Venue(commune_id=commune.id)
        db.session.add(venue)
    venue.name, venue.village_id, venue.capacity, venue.tablets = name, village_id, capacity, tablets
    venue.address = " ".join((values.get("address") or "").split())[:255]
    venue.notes = (values.get("notes") or "").strip()[:2000]
    for flag in VENUE_FLAGS:
        setattr(venue, flag, bool(values.get(flag)))
    db.session.flush()
    return venue
