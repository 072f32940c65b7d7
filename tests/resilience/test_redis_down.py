"""Redis down (resilience): with the broker, the result store and the cache all on a
redis-server that has just been killed, a signed-in person reads pages and takes a step; the step
commits with its log, the notifications are stored and e-mailed in-process (or, with the mail server
down too, by the daily retry job later); once Redis is back the same process queues through it
again, without a restart."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog
from redis.exceptions import ConnectionError as RedisConnectionError

from bases.models import PilotBase
from portal.notifications.models import Notification
from tests.factories import PilotBaseFactory
from tests.resilience.conftest import free_port, point_celery_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_for_everything(private_redis, settings):
    """The cache and Celery's broker on the private redis-server, as with REDIS_URL in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    point_celery_at(private_redis.url)
    cache.set("probe", "up")
    assert cache.get("probe") == "up"  # the cache really is that Redis
    yield private_redis
    point_celery_at(None)


def _return(client, base, capture):
    with capture(execute=True):
        return client.post(
            reverse("bases:step", args=[base.pk, "supervisor_return"]),
            {"expected_status": "submitted", "comment": "请补充近三年审计报告。"},
        )


def _publishing_gives_up_at_once():
    """What keeps a page from waiting for a dead broker, read from the app the page publishes with:
    one publish retry at most, no result subscription, short socket timeouts. (How long a page then
    takes is measured by `make bench`, never asserted against the wall clock in a test.)"""
    from portal.celery import app

    policy = app.conf.task_publish_retry_policy
    assert policy["max_retries"] <= 1 and policy["interval_max"] <= 0.5
    assert app.conf.task_ignore_result is True
    assert app.conf.broker_connection_timeout <= 2 and app.conf.redis_socket_connect_timeout <= 2


def test_with_redis_killed_pages_and_a_step_work_and_the_mail_is_sent_in_process(
    client, people, redis_for_everything, django_capture_on_commit_callbacks
):
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    redis_for_everything.kill()
    with pytest.raises(RedisConnectionError):
        cache.get("probe")  # the outage is real

    client.force_login(people.supervisor_a)
    for url in [
        reverse("home"),
        reverse("workspace"),
        reverse("bases:list"),
        reverse("bases:detail", args=[base.pk]),
        reverse("notifications:list"),
        reverse("roster"),
    ]:
        assert client.get(url).status_code == 200, url

    response = _return(client, base, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    _publishing_gives_up_at_once()
    base.refresh_from_db()
    assert base.status == "returned"
    assert StateLog.objects.for_(base).filter(transition="supervisor_return").count() == 1
    notes = Notification.objects.filter(target_id=base.pk)
    assert notes.count() >= 1 and all(n.emailed_at for n in notes)
    assert len(mail.outbox) == notes.count()

    # the dashboard caches its figures in Redis: without it they are computed
    client.force_login(people.bureau)
    assert client.get(reverse("dashboard")).status_code == 200
    # a create form checks its one-time token in the cache: without it the post is handled as usual
    client.force_login(people.staff_a)
    page = client.get(reverse("bases:create")).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    created = client.post(
        reverse("bases:create"),
        {"rd_direction": "高端装备", "name": "忻州市高端装备中试基地", "form_token": token},
    )
    assert created.status_code == 302
    assert PilotBase.objects.filter(name="忻州市高端装备中试基地").count() == 1


def test_when_redis_comes_back_the_same_process_queues_through_it_again(
    client, people, redis_for_everything, django_capture_on_commit_callbacks
):
    during, after = (PilotBaseFactory(host=people.host_a, submitted=True) for _ in range(2))
    client.force_login(people.supervisor_a)
    redis_for_everything.kill()
    assert _return(client, during, django_capture_on_commit_callbacks).status_code == 302
    sent_in_process = len(mail.outbox)
    assert sent_in_process >= 1

    redis_for_everything.start()  # same port, no restart of anything on our side
    assert _return(client, after, django_capture_on_commit_callbacks).status_code == 302
    queued = Notification.objects.filter(target_id=after.pk)
    assert len(mail.outbox) == sent_in_process  # not sent here: handed to the broker
    assert redis_for_everything.llen("celery") == queued.count() >= 1
    cache.set("probe", "back")
    assert cache.get("probe") == "back"


def test_with_redis_and_the_mail_server_down_the_mail_goes_out_with_the_daily_retry(
    client, people, redis_for_everything, django_capture_on_commit_callbacks, settings
):
    from portal.notifications.jobs import retry_unsent_emails

    base = PilotBaseFactory(host=people.host_a, submitted=True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    client.force_login(people.supervisor_a)
    redis_for_everything.kill()
    assert _return(client, base, django_capture_on_commit_callbacks).status_code == 302
    base.refresh_from_db()
    notes = Notification.objects.filter(target_id=base.pk)
    assert base.status == "returned" and notes.count() >= 1
    assert not notes.filter(emailed_at__isnull=False).exists()  # kept, not lost, not sent

    # Later: the mail server answers again and the worker runs (eagerly here) the daily retry.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    point_celery_at(None)
    retry_unsent_emails(as_of=timezone.localdate() + timedelta(days=1))
    assert notes.filter(emailed_at__isnull=True).count() == 0
    assert len(mail.outbox) == notes.count()
