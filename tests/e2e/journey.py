"""What every browser journey does: sign in as someone in a fresh context, take a numbered screenshot,
answer the portal's confirmation dialog, and run one step of a filing's chain."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

PASSWORD = "journey-pass-2024"


def minutes_pdf(artifacts):
    """A signed-minutes PDF to upload where a conclusion rests on its minutes."""
    from tests.uploads import MINIMAL_PDF

    path = artifacts / "会议纪要.pdf"
    path.write_bytes(MINIMAL_PDF)
    return str(path)


class Journey:
    def __init__(self, browser, live_server, artifacts, prefix: str):
        self.browser, self.url, self.artifacts, self.prefix, self.shots = (
            browser,
            live_server.url,
            artifacts,
            prefix,
            0,
        )

    def context(self):
        return self.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})

    def login(self, username):
        context = self.context()
        page = context.new_page()
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/workspace/")
        return context, page

    def shot(self, page, name):
        self.shots += 1
        page.screenshot(path=self.artifacts / f"{self.prefix}-{self.shots:02d}-{name}.png", full_page=True)

    def confirm(self, page):
        ok = page.locator("#portal-confirm-modal [data-confirm-ok]")
        try:
            ok.wait_for(state="visible", timeout=3000)
        except PlaywrightTimeout:
            return
        ok.click()

    def step(self, username, url, button, comment="", months=None):
        """One step of a filing's chain by `username` on the filing's page."""
        context, page = self.login(username)
        page.goto(url)
        if comment:
            page.fill("#id_comment", comment)
        if months:
            page.fill("#id_months_granted", str(months))
        page.get_by_role("button", name=button, exact=True).click()
        self.confirm(page)
        expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已办理")
        context.close()
