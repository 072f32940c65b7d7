"""Content-Security-Policy (django-csp): every page carries a policy that lets only the portal's own
files run and style it, and nothing in a template or a rendered page needs more — no inline script,
no event-handler attribute, no javascript: URL, no inline style, no eval() (htmx is told so).
Django's admin works under the same policy (its 5.2 templates load external scripts only)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PilotBaseFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
# Rendered into PDFs by WeasyPrint, never served as a web page: their <style> is the document's.
PDF_TEMPLATES = ROOT / "templates" / "pdf"
INLINE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def template_files():
    dirs = [ROOT / "templates"] + [
        ROOT / app / "templates" for app in ("portal", "bases", "reviews", "assessments")
    ]
    dirs += list(ROOT.glob("portal/*/templates"))
    return sorted(path for d in dirs if d.is_dir() for path in d.rglob("*.html"))


TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
SCRIPT_BODY = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)


def template_problems(text: str, *, allow_style: bool = False) -> list[str]:
    """What in a template's source a strict CSP would block (template comments aside)."""
    text = COMMENTS.sub("", text)
    problems = []
    for attrs, body in SCRIPT_BODY.findall(text):
        kind = re.search(r"""type\s*=\s*["']?([^"'\s>]+)""", attrs, re.I)
        if body.strip() and (kind is None or kind.group(1).lower() in INLINE_SCRIPT_TYPES):
            problems.append(f"inline <script>: {body.strip()[:60]}")
    for tag in TAG.findall(text):
        for name in re.findall(
            r"""(?:^|[\s"'])(on[a-z]+|hx-on[:\w-]*|data-hx-on[:\w-]*)\s*=""", tag[1:], re.I
        ):
            problems.append(f"event-handler attribute {name}: {tag[:80]}")
        if not allow_style and re.search(r"""[\s"']style\s*=""", tag, re.I):
            problems.append(f"inline style attribute: {tag[:80]}")
        if re.search(r"""hx-(?:vals|headers)\s*=\s*["']\s*(?:js|javascript):""", tag, re.I):
            problems.append(f"htmx evaluated attribute: {tag[:80]}")
    if re.search(r"javascript\s*:", text, re.I):
        problems.append("javascript: URL")
    if not allow_style and re.search(r"<style\b", text, re.I):
        problems.append("inline <style> element")
    return problems


class PageScanner(HTMLParser):
    """The same rules on a rendered page (what the browser would actually get)."""

    def __init__(self, allow_style=False):
        super().__init__(convert_charrefs=True)
        self.allow_style, self.problems, self._script = allow_style, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"<{tag} {name}>")
            if name == "style" and not self.allow_style:
                self.problems.append(f"<{tag} style>")
            if (
                value
                and name in ("href", "src", "action", "formaction")
                and value.strip().lower().startswith("javascript:")
            ):
                self.problems.append(f"<{tag} {name}=javascript:>")
        if tag == "style" and not self.allow_style:
            self.problems.append("<style>")
        if tag == "script":
            inline = "src" not in attrs and (attrs.get("type") or "").lower() in INLINE_SCRIPT_TYPES
            self._script = [] if inline else None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if "".join(self._script).strip():
                self.problems.append("inline <script>")
            self._script = None


def page_problems(html: str, allow_style=False) -> list[str]:
    scanner = PageScanner(allow_style)
    scanner.feed(html)
    return scanner.problems


# --- the policy ---------------------------------------------------------------------------------


def test_the_policy_is_strict():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "portal.content_security.PortalCSPMiddleware" in settings.MIDDLEWARE
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == ["'self'"]
    assert directives["object-src"] == directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    for values in directives.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(values)


# --- the templates ------------------------------------------------------------------------------


def test_the_scanner_finds_what_the_policy_would_block():
    """The template scan below can fail: each construct a strict CSP blocks is reported."""
    bad = {
        "<script>alert(1)</script>": "inline <script>",
        '<script type="text/javascript">\n x()\n</script>': "inline <script>",
        '<button onclick="go()">x</button>': "event-handler attribute",
        '<body onload="x()">': "event-handler attribute",
        '<div hx-on:click="x()">': "event-handler attribute",
        '<a href="javascript:void(0)">x</a>': "javascript: URL",
        '<div class="a" style="width: 3px">': "inline style attribute",
        "<style>p {}</style>": "inline <style> element",
        "{# <style> in a comment is fine #}<script>x()</script>": "inline <script>",
        "<div hx-vals='js:{a: 1}'>": "htmx evaluated attribute",
    }
    for source, problem in bad.items():
        assert any(problem in found for found in template_problems(source)), source
    good = (
        '<script src="/static/js/portal.js"></script>'
        '<script type="application/json" id="d">{"a": 1}</script>'
        '<button data-confirm="确定？" class="btn" hx-post="/x">x</button>'
        '<a href="/bases/?status=draft">x</a> {% if online %}<p>online=1</p>{% endif %}'
    )
    assert template_problems(good) == []
    assert "inline <script>" in page_problems("<script> x() </script>")
    assert page_problems('<p onclick="x()" style="a:b"><a href="JavaScript:x">') == [
        "<p onclick>",
        "<p style>",
        "<a href=javascript:>",
    ]


