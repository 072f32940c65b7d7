"""Every transition notifies the right people in the portal, and by e-mail once the step commits."""

import pytest
from django.core import mail

from bases import services
from portal.notifications.models import Notification
from portal.notifications.services import notify
from portal.notifications.tasks import deliver_notification_email
from portal.site.demo.application import fill_complete_application
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_submission_notifies_the_supervisor_of_the_jurisdiction_only(
    people, django_capture_on_commit_callbacks
):
    base = fill_complete_application(actor=people.staff_a, base=PilotBaseFactory(host=people.host_a))
    with django_capture_on_commit_callbacks(execute=True):
        services.base_submit(actor=people.approver_a, base=base)
    to_a = Notification.objects.get(recipient=people.supervisor_a)
    assert to_a.title == f"待推荐：{base.name}"
    assert to_a.target == base
    assert not Notification.objects.filter(recipient=people.supervisor_b).exists()
    assert [m.to for m in mail.outbox] == [[people.supervisor_a.email]]
    assert "待推荐" in mail.outbox[0].subject
    to_a.refresh_from_db()
    assert to_a.emailed_at is not None


def test_nothing_is_sent_when_the_step_is_rolled_back(people, django_capture_on_commit_callbacks):
    base = PilotBaseFactory(host=people.host_a)  # incomplete: the submit is refused
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.TransitionRefused):
        services.base_submit(actor=people.approver_a, base=base)
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_return_notifies_the_host_unit(people):
    base = PilotBaseFactory(host=people.host_a, submitted=True)
    services.base_supervisor_return(actor=people.supervisor_a, base=base, reason="请补充审计报告")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"staff_a", "approver_a"}
    assert Notification.objects.filter(body="请补充审计报告").count() == 2


def test_a_milestone_is_notified_at_most_once_per_person(people):
    for _ in range(2):
        notify(recipients=[people.staff_a], title="建设期限还有90天", dedup_key="deadline-90:base:1")
    assert Notification.objects.filter(recipient=people.staff_a).count() == 1


def test_email_is_delivered_once_even_if_the_task_runs_twice(people):
    [n] = notify(recipients=[people.staff_a], title="测试通知", body="正文", url="/bases/1/")
    assert deliver_notification_email(n.pk) is True
    assert deliver_notification_email(n.pk) is False
    assert len(mail.outbox) == 1
    assert "/bases/1/" in mail.outbox[0].body


def test_notifications_are_written_in_chinese_whatever_the_actor_browses_in(people):
    from django.utils import translation

    base = PilotBaseFactory(host=people.host_a, submitted=True)
    with translation.override("en"):
        services.base_supervisor_return(actor=people.supervisor_a, base=base, reason="请补充材料")
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles == {f"申请被退回修改：{base.name}"}


def test_a_revocation_notice_names_reason_and_article(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True)
    services.base_revoke(actor=people.bureau, base=base, reason_code="evaluation_failed", note="评估不合格")
    body = Notification.objects.filter(recipient=people.staff_a).get().body
    assert body == "撤销原因：三年评估不合格（依据第十七条）。评估不合格"
