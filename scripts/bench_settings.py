"""The bench's settings, read once from the environment (BENCH_*; scripts/bench.py's docstring
says what each does), and the environment its subprocesses (migrate, gunicorn, the export and the
daily jobs) run with. Every part of the bench imports them from here, so each is read in one place.
"""

import os

from demo_env import ROOT

BASES = int(os.environ.get("BENCH_BASES", "100000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "160"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
# gunicorn's workers: as deploy/gunicorn.conf.py sets them in production, one per CPU.
WORKERS = int(os.environ.get("BENCH_WORKERS") or len(os.sched_getaffinity(0)))
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
SMALL = 5  # the first size measured: query counts and bodies at 5 bases, then at BASES
