"""PostgreSQL restarted under load (scripts/drills/postgres_restart.py, docs/operations.md): on a
private cluster of its own, gunicorn answers the 503 page while the database is down and serves
again as soon as it is back, without being restarted. Runs in CI's PostgreSQL pass (~30 s)."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from tests.resilience.conftest import ON_POSTGRES


@pytest.mark.skipif(
    not ON_POSTGRES, reason="the PostgreSQL pass runs it (a private cluster, never the shared one)"
)
def test_a_postgresql_restart_under_load_gives_clean_503s_and_recovers_without_restarting_gunicorn():
    drill = subprocess.run(
        [sys.executable, "scripts/drills/postgres_restart.py", "--outage", "3", "--clients", "4", "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert drill.stdout.strip(), drill.stderr[-3000:]
    figures = json.loads(drill.stdout.strip().splitlines()[-1])
    failed = [check for check, ok in figures["checks"].items() if not ok]
    assert failed == [], (failed, figures, drill.stderr[-3000:])
    assert figures["outage_503"] > 0 and figures["problems"] == 0
    assert figures["after_ok"] == figures["after_total"] > 0
