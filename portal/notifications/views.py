"""The notification centre: a person's own notifications, newest first; opening one marks it read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.notifications.models import ALWAYS_EMAILED, Notification, NotificationKind
from portal.notifications.services import (
    email_preferences_for,
    email_preferences_set,
    notification_mark_read,
    notifications_mark_all_read,
)

PAGE_SIZE = 20


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    queryset = Notification.objects.filter(recipient=request.user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(queryset.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list, "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one's own notification read and go to what it is about (only a link inside the portal)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    """Which kinds of notification also come by e-mail (deadline warnings always do)."""
    if request.method == "POST":
        email_preferences_set(
            user=request.user,
            enabled={kind: request.POST.get(kind) == "on" for kind in NotificationKind.values},
        )
        messages.success(request, _("已保存邮件通知设置。"))
        return redirect("notifications:preferences")
    chosen = email_preferences_for(request.user)
    rows = [(kind, label, chosen[kind], kind in ALWAYS_EMAILED) for kind, label in NotificationKind.choices]
    return render(
        request, "notifications/preferences.html", {"rows": rows, "has_email": bool(request.user.email)}
    )
