"""E-mail delivery: per-kind e-mail choices (deadline warnings always sent), nothing lost
when Redis is down while a page is served, and a real Celery worker against the real broker."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from portal.celery import app
from portal.notifications.models import EmailPreference, Notification
from portal.notifications.services import email_preferences_set, notify
from portal.scheduling.jobs import DAILY_JOBS
from portal.scheduling.models import JobRun

pytestmark = pytest.mark.django_db


def test_email_off_for_a_kind_keeps_the_portal_notification(people, django_capture_on_commit_callbacks):
    email_preferences_set(
        user=people.staff_a, enabled={"workflow": True, "review": False, "notice": True, "deadline": False}
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[people.staff_a], title="评审邀请", kind="review")
        notify(recipients=[people.staff_a], title="期限预警", kind="deadline")
        notify(recipients=[people.staff_a], title="办理进展", kind="workflow")
    assert Notification.objects.filter(recipient=people.staff_a).count() == 3
    assert sorted(m.subject.split("】")[1] for m in mail.outbox) == ["办理进展", "期限预警"]
    assert not EmailPreference.objects.filter(kind="deadline").exists()


def test_preferences_page_saves_choices_and_keeps_deadlines_on(client, people):
    client.force_login(people.staff_a)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="deadline"' in page and "disabled" in page
    client.post(reverse("notifications:preferences"), {"workflow": "on", "notice": "on"})
    chosen = dict(EmailPreference.objects.filter(user=people.staff_a).values_list("kind", "enabled"))
    assert chosen == {"workflow": True, "review": False, "notice": True, "reminder": False}


@pytest.fixture
def broker_down():
    """Celery pointed at a port where no Redis listens, publishing for real (not eagerly)."""
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:6390/0", False
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


def test_redis_down_the_page_renders_the_step_commits_and_the_mail_is_sent_in_process(
    client, people, broker_down, django_capture_on_commit_callbacks
):
    from tests.factories import PilotBaseFactory

    base = PilotBaseFactory(host=people.host_a, submitted=True)
    client.force_login(people.supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bases:step", args=[base.pk, "supervisor_return"]),
            {"expected_status": "submitted", "comment": "请补充近三年审计报告。"},
        )
    assert response.status_code == 302
    base.refresh_from_db()
    assert base.status == "returned"
    notes = Notification.objects.filter(target_id=base.pk)
    assert notes.count() == 2 and all(n.emailed_at for n in notes)
    assert len(mail.outbox) == 2


def test_an_email_that_could_not_be_sent_is_retried_by_the_daily_job(people, broker_down, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from portal.scheduling.jobs import run_daily_jobs

    [n] = notify(recipients=[people.staff_a], title="待办提醒")  # no on_commit run: never sent
    assert n.emailed_at is None
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - timedelta(days=1))
    run_daily_jobs(as_of=timezone.localdate())
    n.refresh_from_db()
    assert n.emailed_at is not None and len(mail.outbox) == 1
    assert JobRun.objects.get(job="retry_unsent_emails").actions == 1


REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.skipif(
    not (REDIS_URL and ON_POSTGRES),
    reason="a worker process needs the shared PostgreSQL test database and REDIS_URL (CI's main run)",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_tasks_from_redis_and_writes_to_postgresql(people):
    """Start `celery worker` as its own process on a private queue, send tasks through Redis, and see
    their effect in the database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "-c",
            "1",
            "-l",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = REDIS_URL, False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        [n] = notify(recipients=[people.staff_a], title="经由队列发送的通知")
        from portal.notifications.tasks import deliver_notification_email
        from portal.scheduling.tasks import run_daily_jobs

        deliver_notification_email.apply_async(args=[n.pk], queue=queue)
        run_daily_jobs.apply_async(queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            n.refresh_from_db()
            if n.emailed_at and JobRun.objects.filter(trigger="beat").count() >= len(DAILY_JOBS):
                break
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.5)
        assert n.emailed_at is not None, "the worker did not deliver the e-mail"
        assert JobRun.objects.filter(trigger="beat").count() == len(DAILY_JOBS)
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None
        app.amqp._producer_pool = None
        worker.terminate()
        worker.wait(timeout=30)
