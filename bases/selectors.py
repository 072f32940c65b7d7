"""Every non-trivial read of pilot bases, scoped to the user (an object outside one's scope
does not exist for them)."""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from bases.models import PilotBase, Status
from portal.accounts.models import Role, User

HOST_ROLES = [Role.BASE_STAFF, Role.HOST_APPROVER]
# The public roster (名单): recognised bases, and those recognised that must be re-recognised after a
# change (Art. 14) — still municipal pilot bases until the bureau decides.
IN_ROSTER = (Status.RECOGNIZED, Status.RE_RECOGNITION_REQUIRED)


def public_roster() -> QuerySet[PilotBase]:
    """The bases the public roster lists; the home page counts the same rows."""
    return PilotBase.objects.filter(status__in=IN_ROSTER)


def base_list_for(user: User) -> QuerySet[PilotBase]:
    """Host users: their unit's bases; supervisors: their jurisdiction's; bureau and admin: all.
    Experts see bases only through their panel assignments (reviews app); everyone else: none."""
    qs = PilotBase.objects.select_related("host", "supervising_unit")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in HOST_ROLES:
        return qs.filter(host_id=user.organisation_id)
    if user.role == Role.SUPERVISOR:
        return qs.filter(supervising_unit_id=user.organisation_id)
    if sees_every_base(user):
        return qs
    if user.role == Role.EXPERT:
        # Only bases of a panel the expert joined by signing the no-conflict declaration, and only
        # while that panel is scoring: once it concludes, the expert's task (and access) has ended;
        # their own score sheets stay readable on their panel page (reviews app). One filter() call,
        # so that member, state and panel refer to the same panel.
        return qs.filter(
            pk__in=PilotBase.objects.filter(
                panel_entries__panel__members__expert__user=user,
                panel_entries__panel__members__state="accepted",
                panel_entries__panel__state="scoring",
            ).values("pk")
        )
    return qs.none()


def base_records_for(user: User) -> QuerySet[PilotBase]:
    """The bases whose records beyond what a review needs (the funds ledger and its vouchers, the
    issued documents, the archive dossier) the user may see: base_list_for(user), except that an
    expert, who reads only what the scoring needs (the application, its evidence, the filing under
    review), sees none of them."""
    if user.is_authenticated and user.role == Role.EXPERT:
        return PilotBase.objects.none()
    return base_list_for(user)


def sees_every_base(user: User) -> bool:
    """The bureau and the administrators: their scope is the whole table, so a query over "the bases
    in scope" need not carry a subquery over 100,000 ids."""
    return user.is_authenticated and user.is_active and user.role in (Role.BUREAU_STAFF, Role.ADMIN)


def base_timeline(base: PilotBase) -> QuerySet[StateLog]:
    """Every logged step of the base, oldest first, with who did it as what."""
    return (
        StateLog.objects.for_(base)
        .select_related("by", "content_type", "record__actor_organisation")
        .prefetch_related("record__attachments")
        .order_by("timestamp", "pk")
    )


def base_available_transitions(base: PilotBase, user: User) -> list[str]:
    """Names of the transitions this user may run on this base now (drives the buttons)."""
    return [t.name for t in base.get_available_user_status_transitions(user)]


def host_users(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.host_id, role__in=HOST_ROLES, is_active=True)


def host_approvers(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.host_id, role=Role.HOST_APPROVER, is_active=True)


def supervisor_users(base: PilotBase) -> QuerySet[User]:
    return User.objects.filter(organisation_id=base.supervising_unit_id, role=Role.SUPERVISOR, is_active=True)


def people_of_bases(bases) -> dict[int, list[User]]:
    """For each base (id → users): its host unit's staff and approvers and its supervising unit's
    staff, in two queries for any number of bases (the daily jobs' reminders)."""
    hosts, supervisors = {}, {}
    host_ids = {b.host_id for b in bases}
    supervisor_ids = {b.supervising_unit_id for b in bases}
    for user in User.objects.filter(
        organisation_id__in=host_ids, role__in=HOST_ROLES, is_active=True
    ).order_by("pk"):
        hosts.setdefault(user.organisation_id, []).append(user)
    for user in User.objects.filter(
        organisation_id__in=supervisor_ids, role=Role.SUPERVISOR, is_active=True
    ).order_by("pk"):
        supervisors.setdefault(user.organisation_id, []).append(user)
    return {b.pk: [*hosts.get(b.host_id, []), *supervisors.get(b.supervising_unit_id, [])] for b in bases}


