"""The commune's class list: completed and certified learners per class, in cards on a phone, in a few queries."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

from app.certificates import completion, progress
from app.classes import enrolment
from app.extensions import db, utcnow
from app.policy import Role
from tests import factories
from tests.certificates.conftest import finished  # noqa: F401  (the finished class, attended, passed, practised)
from tests.conftest import login
from tests.statements import counting


def _cells(html: str, title: str) -> list[str]:
    """The text of each cell in the row of the class with this title."""
    row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if title in r)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]



def test_the_list_counts_completed_and_certified_learners(client: FlaskClient, finished) -> None:  # noqa: F811
    klass, officer = finished["class"], finished["officer"]
    login(client, officer)
    url = f"/communes/{finished['commune'].id}/classes"
    html = client.get(url).get_data(as_text=True)
    assert "<th scope=\"col\">Hoàn thành</th>" in html and "<th scope=\"col\">Đã cấp chứng nhận</th>" in html
    assert _cells(html, klass.title)[-2:] == ["0", "0"]
    client.post(f"/classes/{klass.id}/completion/confirm")
    assert _cells(client.get(url).get_data(as_text=True), klass.title)[-2:] == ["2", "0"]
    client.post(f"/classes/{klass.id}/certificates/issue", headers={"Accept": "application/json"})
    html = client.get(url).get_data(as_text=True)
    assert _cells(html, klass.title)[-2:] == ["2", "2"]
    assert f'href="/classes/{klass.id}/completion"' in html  # the count leads to the completion page


def test_a_learner_counts_as_completed_only_with_every_module_of_the_class(finished) -> None:  # noqa: F811
    from app.catalog import services as catalog

    klass = finished["class"]
    completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                       actor=None, now=utcnow())
    assert progress.list_counts([klass.id])[klass.id] == {"completed": 2, "certified": 0}
    # A second class covering the same module and another: one module confirmed is not the class completed.
    second = factories.school_class(finished["commune"], title="Lớp hai học phần",
                                    modules=(finished["module"], catalog.module_by_code("NCT-01")),
                                    at=factories.venue(finished["commune"], "Nhà văn hóa thôn Bắc"))
    enrolment.enrol(second, finished["learners"][0], source="staff")
    assert progress.list_counts([klass.id, second.id]) == {klass.id: {"completed": 2, "certified": 0},
                                                           second.id: {"completed": 0, "certified": 0}}


def test_class_list_cells_carry_labels_for_cards_on_a_phone(client: FlaskClient, finished) -> None:  # noqa: F811
    login(client, finished["officer"])
    html = client.get(f"/communes/{finished['commune'].id}/classes").get_data(as_text=True)
    assert '<table class="cards class-list">' in html
    row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if finished["class"].title in r)
    assert row.count("<td") == row.count("data-label=") == 9
    assert 'data-label="Hoàn thành"' in row and 'data-label="Đã cấp chứng nhận"' in row


def test_instructors_see_the_counts_without_the_officers_link(client: FlaskClient, finished) -> None:  # noqa: F811
    stranger = factories.person(finished["commune"], name="Trần Thị Mai", role=Role.INSTRUCTOR)
    db.session.commit()
    login(client, stranger)  # an instructor of the commune, not of this class
    html = client.get(f"/communes/{finished['commune'].id}/classes").get_data(as_text=True)
    assert _cells(html, finished["class"].title)[-2:] == ["0", "0"]
    assert f"/classes/{finished['class'].id}/completion" not in html


def test_the_list_asks_the_same_number_of_queries_for_one_class_or_many(client: FlaskClient,
                                                                        finished) -> None:  # noqa: F811
    commune, officer = finished["commune"], finished["officer"]
    url = f"/communes/{commune.id}/classes"
    login(client, officer)
    client.get(url)
    with counting() as one:
        client.get(url)
    for i in range(3):
        klass = factories.school_class(commune, title=f"Lớp thêm {i}", modules=(finished["module"],),
                                       at=factories.venue(commune, f"Nhà văn hóa số {i}"))
        factories.enrol_learners(klass, 2)
    db.session.commit()
    client.get(url)
    with counting() as many:
        html = client.get(url).get_data(as_text=True)
    assert "Lớp thêm 2" in html
    assert len(one) == len(many), (one, many)
