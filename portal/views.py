"""Platform pages: the public home, the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bases.models import PilotBase, Status


@require_GET
def home(request):
    roster_count = PilotBase.objects.filter(status=Status.RECOGNIZED).count()
    return render(request, "portal/home.html", {"roster_count": roster_count})


@never_cache
@require_GET
def healthz(request):
    """For load balancers and compose health checks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
