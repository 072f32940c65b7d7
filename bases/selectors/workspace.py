"""The workspace (我的待办): what waits for a user, the bases by state and the filings, each item with
its due date (bases.deadlines)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bases.deadlines import Due, base_due_on, filing_due_on, parameters
from bases.extensions import DUE_ANNOTATIONS
from bases.filing_kinds import FILING_MODELS
from bases.models import FilingState, Status
from bases.selectors.filings import over_every_kind
from bases.selectors.scope import base_list_for, sees_every_base
from portal.accounts.models import Role, User


# --- the workspace (我的待办) -------------------------------------------------------------------
@dataclass
class TodoGroup:
    title: str
    hint: str
    status: str
    count: int
    items: list


WAITING_LIMIT = 10
# What the workspace shows of a waiting base: an application's long texts stay in the database.
WAITING_COLUMNS = (
    "name",
    "status",
    "status_changed_at",
    "approved_on",
    "construction_deadline",
    "host__name",
)
# The order in which the database picks a state's first WAITING_LIMIT bases: the order of their due
# dates (bases.deadlines), so the most urgent are never cut off.
WAITING_ORDER = {
    Status.APPROVED: ("approved_on",),
    Status.ACCEPTANCE_FAILED: ("construction_deadline", "status_changed_at"),
}

# What waits for each role, by state: (state, title, hint).
ROLE_WAITING = {
    Role.BASE_STAFF: [
        (Status.DRAFT, _("待完善的申请草稿"), _("填写完整后请依托单位审核人审核提交")),
        (
            Status.APPROVED,
            _("已批准立项、待填报建设计划任务书"),
            _("依据立项建设通知填报任务书（第八条第（四）项）"),
        ),
        (Status.RE_RECOGNITION_REQUIRED, _("待重新认定的基地"), _("在基地页面申请重新认定（第十四条）")),
        (Status.RETURNED, _("被退回修改的申请"), _("按退回意见修改")),
    ],
    Role.HOST_APPROVER: [
        (Status.DRAFT, _("待审核提交的申请"), _("审核申请书并提交归口管理单位")),
        (Status.RETURNED, _("被退回修改的申请"), _("修改后重新审核提交")),
    ],
    Role.SUPERVISOR: [(Status.SUBMITTED, _("待审核推荐的申请"), _("审核后推荐、退回或不予推荐"))],
    Role.BUREAU_STAFF: [
        (Status.RECOMMENDED, _("待初审的申请"), _("形式审查，必要时实地考察")),
        (Status.PRELIMINARY_PASSED, _("初审通过、待组织专家评审"), _("组织专家评审")),
        (Status.EXPERT_REVIEW, _("专家评审中"), _("跟踪专家评分，评分完成后形成结论")),
        (Status.REVIEW_PASSED, _("评审通过、待公示"), _("编制公示并发布")),
        (Status.IN_NOTICE, _("公示中"), _("核查处理异议，公示期满后办结")),
        (Status.ACCEPTANCE_FAILED, _("验收未通过的基地"), _("等待依托单位申请延期，期满未申请的予以撤销")),
        (Status.NOTICE_CLEARED, _("公示无异议、待局党组会议研究"), _("记录局党组会议决定")),
    ],
}


def base_todos_for(user: User, today: date | None = None) -> list[TodoGroup]:
    """What waits for this user now, each group with its count (one query for all the counts, one per
    group that has something) and each item with its due date (``item.due``, bases.deadlines), the
    most urgent first: overdue, then the nearest due date, then the items with no due date. The groups
    follow the same order by their most urgent item."""
    waiting = ROLE_WAITING.get(user.role, [])
    if not waiting:
        return []
    today = today or timezone.localdate()
    scoped = base_list_for(user)
    counts = dict(
        scoped.filter(status__in=[status for status, _t, _h in waiting])
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    params = parameters() if counts else {}
    groups = []
    for status, title, hint in waiting:
        count = counts.get(status, 0)
        if count:
            rows = (
                scoped.filter(status=status)
                .select_related(None)
                .select_related("host")
                .only(*WAITING_COLUMNS)
                .annotate(**_due_annotations(status))
                .order_by(*WAITING_ORDER.get(status, ("status_changed_at",)), "pk")[:WAITING_LIMIT]
            )
            items = []
            for base in rows:
                base.due = Due(
                    base_due_on(
                        base,
                        params,
                        notice_ends_on=getattr(base, "notice_ends_on", None),
                        panel_due_on=getattr(base, "panel_due_on", None),
                    ),
                    today,
                )
                items.append(base)
            items.sort(key=lambda b: b.due.sort_key)
            groups.append(TodoGroup(str(title), str(hint), status, count, items))
    groups.sort(key=lambda g: g.items[0].due.sort_key if g.items else (True, date.max))
    return groups


def _due_annotations(status: str) -> dict:
    """The dates a waiting base's due date needs from other tables, read in the same query."""
    annotations = DUE_ANNOTATIONS.get(status)
    return annotations() if annotations else {}


def filing_todos_for(user: User) -> list:
    """Filings after approval waiting for this user: (kind, filing), oldest first."""
    if user.role == Role.BASE_STAFF:
        states = [FilingState.RETURNED]
    elif user.role == Role.HOST_APPROVER:
        states = [FilingState.DRAFT, FilingState.RETURNED]
    elif user.role == Role.SUPERVISOR:
        states = [FilingState.SUBMITTED]
    elif user.role == Role.BUREAU_STAFF:
        states = [FilingState.SUPERVISOR_APPROVED]
    else:
        return []
    scoped = base_list_for(user)

    def waiting(model):
        rows = model.objects.filter(state__in=states)
        return rows if sees_every_base(user) else rows.filter(base__in=scoped)

    # One query over the six kinds for which filings wait (usually none or few), then the filings
    # themselves only of the kinds that have some: the oldest WAITING_LIMIT of each.
    oldest: dict[str, list] = {}
    for kind, pk, updated_at in over_every_kind(waiting, "pk", "updated_at"):
        oldest.setdefault(kind, []).append((updated_at, pk))
    todos = []
    for kind, rows in oldest.items():
        ids = [pk for _updated, pk in sorted(rows)[:WAITING_LIMIT]]
        model = FILING_MODELS[kind].objects.model
        # With the rows a filing's name reads (its base, and a report's round): none per row.
        joined = [f.name for f in model._meta.concrete_fields if f.many_to_one and not f.null]
        todos += [(kind, filing) for filing in model.objects.filter(pk__in=ids).select_related(*joined)]
    today = timezone.localdate()
    params = parameters() if todos else {}
    for kind, filing in todos:
        filing.due = Due(filing_due_on(kind, filing, params), today)
    # The most urgent first (bases.deadlines.Due.sort_key), then the oldest.
    return sorted(todos, key=lambda item: (item[1].due.sort_key, item[1].updated_at, item[1].pk))
