"""The operations view: recent runs of the daily jobs with their counts and errors, the
e-mails still waiting to be delivered, and running today's jobs by hand. Admins only (404 for others)."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_celery_beat.models import PeriodicTask

from portal.accounts.permissions import is_admin
from portal.notifications.models import Notification
from portal.scheduling.jobs import run_daily_jobs
from portal.scheduling.models import JobRun
from portal.views import pages_for

_admin_page = pages_for(is_admin)


@_admin_page(require_GET)
def operations(request):
    runs = JobRun.objects.all()
    if request.GET.get("errors") == "1":
        runs = runs.exclude(error="")
    page = Paginator(runs, 30).get_page(request.GET.get("page"))
    day_ago = timezone.now() - timedelta(days=1)
    context = {
        "page_obj": page,
        "runs": page.object_list,
        "errors_only": request.GET.get("errors") == "1",
        "unsent": Notification.objects.filter(emailed_at__isnull=True, created_at__lt=day_ago)
        .exclude(recipient__email="")
        .count(),
        "schedules": PeriodicTask.objects.filter(
            task="portal.scheduling.tasks.run_daily_jobs"
        ).select_related("crontab"),
        "failed_recently": JobRun.objects.filter(started_at__gte=day_ago).exclude(error="").count(),
    }
    return render(request, "scheduling/operations.html", context)


@_admin_page(require_POST)
def run_now(request):
    results = run_daily_jobs(trigger="admin")
    failed = [r.name for r in results if r.error]
    total = sum(len(r.lines) for r in results)
    if failed:
        messages.error(request, _("以下任务运行失败：%(names)s") % {"names": ", ".join(failed)})
    messages.success(request, _("已运行今天的定时任务，共处理 %(n)d 项。") % {"n": total})
    return redirect("operations:index")
