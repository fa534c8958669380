"""`flask people ...`: grant roles from the command line (for the first administrator)."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.auth import services as auth_services
from app.errors import DomainError
from app.extensions import db
from app.people import names
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune
from app.policy import Role

people_cli = AppGroup("people", help="People and roles.")


@people_cli.command("create-admin")
@click.option("--commune-code", required=True, help="Official code of the administrator's own commune.")
@click.option("--name", required=True)
@click.option("--phone", required=True)
@click.password_option()
def create_admin(commune_code: str, name: str, phone: str, password: str) -> None:
    """Create a system administrator who signs in with PHONE and PASSWORD."""
    try:
        commune = db.session.scalar(select(Commune).where(Commune.code == commune_code.strip()))
        if commune is None:
            raise DomainError(f"Commune {commune_code} not added yet: run `flask places add-commune {commune_code}`.")
        person = db.session.scalar(select(Person).where(Person.phone == names.normalise_phone(phone)))
        if person is None:
            person = people.create_person(commune=commune, full_name=name, phone=phone)
        people.grant_role(person, Role.ADMIN, commune=None)
        auth_services.set_password(person, password, actor=None)
    except (DomainError, ValueError) as error:
        raise click.ClickException(str(getattr(error, "message", error))) from None
    db.session.commit()
    click.echo(f"Administrator {person.full_name} ({person.phone}) ready.")
