from django.contrib import admin

from portal.scheduling.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Run records are written by the runner only."""

    list_display = ["job", "as_of", "trigger", "dry_run", "started_at", "actions", "error"]
    list_filter = ["job", "trigger", "dry_run"]
    date_hierarchy = "as_of"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
