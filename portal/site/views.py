"""The site's own pages, composed from every app: the public home, the health check, the workspace,
the Measures, the contact page, the guides and the dashboards."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bases import policy
from bases.deadlines import Due
from bases.jobs import measures_validity_notice
from bases.selectors import base_list_for, public_roster
from bases.selectors.steps import recent_activity_for
from bases.selectors.workspace import base_todos_for, filing_todos_for
from portal.accounts.models import Organisation, OrganisationKind
from portal.accounts.permissions import is_admin, is_bureau, is_host, is_supervisor
from portal.guides import GUIDES, Guide
from portal.measures import measures
from portal.parameters import get_parameter, get_parameters
from portal.site.dashboards import figures_for, host_overview
from reviews.selectors import review_tasks_for


@require_GET
def home(request):
    roster_count = public_roster().count()  # the roster's own rows, so the two pages agree
    return render(request, "portal/home.html", {"roster_count": roster_count})


@never_cache
@require_GET
def healthz(request):
    """For load balancers and compose health checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def workspace(request):
    """我的待办: what waits for this user now, and recent activity in their scope."""
    today = timezone.localdate()
    todos = base_todos_for(request.user, today=today)
    review_tasks = review_tasks_for(request.user)
    for member in review_tasks:
        member.due = Due(member.panel.due_on, today)  # the panel's scoring due date
    review_tasks = sorted(review_tasks, key=lambda m: m.due.sort_key)
    filings = filing_todos_for(request.user)
    return render(
        request,
        "portal/workspace.html",
        {
            "todos": todos,
            "todo_total": sum(group.count for group in todos) + len(review_tasks) + len(filings),
            "filing_todos": filings,
            "review_tasks": review_tasks,
            "activity": recent_activity_for(request.user),
            "can_create": is_host(request.user),
        },
    )


@require_GET
def measures_view(request):
    """The Measures' full text, with an anchor per article (#art-7)."""
    return render(request, "portal/measures.html", {"measures": measures()})


@require_GET
def contact(request):
    """The bureau's address and phone (its organisation record) and office hours (parameter
    office_hours), as the bureau configured them; an empty state while none is set."""
    bureau = Organisation.objects.filter(kind=OrganisationKind.BUREAU).first()
    supervisors = Organisation.objects.filter(kind=OrganisationKind.SUPERVISOR).order_by("region", "name")
    return render(
        request,
        "portal/contact.html",
        {"bureau": bureau, "supervisors": supervisors, "office_hours": get_parameter("office_hours")},
    )


@require_GET
def guide_index(request):
    """办事指南: the processes, each with its own page."""
    return render(request, "portal/guide_index.html", {"guides": GUIDES.values()})


@require_GET
def guide_detail(request, slug):
    guide = GUIDES.get(slug)
    if guide is None:
        raise Http404
    return render(request, "portal/guide.html", {"guide": guide, "deadlines": guide_deadlines(guide)})


def guide_deadlines(guide: Guide) -> list[str]:
    """The guide's deadlines in words: the Measures' periods (bases.policy) and the parameters as
    configured today."""
    keys = [
        key
        for key in guide.deadline_keys
        if key not in ("construction", "extension", "acceptance", "annual_report")
    ]
    if "annual_report" in guide.deadline_keys:
        keys += ["annual_report_due_month", "annual_report_due_day"]
    values = get_parameters(keys)
    lines = []
    for key in guide.deadline_keys:
        if key == "construction":
            lines.append(
                _("建设期自批准建设之日起不超过 %(months)d 个月（第八条第（四）项）。")
                % {"months": policy.CONSTRUCTION_PERIOD_MONTHS}
            )
        elif key == "extension":
            lines.append(
                _("延期最多 %(months)d 个月，每个基地只能延期一次；建设期满前提出（第八条第（四）项）。")
                % {"months": policy.MAX_EXTENSION_MONTHS}
            )
        elif key == "failed_acceptance_extension_months":
            lines.append(
                _("验收未通过且尚未延期的，自验收结论之日起 %(months)d 个月内可申请延期。")
                % {"months": values[key]}
            )
        elif key == "acceptance":
            lines.append(
                _(
                    "建设期满后 %(months)d 个月内提出验收申请（第八条第（四）项）；"
                    "延期后仍未通过验收的予以撤销。"
                )
                % {"months": policy.ACCEPTANCE_WINDOW_MONTHS}
            )
        elif key == "returned_filing_resubmit_days":
            lines.append(
                _("被退回修改的，自退回之日起 %(days)d 天内修改后重新提交。") % {"days": values[key]}
            )
        elif key == "notice_working_days":
            lines.append(
                _("公示期为 %(days)d 个工作日，异议须在公示期内提出（第八条第（三）项）。")
                % {"days": values[key]}
            )
        elif key == "objection_hourly_limit":
            lines.append(_("同一地址每小时最多提交 %(n)d 次异议。") % {"n": values[key]})
        elif key == "annual_report":
            lines.append(
                _("上年度报告于每年 %(month)d 月 %(day)d 日前报送（第十五条）。")
                % {"month": values["annual_report_due_month"], "day": values["annual_report_due_day"]}
            )
        elif key == "annual_report_grace_days":
            lines.append(
                _("逾期 %(days)d 天仍未报送的，可按未报送考核为不合格（第十六条）。") % {"days": values[key]}
            )
    return lines


@login_required
@require_GET
def dashboard(request):
    """The bureau's dashboard, the supervisor's over its jurisdiction, the host's over its bases."""
    bases = base_list_for(request.user)
    if is_host(request.user):
        # A page of the unit's bases: a unit with many bases pages through them like the bases list.
        page = Paginator(bases.order_by("name", "pk"), 20).get_page(request.GET.get("page"))
        return render(
            request, "portal/dashboard_host.html", {"rows": host_overview(page.object_list), "page_obj": page}
        )
    if not (is_bureau(request.user) or is_supervisor(request.user) or is_admin(request.user)):
        raise Http404
    notice = measures_validity_notice(timezone.localdate()) if not is_supervisor(request.user) else None
    return render(
        request, "portal/dashboard.html", {"d": figures_for(request.user, bases), "measures_notice": notice}
    )
