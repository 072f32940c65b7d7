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

The parts live beside this entry point, each module a concept: bench_settings (the BENCH_* settings),
bench_seed (the database, Redis and the seed), bench_pages (the pages, their queries and bodies),
bench_load (the pages under load through gunicorn) and bench_tasks (the export, the daily jobs and the
documents, each in a process of its own).
"""

import os
import shutil
import subprocess
import sys
import time
from datetime import date

from bench_load import load
from bench_pages import DOWNLOADS, cookies_of, detail_base, measure_pages, pages, servable
from bench_seed import empty_redis, recreate_database, seed, seed_rest, seeded
from bench_settings import BASES, CLIENTS, ENV, ONLY, REQUESTS, REUSE, SECONDS, SMALL, WORKERS
from bench_tasks import EXPORT, documents_report, in_subprocess, run_jobs
from demo_env import ROOT, django_setup

MARKER = "<!-- written by hand below: make bench keeps it -->"


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
