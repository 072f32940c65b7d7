"""The reviews app's daily jobs: close public notices whose period ended, and remind of
notices ending, objections waiting and expert scoring due. Each returns one line per action."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bases.selectors import bureau_users
from portal import workdays
from portal.parameters import day_list, get_parameter
from portal.scheduling.reminders import Reminder, remind_all, report
from reviews.models import Objection, Panel, PanelMember, PublicNotice
from reviews.services import notices as notice_services

CLOSING_RULE = "定时任务：公示期满自动办结（第八条第（三）项）"


def close_ended_notices(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Art. 8-3: every notice whose period ended before as_of is closed; a base with a pending
    objection waits (the bureau is told once)."""
    now = datetime.combine(as_of, time(0, 30), tzinfo=workdays.SHANGHAI)
    lines = []
    for notice in PublicNotice.objects.filter(state=PublicNotice.State.PUBLISHED, ends_on__lt=as_of).order_by(
        "pk"
    ):
        if dry_run:
            lines.append(f"将办结公示《{notice.title}》（{notice.ends_on} 期满）")
            continue
        result = notice_services.notice_close(actor=None, notice=notice, now=now, actor_label=CLOSING_RULE)
        if result.cleared or result.rejected:
            counts = f"无异议 {len(result.cleared)} 个，异议成立 {len(result.rejected)} 个"
            waiting = f"，待处理异议 {len(result.blocked)} 个" if result.blocked else ""
            lines.append(f"办结公示《{notice.title}》：{counts}{waiting}")
    return lines


def remind_notice_ending(*, as_of: date, dry_run: bool = False) -> list[str]:
    """The bureau: a notice's period ends within the next N days (once per notice)."""
    ahead = as_of + timedelta(days=get_parameter("notice_ending_reminder_days"))
    bureau = list(bureau_users())
    reminders = [
        Reminder(
            recipients=bureau,
            dedup_key=f"notice-ending:{notice.pk}",
            title=(_("公示即将期满：%(title)s"), {"title": notice.title}),
            body=(_("公示期至 %(on)s 24:00 止，期满后由系统自动办结。"), {"on": notice.ends_on.isoformat()}),
            url=reverse("reviews:notice_detail", args=[notice.pk]),
            target=notice,
            line=f"提醒公示即将期满《{notice.title}》：{{n}} 人",
        )
        for notice in PublicNotice.objects.filter(
            state=PublicNotice.State.PUBLISHED, ends_on__gte=as_of, ends_on__lte=ahead
        )
    ]
    return report(remind_all(reminders, dry_run=dry_run))


def remind_objections_waiting(*, as_of: date, dry_run: bool = False) -> list[str]:
    """The bureau: an objection still pending N days after it was lodged (once per objection)."""
    cutoff = datetime.combine(as_of - timedelta(days=get_parameter("objection_reminder_days")), time.max)
    cutoff = cutoff.replace(tzinfo=workdays.SHANGHAI)
    bureau = list(bureau_users())
    reminders = [
        Reminder(
            recipients=bureau,
            dedup_key=f"objection-waiting:{objection.pk}",
            title=(_("公示异议待处理：%(no)s"), {"no": objection.receipt_no}),
            body=(
                _("对“%(name)s”的异议尚未核查处理，该基地的公示不能办结。"),
                {"name": objection.entry.base.name},
            ),
            url=reverse("reviews:objection_detail", args=[objection.pk]),
            target=objection,
            line=f"提醒异议待处理 {objection.receipt_no}：{{n}} 人",
        )
        for objection in Objection.objects.filter(
            state=Objection.State.PENDING, submitted_at__lte=cutoff
        ).select_related("entry__base")
    ]
    return report(remind_all(reminders, dry_run=dry_run))


def remind_scoring_due(*, as_of: date, dry_run: bool = False) -> list[str]:
    """Experts whose answer or sheets are outstanding: the due date in 3/1 days (parameter) and
    overdue; the bureau once when a panel's due date passed with sheets missing."""
    thresholds = day_list("scoring_reminder_days")
    horizon = as_of + timedelta(days=max(thresholds, default=0))
    members = (
        PanelMember.objects.filter(panel__state=Panel.State.SCORING, panel__due_on__lte=horizon)
        .exclude(state=PanelMember.State.DECLINED)
        .select_related("panel", "expert__user")
        .annotate(
            bases=Count("panel__panel_bases", distinct=True),
            submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False), distinct=True),
        )
    )
    reminders, late_panels = [], {}
    for member in members:
        if member.state == PanelMember.State.ACCEPTED and member.submitted >= member.bases:
            continue
        panel = member.panel
        left = (panel.due_on - as_of).days
        if left < 0:
            key, title = f"scoring-overdue:{member.pk}", _("评分已逾期：%(title)s")
            late_panels[panel.pk] = panel
        else:
            due_marks = [d for d in thresholds if left <= d]
            if not due_marks:
                continue
            key, title = f"scoring-due-{min(due_marks)}:{member.pk}", _("评分即将截止：%(title)s")
        reminders.append(
            Reminder(
                recipients=[member.expert.user],
                dedup_key=key,
                title=(title, {"title": panel.title}),
                body=(_("评分截止日期为 %(on)s，请及时确认并提交评分表。"), {"on": panel.due_on.isoformat()}),
                url=reverse("reviews:my_panel", args=[panel.pk]),
                target=panel,
                kind="deadline",
                line=f"提醒专家 {member.expert.user.full_name}（{panel.title}）：{key.split(':')[0]}",
            )
        )
    bureau = list(bureau_users()) if late_panels else []
    reminders += [
        Reminder(
            recipients=bureau,
            dedup_key=f"panel-overdue:{panel.pk}",
            title=(_("专家评分逾期：%(title)s"), {"title": panel.title}),
            body=(_("评分截止日期 %(on)s 已过，仍有专家未提交评分表。"), {"on": panel.due_on.isoformat()}),
            url=reverse("reviews:panel_detail", args=[panel.pk]),
            target=panel,
            kind="deadline",
            line=f"提醒市科技局评分逾期（{panel.title}）：{{n}} 人",
        )
        for panel in late_panels.values()
    ]
    return report(remind_all(reminders, dry_run=dry_run))
