"""Upload a file, see every problem before anything is written, then apply it in one step."""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import inputs, policy, spreadsheets
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.imports import bp, services
from app.imports.forms import UploadForm
from app.imports.models import ImportBatch
from app.imports.registry import ImportKind
from app.places.models import Commune


def _kind(code: str) -> ImportKind:
    try:
        return services.kind_of(code)
    except DomainError:
        abort(404)


def _target(kind: ImportKind, target_id: int | None, commune_id: int) -> Any:
    """Load what the file is for (e.g. a class); 404 unless it belongs to the commune the import is for.

    Checking the target alone would let someone allowed on a class of one commune post a list to another
    commune's address and learn, from the preview, the names of that commune's people.
    """
    if kind.load_target is None:
        return None
    target = kind.load_target(target_id) if target_id else None
    if target is None or getattr(target, "commune_id", commune_id) != commune_id:
        abort(404)
    return target


@bp.route("/communes/<int:commune_id>/imports/<kind>", methods=["GET", "POST"])
@policy.requires("imports.upload")
def new(commune_id: int, kind: str) -> Any:
    """Upload a file and check it."""
    commune = db.get_or_404(Commune, commune_id)
    import_kind = _kind(kind)
    target = _target(import_kind, request.args.get("target", type=inputs.record_id), commune.id)
    policy.authorize(import_kind.action, target or commune)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch, _preview = services.upload(import_kind, commune, filename=upload.filename or "upload",
                                              data=upload.read(), target=target, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "file")
        else:
            db.session.commit()
            return redirect(url_for("imports.show", batch_id=batch.id))
    return render_template("imports/new.html", form=form, commune=commune, kind=import_kind, target=target)


@bp.get("/imports/<int:batch_id>")
@policy.requires("imports.upload")
def show(batch_id: int) -> str:
    """Show what the file would do, naming every bad row."""
    batch = db.get_or_404(ImportBatch, batch_id)
    kind = _kind(batch.kind)
    target = _target(kind, batch.target_id, batch.commune_id)
    policy.authorize(kind.action, target or batch)
    preview = services.preview(batch, target) if batch.status != "applied" else None
    return render_template("imports/show.html", batch=batch, kind=kind, preview=preview,
                           commune=db.session.get(Commune, batch.commune_id), target=target)


@bp.post("/imports/<int:batch_id>/apply")
@policy.requires("imports.upload")
def apply(batch_id: int) -> Any:
    """Apply every row of a checked file, or none."""
    batch = db.get_or_404(ImportBatch, batch_id)
    kind = _kind(batch.kind)
    target = _target(kind, batch.target_id, batch.commune_id)
    policy.authorize(kind.action, target or batch)
    try:
        summary = services.apply(batch, target=target, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("imports.show", batch_id=batch.id))
    db.session.commit()
    flash(_("Đã nhập xong: %(created)s dòng mới, %(existing)s dòng đã có từ trước.",
            created=summary.get("created", 0), existing=summary.get("existing", 0)), "success")
    return redirect(kind.done_url(db.session.get(Commune, batch.commune_id), target))  # type: ignore[arg-type]


@bp.get("/imports/<kind>/template.<fmt>")
@policy.requires("imports.upload")
def template(kind: str, fmt: str) -> Response:
    """Download an empty file with the right column headers and an example row."""
    import_kind = _kind(kind)
    return spreadsheets.download(fmt, [c.header for c in import_kind.columns], import_kind.example,
                                 name=f"Mẫu - {import_kind.label}", sheet=str(import_kind.label), dated=False)
