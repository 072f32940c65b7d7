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
    list_filter = ["actor_role"]
    search_fields = ["reason_code", "actor_label"]


# django-fsm-log registers an admin for StateLog that allows deletion; replace it with a read-only one.
if admin.site.is_registered(StateLog):
    admin.site.unregister(StateLog)


@admin.register(StateLog)
class StateLogAdmin(AuditLogAdmin):
    list_display = ["timestamp", "content_type", "object_id", "transition", "source_state", "state", "by"]
    # At 100,000 bases the log has some 300,000 rows: no date hierarchy and no filter by every distinct
    # transition or state (each a scan of the whole log to build its links); the time filter and a
    # search ask only for what is shown, newest first on the primary key.
    list_filter = ["content_type", ("timestamp", admin.DateFieldListFilter)]
    search_fields = ["transition", "state"]
    list_select_related = ["content_type", "by"]
    ordering = ["-id"]