def test_no_template_has_inline_script_handlers_javascript_urls_or_inline_styles():
    files = template_files()
    assert len(files) > 50  # the scan really reads the templates
    problems = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := template_problems(path.read_text(), allow_style=PDF_TEMPLATES in path.parents))
    }
    assert problems == {}


def test_htmx_is_configured_for_the_policy():
    """htmx would otherwise inject a <style> element (blocked) and may evaluate expressions."""
    base = (ROOT / "templates" / "layout" / "base.html").read_text()
    config = re.search(r"""<meta name="htmx-config" content='([^']*)'>""", base)
    assert config is not None
    import json

    values = json.loads(config.group(1))
    assert values["allowEval"] is False
    assert values["includeIndicatorStyles"] is False
    assert values["allowScriptTags"] is False
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    assert ".htmx-indicator" in css and ".htmx-request .htmx-indicator" in css


# --- rendered pages -----------------------------------------------------------------------------


PUBLIC_PAGES = ["home", "roster", "measures", "contact", "notices:list", "accounts:login"]


def assert_strict_page(response, *, allow_style=False):
    assert response.status_code == 200, response.status_code
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert page_problems(response.content.decode(), allow_style=allow_style) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_carry_the_policy_and_need_nothing_inline(client, name):
    assert_strict_page(client.get(reverse(name)))


@pytest.mark.django_db
def test_signed_in_pages_carry_the_policy_and_need_nothing_inline(client, people):
    base = PilotBaseFactory(host=people.host_a, created_by=people.staff_a)
    for user, urls in [
        (
            people.staff_a,
            [
                reverse("workspace"),
                reverse("bases:list"),
                reverse("bases:create"),
                reverse("bases:detail", args=[base.pk]),
                reverse("bases:edit", args=[base.pk, "basic"]),
                reverse("dashboard"),
                reverse("notifications:preferences"),
                reverse("accounts:profile"),
                reverse("accounts:password_change"),
            ],
        ),
        (
            people.bureau,
            [
                reverse("dashboard"),
                reverse("reviews:notice_list"),
                reverse("reviews:notice_new"),
                reverse("reviews:panel_list"),
                reverse("reviews:expert_list"),
                reverse("assessments:index"),
            ],
        ),
        (people.admin, [reverse("operations:index")]),
    ]:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_strict_page(response)


@pytest.mark.django_db
def test_an_inline_pdf_goes_without_the_policy_that_chrome_would_apply_to_its_viewer(client, people):
    base = PilotBaseFactory(host=people.host_a, created_by=people.staff_a)
    client.force_login(people.staff_a)
    pdf = client.get(reverse("bases:document_preview", args=["application", base.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in pdf.headers
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in client.get(reverse("bases:detail", args=[base.pk])).headers


@pytest.mark.django_db
def test_htmx_partials_carry_the_policy(client, people):
    client.force_login(people.staff_a)
    response = client.post(
        reverse("bases:name_check"), {"name": "忻州市测试中试基地"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert page_problems(response.content.decode()) == []


@pytest.mark.django_db
def test_the_django_admin_works_under_the_policy(client, people):
    """Admin pages are served with the same policy and run no inline script. (Its change list adds a
    cosmetic inline <style> when a model has no actions; the browser ignores it, nothing breaks.)"""
    root = UserFactory(
        username="root", organisation=people.bureau.organisation, is_staff=True, is_superuser=True
    )
    PilotBaseFactory(host=people.host_a)
    client.force_login(root)
    for url in [
        reverse("admin:index"),
        reverse("admin:bases_pilotbase_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_organisation_change", args=[people.host_a.pk]),
        reverse("admin:portal_parameter_add"),
    ]:
        response = client.get(url)
        assert_strict_page(response, allow_style=True)
        assert "/static/admin/js/" in response.content.decode() or url == reverse("admin:index")
