"""Upload, preview and apply an import; applying is all-or-nothing and happens once."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.extensions import db, utcnow
from app.imports.models import ImportBatch
from app.imports.registry import KINDS, ImportKind, Preview
from app.imports.tabular import read_table
from app.people.models import Person
from app.places.models import Commune
from app.text import clean_text


def kind_of(code: str) -> ImportKind:
    """Return the import kind for a code, or raise DomainError."""
    if code not in KINDS:
        raise DomainError(_l("Loại dữ liệu nhập không hợp lệ."))
    return KINDS[code]


def upload(kind: ImportKind, commune: Commune, *, filename: str, data: bytes, target: Any = None,
           actor: Person | None) -> tuple[ImportBatch, Preview]:
    """Check a file (nothing is written but the stored upload) and return its preview."""
    if target is not None and getattr(target, "commune_id", commune.id) != commune.id:
        raise DomainError(_l("Danh sách này không dành cho xã đã chọn."))
    filename = clean_text(filename)[:255] or "upload"
    rows = read_table(filename, data, kind.columns)
    preview = kind.check(commune, rows, target)
    batch = ImportBatch(kind=kind.code, commune_id=commune.id, filename=filename, content=data,
                        target_id=getattr(target, "id", None), created_by_id=actor.id if actor else None)
    db.session.add(batch)
    db.session.flush()
    return batch, preview


def preview(batch: ImportBatch, target: Any = None) -> Preview:
    """Check the stored file again against the data as it is now."""
    kind = kind_of(batch.kind)
    rows = read_table(batch.filename, batch.content, kind.columns)
    return kind.check(db.session.get(Commune, batch.commune_id), rows, target)  # type: ignore[arg-type]


def apply(batch: ImportBatch, *, target: Any = None, actor: Person | None) -> dict[str, int]:
    """Apply every row, or none; a batch already applied just returns what it did."""
    if batch.status == "applied":
        return dict(batch.summary or {})
    kind = kind_of(batch.kind)
    commune = db.session.get(Commune, batch.commune_id)
    rows = read_table(batch.filename, batch.content, kind.columns)
    checked = kind.check(commune, rows, target)  # type: ignore[arg-type]
    if not checked.ok:
        raise DomainError(_l("Tệp còn %(n)s lỗi; chưa nhập dòng nào. Hãy sửa tệp rồi tải lên lại.",
                             n=len(checked.issues)))
    summary = kind.apply(commune, rows, target, actor)  # type: ignore[arg-type]
    batch.status, batch.applied_at, batch.summary = "applied", utcnow(), summary
    db.session.flush()
    return summary
