"""One way to scan pages with axe-core: Vietnamese and English, at phone (390×844) and portrait-tablet
(800×1280) size, as issue 12's "done when" asks. Serious and critical findings are returned as text.

    def test_roll_call_is_accessible(axe_scan, ...):
        assert axe_scan(["/classes/1/roll-call"], sign_in=lambda page: sign_in(page, instructor, PIN)) == []
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
PHONE = {"width": 390, "height": 844}
PORTRAIT_TABLET = {"width": 800, "height": 1280}
SIZES = {"phone": PHONE, "portrait tablet": PORTRAIT_TABLET}
LANGUAGES = ("vi", "en")


def violations(page: Any) -> list[str]:
    """Run axe on the page and describe each serious or critical violation."""
    results = AXE.run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×) e.g. {v['nodes'][0]['html'][:160]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def sign_in(page: Any, phone: str, secret: str) -> None:
    """Sign in through the login form (phone number and password or PIN)."""
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(secret)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def choose_language(page: Any, lang: str) -> None:
    """Switch the interface language with the footer's language buttons (a session setting)."""
    page.locator(f"button[name=lang][value={lang}]").first.click()
    page.wait_for_load_state()


def scan(browser: Any, base_url: str, paths: list[str],
         sign_in: Callable[[Any], None] | None = None,
         prepare: Callable[[Any, str], None] | None = None) -> list[str]:
    """Scan every path in both languages at both sizes; return "size lang path: violation" lines.

    `sign_in(page)` runs once per size before scanning; `prepare(page, path)` runs after each page loads
    (to open a dialog, say) before axe looks at it.
    """
    found: list[str] = []
    for size_name, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="vi-VN", base_url=base_url,
                                      is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
        page = context.new_page()
        try:
            if sign_in is not None:
                sign_in(page)
            for lang in LANGUAGES:
                page.goto(paths[0])
                choose_language(page, lang)
                for path in paths:
                    page.goto(path)
                    page.wait_for_load_state()
                    if prepare is not None:
                        prepare(page, path)
                    found += [f"{size_name} {lang} {path}: {v}" for v in violations(page)]
        finally:
            context.close()
    return found
