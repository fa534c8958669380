"""`flask places ...`: add communes from the official list and look up their codes."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.errors import DomainError
from app.extensions import db
from app.places import services

places_cli = AppGroup("places", help="Communes and villages.")


@places_cli.command("find")
@click.argument("name")
def find(name: str) -> None:
    """Print official communes whose name contains NAME (diacritics optional)."""
    for ward in services.find_communes(name, limit=50):
        click.echo(f"{int(ward.code):>6}  {ward.name}  (tỉnh/thành phố mã {int(ward.province_code):02d})")


@places_cli.command("add-commune")
@click.argument("code")
def add_commune(code: str) -> None:
    """Add the commune with official CODE."""
    try:
        commune = services.add_commune(code)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"{commune.id}: {commune.full_name}")
