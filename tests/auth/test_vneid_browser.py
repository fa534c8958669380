"""Logging in with VNeID in a real browser, against the bundled mock provider on the live server."""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.policy import Role
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def commune(ctx) -> dict:
    commune = factories.commune()
    village = factories.village(commune)
    huong = factories.person(commune, name="Nguyễn Thị Hương", birth_year=1956, village=village)
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    phuc = factories.person(commune, name="Kiều Văn Phúc", birth_year=1944, village=village, account=False)
    db.session.commit()
    return {"huong": huong.id, "huong_phone": huong.phone, "instructor_phone": instructor.phone, "phuc": phuc.id}


def approve_on_the_mock(page, citizen_label: str, screenshot: str | None = None) -> None:
    page.get_by_role("heading", name="Xác nhận đăng nhập bằng VNeID").wait_for()
    page.get_by_label(citizen_label).check()
    if screenshot:
        page.screenshot(path=str(factories.artifact(screenshot)), full_page=True)
    page.get_by_role("button", name="Xác nhận trên ứng dụng VNeID").click()


def test_learner_links_her_record_logs_in_and_out_on_a_tablet(tablet, commune) -> None:
    page = tablet
    page.goto("/login")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    approve_on_the_mock(page, "Nguyễn Thị Hương — sinh năm 1956 — tài khoản mức 2", "vneid-mock-approve-tablet.png")
    page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hương").wait_for()
    assert "•••••••••001" in page.content()
    page.screenshot(path=str(factories.artifact("vneid-confirm-tablet.png")), full_page=True)
    page.get_by_label("Số điện thoại đã đăng ký ở lớp học").fill(commune["huong_phone"])
    page.get_by_label("Năm sinh", exact=True).fill("1956")
    page.get_by_role("button", name="Tìm và liên kết hồ sơ của tôi").click()
    page.get_by_text("Đã đăng nhập bằng VNeID.").wait_for()
    page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hương").wait_for()
    page.goto(f"/people/{commune['huong']}")
    expect(page.get_by_text("Đã xác thực qua VNeID (mức 2)")).to_be_visible()
    expect(page.get_by_text("số định danh •••••••••001")).to_be_visible()
    page.screenshot(path=str(factories.artifact("vneid-person-page-tablet.png")), full_page=True)
    # Logging out here also ends the session at the provider, after the person confirms there.
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("heading", name="Đăng xuất khỏi VNeID?").wait_for()
    page.screenshot(path=str(factories.artifact("vneid-end-session-tablet.png")), full_page=True)
    page.get_by_role("button", name="Đăng xuất khỏi VNeID").click()
    page.wait_for_url(re.compile(r"/\?state="))
    expect(page.get_by_role("link", name="Đăng nhập").first).to_be_visible()
    # The next time, VNeID knows her at once: no confirmation step.
    page.goto("/auth/vneid/login")
    approve_on_the_mock(page, "Nguyễn Thị Hương — sinh năm 1956 — tài khoản mức 2")
    page.get_by_text("Đã đăng nhập bằng VNeID.").wait_for()


def test_new_learner_joins_with_vneid_on_a_phone(phone, commune) -> None:
    page = phone
    page.goto("/login")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    approve_on_the_mock(page, "Hoàng Thị Mơ — sinh năm 1950 — tài khoản mức 2", "vneid-mock-approve-phone.png")
    page.get_by_role("heading", name="Xin chào, Hoàng Thị Mơ").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Nơi bạn sống (thôn/tổ dân phố, xã)").select_option(index=1)  # "Thôn Đông, Xã Tiên Minh, …"
    page.get_by_role("button", name="Tạo hồ sơ học viên").click()
    expect(page.get_by_text("Cần có sự đồng ý của bạn để tạo hồ sơ học viên.").first).to_be_visible()
    page.get_by_label(re.compile("^Tôi đồng ý cho xã xử lý")).check()
    page.screenshot(path=str(factories.artifact("vneid-new-learner-phone.png")), full_page=True)
    page.get_by_role("button", name="Tạo hồ sơ học viên").click()
    page.get_by_role("heading", name="Xin chào, Hoàng Thị Mơ").wait_for()
    page.get_by_text("Đã đăng nhập bằng VNeID.").wait_for()


def test_refusing_on_the_phone_app_shows_why_and_logs_no_one_in(tablet, commune) -> None:
    page = tablet
    page.goto("/auth/vneid/login")
    page.get_by_role("heading", name="Xác nhận đăng nhập bằng VNeID").wait_for()
    page.get_by_role("button", name="Từ chối").click()
    page.get_by_role("heading", name="Bạn chưa đồng ý chia sẻ thông tin").wait_for()
    page.screenshot(path=str(factories.artifact("vneid-denied-tablet.png")), full_page=True)
    page.goto("/")
    expect(page.get_by_role("link", name="Đăng nhập").first).to_be_visible()


def test_instructor_creates_and_vouches_for_an_account(tablet, commune) -> None:
    page = tablet
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(commune["instructor_phone"])
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.goto(f"/people/{commune['phuc']}")
    page.get_by_role("link", name="Tạo tài khoản và bảo lãnh").click()
    page.get_by_label("Mã PIN (6 chữ số)").fill("975310")
    page.get_by_role("button", name="Tạo tài khoản và bảo lãnh").click()
    expect(page.get_by_text("Tài khoản do Nguyễn Văn Hùng tạo và bảo lãnh")).to_be_visible()
    page.screenshot(path=str(factories.artifact("vneid-vouched-tablet.png")), full_page=True)


@pytest.fixture
def separate_sites(database_url: str, app) -> Iterator[str]:
    """The app at http://localhost:PORT, its provider (the mock) at http://127.0.0.1:PORT: two sites."""
    from werkzeug.serving import make_server

    from tests.conftest import make_app

    server = make_server("127.0.0.1", 0, None, threaded=True)
    port = server.server_port
    served = make_app(database_url, WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=f"http://localhost:{port}",
                      VNEID_DISCOVERY_URL=f"http://127.0.0.1:{port}/mock-vneid/.well-known/openid-configuration")
    server.app = served
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{port}"
    server.shutdown()
    with served.app_context():
        db.engine.dispose()


def test_provider_on_another_site_logs_in_and_out(browser, separate_sites: str, commune) -> None:
    # Browsers apply the Content-Security-Policy's form-action to the redirect after a form too:
    # the provider's approval and logout forms, and our logout, must still reach the other site.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN", base_url=separate_sites)
    page = context.new_page()
    page.goto("/login")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    assert page.url.startswith("http://127.0.0.1:")
    approve_on_the_mock(page, "Nguyễn Thị Hương — sinh năm 1956 — tài khoản mức 2")
    page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hương").wait_for()
    assert page.url == f"{separate_sites}/auth/vneid/confirm"
    page.get_by_label("Số điện thoại đã đăng ký ở lớp học").fill(commune["huong_phone"])
    page.get_by_label("Năm sinh", exact=True).fill("1956")
    page.get_by_role("button", name="Tìm và liên kết hồ sơ của tôi").click()
    page.get_by_text("Đã đăng nhập bằng VNeID.").wait_for()
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("heading", name="Đăng xuất khỏi VNeID?").wait_for()
    assert page.url.startswith("http://127.0.0.1:")
    page.get_by_role("button", name="Đăng xuất khỏi VNeID").click()
    page.wait_for_url(re.compile(re.escape(separate_sites) + r"/\?state="))
    page.screenshot(path=str(factories.artifact("vneid-separate-sites-logged-out.png")), full_page=True)
    context.close()
