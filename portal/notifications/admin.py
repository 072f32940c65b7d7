from django.contrib import admin

from portal.admin import BoundedCountAdmin
from portal.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(BoundedCountAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at", "emailed_at"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
