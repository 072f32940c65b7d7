from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bases.exports import ROSTER_COLUMNS, roster_rows
from bases.filters import BaseFilter
from bases.models import PRE_DECISION_STATES
from bases.selectors import base_list_for
from portal.accounts.permissions import is_host
from portal.documents.excel import excel_response
from portal.documents.issuing import BATCH_CANDIDATES, KINDS
from portal.documents.jobs import job_start
from portal.parameters import get_parameter

PAGE_SIZE = 20
LIST_COLUMNS = (
    "name",
    "status",
    "status_changed_at",
    "construction_mode",
    "application_year",
    "host__name",
    "host__region",
)


@login_required
@require_GET
def base_list(request):
    """The bases in the user's scope, filtered, sorted and paginated; a bounded number of queries."""
    filterset = BaseFilter(request.GET, queryset=base_list_for(request.user))
    queryset = filterset.qs if filterset.is_valid() else base_list_for(request.user).none()
    # Only the columns the rows show: an application's long texts stay in the database.
    queryset = queryset.select_related(None).select_related("host").only(*LIST_COLUMNS)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bases/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "bases": page.object_list,
            "can_create": is_host(request.user),
            "batch_kinds": _batch_kinds(),
        },
    )


@login_required
@require_GET
def base_export(request):
    """The list as Excel, with the same filters and the same scope."""
    filterset = BaseFilter(request.GET, queryset=base_list_for(request.user))
    queryset = filterset.qs if filterset.is_valid() else base_list_for(request.user).none()
    total = queryset.count()
    if total > get_parameter("export_background_rows"):
        job = job_start(
            kind="roster_export",
            title=_("导出中试基地名单（%(n)d 行）") % {"n": total},
            params={"query": request.GET.urlencode()},
            actor=request.user,
            total=total,
        )
        return redirect("bases:job", pk=job.pk)
    return excel_response("中试基地名单", _("中试基地名单"), ROSTER_COLUMNS, roster_rows(queryset))


def _batch_kinds():
    return [(key, KINDS[key].label) for key in BATCH_CANDIDATES]


@login_required
@require_GET
def applications_export(request):
    """Applications before the decision, by stage (state), in the user's scope."""
    queryset = (
        base_list_for(request.user).filter(status__in=PRE_DECISION_STATES).order_by("status", "applied_on")
    )
    return excel_response("申报情况", _("申报情况"), ROSTER_COLUMNS, roster_rows(queryset))
