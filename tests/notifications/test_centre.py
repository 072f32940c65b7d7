"""The notification centre: one's own notifications only, opening marks read, links stay inside."""

import pytest
from django.urls import reverse

from portal.notifications.models import Notification
from portal.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_centre_lists_only_ones_own_notifications(client, people):
    notify(recipients=[people.staff_a], title="给甲的通知", url="/bases/1/")
    notify(recipients=[people.staff_b], title="给乙的通知")
    client.force_login(people.staff_a)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "给甲的通知" in html and "给乙的通知" not in html


def test_opening_marks_read_and_follows_the_link(client, people):
    [n] = notify(recipients=[people.staff_a], title="待办", url="/workspace/")
    client.force_login(people.staff_a)
    response = client.post(reverse("notifications:open", args=[n.pk]))
    assert response.url == "/workspace/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_someone_elses_notification_is_a_404(client, people):
    [n] = notify(recipients=[people.staff_b], title="乙的")
    client.force_login(people.staff_a)
    assert client.post(reverse("notifications:open", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_a_link_outside_the_portal_is_not_followed(client, people):
    [n] = notify(recipients=[people.staff_a], title="外链", url="https://evil.example.com/")
    client.force_login(people.staff_a)
    assert client.post(reverse("notifications:open", args=[n.pk])).url == reverse("notifications:list")


def test_mark_all_read_and_the_unread_filter(client, people):
    notify(recipients=[people.staff_a], title="一")
    notify(recipients=[people.staff_a], title="二")
    client.force_login(people.staff_a)
    assert "2 条未读" in client.get("/workspace/").content.decode()
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=people.staff_a, read_at__isnull=True).exists()
    assert "暂无通知" in client.get(reverse("notifications:list") + "?unread=1").content.decode()
