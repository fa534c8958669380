"""`flask mock-vneid ...`: the mock provider's keys, citizens and clients."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.mockvneid import citizens, keys, services

mockvneid_cli = AppGroup("mock-vneid", help="The bundled mock VNeID provider.")


@mockvneid_cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; the previous one stays published until the next rotation."""
    click.echo(f"New signing key: kid={keys.rotate()}")


@mockvneid_cli.command("citizens")
def list_citizens() -> None:
    """List the demo citizens (fake ID numbers) to log in as."""
    for c in citizens.DEMO_CITIZENS:
        click.echo(f"{c.id_number}  {c.full_name:<22} {c.birthdate}  {c.gender:<6}  level {c.level}")


@mockvneid_cli.command("add-client")
@click.option("--client-id", required=True)
@click.option("--secret", required=True)
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True)
@click.option("--post-logout-uri", "logout_uris", multiple=True)
def add_client(client_id: str, secret: str, redirect_uris: tuple[str, ...], logout_uris: tuple[str, ...]) -> None:
    """Register another relying party with the mock (to try another app against it)."""
    services.register_client(client_id, secret, redirect_uris=list(redirect_uris),
                             post_logout_redirect_uris=list(logout_uris))
    db.session.commit()
    click.echo(f"Client {client_id} registered.")
