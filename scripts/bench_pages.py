"""The pages the bench measures (every page that answers a GET, found in the URL configuration and
the admin, plus PAGES_WITH_IDS), their queries and bodies through Django's test client in process,
and the session cookies the load clients present."""

import time


def measure_pages(users, pages_):
    """Queries and body size of each page (Django's test client, in process), in the steady state
    (the user's rights already cached, as under load)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    counts = {}
    for name, path, role in pages_:
        if role not in clients:
            clients[role] = Client()
            if role != "anonymous":
                clients[role].force_login(users[role])
        client = clients[role]
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            took = time.perf_counter() - started
        # A page that answers inline at the small size may hand the work to a background job at the
        # full size (the bases export above the export_background_rows parameter): a redirect.
        assert response.status_code in (200, 302), (path, response.status_code)
        if response.status_code == 302:
            counts[name] = (len(queries), None)
        elif response.get("Content-Type", "").startswith("text/html"):
            counts[name] = (len(queries), len(body))
        else:
            # A download (Excel, PDF) is one person's request, not a page under load: eight clients
            # asking for it at once would queue the workers for minutes and stall every page after
            # it. Its time is that of the single request, in process.
            DOWNLOADS[name] = took
            counts[name] = (len(queries), len(body))
    return counts


DOWNLOADS = {}  # name → seconds of the single request (measure_pages)


# Pages measured with their ids (the argument-free ones are found in the URL configuration): a
# base's pages and filings, a reporting and an evaluation round, and Django admin's changelist of the
# bases filtered as the bases list is, the side-by-side reference.
PAGES_WITH_IDS = [
    ("bases list (filtered)", "/bases/?status=recognized&county=xinfu&sort=oldest&page=3", "bureau"),
    (
        "admin changelist of bases (reference)",
        "/admin/bases/pilotbase/?status__exact=recognized&p=3",
        "admin",
    ),
    ("assessments (filtered)", "/assessments/?status=recognized&county=xinfu&page=3", "bureau"),
    ("base detail", "/bases/{detail}/", "bureau"),
    ("base ledger", "/bases/{detail}/funds/", "bureau"),
    ("base ledger export (xlsx)", "/bases/{detail}/funds/export/", "bureau"),
    ("application form (PDF)", "/bases/documents/application/{detail}/preview/", "bureau"),
    ("annual report filing", "/bases/filings/annual-report/{report}/", "bureau"),
    ("reporting round", "/assessments/reports/{year}/", "bureau"),
    ("evaluation round", "/assessments/evaluations/{this_year}/", "bureau"),
    ("workspace (supervisor)", "/workspace/", "supervisor"),
    ("bases list (supervisor)", "/bases/", "supervisor"),
    ("dashboard (supervisor)", "/dashboard/", "supervisor"),
    ("workspace (host)", "/workspace/", "host"),
    ("dashboard (host)", "/dashboard/", "host"),
]


def pages(users, detail):
    """(name, path, role) of every page measured: each argument-free GET page of the URL
    configuration as the bureau (the public's pages too), then PAGES_WITH_IDS, then every admin
    changelist as a superuser. Pages that answer otherwise than 200 (a POST-only URL, a redirect)
    are left out by measure_pages' caller."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    from assessments.models import AnnualReport, EvaluationRound, ReportingRound
    from tests.test_authorization_matrix import _all_url_names

    found = []
    for name in sorted(set(_all_url_names())):
        try:
            found.append((name, reverse(name), "bureau"))
        except NoReverseMatch:
            continue
    ids = {
        "detail": detail.pk,
        "report": AnnualReport.objects.filter(base=detail).values_list("pk", flat=True).first(),
        "year": ReportingRound.objects.values_list("year", flat=True).first(),
        "this_year": EvaluationRound.objects.values_list("year", flat=True).first(),
    }
    found += [(name, path.format(**ids), role) for name, path, role in PAGES_WITH_IDS]
    found += [
        (
            f"admin: {model._meta.label}",
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
            "admin",
        )
        for model in sorted(admin.site._registry, key=lambda m: m._meta.label)
    ]
    return found


def servable(users, candidates):
    """The pages among `candidates` that answer a GET with 200 (and a body that is no background job's
    redirect)."""
    from django.test import Client

    clients = {}
    kept = []
    for name, path, role in candidates:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(users[role])
        response = clients[role].get(path)
        if response.status_code != 200 and role == "bureau":  # an administrator's page
            role = "admin"
            clients.setdefault(role, Client()).force_login(users[role])
            response = clients[role].get(path)
        if response.status_code == 200:
            kept.append((name, path, role))
        else:
            print(f"  (not measured: {name} {path} answers {response.status_code})")
    return kept


def session_cookie(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "portal.accounts.backends.PortalModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def cookies_of(users):
    return {"anonymous": "x=1", **{role: session_cookie(user) for role, user in users.items()}}


def detail_base(users):
    """The base whose pages are measured: the bench host's first recognised base (it exists from the
    SMALL seed on)."""
    from bases.models import PilotBase, Status

    return (
        PilotBase.objects.filter(status=Status.RECOGNIZED, annualreports__isnull=False).order_by("pk").first()
    )
