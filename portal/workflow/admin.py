"""The transition log is an audit trail: visible to admins, never editable or deletable."""

from django.contrib import admin
from django_fsm_log.models import StateLog

from portal.workflow.models import TransitionRecord


@admin.register(TransitionRecord)
class TransitionRecordAdmin(admin.ModelAdmin):
    list_display = [
        "state_log",
        "actor_role",
        "actor_organisation",
        "actor_label",
        "reason_code",
        "created_at",
    ]
    list_filter = ["actor_role", "reason_code"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in TransitionRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-fsm-log registers an admin for StateLog that allows deletion; replace it with a read-only one.
if admin.site.is_registered(StateLog):
    admin.site.unregister(StateLog)


@admin.register(StateLog)
class StateLogAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "content_type", "object_id", "transition", "source_state", "state", "by"]
    list_filter = ["content_type", "transition", "state"]
    date_hierarchy = "timestamp"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in StateLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
