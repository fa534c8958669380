"""`flask certificates issue --class ID`: confirm and issue a class's certificates from the command line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.certificates import completion, issuing
from app.certificates.models import Certificate
from app.classes.models import Class
from app.extensions import db, utcnow
from app.people.models import Person
from app.vietnam import local_today

certificates_cli = AppGroup("certificates", help="Completion and certificates.")
BATCH = 100


@certificates_cli.command("issue")
@click.option("--class", "class_id", type=int, required=True, help="The class whose certificates to issue.")
@click.option("--signer-phone", default=None, help="Phone of the officer issuing (recorded as the issuer).")
@click.option("--base-url", default=None, help="Public address of the site for QR codes (default PUBLIC_BASE_URL).")
@click.option("--confirm/--no-confirm", default=False, help="Also confirm completion for everyone eligible.")
def issue(class_id: int, signer_phone: str | None, base_url: str | None, confirm: bool) -> None:
    """Issue certificates for every confirmed learner of a class; running it again issues only what is missing."""
    klass = db.session.get(Class, class_id)
    if klass is None:
        raise click.ClickException(f"No class {class_id}.")
    base = base_url or current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise click.ClickException("Set PUBLIC_BASE_URL or pass --base-url: it is printed in every QR code.")
    actor = db.session.scalar(select(Person).where(Person.phone == signer_phone)) if signer_phone else None
    rules = completion.rules_for(klass.commune_id)
    standings = completion.class_standing(klass, rules)
    if confirm:
        completion.confirm(klass, standings, actor=actor, now=utcnow())
        db.session.commit()
    signer = issuing.Signer(rules.officer_name or (actor.full_name if actor else "—"),
                            rules.officer_title or "Cán bộ Văn hóa - Xã hội")
    progress = issuing.Progress(done=0, total=sum(1 for s in standings if s.confirmed))
    with click.progressbar(length=progress.total, label=f"Issuing certificates for {klass.title}") as bar:
        while True:
            before = progress.done
            progress = issuing.issue_next(klass, batch=BATCH, signer=signer, actor=actor, base_url=base,
                                          secret=current_app.config["DATA_ENCRYPTION_KEY"], today=local_today())
            db.session.commit()  # each batch is kept: stopping and running again only issues what is missing
            bar.update(progress.done - before)
            if progress.remaining == 0:
                break
    serials = db.session.scalars(select(Certificate.serial).where(Certificate.class_id == klass.id)
                                 .order_by(Certificate.serial)).all()
    more = " …" if len(serials) > 5 else ""
    click.echo(f"{len(serials)} certificate(s) for this class: {', '.join(serials[:5])}{more}")
