"""The experts' side of a panel (Art. 8-2): the answer to an invitation with the no-conflict
declaration, a conflict declared instead, and the score sheets.

Only the member themself answers an invitation and fills their sheets. Domain refusals raise
TransitionRefused / PermissionRefused with a message for the user; nothing is written when one is
raised.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.exceptions import PermissionRefused, TransitionRefused
from bases.selectors import bureau_users
from portal.accounts.models import User
from portal.notifications.services import in_portal_language, notify
from portal.scoring import sheet_total
from portal.text import join_list, join_sentences
from reviews import draw as drawing
from reviews.models import (
    CriterionScore,
    DeclaredConflict,
    Panel,
    PanelBase,
    PanelCriterion,
    PanelMember,
    Recommendation,
    ScoreSheet,
)
from reviews.scoring import plain
from reviews.services import conflicts
from reviews.services.panels import panel_bases

# Art. 8-2: the declaration names every unit of every base, so that the expert can recognise a tie
# the draw could not see (a school under another name, a unit without a USCC) and declare it instead.
DECLARATION = gettext_lazy(
    "本人承诺：本人（含本人所在单位及其上级、下属单位）与本次评审对象的下列单位不存在隶属、任职、合作、"
    "亲属等利益关系：%(units)s。评审中坚持客观公正，对评审材料和评审结果保守秘密，"
    "不向申请单位透露评审情况。如有不实，愿承担相应责任。"
)
DECLARATION_BASE = gettext_lazy("%(base)s（%(units)s）")
DECLARATION_ROLE = gettext_lazy("%(role)s：%(names)s")


def _own_member(actor: User, member: PanelMember) -> PanelMember:
    member = PanelMember.objects.select_for_update().select_related("panel", "expert").get(pk=member.pk)
    if member.expert.user_id != actor.pk:
        raise PermissionRefused(_("只能答复本人的评审邀请。"))
    if not member.panel.is_open:
        raise TransitionRefused(_("该专家组已完成评审。"))
    return member


def panel_units(panel: Panel) -> list[conflicts.PanelUnit]:
    """Every unit of every base of the panel: host, co-builders, backing units, supervising unit."""
    return conflicts.panel_units(panel_bases(panel))


def _units_text(panel: Panel) -> str:
    by_base: dict[int, list[conflicts.PanelUnit]] = {}
    for unit in panel_units(panel):
        by_base.setdefault(unit.base_id, []).append(unit)
    parts = []
    for units in by_base.values():
        roles: dict[str, list[str]] = {}
        for unit in units:
            roles.setdefault(unit.role_label, []).append(unit.name)
        parts.append(
            str(DECLARATION_BASE)
            % {
                "base": units[0].base_name,
                "units": join_sentences(
                    str(DECLARATION_ROLE) % {"role": role, "names": join_list(names)}
                    for role, names in roles.items()
                ),
            }
        )
    return join_sentences(parts)


def declaration_text(panel: Panel, *, as_signed: bool = True) -> str:
    """The declaration for this panel's bases, naming every unit of each: as signed and stored, in the
    portal's language; for reading on a page (as_signed=False), in the reader's language."""
    if as_signed:
        with translation.override(settings.LANGUAGE_CODE):
            return str(DECLARATION) % {"units": _units_text(panel)}
    return str(DECLARATION) % {"units": _units_text(panel)}


@transaction.atomic
def member_accept(*, actor: User, member: PanelMember, declared: bool, now=None) -> PanelMember:
    """The expert accepts and signs the no-conflict declaration; only then the materials open."""
    member = _own_member(actor, member)
    if member.state != PanelMember.State.INVITED:
        raise TransitionRefused(_("您已答复过该邀请。"))
    if not declared:
        raise TransitionRefused(_("请阅读并勾选无利益冲突声明。"))
    now = now or timezone.now()
    member.state = PanelMember.State.ACCEPTED
    member.declaration = declaration_text(member.panel)
    member.declared_at = member.responded_at = now
    member.save(update_fields=["state", "declaration", "declared_at", "responded_at"])
    return member


def _tell_bureau_of_leaving(member: PanelMember, title, body: str) -> None:
    """The expert left the panel (declined, or declared a conflict): the bureau is told once, to draw a
    substitute; `title` names the expert and the panel."""
    notify(
        recipients=list(bureau_users()),
        title=in_portal_language(
            (title, {"expert": member.expert.user.full_name, "title": member.panel.title})
        ),
        body=body,
        url=reverse("reviews:panel_detail", args=[member.panel_id]),
        target=member.panel,
        dedup_key=f"panel-decline-{member.pk}",
        kind="review",
    )


@transaction.atomic
def member_decline(*, actor: User, member: PanelMember, reason: str, now=None) -> PanelMember:
    """The expert declines (a conflict, unavailable); the bureau draws a substitute."""
    member = _own_member(actor, member)
    if member.state != PanelMember.State.INVITED:
        raise TransitionRefused(_("您已答复过该邀请。"))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("请填写谢绝理由（如存在利益冲突或时间冲突）。"))
    member.state = PanelMember.State.DECLINED
    member.decline_reason = reason
    member.responded_at = now or timezone.now()
    member.save(update_fields=["state", "decline_reason", "responded_at"])
    _tell_bureau_of_leaving(member, gettext_lazy("专家谢绝评审：%(expert)s（%(title)s）"), reason)
    return member


@transaction.atomic
def member_declare_conflict(
    *, actor: User, member: PanelMember, units: Sequence[str], other: str, reason: str, now=None
) -> PanelMember:
    """Art. 8-2: the invited expert declares a conflict the draw could not see — with units of the bases
    (by their keys from panel_units) and/or another unit by name. Each is recorded as the expert's
    DeclaredConflict, honoured by every later draw; the expert leaves the panel (declined) and the
    bureau draws a substitute, which records the exclusion and re-verifies from its seed."""
    member = _own_member(actor, member)
    if member.state != PanelMember.State.INVITED:
        raise TransitionRefused(_("您已答复过该邀请。"))
    known = {unit.key: unit for unit in panel_units(member.panel)}
    chosen = [known[key] for key in dict.fromkeys(units) if key in known]
    other = drawing.normalise(other or "")[:200]
    reason = (reason or "").strip()
    errors = []
    if not chosen and not other:
        errors.append(_("请选择存在利益冲突的单位，或填写其他单位的名称。"))
    if not reason:
        errors.append(_("请说明利益冲突的情形。"))
    if errors:
        raise TransitionRefused(" ".join(str(e) for e in errors))
    now = now or timezone.now()
    records = [
        DeclaredConflict(
            expert=member.expert,
            name=unit.name,
            uscc=unit.uscc,
            organisation_id=unit.organisation_id,
            base_id=unit.base_id,
            member=member,
            reason=reason,
            declared_at=now,
        )
        for unit in chosen
    ]
    if other:
        records.append(
            DeclaredConflict(expert=member.expert, name=other, member=member, reason=reason, declared_at=now)
        )
    DeclaredConflict.objects.bulk_create(records)
    names = join_list(record.name for record in records)
    member.state = PanelMember.State.DECLINED
    member.decline_reason = in_portal_language(
        (gettext_lazy("申报利益冲突（%(units)s）：%(reason)s"), {"units": names, "reason": reason})
    )
    member.responded_at = now
    member.save(update_fields=["state", "decline_reason", "responded_at"])
    _tell_bureau_of_leaving(
        member, gettext_lazy("专家申报利益冲突：%(expert)s（%(title)s）"), member.decline_reason
    )
    return member


def _parse_score(raw, criterion: PanelCriterion, required: bool) -> Decimal | None:
    if raw in (None, ""):
        if required:
            raise TransitionRefused(_("请为“%(name)s”打分。") % {"name": criterion.name})
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise TransitionRefused(_("“%(name)s”的得分须为数字。") % {"name": criterion.name}) from exc
    if not value.is_finite() or value < 0 or value > criterion.max_score:
        raise TransitionRefused(
            _("“%(name)s”的得分须在 0 至 %(max)s 之间。")
            % {"name": criterion.name, "max": plain(criterion.max_score)}
        )
    if value != value.quantize(Decimal("0.1")):
        raise TransitionRefused(_("“%(name)s”的得分最多保留一位小数。") % {"name": criterion.name})
    return value


@transaction.atomic
def sheet_save(
    *,
    actor: User,
    member: PanelMember,
    entry: PanelBase,
    scores: Mapping[int, object],
    opinion: str,
    recommendation: str,
    submit: bool,
    now=None,
) -> ScoreSheet:
    """Save a member's sheet for a base as a draft, or submit it (then it is locked)."""
    member = _own_member(actor, member)
    if member.state != PanelMember.State.ACCEPTED:
        raise TransitionRefused(_("请先接受邀请并签署无利益冲突声明。"))
    if entry.panel_id != member.panel_id:
        raise PermissionRefused(_("该基地不在您参加的专家组中。"))
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(member=member, entry=entry)
    if sheet.is_submitted:
        raise TransitionRefused(_("评分表已提交，不能再修改。"))
    criteria = list(member.panel.criteria.all())
    values = {c.pk: _parse_score(scores.get(c.pk), c, submit) for c in criteria}
    opinion = (opinion or "").strip()
    if recommendation not in ("", *Recommendation.values):
        raise TransitionRefused(_("请选择评审建议。"))
    if submit and not opinion:
        raise TransitionRefused(_("请填写评审意见。"))
    if submit and not recommendation:
        raise TransitionRefused(_("请选择评审建议（建议通过或建议不通过）。"))
    sheet.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(sheet=sheet, criterion_id=pk, score=value)
        for pk, value in values.items()
        if value is not None
    )
    complete = all(value is not None for value in values.values())
    sheet.total = (
        sheet_total([(values[c.pk], c.max_score, c.weight) for c in criteria])
        if complete and criteria
        else None
    )
    sheet.opinion, sheet.recommendation = opinion, recommendation
    if submit:
        sheet.submitted_at = now or timezone.now()
    sheet.save()
    return sheet
