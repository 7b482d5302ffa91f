"""The security headers in chromium (issue 13, finding 7): another site cannot frame a page,
and a script slipped into a page does not run (CSP without 'unsafe-inline'). Every other
browser test fails on any CSP refusal (tests/browser/conftest.py), so the app's own pages need
no inline script or style."""

from __future__ import annotations

from tests.browser.conftest import staff_login


def test_another_site_cannot_frame_the_pages(page, live_server, csp_refusals):
    for path in ("/login", "/borger/"):
        target = live_server.url + path
        page.set_content(f'<iframe title="probe" src="{target}"></iframe>')
        page.wait_for_timeout(300)
        framed = [f for f in page.frames if f is not page.main_frame]
        assert framed, path
        assert not framed[0].url.startswith(live_server.url), framed[0].url  # an error page
        assert framed[0].locator("form").count() == 0
    assert any("frame-ancestors 'none'" in text for text in csp_refusals), csp_refusals


def test_an_injected_inline_script_does_not_run(page, live_server, csp_refusals):
    staff_login(page, live_server.url, "leder")
    ran = page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.__injected = 'ran'";
            document.body.appendChild(s);
            const b = document.createElement("button");
            b.setAttribute("onclick", "window.__handler = 'ran'");
            document.body.appendChild(b);
            b.click();
            return [window.__injected || null, window.__handler || null];
        }"""
    )
    assert ran == [None, None]
    assert any("script-src 'self'" in text for text in csp_refusals), csp_refusals
