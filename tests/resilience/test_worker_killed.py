"""A Celery worker killed mid-task (SIGKILL: the OOM killer, a lost machine) loses no task and
duplicates no effect: messages are acknowledged only after their task (CELERY_TASK_ACKS_LATE), a
task whose pool process died is queued again (CELERY_TASK_REJECT_ON_WORKER_LOST), a message taken
by a worker that vanished goes to another one after the visibility timeout, and every task is
idempotent. Real `celery worker` processes, Redis (database 5) and the PostgreSQL test database."""

import os
import signal
import socket
import threading
import uuid
from datetime import date

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from bases.models import PilotBase
from portal.documents.models import BackgroundJob, IssuedDocument
from portal.notifications.models import Notification
from tests.factories import PilotBaseFactory
from tests.resilience.conftest import (
    ON_POSTGRES,
    REDIS_URL,
    children_of,
    point_celery_at,
    start_worker,
    stop_worker,
    wait_for,
    worker_output,
    worker_redis_url,
)

pytestmark = [
    pytest.mark.skipif(
        not (REDIS_URL and ON_POSTGRES),
        reason="worker processes need the PostgreSQL test database and Redis (CI's main pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker_env(*, smtp_port: int = 25, visibility_timeout: int = 3600) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.resilience.worker_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": worker_redis_url(),
        "TEST_SMTP_PORT": str(smtp_port),
        "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
    }


@pytest.fixture
def queue():
    point_celery_at(worker_redis_url())
    yield f"resilience-{uuid.uuid4().hex[:8]}"
    point_celery_at(None)


class StallingSMTP:
    """An SMTP server that holds its first connection without a word (the worker is killed while it
    waits) and accepts the messages of the following ones."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.first_connected = threading.Event()
        self.messages: list[bytes] = []
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            stall = self.connections == 1
            threading.Thread(target=self._serve, args=(conn, stall), daemon=True).start()

    def _serve(self, conn, stall):
        with conn:
            if stall:
                self.first_connected.set()
                conn.recv(1)  # returns when the killed worker's socket is closed
                return
            reader = conn.makefile("rb")
            conn.sendall(b"220 test ESMTP\r\n")
            for line in reader:
                verb = line[:4].upper()
                if verb == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    body = b"".join(iter(reader.readline, b".\r\n"))
                    self.messages.append(body)
                    conn.sendall(b"250 queued\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

    def close(self):
        self.server.close()


def test_an_email_task_whose_pool_process_is_killed_runs_again_and_sends_one_email(people, queue):
    from portal.notifications.tasks import deliver_notification_email

    smtp = StallingSMTP()
    note = Notification.objects.create(recipient=people.staff_a, title="验收评审结果通知", body="请查看。")
    worker = start_worker(queue, pool="prefork", env=_worker_env(smtp_port=smtp.port))
    try:
        deliver_notification_email.apply_async(args=[note.pk], queue=queue)
        assert smtp.first_connected.wait(90), worker_output(worker)
        [child] = children_of(worker.pid)
        os.kill(child, signal.SIGKILL)  # mid-task: the pool process is talking to the mail server

        def sent():
            assert worker.poll() is None, worker_output(worker)
            note.refresh_from_db()
            return note.emailed_at

        wait_for(sent, 90, what="the e-mail to be sent by the re-queued task")
        assert len(smtp.messages) == 1, smtp.messages
        assert f"To: {people.staff_a.email}".encode() in smtp.messages[0]
        assert smtp.connections == 2  # the killed attempt, then the one that delivered
    finally:
        output = stop_worker(worker)
        smtp.close()
    assert "WorkerLostError" in output or "SIGKILL" in output, output


def test_a_batch_whose_worker_is_killed_is_finished_by_another_without_a_second_number(people, queue):
    from portal.documents.tasks import run_background_job

    bases = [
        PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, d)) for d in (1, 2, 3)
    ]
    ids = [b.pk for b in bases]
    job = BackgroundJob.objects.create(
        kind="document_batch",
        title="批量出具：立项建设通知（3 份）",
        params={"kind": "approval_notice", "ids": ids},
        requested_by=people.bureau,
        total=3,
    )
    issued = IssuedDocument.objects.filter(
        kind="approval_notice", content_type=ContentType.objects.get_for_model(PilotBase)
    )
    # Someone holds the second base's row: the worker issues the first document, then waits there.
    holder = psycopg.connect(_database_url().replace("postgres://", "postgresql://", 1))
    holder.execute("SELECT 1 FROM bases_pilotbase WHERE id = %s FOR UPDATE", [ids[1]])
    first = start_worker(queue, pool="solo", env=_worker_env())
    second = None
    try:
        run_background_job.apply_async(args=[job.pk], queue=queue)

        def waiting_on_the_second():
            assert first.poll() is None, worker_output(first)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                return issued.count() == 1 and cursor.fetchone()[0] == 1

        wait_for(waiting_on_the_second, 120, what="the worker to issue one document and wait")
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker, mid-batch
        first.wait(timeout=10)
        holder.rollback()
        job.refresh_from_db()
        assert (job.state, job.done) == ("running", 1)

        # Another worker takes the abandoned message once it is older than the visibility timeout.
        second = start_worker(queue, pool="solo", env=_worker_env(visibility_timeout=3))

        def finished():
            assert second.poll() is None, worker_output(second)
            job.refresh_from_db()
            return job.state == "done"

        wait_for(finished, 120, what="the second worker to finish the batch")
    finally:
        holder.close()
        stop_worker(first)
        if second is not None:
            stop_worker(second)
    assert (job.done, job.total, job.errors) == (3, 3, "")
    assert sorted(issued.values_list("object_id", flat=True)) == sorted(ids)  # one document each
    assert sorted(issued.values_list("sequence", flat=True)) == [1, 2, 3]  # no number used twice
