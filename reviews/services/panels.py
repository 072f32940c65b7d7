"""Expert panels: scoring templates, forming a panel with its random draw, substitutes, and the
bureau's conclusion (Art. 8-2). The experts' answers and sheets are reviews.services.members.

Only the bureau forms and concludes panels. Domain refusals raise TransitionRefused /
PermissionRefused with a message for the user; nothing is written when one is raised.
"""

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases import services as base_services
from bases.exceptions import TransitionRefused
from bases.models import PilotBase, Status
from bases.services import filings as filing_services
from bases.services.common import MINUTES_KINDS, minutes_problem
from portal.accounts.models import User
from portal.documents.services import attachment_create
from portal.notifications.services import in_portal_language, notify
from portal.parameters import get_parameter
from portal.text import join_list, join_sentences, local_date
from reviews import draw as drawing
from reviews.models import (
    Expert,
    Panel,
    PanelBase,
    PanelCriterion,
    PanelDraw,
    PanelMember,
    PanelPurpose,
    Recommendation,
    ScoreSheet,
    ScoringTemplate,
    Specialty,
    TemplateCriterion,
)
from reviews.models.panels import PANEL_MINUTES_PURPOSE
from reviews.permissions import require_panel_keeper
from reviews.scoring import Vote, aggregate
from reviews.services import conflicts

HUNDRED = Decimal("100")

# The state a base must be in to be put before a panel of each purpose: applications after the
# preliminary review (Art. 8-2), acceptance applications (Art. 8-4), recognised bases (Art. 17).
PANEL_SOURCE_STATE = {
    PanelPurpose.ESTABLISHMENT: Status.PRELIMINARY_PASSED,
    PanelPurpose.ACCEPTANCE: Status.ACCEPTANCE_APPLIED,
    PanelPurpose.EVALUATION: Status.RECOGNIZED,  # Art. 17: the panel scores; the bureau grades
}


# --- templates -------------------------------------------------------------------------------------
def _clean_criteria(criteria: Sequence[Mapping]) -> list[dict]:
    rows = [row for row in criteria if (row.get("name") or "").strip()]
    if not rows:
        raise TransitionRefused(_("评分模板至少要有一个评分项。"))
    total = sum((Decimal(row["weight"]) for row in rows), Decimal(0))
    if total != HUNDRED:
        raise TransitionRefused(
            _("各评分项权重之和须为 100，现为 %(total)s。") % {"total": total.normalize()}
        )
    return rows


@transaction.atomic
def template_save(
    *,
    actor: User,
    template: ScoringTemplate | None,
    name: str,
    purpose: str,
    description: str = "",
    is_active: bool = True,
    criteria: Sequence[Mapping],
) -> ScoringTemplate:
    """Create or replace a template with its criteria (panels already formed keep their copies)."""
    require_panel_keeper(actor)
    rows = _clean_criteria(criteria)
    name = (name or "").strip()
    if ScoringTemplate.objects.filter(name=name).exclude(pk=getattr(template, "pk", None)).exists():
        raise TransitionRefused(_("已有同名的评分模板。"))
    template = template or ScoringTemplate()
    template.name, template.purpose, template.description, template.is_active = (
        name,
        purpose,
        description,
        is_active,
    )
    template.save()
    template.criteria.all().delete()
    TemplateCriterion.objects.bulk_create(
        TemplateCriterion(
            template=template,
            name=row["name"].strip(),
            guidance=(row.get("guidance") or "").strip(),
            weight=Decimal(row["weight"]),
            max_score=Decimal(row["max_score"]),
            position=position,
        )
        for position, row in enumerate(rows)
    )
    return template


# --- forming a panel and drawing its experts --------------------------------------------------------
def panel_bases(panel: Panel) -> list[PilotBase]:
    return list(
        PilotBase.objects.filter(panel_entries__panel=panel)
        .select_related("host", "supervising_unit")
        .prefetch_related("co_builders", "technical_backings")
        .order_by("pk")
    )


