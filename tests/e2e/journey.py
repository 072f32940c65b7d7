"""What every browser journey does: sign in as someone in a fresh context, take a numbered screenshot,
answer the portal's confirmation dialog, and run one step of a filing's chain."""

from playwright.sync_api import expect

PASSWORD = "journey-pass-2024"

# How long the portal's dialog may take to open on a loaded machine: a journey must not decide
# from a short wait that no question was asked (static/js/portal.js asks synchronously on submit,
# but a starved renderer can take seconds to paint).
DIALOG_TIMEOUT_MS = 30_000

# The rule portal.js applies on submit, read off the button before it is pressed: the button's own
# data-confirm wins over its form's, data-skip-confirm never asks, and an invalid form goes to the
# server unasked.
_ASKS = """b => {
  if (b.hasAttribute('data-skip-confirm')) return false;
  const form = b.form;
  const message = b.getAttribute('data-confirm') || (form && form.getAttribute('data-confirm'));
  return !!message && !(form && !form.checkValidity());
}"""


def press(page, button):
    """Press a submit button and answer the portal's confirmation when, and only when, it asks.

    Whether it asks is read from the page before the click, so a slow dialog is waited for rather
    than mistaken for no dialog."""
    asks = button.evaluate(_ASKS)
    button.click()
    if asks:
        ok = page.locator("#portal-confirm-modal [data-confirm-ok]")
        expect(ok).to_be_visible(timeout=DIALOG_TIMEOUT_MS)
        ok.click()


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
        """Answer the confirmation a test has just seen asked."""
        ok = page.locator("#portal-confirm-modal [data-confirm-ok]")
        expect(ok).to_be_visible(timeout=DIALOG_TIMEOUT_MS)
        ok.click()

    def step(self, username, url, button, comment="", months=None):
        """One step of a filing's chain by `username` on the filing's page."""
        context, page = self.login(username)
        page.goto(url)
        if comment:
            page.fill("#id_comment", comment)
        if months:
            page.fill("#id_months_granted", str(months))
        press(page, page.get_by_role("button", name=button, exact=True))
        expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已办理")
        context.close()
