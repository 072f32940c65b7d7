"""Every role's main pages in a real browser, in Chinese and in English, at 1366×768 (and at 390×844 for
the public pages and the host's): no horizontal overflow, exactly one <h1>, a title that names the page,
a breadcrumb on every signed-in page, and no serious or critical axe-core violation (GB/T 37668-2019,
see docs/accessibility.md).

The demo data (manage.py seed_demo: a base in every state, panels, notices, filings) is loaded once for
the module and served by the module's own live server, so that the journeys stay few and long rather
than seeding the demo for every test (about 30 s). Afterwards the database is flushed and its reference
data put back, so the tests that follow find it as the migrations left it."""

import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from tests.e2e.journey import PASSWORD

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
GENERIC_TITLES = {"忻州市中试基地管理平台", "Xinzhou Pilot Base Management Platform", ""}
# The data migrations (reference data: supervising units, the holiday calendar, specialties, scoring
# templates, fund categories, the daily schedule) that seed_demo builds on; an earlier transactional
# test may have flushed them away.
REFERENCE_DATA = [
    ("portal.accounts.migrations.0002_supervising_units", "load"),
    ("portal.migrations.0002_seed_calendar", "seed_calendar"),
    ("reviews.migrations.0003_seed_specialties", "load"),
    ("reviews.migrations.0006_seed_scoring_templates", "seed"),
    ("reviews.migrations.0008_seed_annual_template", "seed"),
    ("bases.migrations.0008_default_fund_categories", "seed"),
    ("portal.scheduling.migrations.0002_daily_schedule", "create"),
]

AUDIT = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    h1: [...document.querySelectorAll("h1")].map(h => h.innerText.trim()),
    title: document.title,
    breadcrumb: !!document.querySelector("main nav ol.breadcrumb"),
    wide: [...document.querySelectorAll("body *")]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5).map(e => e.tagName.toLowerCase() + "." + String(e.className).split(" ").join(".")),
    violations: result.violations
      .filter(v => ["serious", "critical"].includes(v.impact))
      .map(v => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})),
  };
}"""


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data and a live server over it, for the whole module."""
    from portal.accounts.models import Organisation
    from portal.site.demo.people import BUREAU

    with django_db_blocker.unblock():
        if not Organisation.objects.filter(name=BUREAU).exists():
            _reference_data()
        with override_settings(DEBUG=True, DEMO_PASSWORD=PASSWORD):
            call_command("seed_demo", stdout=StringIO())
        # Each request thread of the live server opens its own connection; with persistent connections
        # (CONN_MAX_AGE) they would outlive their threads and keep the test database from being dropped.
        database = connections.settings[DEFAULT_DB_ALIAS]
        max_age, database["CONN_MAX_AGE"] = database.get("CONN_MAX_AGE", 0), 0
        # The pages each role walks, read now (the tests themselves do not touch the database).
        paths = {role: _paths(role) for role in ("public", *USERNAMES)}
        server = LiveServer("localhost")
        server.paths = paths
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            database["CONN_MAX_AGE"] = max_age
            call_command("flush", interactive=False, verbosity=0)
            _reference_data()


def _reference_data():
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


def _paths(role):
    """The role's main pages in the demo data, as a civil servant in that role would walk them."""
    from bases.models import PilotBase, Status
    from bases.models.filings import TaskBook
    from reviews.models import Panel, PublicNotice

    def base(status, **filters):
        return PilotBase.objects.filter(status=status, **filters).order_by("pk").first()

    from portal.site.demo.people import HOSTS

    host = {"host__name": HOSTS[0][0]}
    if role == "host":
        draft, approved = base(Status.DRAFT, **host), base(Status.APPROVED, **host)
        recognised = base(Status.RECOGNIZED, **host)
        return [
            "/workspace/",
            "/bases/",
            reverse("bases:detail", args=[draft.pk]),
            reverse("bases:edit", args=[draft.pk, "basic"]),
            reverse("bases:detail", args=[approved.pk]),
            reverse("bases:filing_new", args=[approved.pk, "task-book"]),
            reverse("bases:filing", args=["task-book", TaskBook.objects.filter(base=recognised).first().pk]),
            reverse("bases:ledger", args=[recognised.pk]),
            "/bases/documents/",
            "/dashboard/",
            "/notifications/",
        ]
    if role == "county":
        submitted = base(Status.SUBMITTED, host__supervising_unit__name=HOSTS[0][2])
        return [
            "/workspace/",
            "/bases/?status=submitted",
            reverse("bases:detail", args=[submitted.pk]),
            reverse("bases:step", args=[submitted.pk, "recommend"]),
            "/dashboard/",
            "/roster/",
        ]
    if role == "bureau":
        in_notice = base(Status.IN_NOTICE)
        return [
            "/workspace/",
            "/bases/",
            reverse("bases:detail", args=[base(Status.RECOMMENDED).pk]),
            reverse("reviews:preliminary", args=[base(Status.RECOMMENDED).pk]),
            reverse("bases:detail", args=[in_notice.pk]),
            "/reviews/panels/",
            reverse("reviews:panel_detail", args=[Panel.objects.order_by("pk").first().pk]),
            "/reviews/notices/",
            reverse("reviews:notice_detail", args=[PublicNotice.objects.order_by("pk").first().pk]),
            "/reviews/decisions/",
            "/assessments/",
            "/reviews/experts/",
            "/dashboard/",
        ]
    if role == "expert":
        panel = Panel.objects.filter(members__expert__user__username="expert1").order_by("pk").first()
        return ["/workspace/", "/reviews/my-panels/", reverse("reviews:my_panel", args=[panel.pk])]
    if role == "admin":
        return ["/workspace/", "/operations/", "/bases/", "/dashboard/", "/accounts/profile/"]
    return ["/", "/roster/", "/notices/", "/measures/", "/contact/", "/accounts/login/"]