def _draw(
    *, actor: User, panel: Panel, kind: str, specialties: Sequence[Specialty], count: int, seed: int | None
) -> PanelDraw:
    if not specialties:
        raise TransitionRefused(_("请选择至少一个专业领域。"))
    if count < 1:
        raise TransitionRefused(_("抽取人数至少为 1 人。"))
    already = set(panel.members.values_list("expert_id", flat=True))
    pool = (
        Expert.objects.filter(is_active=True, user__is_active=True, specialties__in=specialties)
        .distinct()
        .select_related("affiliation")
        .prefetch_related("conflicts", "declared_conflicts")
        .order_by("pk")
    )
    # Art. 8-2: units compared by organisation, normalised USCC, the organisation tree and the name
    # rule (reviews.draw), plus what the experts declared (DeclaredConflict).
    bases, facts = conflicts.draw_facts(panel_bases(panel), list(pool), on_panel=already)
    eligible, excluded = drawing.split_pool(facts, bases)
    seed = secrets.randbits(63) if seed is None else seed
    try:
        picked = drawing.draw(eligible, count, seed)
    except drawing.NotEnoughExperts as exc:
        raise TransitionRefused(
            _(
                "所选专业领域中可抽取（无回避情形）的专家只有 %(available)d 名，不足 %(wanted)d 名。"
                "请增加专业领域或减少人数。"
            )
            % {"available": exc.available, "wanted": exc.wanted}
        ) from exc
    record = PanelDraw.objects.create(
        panel=panel,
        kind=kind,
        seed=seed,
        requested=count,
        eligible=eligible,
        excluded=[
            {"expert": item.expert_id, "reasons": [list(r) for r in item.reasons]} for item in excluded
        ],
        picked=picked,
        drawn_by=actor,
    )
    record.specialties.set(specialties)
    members = PanelMember.objects.bulk_create(
        PanelMember(panel=panel, expert_id=expert_id, draw=record) for expert_id in picked
    )
    users = User.objects.filter(expert_profile__in=[member.expert_id for member in members])
    notify(
        recipients=list(users),
        title=(gettext_lazy("评审邀请：%(title)s"), {"title": panel.title}),
        body=in_portal_language(
            (
                gettext_lazy("您被随机抽取为该专家组成员，请在 %(due)s 前确认是否参加并签署无利益冲突声明。"),
                {"due": local_date(panel.due_on)},
            )
        ),
        url=reverse("reviews:my_panel", args=[panel.pk]),
        target=panel,
        kind="review",
    )
    return record


@transaction.atomic
def panel_form(
    *,
    actor: User,
    title: str,
    purpose: str,
    template: ScoringTemplate,
    bases: Iterable[PilotBase],
    due_on: date | None,
    specialties: Sequence[Specialty],
    count: int,
    note: str = "",
    seed: int | None = None,
    today: date | None = None,
) -> Panel:
    """Art. 8-2: form a panel for bases awaiting it, copy the template's criteria, draw the experts
    and move each base into expert review."""
    require_panel_keeper(actor)
    today = today or timezone.localdate()
    errors = []
    if purpose not in PANEL_SOURCE_STATE:
        raise TransitionRefused(_("该类评审不组建专家组。"))
    if not (title or "").strip():
        errors.append(_("请填写评审名称。"))
    if due_on is None or due_on < today:
        errors.append(_("评分截止日期不能早于今天。"))
    if template is None or template.purpose != purpose or not template.is_active:
        errors.append(_("请选择与评审类型一致的启用中的评分模板。"))
    criteria = list(template.criteria.all()) if template else []
    if template is not None and sum((c.weight for c in criteria), Decimal(0)) != HUNDRED:
        errors.append(_("该评分模板的权重之和不是 100，请先修改模板。"))
    bases = list(PilotBase.objects.select_for_update().filter(pk__in=[b.pk for b in bases]).order_by("pk"))
    if not bases:
        errors.append(_("请选择至少一个评审对象。"))
    wrong = [b.name for b in bases if b.status != PANEL_SOURCE_STATE[purpose]]
    if wrong:
        errors.append(_("以下基地已不在待组织评审状态：%(names)s。") % {"names": join_list(wrong)})
    if errors:
        raise TransitionRefused(" ".join(str(e) for e in errors))
    panel = Panel.objects.create(
        title=title.strip(),
        purpose=purpose,
        template_name=template.name,
        due_on=due_on,
        note=note,
        created_by=actor,
    )
    PanelCriterion.objects.bulk_create(
        PanelCriterion(
            panel=panel,
            name=c.name,
            guidance=c.guidance,
            weight=c.weight,
            max_score=c.max_score,
            position=c.position,
        )
        for c in criteria
    )
    PanelBase.objects.bulk_create(PanelBase(panel=panel, base=base) for base in bases)
    _draw(
        actor=actor, panel=panel, kind=PanelDraw.Kind.INITIAL, specialties=specialties, count=count, seed=seed
    )
    for base in bases:
        if purpose == PanelPurpose.EVALUATION:
            continue  # the base stays recognised; the panel's score informs the bureau's grade
        if purpose == PanelPurpose.ACCEPTANCE:
            filing_services.acceptance_open_for_panel(actor=actor, base=base)
            continue
        base_services.base_start_expert_review(
            actor=actor,
            base=base,
            comment=_("专家组：%(title)s") % {"title": panel.title},
            expected_status=PANEL_SOURCE_STATE[purpose],
        )
    return panel


def _lock_panel(panel: Panel) -> Panel:
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if not panel.is_open:
        raise TransitionRefused(_("该专家组已完成评审。"))
    return panel


