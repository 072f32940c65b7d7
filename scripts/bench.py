"""make bench: seed a PostgreSQL database with many bases and their history, then measure.

    BENCH_BASES=100000 uv run python scripts/bench.py

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench — the
database is dropped and created) and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9 — the
database is emptied), as production has. Measures, on this machine:
  - p50/p95 server time of the workspace, the bases list with filters, a base detail page and the
    bureau's dashboard, through gunicorn with concurrent clients (BENCH_CLIENTS, default 8);
  - the queries each page runs (Django's test client, in process);
  - the roster export (all bases) time and the peak memory of the process that writes it;
  - the daily jobs' run time over all bases.
Prints a table and writes docs/performance.md.

BENCH_REUSE=1 keeps an already seeded database (migrating it to the current schema) instead of dropping
it, for measuring a change without seeding again; BENCH_ONLY=pages|export|jobs measures just that part
(and leaves docs/performance.md alone; BENCH_PAGES=word,word measures only the pages so named).
BENCH_ONLY=documents needs no database: it times the portal's rendering of an official document
against a bare WeasyPrint render of the same HTML (target ≤ 1.5×), and the signature on top; a full
run prints it after the table.
"""

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from demo_env import ROOT, django_setup

BASES = int(os.environ.get("BENCH_BASES", "100000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "160"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
# gunicorn's workers: as deploy/gunicorn.conf.py sets them in production, one per CPU.
WORKERS = int(os.environ.get("BENCH_WORKERS") or len(os.sched_getaffinity(0)))
MARKER = "<!-- written by hand below: make bench keeps it -->"
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
ONLY = os.environ.get("BENCH_ONLY", "")
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_ROOT": str(ROOT / ".bench-static"),
    "LOG_LEVEL": "WARNING",
}
# Redis as in production (cache, sessions' rights, the dashboard figures, the broker the daily jobs'
# e-mails go to), in a database of its own (BENCH_REDIS_URL) that is emptied before and after.
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
ENV["REDIS_URL"] = REDIS


def empty_redis():
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def recreate_database():
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


SMALL = 5  # the first size measured: query counts and bodies at 5 bases, then at BASES


def seed():
    """1,000 host units, the bench's people and the two open rounds; then SMALL bases with their
    history (tests/scale.py, shared with the all-pages guard of the test suite)."""
    from assessments.models import EvaluationRound, ReportingRound
    from portal.accounts.models import Organisation, Role
    from portal.accounts.services import user_create
    from tests.factories import make_uscc

    rng = random.Random(20261129)
    supervisors = list(Organisation.objects.filter(kind="supervisor"))
    hosts = Organisation.objects.bulk_create(
        Organisation(
            name=f"忻州基准测试企业{i:04d}有限公司",
            kind="host_unit",
            uscc=make_uscc(rng),
            supervising_unit=supervisors[i % len(supervisors)],
            region=supervisors[i % len(supervisors)].region,
        )
        for i in range(1000)
    )
    # Every unit has its people, as in production (the applicant's account created the base): the
    # reminders of the daily jobs reach someone in every unit.
    from portal.accounts.models import User

    User.objects.bulk_create(
        User(username=f"bench_unit_{unit.pk}", organisation=unit, role=role, password="!")
        for units, role in ((hosts, Role.BASE_STAFF), (supervisors, Role.SUPERVISOR))
        for unit in units
    )
    bureau = Organisation.objects.get(kind="bureau")
    users = {
        "bureau": user_create(
            username="bench_bureau", password="bench", organisation=bureau, role=Role.BUREAU_STAFF
        ),
        "supervisor": user_create(
            username="bench_supervisor", password="bench", organisation=supervisors[0], role=Role.SUPERVISOR
        ),
        "host": user_create(
            username="bench_host", password="bench", organisation=hosts[0], role=Role.BASE_STAFF
        ),
        "admin": user_create(username="bench_admin", password="bench", organisation=bureau, role=Role.ADMIN),
    }
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    today = date.today()
    seeding = {
        "hosts": hosts,
        "creator": users["host"],
        "bureau_user": users["bureau"],
        "today": today,
        "report_round": ReportingRound.objects.create(
            year=today.year - 1,
            due_on=today + timedelta(days=30),
            grace_ends_on=today + timedelta(days=60),
            opened_by=users["bureau"],
        ),
        "evaluation_round": EvaluationRound.objects.create(year=today.year, opened_by=users["bureau"]),
        "notify": [users["bureau"]],
    }
    return users, seeding


def seed_rest(seeding):
    """The other BASES - SMALL bases, their timestamps spread over the years, then vacuumed."""
    from django.contrib.contenttypes.models import ContentType

    from bases.models import PilotBase
    from tests.scale import seed_bases

    _bases, logs = seed_bases(BASES - SMALL, seed=2, **seeding)
    spread_timestamps(ContentType.objects.get_for_model(PilotBase).pk)
    return logs


def spread_timestamps(content_type_id):
    """Bulk inserts stamp every row with now: spread the state changes and the log over the years
    since each application, as real data would be (the list's and the activity's orderings depend on
    it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bases_pilotbase SET status_changed_at = applied_on::timestamp AT TIME ZONE 'UTC'"
            " + (id %% 600) * interval '1 day' + (id %% 1440) * interval '1 minute'",
            [],
        )
        cursor.execute(
            "UPDATE django_fsm_log_statelog l SET timestamp = b.applied_on::timestamp AT TIME ZONE 'UTC'"
            " + (l.id %% 3) * interval '30 days' + (l.id %% 1440) * interval '1 minute'"
            " FROM bases_pilotbase b WHERE l.object_id = b.id AND l.content_type_id = %s",
            [content_type_id],
        )
        # What autovacuum does to a live database within minutes of such a batch: without it the
        # updated rows leave dead versions and an unset visibility map, and every count reads the heap
        # instead of an index alone (43 ms instead of 2 ms for the filtered list's count).
        cursor.execute("VACUUM ANALYZE")


def seeded():
    """The users and log count of an earlier seed (BENCH_REUSE=1), or None."""
    from django_fsm_log.models import StateLog

    from portal.accounts.models import User

    users = {
        role: User.objects.filter(username=f"bench_{role}").first()
        for role in ("bureau", "supervisor", "host", "admin")
    }
    if not all(users.values()):
        return None
    return users, StateLog.objects.count()


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


def load(cookies, pages_):
    """p50/p95 latency of each page through gunicorn with CLIENTS concurrent clients."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--config",
            "deploy/gunicorn.conf.py",  # production's settings, access log included
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**ENV, "WEB_CONCURRENCY": str(WORKERS)},
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        if shutil.which("wrk"):
            return {name: wrk(path, cookies[role]) for name, path, role in pages_}
        return {name: threads(path, cookies[role]) for name, path, role in pages_}
    finally:
        server.terminate()
        server.wait(timeout=30)


