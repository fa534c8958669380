"""Nothing about a person's roles outlives a change: a role revoked or granted through one app instance counts
at once in another on the same database (issue 13). The signed-in person, account and roles come in one query."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.people import services as people
from app.people.models import Person, RoleAssignment
from app.places.models import Commune
from app.policy import Role
from tests import factories
from tests.conftest import login


def _setup(app) -> tuple[int, int]:
    with app.app_context():
        commune = factories.commune()
        officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
        db.session.commit()
        return officer.id, commune.id


def test_a_role_revoked_in_one_app_is_refused_at_once_in_another(app, app_factory) -> None:
    other = app_factory()
    officer_id, commune_id = _setup(app)
    with app.app_context():
        officer = db.session.get(Person, officer_id)
    second = login(other.test_client(), officer)
    path = f"/communes/{commune_id}/classes"
    assert second.get(path).status_code == 200  # the second app has cached the officer's roles
    assert second.get(path).status_code == 200
    with app.app_context():  # the first app revokes the role
        role = db.session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == officer_id)).one()
        people.revoke_role(role, actor=None)
        db.session.commit()
    assert second.get(path).status_code in (302, 401, 403)


def test_a_role_granted_in_one_app_counts_at_once_in_another(app, app_factory) -> None:
    other = app_factory()
    with app.app_context():
        commune = factories.commune()
        learner = factories.person(commune, name="Kiều Văn Phúc")
        db.session.commit()
        learner_id, commune_id = learner.id, commune.id
    client = login(other.test_client(), learner)
    path = f"/communes/{commune_id}/classes"
    assert client.get(path).status_code == 403
    assert client.get(path).status_code == 403  # cached as a learner
    with app.app_context():
        people.grant_role(db.session.get(Person, learner_id), Role.OFFICER, commune=db.session.get(Commune, commune_id))
        db.session.commit()
    assert client.get(path).status_code == 200


def test_a_signed_in_request_loads_the_person_account_and_roles_in_one_query(app) -> None:
    from sqlalchemy import event

    officer_id, commune_id = _setup(app)
    with app.app_context():
        officer = db.session.get(Person, officer_id)
    client = login(app.test_client(), officer)
    path = f"/communes/{commune_id}/classes"
    assert client.get(path).status_code == 200
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    loads = [s for s in seen if s.startswith("SELECT people.id") and "JOIN accounts" in s]
    assert loads, seen
    # The person, their account (with the session version) and their roles in one statement, never a second.
    assert all("JOIN role_assignments" in s for s in loads)
    assert not any(s.startswith("SELECT role_assignments") for s in seen)
