"""Browser fixtures: Playwright driving Debian's Chromium, with axe-core for WCAG checks.

The browser is the system's Chromium (``make install-browser`` installs it and
axe-core from npm); Playwright never downloads a browser of its own. A missing
browser or axe-core fails the test loudly rather than skipping it, so a CI
machine without the install step cannot pass by accident.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

if TYPE_CHECKING:
    from brygga.accounts.models import User

CHROMIUM = Path(os.environ.get("BRYGGA_CHROMIUM", "/usr/bin/chromium"))
REPO_DIR = Path(__file__).resolve().parents[3]
AXE_JS = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_VIEWPORT = {"width": 375, "height": 812}
_INSTALL_HINT = "Install the browser test tools with `make install-browser`."


def _require(path: Path, what: str) -> None:
    if not path.exists():
        pytest.fail(f"{what} not found at {path}. {_INSTALL_HINT}", pytrace=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, launched once per test module.

    Playwright's sync API keeps its event loop "running" on the test thread for
    as long as it is started, and Django then refuses every ORM call from that
    thread (SynchronousOnlyOperation). So the browser lives per module, and the
    override is set only while it lives: tests in other modules keep Django's
    guard. Tests only, never production code.
    """
    _require(CHROMIUM, "Chromium")
    _require(AXE_JS, "axe-core")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield launched
            finally:
                launched.close()


@pytest.fixture
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="sv-SE")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    """A fresh tab with its own cookies; closed with its context after the test."""
    return browser_context.new_page()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A tab the size of a phone screen (375 CSS pixels wide, touch, 2x density)."""
    context = browser.new_context(
        locale="sv-SE",
        viewport=PHONE_VIEWPORT,  # type: ignore[arg-type]
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"{violation['id']} ({violation.get('impact')}): {violation['help']}"]
    for node in violation.get("nodes", []):
        target = " ".join(str(part) for part in node.get("target", []))
        summary = " ".join((node.get("failureSummary") or "").split())
        lines.append(f"    at {target}: {summary}")
        lines.append(f"       {node.get('html', '')[:200]}")
    lines.append(f"    see {violation.get('helpUrl', '')}")
    return "\n".join(lines)


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the current page against WCAG 2.1 A and AA.

    Returns one readable paragraph per violated rule (rule, impact, the failing
    elements and why), so ``assert axe_violations(page) == []`` explains itself.
    """
    _require(AXE_JS, "axe-core")
    page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations;
        }""",
        WCAG_TAGS,
    )
    return [_describe(violation) for violation in violations]


def log_in(page: Page, live_server_url: str, user: User) -> None:
    """Give the browser tab a logged-in session for ``user`` on the live server.

    The session is made server-side (as ``Client.force_login`` does) and its cookie
    handed to the browser: the login form has tests of its own.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


@pytest.fixture
def browser_log_in(live_server: Any) -> Callable[[Page, User], None]:
    """``browser_log_in(page, persona)``: log a persona into the live server."""

    def run(page: Page, user: User) -> None:
        log_in(page, live_server.url, user)

    return run


def submit(page: Page) -> None:
    """Press the page's first POST form's submit button and wait for the answer."""
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


def fill_and_submit(**fields: str) -> Callable[[Page], None]:
    """An interaction: fill the fields (by name, ``#id_<name>``), then submit."""

    def run(page: Page) -> None:
        for name, value in fields.items():
            page.locator(f"#id_{name}").fill(value)
        submit(page)

    return run


def check_and_submit(selector: str, **fields: str) -> Callable[[Page], None]:
    """An interaction: check the first box or radio ``selector`` finds, fill, submit."""

    def run(page: Page) -> None:
        page.locator(selector).first.check()
        fill_and_submit(**fields)(page)

    return run
