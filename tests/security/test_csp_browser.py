"""In Debian's Chromium (the e2e setup of tests/e2e/conftest.py): the portal's pages, its Bootstrap
menus, an htmx swap and the Django admin run under the Content-Security-Policy without a single
violation — and the policy is really enforced (an injected inline script is refused and reported)."""

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.accounts.services import organisation_get_or_create, user_create
from tests.e2e.conftest import browser_type_launch_args  # noqa: F401 - Debian's Chromium, no download
from tests.e2e.journey import PASSWORD
from tests.factories import PilotBaseFactory

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Watched:
    """A browser page that records every CSP violation: the DOM event and Chromium's console report."""

    def __init__(self, browser, url):
        self.url, self.context = url, browser.new_context(locale="zh-CN")
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.console = []
        self.page.on(
            "console",
            lambda message: (
                self.console.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )

    def open(self, path):
        response = self.page.goto(f"{self.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        return self.page

    def violations(self):
        return self.page.evaluate("window.__cspViolations") + self.console

    def login(self, username, path="/accounts/login/"):
        page = self.open(path)
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("form [type=submit]").last.click()
        page.wait_for_load_state()


@pytest.fixture
def cast(db):
    bureau_org, _ = organisation_get_or_create(name="忻州市科学技术局", kind="bureau")
    bureau = user_create(
        username="bureau", password=PASSWORD, organisation=bureau_org, role=Role.BUREAU_STAFF, full_name="局"
    )
    root = user_create(
        username="root", password=PASSWORD, organisation=bureau_org, role=Role.ADMIN, is_staff=True
    )
    root.is_superuser = True
    root.save()
    PilotBaseFactory(review_passed=True, created_by=bureau)
    return bureau


@pytest.mark.django_db(transaction=True)
def test_pages_menus_htmx_and_admin_run_without_a_csp_violation(cast, browser, live_server):
    public = Watched(browser, live_server.url)
    for path in ["/", "/roster/", "/notices/", "/measures/", "/contact/", "/accounts/login/"]:
        public.open(path)
    assert public.violations() == []
    # the policy is enforced, and a violation would be seen: an injected inline script is refused
    public.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); }"
    )
    assert public.page.evaluate("window.__ran") is None
    expect(public.page.locator("body")).to_be_visible()
    public.page.wait_for_function("window.__cspViolations.length > 0")
    assert any("script-src" in v for v in public.page.evaluate("window.__cspViolations"))
    public.context.close()

    bureau = Watched(browser, live_server.url)
    bureau.login("bureau")
    page = bureau.open("/workspace/")
    page.get_by_role("button", name="评审与公示").click()  # Bootstrap's dropdown (external script)
    expect(page.get_by_role("link", name="专家库")).to_be_visible()
    page = bureau.open("/reviews/notices/new/")
    with page.expect_response(lambda r: "/reviews/notices/period/" in r.url) as period:
        page.fill("#id_working_days", "10")
        page.locator("#id_working_days").dispatch_event("change")  # htmx GET, swapped in
    assert period.value.status == 200
    page.wait_for_load_state("networkidle")
    bureau.open("/dashboard/")
    bureau.open("/bases/")
    assert bureau.violations() == []
    bureau.context.close()

    admin = Watched(browser, live_server.url)
    admin.login("root", "/admin/login/")
    for path in ["/admin/", "/admin/accounts/user/add/", "/admin/django_fsm_log/statelog/"]:
        admin.open(path)
    page = admin.open("/admin/bases/pilotbase/")
    # the admin's own scripts run: nav_sidebar.js toggles the sidebar
    shifted = page.locator("#main").get_attribute("class")
    page.locator("#toggle-nav-sidebar").click()
    expect(page.locator("#main")).not_to_have_attribute("class", shifted)
    assert admin.violations() == []
    admin.context.close()