@transaction.atomic
def panel_draw_substitutes(
    *, actor: User, panel: Panel, specialties: Sequence[Specialty], seed: int | None = None
) -> PanelDraw:
    """Replace every member who declined (and is not yet replaced) by a new random draw."""
    require_panel_keeper(actor)
    panel = _lock_panel(panel)
    declined = list(panel.members.filter(state=PanelMember.State.DECLINED, replaced=False))
    if not declined:
        raise TransitionRefused(_("没有需要替补的专家。"))
    record = _draw(
        actor=actor,
        panel=panel,
        kind=PanelDraw.Kind.SUBSTITUTE,
        specialties=specialties,
        count=len(declined),
        seed=seed,
    )
    PanelMember.objects.filter(pk__in=[m.pk for m in declined]).update(replaced=True)
    return record


# --- results and conclusion ------------------------------------------------------------------------
def entry_result(entry: PanelBase, sheets: Iterable[ScoreSheet]):
    """The panel's result on one base from its submitted sheets (scoring.aggregate)."""
    votes = [
        Vote(
            key=sheet.member_id,
            total=sheet.total,
            recommends_pass=sheet.recommendation == Recommendation.PASS,
        )
        for sheet in sheets
        if sheet.is_submitted
    ]
    return aggregate(
        votes,
        threshold=get_parameter("review_pass_threshold"),
        trim_min=get_parameter("trim_extremes_min_experts"),
        outlier_points=get_parameter("review_outlier_points"),
    )


def _failure_reason(result) -> str:
    threshold = get_parameter("review_pass_threshold")
    parts = []
    if not result.reaches_threshold:
        parts.append(
            _("专家组得分 %(score)s 分，低于通过分数线 %(threshold)s 分")
            % {"score": result.score, "threshold": threshold}
        )
    if not result.majority_pass:
        parts.append(
            _("建议通过的专家 %(yes)d 名，未过半数（共 %(n)d 名）")
            % {"yes": result.pass_votes, "n": result.submitted}
        )
    return join_sentences(parts) + _("。")


@transaction.atomic
def panel_conclude(
    *, actor: User, panel: Panel, comments: Mapping[int, str] | None = None, minutes=None, now=None
) -> Panel:
    """Conclude the panel on every base from the submitted sheets: record score and outcome and, for
    an establishment review, move the base to review_passed or rejected (Art. 8-2). ``minutes``: the
    signed minutes of the panel's meeting (PDF, checked by content), kept with the conclusion; the
    bureau's page requires them."""
    require_panel_keeper(actor)
    if minutes is not None and (problem := minutes_problem(minutes)):
        raise TransitionRefused(problem)
    panel = _lock_panel(panel)
    comments = comments or {}
    minimum = get_parameter("review_min_sheets")
    entries = list(
        panel.panel_bases.select_related("base").prefetch_related(
            Prefetch("sheets", queryset=ScoreSheet.objects.filter(submitted_at__isnull=False))
        )
    )
    short = [e.base.name for e in entries if len(e.sheets.all()) < minimum]
    if short:
        raise TransitionRefused(
            _("以下基地提交的评分表不足 %(n)d 份，暂不能形成结论：%(names)s。")
            % {"n": minimum, "names": join_list(short)}
        )
    for entry in entries:
        result = entry_result(entry, entry.sheets.all())
        note = (comments.get(entry.pk) or "").strip()
        summary = _("专家组得分 %(score)s 分（%(n)d 名专家提交评分%(trim)s），%(yes)d 名建议通过。") % {
            "score": result.score,
            "n": result.submitted,
            "trim": _("，去掉一个最高分和一个最低分") if result.trimmed else "",
            "yes": result.pass_votes,
        }
        entry.score = result.score
        entry.outcome = PanelBase.Outcome.PASSED if result.passed else PanelBase.Outcome.FAILED
        entry.conclusion = " ".join(
            part for part in (summary, "" if result.passed else _failure_reason(result), note) if part
        )
        entry.save(update_fields=["score", "outcome", "conclusion"])
        if panel.purpose == PanelPurpose.ACCEPTANCE:
            filing_services.acceptance_conclude(
                actor=actor, base=entry.base, passed=result.passed, comment=entry.conclusion
            )
        elif panel.purpose == PanelPurpose.ESTABLISHMENT:
            base_services.base_conclude_review(
                actor=actor,
                base=entry.base,
                passed=result.passed,
                comment=entry.conclusion,
                expected_status=Status.EXPERT_REVIEW,
            )
    panel.state = Panel.State.CONCLUDED
    panel.concluded_at = now or timezone.now()
    panel.save(update_fields=["state", "concluded_at"])
    if minutes is not None:
        attachment_create(
            owner=panel, purpose=PANEL_MINUTES_PURPOSE, file=minutes, uploaded_by=actor, allowed=MINUTES_KINDS
        )
    return panel
