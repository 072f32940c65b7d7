from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bases.filters import BaseFilter
from bases.selectors import base_list_for

PAGE_SIZE = 20


@login_required
@require_GET
def base_list(request):
    """The bases in the user's scope, filtered, sorted and paginated; a bounded number of queries."""
    filterset = BaseFilter(request.GET, queryset=base_list_for(request.user))
    queryset = filterset.qs if filterset.is_valid() else base_list_for(request.user).none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bases/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "bases": page.object_list,
            "can_create": request.user.is_host_user,
        },
    )


@login_required
@require_GET
def base_export(request):
    """The list as Excel, with the same filters and the same scope."""
    from django.utils.translation import gettext as _

    from bases.exports import ROSTER_COLUMNS, roster_rows
    from portal.documents.excel import excel_response

    filterset = BaseFilter(request.GET, queryset=base_list_for(request.user))
    queryset = filterset.qs if filterset.is_valid() else base_list_for(request.user).none()
    return excel_response("中试基地名单", _("中试基地名单"), ROSTER_COLUMNS, roster_rows(queryset))
