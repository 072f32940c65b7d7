"""Seed the working-day calendar from the chinesecalendar holiday library (2004 to its last year).

Uses the historical models; rows an administrator entered (source=admin) are never overwritten.
The same function backs ``manage.py sync_calendar``, to be run after upgrading the library.
"""

from django.db import migrations


def seed_calendar(apps, schema_editor):
    from portal.workdays import sync_calendar_from_library

    sync_calendar_from_library(
        apps.get_model("portal", "CalendarDay"), apps.get_model("portal", "CalendarYear")
    )


def unseed_calendar(apps, schema_editor):
    apps.get_model("portal", "CalendarDay").objects.filter(source="library").delete()
    apps.get_model("portal", "CalendarYear").objects.filter(source="library").delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(seed_calendar, unseed_calendar)]
