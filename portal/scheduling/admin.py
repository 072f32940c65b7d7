from django.contrib import admin

from portal.admin import AuditLogAdmin
from portal.scheduling.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(AuditLogAdmin):
    """Run records are written by the runner only."""

    list_display = ["job", "as_of", "trigger", "dry_run", "started_at", "actions", "error"]
    list_filter = ["trigger", "dry_run", ("as_of", admin.DateFieldListFilter)]
    search_fields = ["job"]
