"""Automated accessibility checks (axe-core) on the main pages, at tablet and phone size, in Vietnamese.

axe cannot judge everything (reading order, plain language); it does catch missing labels, names and
landmarks, low contrast, and ARIA misuse. Serious and critical findings fail the test.
"""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.extensions import db
from app.policy import Role
from tests import factories

pytestmark = pytest.mark.browser
AXE = Axe()


def violations(page) -> list[str]:
    """Run axe on the page and describe each serious or critical violation."""
    results = AXE.run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×) e.g. {v['nodes'][0]['html'][:120]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def sign_in(page, person, secret: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(person.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(secret)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


PUBLIC_PAGES = ["/", "/login", "/catalog", "/catalog/modules/NCT-05",
                "/catalog/modules/NCT-05/lessons/tra-tien-bang-ma-vietqr", "/verify"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_problems(tablet, curriculum, path: str) -> None:
    tablet.goto(path)
    assert violations(tablet) == []


@pytest.mark.parametrize("path", ["/", "/catalog/modules/NCT-05/lessons/tra-tien-bang-ma-vietqr"])
def test_pages_on_a_phone_have_no_serious_accessibility_problems(phone, curriculum, path: str) -> None:
    phone.goto(path)
    assert violations(phone) == []


def test_officer_pages_have_no_serious_accessibility_problems(tablet, curriculum) -> None:
    commune = factories.commune()
    factories.village(commune)
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    learner = factories.person(commune, name="Trần Văn Bình")
    db.session.commit()
    sign_in(tablet, officer, factories.PASSWORD)
    for path in ["/", f"/communes/{commune.id}/people", f"/people/{learner.id}", f"/people/{learner.id}/edit",
                 f"/communes/{commune.id}", f"/communes/{commune.id}/imports/people",
                 f"/communes/{commune.id}/assessment-settings", f"/communes/{commune.id}/classes"]:
        tablet.goto(path)
        assert violations(tablet) == [], path


def test_learner_quiz_has_no_serious_accessibility_problems(tablet, curriculum) -> None:
    learner = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    sign_in(tablet, learner, factories.PIN)
    tablet.goto("/catalog/modules/NCT-05/quiz")
    assert violations(tablet) == []
    tablet.get_by_role("button", name="Bắt đầu làm bài").click()
    tablet.wait_for_load_state()
    assert violations(tablet) == []