def bureau_users() -> QuerySet[User]:
    return User.objects.filter(role=Role.BUREAU_STAFF, is_active=True)


def base_actions_for(base: PilotBase, user: User) -> list[str]:
    """Transitions this user may start on this base in its state (guards are checked when run, so a
    host approver sees 审核提交 on an incomplete application and learns what is missing)."""
    names: list[str] = []
    for transition in base.get_all_status_transitions():
        fits = transition.source in (base.status, "*") and _may_run(transition, base, user)
        if fits and transition.name not in names:
            names.append(transition.name)
    return names


def _may_run(transition, base: PilotBase, user: User) -> bool:
    """django-fsm's Transition.has_perm with the model-level right asked first: the bureau's rights are
    global and cached, so its users need no object-permission query at all."""
    permission = transition.permission
    if not permission:
        return True
    if callable(permission):
        return bool(permission(base, user))
    return user.has_perm(permission) or user.has_perm(permission, base)


def base_with_content(queryset: QuerySet[PilotBase]) -> QuerySet[PilotBase]:
    """Everything the detail and form pages show, in a fixed number of queries."""
    return queryset.prefetch_related(
        "co_builders", "technical_backings", "papers", "equipment", "conditions__evidence"
    )


def attachment_base(attachment) -> PilotBase | None:
    """The base an attachment belongs to, whatever record holds it (evidence, a step's letter, …)."""
    owner = attachment.content_object
    if owner is None:
        return None
    if isinstance(owner, PilotBase):
        return owner
    base = getattr(owner, "base", None)  # ConditionAffirmation, SiteVisit, later sub-processes
    if isinstance(base, PilotBase):
        return base
    state_log = getattr(owner, "state_log", None)  # TransitionRecord
    if state_log is not None:
        target = state_log.content_object
        if isinstance(target, PilotBase):
            return target
        return getattr(target, "base", None)
    return None


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
    from bases.deadlines import Due, base_due_on, parameters

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
    if status == Status.IN_NOTICE:
        from reviews.models import NoticeBase

        entries = NoticeBase.objects.filter(base=OuterRef("pk"), outcome="").order_by("-notice__ends_on")
        return {"notice_ends_on": Subquery(entries.values("notice__ends_on")[:1])}
    if status == Status.EXPERT_REVIEW:
        from reviews.models import PanelBase

        entries = PanelBase.objects.filter(base=OuterRef("pk"), outcome="").order_by("-panel__due_on")
        return {"panel_due_on": Subquery(entries.values("panel__due_on")[:1])}
    return {}


def recent_activity_for(user: User, limit: int = 10) -> list[tuple[StateLog, PilotBase]]:
    """The latest logged steps on bases in the user's scope."""
    content_type = ContentType.objects.get_for_model(PilotBase)
    logs = StateLog.objects.filter(content_type=content_type)
    if not sees_every_base(user):
        logs = logs.filter(object_id__in=base_list_for(user).values("pk"))
    # Ordered as the index statelog_recent_idx (bases migration 0005) so only `limit` rows are read.
    logs = list(logs.select_related("by", "content_type").order_by("-timestamp", "-pk")[:limit])
    bases = PilotBase.objects.in_bulk({log.object_id for log in logs})
    return [(log, bases[log.object_id]) for log in logs if log.object_id in bases]


def filing_todos_for(user: User) -> list:
    """Filings after approval waiting for this user: (kind, filing), oldest first."""
    from bases.models import FilingState
    from bases.services.filings import KINDS

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
    for kind, pk, updated_at in _over_every_kind(waiting, "pk", "updated_at"):
        oldest.setdefault(kind, []).append((updated_at, pk))
    todos = []
    for kind, rows in oldest.items():
        ids = [pk for _updated, pk in sorted(rows)[:WAITING_LIMIT]]
        model = KINDS[kind].objects.model
        # With the rows a filing's name reads (its base, and a report's round): none per row.
        joined = [f.name for f in model._meta.concrete_fields if f.many_to_one and not f.null]
        todos += [(kind, filing) for filing in model.objects.filter(pk__in=ids).select_related(*joined)]
    from bases.deadlines import Due, filing_due_on, parameters

    today = timezone.localdate()
    params = parameters() if todos else {}
    for kind, filing in todos:
        filing.due = Due(filing_due_on(kind, filing, params), today)
    # The most urgent first (bases.deadlines.Due.sort_key), then the oldest.
    return sorted(todos, key=lambda item: (item[1].due.sort_key, item[1].updated_at, item[1].pk))


