"""Drill: PostgreSQL restarted under load (docs/operations.md).

    uv run python scripts/drills/postgres_restart.py [--outage 5] [--clients 6] [--json]

Creates a PRIVATE PostgreSQL cluster (initdb in a temporary directory, a free port, TCP on 127.0.0.1
only; never the machine's own server), migrates the portal into it, starts gunicorn against it and
drives concurrent requests (the health check, public pages, a signed-in page) from client threads.
Mid-load it stops PostgreSQL (`pg_ctl stop -m fast`: sessions are cut), keeps it down for --outage
seconds, starts it again, and keeps the load on until every client has been served again.

It passes (exit 0) when:
  - every response during the outage is the 503 page "服务暂时不可用" (no 500, no traceback, no
    dropped connection, no timeout);
  - after PostgreSQL is back, requests succeed again without gunicorn being restarted (same master,
    no worker re-spawned) and keep succeeding;
and prints the figures: requests, 503s during the outage, time from PostgreSQL being back to the
first success and to the last failure.

Runs as root too (the cluster then runs as the `postgres` user, as PostgreSQL requires). PostgreSQL's
server binaries are taken from /usr/lib/postgresql/<newest>/bin (or PG_BINDIR).
"""

import argparse
import glob
import itertools
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNAVAILABLE = "服务暂时不可用"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bindir() -> Path:
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        sys.exit("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin); set PG_BINDIR")
    return Path(found[-1]).parent


class Cluster:
    """A throw-away PostgreSQL cluster in a temporary directory."""

    def __init__(self):
        self.bin = bindir()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="portal-pg-drill-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.as_postgres = os.geteuid() == 0  # initdb refuses root
        if self.as_postgres:
            self.dir.chmod(0o755)
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self):
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "portal_drill")

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
        self._run(
            "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options
        )

    def stop(self, mode="fast"):
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "60", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal_drill"

    def remove(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def portal_env(cluster: Cluster) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")}
    # The test settings: production settings with plain static files (no collectstatic needed) and a
    # fast password hasher; no Redis (tasks in-process), so PostgreSQL is the only dependency here.
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings_test",
        DATABASE_URL=cluster.url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CONN_MAX_AGE="60",
        PYTHONPATH=str(ROOT),
    )
    return env


SESSION_SCRIPT = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from portal.accounts.models import User
user = User.objects.create_user("drill", password="drill-not-a-real-password")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "portal.accounts.backends.PortalModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def prepare(cluster: Cluster, env: dict) -> str:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=600)
    out = subprocess.run(
        [*manage, "shell", "-c", SESSION_SCRIPT],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


class Gunicorn:
    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - read at the end, closed with the process
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "-b",
            f"127.0.0.1:{self.port}",
        ]
        self.process = subprocess.Popen(
            [*command, "-w", str(workers), "--timeout", "30", "--log-level", "info"],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer:\n" + self.output())

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Load:
    """Client threads requesting pages in a loop; every answer is recorded with its time."""

    PATHS = ["/healthz", "/", "/roster/", "/notifications/"]  # the last one signed in

    def __init__(self, port: int, session_key: str, clients: int):
        self.port, self.session, self.clients = port, session_key, clients
        self.records: list[tuple[float, float, str, int, str]] = []  # (sent, answered, path, status, problem)
        self.lock, self.stopping = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def start(self):
        for t in self.threads:
            t.start()

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=30)

    def _run(self, offset: int):
        for path in itertools.islice(itertools.cycle(self.PATHS), offset, None):
            if self.stopping.is_set():
                return
            sent = time.monotonic()
            request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
            if path == "/notifications/":
                request.add_header("Cookie", f"sessionid={self.session}")
            status, problem = -1, ""
            try:
                with urllib.request.urlopen(request, timeout=15) as response:
                    status, body = response.status, response.read().decode(errors="replace")
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode(errors="replace")
            except (urllib.error.URLError, OSError) as error:
                problem = f"{type(error).__name__}: {error}"
                body = ""
            if status == 503 and UNAVAILABLE not in body:
                problem = "503 without the page"
            if "Traceback" in body:
                problem = "traceback in the page"
            if status not in (-1, 200, 503):
                problem = problem or f"status {status}"
            with self.lock:
                self.records.append((sent, time.monotonic(), path, status, problem))
            time.sleep(0.02)

    def sent_after(self, t0: float):
        with self.lock:
            return [r for r in self.records if r[0] >= t0]


