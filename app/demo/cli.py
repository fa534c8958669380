"""`flask demo load`: demo commune, people of every role, and optionally many generated learners with classes."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.demo import services
from app.extensions import db
from app.people.models import Person
from app.places.models import Commune
from app.vietnam import local_today

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
@click.option("--learners", type=int, default=0,
              help="Also generate this many learners, with classes, attendance and completions (for benchmarks).")
def load(if_empty: bool, learners: int) -> None:
    """Load the demo commune; with --learners N, add N generated learners in classes of this year and last."""
    started = time.perf_counter()
    commune = db.session.scalar(select(Commune).where(Commune.code == services.COMMUNE_CODE))
    if commune is None and (services.is_empty() or not if_empty):
        commune = services.load()
        db.session.commit()
        click.echo(f"Demo commune loaded: {commune.full_name}")
    elif if_empty:
        click.echo("Database already has data; demo not loaded.")
        if not learners:
            return
    if learners:
        if commune is None:
            raise click.ClickException("Demo commune missing; run `flask demo load` first.")
        before = db.session.scalar(select(func.max(Person.id))) or 0
        with click.progressbar(length=learners, label="Generating learners") as bar:
            last = 0

            def progress(done: int) -> None:
                nonlocal last
                bar.update(done - last)
                last = done

            services.generate_learners(commune, learners, progress=progress)
        added = list(db.session.scalars(select(Person.id).where(Person.commune_id == commune.id,
                                                                Person.id > before)))
        made = services.generate_classes(commune, added, today=local_today())
        for step in services.AFTER_BULK:
            step(commune)
        db.session.commit()
        click.echo(", ".join(f"{n} {what}" for what, n in made.items()))
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.")
