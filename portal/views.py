"""Platform pages: the public home, the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    from bases.selectors import public_roster

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
    from bases.deadlines import Due
    from bases.selectors.steps import recent_activity_for
    from bases.selectors.workspace import base_todos_for, filing_todos_for
    from reviews.selectors import review_tasks_for

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
            "can_create": request.user.is_host_user,
        },
    )


@require_GET
def measures_view(request):
    """The Measures' full text, with an anchor per article (#art-7)."""
    from portal.measures import measures

    return render(request, "portal/measures.html", {"measures": measures()})


@require_GET
def contact(request):
    """The bureau's address and phone (its organisation record) and office hours (parameter
    office_hours), as the bureau configured them; an empty state while none is set."""
    from portal.accounts.models import Organisation, OrganisationKind
    from portal.parameters import get_parameter

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
    from portal.guides import GUIDES

    return render(request, "portal/guide_index.html", {"guides": GUIDES.values()})


@require_GET
def guide_detail(request, slug):
    from django.http import Http404

    from portal.guides import GUIDES, deadlines

    guide = GUIDES.get(slug)
    if guide is None:
        raise Http404
    return render(request, "portal/guide.html", {"guide": guide, "deadlines": deadlines(guide)})


@login_required
@require_GET
def dashboard(request):
    """The bureau's dashboard, the supervisor's over its jurisdiction, the host's over its bases."""
    from bases.selectors import base_list_for
    from portal.dashboards import figures_for, host_overview

    bases = base_list_for(request.user)
    if request.user.is_host_user:
        # A page of the unit's bases: a unit with many bases pages through them like the bases list.
        from django.core.paginator import Paginator

        page = Paginator(bases.order_by("name", "pk"), 20).get_page(request.GET.get("page"))
        return render(
            request, "portal/dashboard_host.html", {"rows": host_overview(page.object_list), "page_obj": page}
        )
    if not (request.user.is_bureau_user or request.user.is_supervisor_user or request.user.role == "admin"):
        from django.http import Http404

        raise Http404
    from bases.jobs import measures_validity_notice

    notice = measures_validity_notice(timezone.localdate()) if not request.user.is_supervisor_user else None
    return render(
        request, "portal/dashboard.html", {"d": figures_for(request.user, bases), "measures_notice": notice}
    )