def _over_every_kind(rows_of, *fields) -> list[tuple]:
    """(kind, *fields) of the rows `rows_of(model)` selects, over every kind of filing, in one
    UNION ALL query: which kinds have rows is known before any of them is read."""
    from bases.services.filings import KINDS

    kinds = list(KINDS)
    parts = [
        rows_of(model).order_by().annotate(filing_kind=Value(index)).values_list("filing_kind", *fields)
        for index, model in enumerate(KINDS.values())
    ]
    return [(kinds[index], *rest) for index, *rest in parts[0].union(*parts[1:], all=True)]


def filings_of(base: PilotBase) -> list:
    """Every filing of the base as (kind, filing), kind by kind, the newest first: one query over the
    six kinds for those it has, then one per kind that has some. Read once per base object (the
    base page's list and its documents' "is there a task book?" share it)."""
    cached = getattr(base, "_filings_of", None)
    if cached is not None:
        return cached
    from bases.services.filings import KINDS

    present = {kind for (kind,) in _over_every_kind(lambda model: model.objects.filter(base=base))}
    base._filings_of = [
        (kind, filing)
        for kind, model in KINDS.items()
        if kind in present
        for filing in model.objects.filter(base=base).order_by("-created_at")
    ]
    for _kind, filing in base._filings_of:
        filing.base = base  # their __str__ names the base
    return base._filings_of


def base_attachments(base: PilotBase, *, include_bureau_only: bool = False) -> list:
    """Every stored file of a base, by folder: the application's evidence, the steps' letters, the
    filings' attachments, ledger vouchers and (for the bureau) site-visit photos."""
    from django_fsm_log.models import StateLog

    from bases.models import ConditionAffirmation, LedgerEntry
    from bases.services.filings import KINDS
    from portal.documents.models import Attachment
    from portal.workflow.models import TransitionRecord

    def of(model, ids):
        content_type = ContentType.objects.get_for_model(model)
        return Attachment.objects.filter(content_type=content_type, object_id__in=list(ids)).order_by("pk")

    found = [
        ("申请书证明材料", a) for a in of(ConditionAffirmation, base.conditions.values_list("pk", flat=True))
    ]
    logs = [StateLog.objects.for_(base).values_list("pk", flat=True)]
    for kind, model in KINDS.items():
        filing_ids = list(model.objects.filter(base=base).values_list("pk", flat=True))
        found += [(f"办理材料/{kind}", a) for a in of(model, filing_ids)]
        filing_type = ContentType.objects.get_for_model(model)
        logs.append(
            StateLog.objects.filter(content_type=filing_type, object_id__in=filing_ids).values_list(
                "pk", flat=True
            )
        )
    records = TransitionRecord.objects.filter(state_log_id__in=[pk for q in logs for pk in q]).values_list(
        "pk", flat=True
    )
    found += [("办理记录附件", a) for a in of(TransitionRecord, records)]
    found += [("专项资金凭证", a) for a in of(LedgerEntry, base.ledger.values_list("pk", flat=True))]
    if include_bureau_only:
        from reviews.models import SiteVisit

        found += [("实地考察照片", a) for a in of(SiteVisit, base.site_visits.values_list("pk", flat=True))]
    return found


# --- the lifecycle bar of every page of a base -------------------------------------------------------


@dataclass(frozen=True)
class LifecycleStep:
    key: str
    label: str
    state: str  # "done", "current", "stopped" (where a rejected/withdrawn/revoked base ended) or "todo"
    deadline: object = None  # a date, shown on the current step only
    deadline_label: str = ""


# The ten steps of a base's life under the Measures: application and the county's recommendation
# (Art. 8-1, 8-2), the bureau's preliminary check and the expert review (Art. 8-2), the public notice
# and the Party-group decision (Art. 8-3), construction and acceptance (Art. 8-4), recognition and the
# yearly assessment (Art. 8-5, Art. 15, Art. 16).
LIFECYCLE_STEPS = (
    ("apply", _("申请")),
    ("recommend", _("推荐")),
    ("preliminary", _("初审")),
    ("review", _("评审")),
    ("notice", _("公示")),
    ("approve", _("批准")),
    ("construct", _("建设")),
    ("accept", _("验收")),
    ("recognise", _("认定")),
    ("assess", _("年度考核")),
)

