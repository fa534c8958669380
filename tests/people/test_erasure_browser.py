"""In a real browser, at tablet and phone size: erasing a person asks for their full name and refuses a wrong one."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.people.models import Person
from app.policy import Role
from tests import axe, factories

pytestmark = pytest.mark.browser


def _setting():
    commune = factories.commune()
    lan = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    db.session.commit()
    return lan, huong


def _sign_in(page, person) -> None:
    axe.sign_in(page, person.phone, factories.PIN)
    page.get_by_role("heading", level=1).first.wait_for()


def _erased(person: Person) -> bool:
    db.session.expire_all()
    return db.session.get(Person, person.id).erased_at is not None


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_an_officer_types_the_full_name_to_erase_a_person(request, ctx, size: str) -> None:
    page = request.getfixturevalue(size)
    lan, huong = _setting()
    _sign_in(page, lan)
    page.goto(f"/people/{huong.id}")
    page.get_by_role("link", name="Xóa dữ liệu của Nguyễn Thị Hương").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xóa vĩnh viễn dữ liệu của Nguyễn Thị Hương?")
    expect(page.get_by_text("Không thể hoàn tác.")).to_be_visible()
    name = page.get_by_label("Gõ họ và tên của người này để xác nhận")
    name.fill("Nguyen Thi Huong")  # without diacritics: not the name
    page.get_by_role("button", name="Xóa vĩnh viễn").click()
    summary = page.get_by_role("alert")  # at the top of the page, linking to the field
    expect(summary).to_contain_text("Họ tên bạn gõ không khớp")
    expect(summary).to_be_in_viewport()
    expect(page.locator("#full_name-error")).to_contain_text("Chưa xóa gì")
    page.screenshot(path=str(factories.artifact(f"people-confirm-erase-wrong-name-{size}.png")), full_page=True)
    assert not _erased(huong)
    name = page.get_by_label("Gõ họ và tên của người này để xác nhận")
    name.fill("nguyễn thị hương")
    page.get_by_role("button", name="Xóa vĩnh viễn").click()
    expect(page.get_by_role("status").filter(has_text="Đã xóa vĩnh viễn")).to_be_visible()
    assert _erased(huong)


def test_the_erasure_pages_are_accessible(axe_scan, ctx) -> None:
    lan, huong = _setting()

    def wrong_name(page, path: str) -> None:  # scan the refusal too, not only the empty form
        if path.endswith("/erase"):
            page.locator("#full_name").fill("Ai đó khác")
            page.locator("button[type=submit].btn-danger").click()
            page.wait_for_load_state()

    def sign_in(page) -> None:
        _sign_in(page, lan)

    assert axe_scan([f"/people/{huong.id}", f"/people/{huong.id}/erase"], sign_in=sign_in) == []
    assert axe_scan([f"/people/{huong.id}/erase"], sign_in=sign_in, prepare=wrong_name) == []
    assert not _erased(huong)