def threads(path, cookie):
    """p50/p95 of one page with CLIENTS Python threads, each requesting it again and again for
    SECONDS seconds (at most REQUESTS requests in all) after one warm-up request per client."""

    def one():
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            assert response.status == 200, (path, response.status)
        return (time.perf_counter() - started) * 1000

    def client(_i):
        times = []
        ends = time.perf_counter() + SECONDS
        while not times or (time.perf_counter() < ends and len(times) < REQUESTS // CLIENTS):
            times.append(one())
        return times

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda _i: one(), range(CLIENTS)))  # warm every worker
        times = sorted(t for ts in pool.map(client, range(CLIENTS)) for t in ts)
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.1f %d %d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests, errors))
end
"""


def wrk(path, cookie):
    """p50/p95 of one page with wrk (Debian's package; a C load generator, so the clients take little
    of the two cores the server needs): CLIENTS connections for SECONDS seconds after a warm-up."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        command = ["wrk", "-t", "2", "-c", str(CLIENTS), "-H", f"Cookie: {cookie}", "-s", script.name]
        url = f"http://127.0.0.1:{PORT}{path}"
        subprocess.run([*command, "-d", "3s", url], check=True, capture_output=True)  # warm every worker
        output = subprocess.run(
            [*command, "-d", f"{SECONDS}s", "--timeout", "30s", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    _tag, p50, p95, requests, errors = line.split()
    if int(errors):
        raise SystemExit(f"{path}: {errors} of {requests} requests failed under load")
    return float(p50), float(p95)


EXPORT = """
import os, tempfile, time, django
django.setup()
from bases.exports import ROSTER_COLUMNS, roster_rows
from bases.models import PilotBase
from portal.documents.excel import write_workbook
started = time.perf_counter()
with tempfile.TemporaryFile() as handle:
    rows = write_workbook(handle, "roster", ROSTER_COLUMNS, roster_rows(PilotBase.objects.all()))
# VmHWM, this process's own peak resident set: ru_maxrss would include the parent's peak at the fork
# (Linux keeps it across exec), and the parent holds the 100,000 seeded bases.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(rows, time.perf_counter() - started, peak)
"""

JOBS = """
import time, django
django.setup()
from datetime import date, timedelta
from portal.scheduling.jobs import run_daily_jobs
# The seed's own day: its dates are those the daily jobs would have left (tests/scale.py), so today a
# province's working day falls due — construction deadlines and acceptance windows of the bases whose
# dates come round, a few revocations — and, on top, the open reporting round's 30-day reminder to
# every host that owes a report (the round is due in 30 days): the busiest regular day of the year.
as_of = date.today()
started = time.perf_counter()
results = run_daily_jobs(as_of=as_of)
print(time.perf_counter() - started, sum(len(r.lines) for r in results), [r.name for r in results if r.error])
"""
# The same day's run again: everything due today was done by the first (reminders sent, bases
# revoked), so nothing is due; the jobs still look, and that look must be cheap.


def in_subprocess(code, **extra):
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**ENV, **extra},
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip().splitlines()[-1].split(" ", 2)


def run_jobs():
    """The daily jobs as production runs them: in a process whose e-mails go to the Redis broker for
    the workers to send, so the figure is the jobs' own work, not the sending of thousands of e-mails
    (the queue is emptied afterwards). Twice: with things due, then the same day with nothing due."""
    try:
        due = in_subprocess(JOBS)
        nothing = in_subprocess(JOBS)
        return due, nothing
    finally:
        empty_redis()


def measure_only(users, pages_):
    if ONLY == "pages":
        # BENCH_PAGES: only the pages whose name contains one of these comma-separated words
        wanted = [w for w in os.environ.get("BENCH_PAGES", "").split(",") if w]
        pages_ = [p for p in pages_ if not wanted or any(w in p[0] for w in wanted)]
        counts = measure_pages(users, pages_)
        pages_ = [p for p in pages_ if counts[p[0]][1] is not None and p[0] not in DOWNLOADS]
        latency = load(cookies_of(users), pages_)
        for name, _path, role in pages_:
            p50, p95 = latency[name]
            print(f"{name} ({role}): p50 {p50:.0f} ms, p95 {p95:.0f} ms, {counts[name][0]} queries")
    elif ONLY == "export":
        rows, export_s, export_kb = in_subprocess(EXPORT)
        print(f"export: {rows} rows, {float(export_s):.1f} s, {int(export_kb) / 1024:.0f} MB")
    elif ONLY == "jobs":
        for label, (jobs_s, actions, failed) in zip(("due", "nothing due"), run_jobs(), strict=True):
            print(f"daily jobs, {label}: {float(jobs_s):.2f} s, {actions} actions, failed {failed}")


def cookies_of(users):
    return {"anonymous": "x=1", **{role: session_cookie(user) for role, user in users.items()}}


def detail_base(users):
    """The base whose pages are measured: the bench host's first recognised base (it exists from the
    SMALL seed on)."""
    from bases.models import PilotBase, Status

    return (
        PilotBase.objects.filter(status=Status.RECOGNIZED, annualreports__isnull=False).order_by("pk").first()
    )


# --- documents: the portal's PDF rendering against bare WeasyPrint (no database needed) ---------------
DOCUMENTS = """
import os, statistics, sys, tempfile, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["DOCUMENT_SIGNING_DEV_DIR"] = tempfile.mkdtemp()
import django
django.setup()
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from portal.documents.pdf import render_pdf
from portal.documents.signing import sign_pdf
paragraph = ("根据《市中试基地建设与运行管理办法》（忻科规〔2024〕2号）第八条规定，经依托单位申请、"
    "归口管理单位推荐、市科技局初审、专家评审和社会公示，同意立项建设。")
context = dict(title="关于同意忻州市硅基新材料中试基地立项建设的通知", addressee="依托单位，归口管理单位",
    paragraphs=[paragraph] * 12 + ["特此通知。"], copy_to="市科技局办公室", date_cn="2026年3月5日",
    printed_cn="2026年3月5日", year=2026, number="忻科字〔2026〕1号", draft=False)
html = render_to_string("pdf/official.html", context)
def timed(work, n=5):
    work()
    runs = []
    for _ in range(n):
        start = time.perf_counter(); work(); runs.append(time.perf_counter() - start)
    return statistics.median(runs)
bare = timed(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
ours = timed(lambda: render_pdf("pdf/official.html", context))
pdf = render_pdf("pdf/official.html", context)
signed = timed(lambda: sign_pdf(pdf))
print(f"documents {bare:.3f} {ours:.3f} {signed:.3f}")
"""


def documents_report() -> str:
    """One official document (two pages): bare WeasyPrint, the portal's render_pdf, the signature."""
    bare, ours, signed = (float(x) for x in " ".join(in_subprocess(DOCUMENTS)[1:]).split())
    return (
        f"documents: bare WeasyPrint {bare * 1000:.0f} ms, portal render {ours * 1000:.0f} ms "
        f"({ours / bare:.2f}× bare, target ≤ 1.5×), PAdES signature +{signed * 1000:.0f} ms "
        f"(render + sign {(ours + signed) / bare:.2f}× bare)"
    )


def main():
    if ONLY == "documents":
        return print(documents_report())
    started = time.perf_counter()
    empty_redis()
    if not REUSE:
        recreate_database()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True
    )
    django_setup(ENV)
    earlier = seeded() if REUSE else None
    small_counts = {}
    if earlier:
        users, logs = earlier
        pages_ = servable(users, pages(users, detail_base(users))) if ONLY in ("", "pages") else []
    else:
        from tests.scale import seed_bases

        users, seeding = seed()
        seed_bases(SMALL, seed=1, **seeding)
        pages_ = servable(users, pages(users, detail_base(users)))
        small_counts = measure_pages(users, pages_)
        logs = seed_rest(seeding) + 3 * SMALL
    seed_time = time.perf_counter() - started
    if ONLY:
        return measure_only(users, pages_)
    counts = measure_pages(users, pages_)
    load_before = os.getloadavg()[0]
    # Not under load: a page that queues a background job at this size (each request would queue one).
    latency = load(
        cookies_of(users),
        [page for page in pages_ if counts[page[0]][1] is not None and page[0] not in DOWNLOADS],
    )
    rows, export_s, export_kb = in_subprocess(EXPORT)
    (jobs_s, actions, failed), (idle_s, idle_actions, idle_failed) = run_jobs()
    export_mb = int(export_kb) / 1024
    failures = f", failed: {failed}" if failed != "[]" else ""
    idle_failures = f", failed: {idle_failed}" if idle_failed != "[]" else ""
    lines = [
        f"# Performance — measured {date.today():%Y-%m-%d} by `make bench`",
        "",
        f"Machine: {os.cpu_count()} cores; PostgreSQL 127.0.0.1; {BASES:,} bases with {logs:,} log rows "
        f"({'an earlier seed reused' if earlier else f'seeded in {seed_time:.0f} s'}); "
        f"gunicorn with {WORKERS} workers; {CLIENTS} concurrent clients "
        + (
            f"from wrk for {SECONDS} s per page"
            if shutil.which("wrk")
            else f"(Python threads) for {SECONDS} s (at most {REQUESTS} requests) per page"
        )
        + f" (client-measured: server time plus the loopback); load average {load_before:.2f} before the "
        "pages were measured.",
        "",
        f"Every page that answers a GET: each argument-free page of the URL configuration, the pages of a "
        f"base, a round and a filing, the other roles' own pages, and every Django admin changelist "
        f"(the bases' changelist filtered as the bases list is: the side-by-side reference). Queries "
        f"and body at {SMALL} bases (before the rest were seeded) and at {BASES:,}.",
        "",
        f"| page | as | queries at {SMALL} | queries at {BASES:,} | body at {BASES:,} (KB) "
        "| p50 (ms) | p95 (ms) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, _path, role in pages_:
        queries, body = counts[name]
        before = small_counts.get(name, ("—", 0))[0]
        if body is None:
            lines.append(f"| {name} | {role} | {before} | {queries} | — | a background job | (302) |")
            continue
        if name in DOWNLOADS:
            took = f"{DOWNLOADS[name] * 1000:.0f} (one download)"
            lines.append(f"| {name} | {role} | {before} | {queries} | {body / 1024:.0f} | {took} | — |")
            continue
        p50, p95 = latency[name]
        lines.append(
            f"| {name} | {role} | {before} | {queries} | {body / 1024:.0f} | {p50:.0f} | {p95:.0f} |"
        )
    lines += [
        "",
        "| task | time | peak memory | target |",
        "|---|---:|---:|---|",
        f"| roster export ({int(rows):,} rows, xlsx) | {float(export_s):.1f} s | {export_mb:.0f} MB "
        "| < 30 s, < 150 MB |",
        f"| daily jobs, things due ({actions} actions{failures}) | {float(jobs_s):.2f} s | — | < 60 s |",
        f"| daily jobs, the same day again: nothing due ({idle_actions} actions{idle_failures}) "
        f"| {float(idle_s):.2f} s ({float(idle_s) / float(jobs_s):.0%}) | — "
        "| ≤ 25 % of the run with things due |",
        "",
        "Regenerate with `make bench` (BENCH_BASES, BENCH_CLIENTS, BENCH_SECONDS, BENCH_WORKERS); the test "
        "suite guards the query counts and bodies of every page at two sizes "
        "(`tests/portal/test_all_pages_scale.py`).",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    # The reading of the figures below the marker is written by hand: keep it.
    target = ROOT / "docs" / "performance.md"
    previous = target.read_text(encoding="utf-8") if target.exists() else ""
    if MARKER in previous:
        report += "\n" + MARKER + previous.split(MARKER, 1)[1]
    target.write_text(report, encoding="utf-8")
    print(documents_report())


if __name__ == "__main__":
    main()
