"""`flask courses check | sync | parse-gift FILE`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.catalog import content, gift, services
from app.errors import DomainError
from app.extensions import db

courses_cli = AppGroup("courses", help="The curriculum in courses/.")


def _root() -> Path:
    return Path(current_app.config["COURSES_DIR"])


@courses_cli.command("check")
def check() -> None:
    """Check every file under courses/ and print each problem as FILE:LINE: message."""
    courses = content.read_courses(_root())
    for problem in courses.problems:
        click.echo(str(problem), err=True)
    if courses.problems:
        raise click.ClickException(f"{len(courses.problems)} problem(s) in {_root()}")
    questions = sum(len(m.questions) for m in courses.modules.values())
    click.echo(f"OK: framework {courses.framework.code} {courses.framework.version}, "
               f"{len(courses.modules)} modules, {questions} questions, {len(courses.tracks)} tracks.")


@courses_cli.command("sync")
def sync() -> None:
    """Load courses/ into the database; unchanged content is left as it is."""
    courses = content.read_courses(_root())
    for problem in courses.problems:
        click.echo(str(problem), err=True)
    try:
        report = services.sync(courses)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Framework {report.framework}; modules created {len(report.created)}, "
               f"updated {len(report.updated)}, unchanged {len(report.unchanged)}, retired {len(report.retired)}.")


@courses_cli.command("parse-gift")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def parse_gift(path: Path) -> None:
    """Print the questions read from a GIFT file as JSON; exit 1 with the errors if it has any."""
    result = gift.parse_gift_file(path)
    if result.errors:
        for error in result.errors:
            click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(json.dumps([q.to_dict() for q in result.questions], ensure_ascii=False, indent=2))