USERNAMES = {"host": "host", "county": "xinfu", "bureau": "bureau", "expert": "expert1", "admin": "admin"}


def _journey(browser, demo, role, language, size):
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size], bypass_csp=True)
    page = context.new_page()
    signed_in = role != "public"
    if signed_in:
        page.goto(f"{demo.url}/accounts/login/")
        page.fill("#id_username", USERNAMES[role])
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/workspace/")
    else:
        page.goto(f"{demo.url}/")
    if language == "en":
        # The language switch in the header, as a user would change it (it must stay reachable).
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    problems = _keyboard(page)
    for path in demo.paths[role]:
        response = page.goto(f"{demo.url}{path}")
        assert response.status == 200, path
        page.add_script_tag(path=str(AXE))
        seen = page.evaluate(AUDIT)
        where = f"{role} {language} {size} {path}"
        if seen["scrollWidth"] > seen["innerWidth"]:
            width = f"{seen['scrollWidth']}px wide in {seen['innerWidth']}px"
            problems.append(f"{where}: {width} ({seen['wide']})")
        if len(seen["h1"]) != 1:
            problems.append(f"{where}: {len(seen['h1'])} <h1> {seen['h1']}")
        if seen["title"] in GENERIC_TITLES or " — " not in seen["title"]:
            problems.append(f"{where}: generic title {seen['title']!r}")
        if signed_in and path != "/" and not seen["breadcrumb"]:
            problems.append(f"{where}: no breadcrumb")
        if seen["violations"]:
            problems.append(f"{where}: axe {seen['violations']}")
    context.close()
    assert problems == [], "\n".join(problems)


def _keyboard(page):
    """Keyboard only: the first Tab shows the skip link, Enter moves the focus to the main content, and
    the next Tab lands on a control with a visible focus outline (GB/T 37668-2019, WCAG 2.4.1, 2.4.7)."""
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
        " return {cls: e.className, w: r.width, h: r.height}; }"
    )
    if "portal-skip-link" not in skip["cls"] or skip["w"] < 10 or skip["h"] < 10:
        return [f"the first Tab does not show the skip link: {skip}"]
    page.keyboard.press("Enter")
    if page.evaluate("() => document.activeElement.id") != "main-content":
        return ["the skip link does not move the focus to the main content"]
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {tag: document.activeElement.tagName, style: s.outlineStyle, width: s.outlineWidth}; }"
    )
    if outline["style"] == "none" or outline["width"] in ("0px", ""):
        return [f"no visible focus on {outline}"]
    return []


LANGUAGES = ["zh-hans", "en"]
# No django_db mark: the tests do not touch the database (the module fixture reads the paths and the
# live server serves what the fixture committed), so pytest-django runs them after every database
# test, and the flush at the module's end cannot take the reference data from a test that follows.


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages(browser, demo, language, size):
    _journey(browser, demo, "public", language, size)


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_host_pages(browser, demo, language, size):
    _journey(browser, demo, "host", language, size)


@pytest.mark.parametrize("language", LANGUAGES)
def test_county_pages(browser, demo, language):
    _journey(browser, demo, "county", language, "desktop")


@pytest.mark.parametrize("language", LANGUAGES)
def test_bureau_pages(browser, demo, language):
    _journey(browser, demo, "bureau", language, "desktop")


@pytest.mark.parametrize("language", LANGUAGES)
def test_expert_pages(browser, demo, language):
    _journey(browser, demo, "expert", language, "desktop")


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages(browser, demo, language):
    _journey(browser, demo, "admin", language, "desktop")
