"""The transition log is an audit trail: visible to admins, never added, edited or deleted."""

from django.contrib import admin
from django_fsm_log.models import StateLog

from portal.admin import AuditLogAdmin
from portal.workflow.models import TransitionRecord


@admin.register(TransitionRecord)
class TransitionRecordAdmin(AuditLogAdmin):
    list_display = [
        "state_log",
        "actor_role",
        "actor_organisation",
        "actor_label",
        "reason_code",
        "created_at",
    ]
    list_filter = ["actor_role", "reason_code"]


# django-fsm-log registers an admin for StateLog that allows deletion; replace it with a read-only one.
if admin.site.is_registered(StateLog):
    admin.site.unregister(StateLog)


@admin.register(StateLog)
class StateLogAdmin(AuditLogAdmin):
    list_display = ["timestamp", "content_type", "object_id", "transition", "source_state", "state", "by"]
    list_filter = ["content_type", "transition", "state"]
    date_hierarchy = "timestamp"