def drill(outage: float, clients: int, workers: int) -> dict:
    cluster = Cluster()
    gunicorn = None
    try:
        cluster.init()
        env = portal_env(cluster)
        started = time.monotonic()
        session_key = prepare(cluster, env)
        migrate_seconds = time.monotonic() - started
        gunicorn = Gunicorn(env, workers)
        gunicorn.wait_ready()
        load = Load(gunicorn.port, session_key, clients)
        load.start()
        time.sleep(3)
        t_stop = time.monotonic()
        cluster.stop("fast")
        t_down = time.monotonic()
        time.sleep(outage)
        t_start = time.monotonic()
        cluster.start()
        t_up = time.monotonic()
        # keep the load on until every client has had a success after the restart, then 3 s more
        deadline = t_up + 60
        while time.monotonic() < deadline:
            after = load.sent_after(t_up)
            if len({r[2] for r in after if r[3] == 200}) == len(Load.PATHS):
                break
            time.sleep(0.2)
        time.sleep(3)
        load.stop()
        master_alive = gunicorn.process.poll() is None
        log = gunicorn.output()
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        cluster.remove()

    records = load.records
    before = [r for r in records if r[1] < t_stop]  # answered before the stop began
    outage_records = [r for r in records if r[0] >= t_down and r[1] < t_start]  # sent and answered while down
    after = [r for r in records if r[0] >= t_up]  # sent once PostgreSQL was back
    first_ok = min((r[1] for r in records if r[1] >= t_start and r[3] == 200), default=None)
    last_bad = max((r[1] for r in after if r[3] != 200), default=None)
    problems = [r for r in records if r[4]]
    boots = log.count("Booting worker")
    figures = {
        "outage_seconds": round(t_start - t_down, 1),
        "stop_seconds": round(t_down - t_stop, 1),
        "start_seconds": round(t_up - t_start, 1),
        "migrate_seconds": round(migrate_seconds, 1),
        "clients": clients,
        "gunicorn_workers": workers,
        "requests": len(records),
        "before_ok": sum(r[3] == 200 for r in before),
        "before_total": len(before),
        "outage_503": sum(r[3] == 503 for r in outage_records),
        "outage_total": len(outage_records),
        "around_stop_and_start_503": sum(r[3] == 503 for r in records if r not in outage_records),
        "after_ok": sum(r[3] == 200 for r in after),
        "after_total": len(after),
        "first_success_after_start_s": round(first_ok - t_start, 2) if first_ok else None,
        "last_failure_after_restart_s": round(last_bad - t_up, 2) if last_bad else 0.0,
        "problems": len(problems),
        "problem_examples": sorted({f"{r[2]} {r[3]} {r[4]}" for r in problems})[:5],
        "gunicorn_master_alive": master_alive,
        "gunicorn_worker_boots": boots,
    }
    checks = {
        "every request before the stop succeeded": figures["before_ok"] == figures["before_total"] > 0,
        "no 500, no traceback, no dropped connection": figures["problems"] == 0,
        "the outage answered 503 pages, nothing else": figures["outage_503"] == figures["outage_total"] > 0,
        "requests succeed again after the restart": first_ok is not None,
        "every request sent after the restart succeeded": figures["after_ok"] == figures["after_total"] > 0,
        "gunicorn was not restarted": master_alive and boots == workers,
    }
    figures["checks"] = checks
    figures["passed"] = all(checks.values())
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--clients", type=int, default=6, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    figures = drill(args.outage, args.clients, args.workers)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key, value in figures.items():
            if key != "checks":
                print(f"{key:34} {value}")
        for check, ok in figures["checks"].items():
            print(f"{'PASS' if ok else 'FAIL'}  {check}")
    sys.exit(0 if figures["passed"] else 1)


if __name__ == "__main__":
    main()
