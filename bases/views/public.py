"""The public roster of municipal pilot bases (anonymous): recognised bases with filters and search,
and revoked ones as history. Only what the bureau publishes: no person, phone or e-mail."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bases.models import PilotBase, Status
from bases.selectors import public_roster
from portal.accounts.models import Region


@require_GET
def roster(request):
    county = request.GET.get("county", "")
    q = (request.GET.get("q") or "").strip()[:50]
    bases = public_roster().select_related("host").order_by("-recognized_on", "name")
    if county in Region.values:
        bases = bases.filter(host__region=county)
    if q:
        bases = bases.filter(Q(name__icontains=q) | Q(host__name__icontains=q) | Q(rd_direction__icontains=q))
    # `status` among the columns read: the state machine's mixin reads it when a row is loaded, and a
    # deferred one would cost a query per row.
    page = Paginator(
        bases.only("name", "status", "rd_direction", "recognized_on", "host__name", "host__region"), 30
    )
    revoked = (
        PilotBase.objects.filter(status=Status.REVOKED, recognized_on__isnull=False)
        .select_related("host")
        .only(
            "name",
            "status",
            "revoked_on",
            "revocation_reason",
            "revocation_article",
            "host__name",
            "recognized_on",
        )
        .order_by("-revoked_on")[:50]
    )
    return render(
        request,
        "bases/roster.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "regions": Region.choices,
            "county": county,
            "q": q,
            "revoked": revoked,
        },
    )