# The step each live state is at: the step whose action is awaited (a base that passed the expert review
# waits for its public notice, so it is at the notice step).
STEP_OF_STATE = {
    Status.DRAFT: "apply",
    Status.RETURNED: "apply",
    Status.SUBMITTED: "recommend",
    Status.RECOMMENDED: "preliminary",
    Status.PRELIMINARY_PASSED: "review",
    Status.EXPERT_REVIEW: "review",
    Status.REVIEW_PASSED: "notice",
    Status.IN_NOTICE: "notice",
    Status.NOTICE_CLEARED: "approve",
    Status.APPROVED: "construct",
    Status.UNDER_CONSTRUCTION: "construct",
    Status.ACCEPTANCE_APPLIED: "accept",
    Status.ACCEPTANCE_REVIEW: "accept",
    Status.ACCEPTANCE_FAILED: "accept",
    Status.RE_RECOGNITION_REQUIRED: "recognise",
    Status.RECOGNIZED: "assess",
}


def base_lifecycle(base: PilotBase, today) -> list[LifecycleStep]:
    """The base's progress through LIFECYCLE_STEPS with the current step's deadline, for the bar on
    every page of a base (templates/bases/partials/_lifecycle.html through `{% base_lifecycle %}`).

    The deadlines are those of bases.policy: the end of the construction period (Art. 8-4), after a
    failed acceptance the last day to request the extension (Art. 8-4), the end of the public notice
    (Art. 8-3), the next annual report (Art. 15). At most one query: the running notice's end, or, for
    a rejected or withdrawn base, the state it left.
    """
    stopped = base.is_terminal
    current = _step_where_stopped(base) if stopped else STEP_OF_STATE.get(base.status, "apply")
    deadline, deadline_label = (None, "") if stopped else _deadline_of(base, today)
    keys = [key for key, _label in LIFECYCLE_STEPS]
    at = keys.index(current)
    steps = []
    for index, (key, label) in enumerate(LIFECYCLE_STEPS):
        if index < at:
            state = "done"
        elif index == at:
            state = "stopped" if stopped else "current"
        else:
            state = "todo"
        steps.append(
            LifecycleStep(
                key,
                label,
                state,
                deadline if state == "current" else None,
                deadline_label if state == "current" else "",
            )
        )
    return steps


def _step_where_stopped(base: PilotBase) -> str:
    """Where a base that left the procedure stopped. A revoked base (Art. 8-4, 16, 17) and a superseded
    one (Art. 14) tell from their dates; a rejected or withdrawn one from the state it left."""
    if base.status == Status.SUPERSEDED:
        return "recognise"
    if base.status == Status.REVOKED:
        if base.recognized_on:
            return "assess"
        return "accept" if base.acceptance_failed_on else "construct"
    source = (
        StateLog.objects.for_(base)
        .filter(state=base.status)
        .order_by("-timestamp", "-pk")
        .values_list("source_state", flat=True)
        .first()
    )
    return STEP_OF_STATE.get(source, "apply")


def _deadline_of(base: PilotBase, today):
    from bases import policy

    status = base.status
    if status in (Status.APPROVED, Status.UNDER_CONSTRUCTION) and base.construction_deadline:
        return base.construction_deadline, _("建设期满")
    if status == Status.ACCEPTANCE_FAILED and base.construction_deadline:
        failed_on = base.acceptance_failed_on
        closes = policy.construction_clock_closes(base.construction_deadline, failed_on=failed_on)
        return closes, _("延期申请截止")
    if status == Status.IN_NOTICE:
        from reviews.models import PublicNotice

        ends_on = (
            PublicNotice.objects.filter(entries__base=base, state=PublicNotice.State.PUBLISHED)
            .order_by("-ends_on")
            .values_list("ends_on", flat=True)
            .first()
        )
        return ends_on, _("公示截止")
    if status == Status.RECOGNIZED:
        due = policy.annual_report_due(today.year - 1)
        if due < today:
            due = policy.annual_report_due(today.year)
        return due, _("年度报告截止")
    return None, ""
