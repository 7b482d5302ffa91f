"""Browser tests: Debian's chromium driven by Playwright, against a live server on loopback.

The app runs in a thread (werkzeug) on 127.0.0.1 with a small demo municipality; chromium is
started headless and offline from ``/usr/bin/chromium`` (scripts/install-system-packages).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from tests.conftest import DEMO_TODAY, make_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which("chromium") and not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is missing: run scripts/install-system-packages")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


class LiveServer:
    def __init__(self, app) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def start_live_server(
    tmp_path_factory,
    name: str,
    *,
    citizens: int = 120,
    today: str = DEMO_TODAY.isoformat(),
    **extra: object,
) -> LiveServer:
    """A demo municipality served on a free loopback port (CSRF on, as in production)."""
    path = tmp_path_factory.mktemp(name) / "live.sqlite3"
    app = make_app(
        f"sqlite:///{path}",
        demo={"citizens": citizens},
        flask={"TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False},
        **extra,
    )
    result = app.test_cli_runner().invoke(args=["demo", "--today", today])
    assert result.exit_code == 0, result.output
    app.config["DEMO_OUTPUT"] = result.output
    return LiveServer(app).start()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path_factory, "live")
    yield server
    server.stop()


_axe = Axe()


def assert_accessible(page, *, label: str = "") -> None:
    """axe-core (WCAG 2.1 A/AA rules) finds no serious or critical violation on the page."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical violations on {label or page.url}:\n{details}"


def staff_login(page, base_url: str, username: str, password: str = "rettidig-demo") -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


@pytest.fixture
def csp_refusals(page) -> list[str]:
    """What chromium refused under the app's Content-Security-Policy, from its console."""
    refused: list[str] = []

    def _note(message) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", _note)
    return refused


@pytest.fixture(autouse=True)
def _pages_keep_to_the_csp(request):
    """Every browser test fails on a CSP refusal (an inline script, style or handler that the
    policy blocked), except those that ask for ``csp_refusals`` to look at them themselves."""
    if "page" not in request.fixturenames or "csp_refusals" in request.fixturenames:
        yield
        return
    refused = request.getfixturevalue("csp_refusals")
    yield
    assert not refused, "chromium refused under the CSP:\n" + "\n".join(refused)
