"""Re-seed the working-day calendar from the holiday library (run after upgrading chinesecalendar)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.models import CalendarDay, CalendarSource, CalendarYear
from portal.text import join_list
from portal.workdays import calendar_changed, sync_calendar_from_library


class Command(BaseCommand):
    help = _("从节假日库（chinesecalendar）同步法定节假日和调休上班日；管理员录入的日期保持不变。")

    def handle(self, *args, **options):
        days_written, years = sync_calendar_from_library(CalendarDay, CalendarYear)
        first, last = years[0], years[-1]
        admin_days = CalendarDay.objects.filter(
            source=CalendarSource.ADMIN, day__year__gte=first, day__year__lte=last
        ).count()
        self.stdout.write(
            _("节假日库覆盖%(first)d–%(last)d年，共%(count)d年。")
            % {"first": first, "last": last, "count": len(years)}
        )
        if days_written:
            calendar_changed(years)  # open notices' end dates follow the corrected calendar (Art. 8-3)
            self.stdout.write(
                self.style.SUCCESS(_("已写入、更新或删除%(n)d条节假日库记录。") % {"n": days_written})
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("日历已是最新，没有需要改动的记录。")))
        if admin_days:
            self.stdout.write(_("管理员录入的%(n)d天保持不变（管理员录入优先）。") % {"n": admin_days})
        later = CalendarYear.objects.filter(year__gt=last).values_list("year", flat=True)
        self.stdout.write(
            _("%(year)d年以后的节假日安排不在节假日库中，已录入的年份：%(entered)s；其余年份仅按周末计算。")
            % {"year": last, "entered": join_list(later) or _("无")}
        )
