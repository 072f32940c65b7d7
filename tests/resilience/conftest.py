"""Helpers of the resilience tests (docs/operations.md): free ports, a private redis-server that can
be killed and started again, Celery pointed at a given broker, worker processes."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.test_authorization_matrix import world  # noqa: F401  (a fixture: the matrix's objects)

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
REDIS_URL = os.environ.get("REDIS_URL", "")
# The worker tests use their own Redis database (5), whatever database REDIS_URL names: a worker
# there re-queues every unacknowledged message older than its visibility timeout, which must never
# touch another test's worker.
WORKER_REDIS_DB = 5


def worker_redis_url() -> str:
    parts = urlsplit(REDIS_URL)
    return urlunsplit(parts._replace(path=f"/{WORKER_REDIS_DB}"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class PrivateRedis:
    """A redis-server of the test's own, on a free port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="portal-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, 0.05, "the private redis-server")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        wait_for(lambda: not self._answers(), 5, 0.05, "the private redis-server to stop")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def llen(self, key: str) -> int:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            name = key.encode()
            s.sendall(b"*2\r\n$4\r\nLLEN\r\n$%d\r\n%s\r\n" % (len(name), name))
            return int(s.recv(64).decode().strip().lstrip(":"))


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.kill()
    shutil.rmtree(redis.dir, ignore_errors=True)


def point_celery_at(broker_url: str | None) -> None:
    """Publish to `broker_url` for real (not eagerly); None: back to the test suite's eager mode."""
    from portal.celery import app

    if broker_url is None:
        app.conf.broker_url, app.conf.task_always_eager = settings.CELERY_BROKER_URL, True
        app.conf.result_backend = settings.CELERY_RESULT_BACKEND
    else:
        app.conf.broker_url, app.conf.task_always_eager = broker_url, False
        app.conf.result_backend = broker_url  # as in production: one Redis for both
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    vars(app._local).pop("backend", None)


def start_worker(queue: str, *, pool: str, env: dict) -> subprocess.Popen:
    """`celery worker` as its own process (group), consuming only `queue`; its output goes to a file."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the worker (stop_worker)
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue, "--pool", pool]
    worker = subprocess.Popen(
        [*command, "-c", "1", "-l", "info", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker.log = log
    return worker


def worker_output(worker: subprocess.Popen) -> str:
    worker.log.seek(0)
    return worker.log.read().decode(errors="replace")


def stop_worker(worker: subprocess.Popen) -> str:
    """Stop a worker (and its pool), return what it printed."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # a pool child left behind by a killed parent
    output = worker_output(worker)
    worker.log.close()
    return output


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
