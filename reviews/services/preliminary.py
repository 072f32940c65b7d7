"""Every write of the bureau's preliminary review (Art. 8-2): the checklist of a review round and its
conclusion.

Each service: one transaction, the base locked first (portal.workflow.services.lock), the actor's
right and the domain guards checked with messages for the user. A conclusion runs the base's own
transition service (bases.services) inside the same transaction, so the checklist and the state of
the base never disagree.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bases import services as base_services
from bases.exceptions import StaleState, TransitionRefused
from bases.models import PilotBase, Status
from portal.accounts.models import User
from portal.workflow.services import check_expected_state, check_transition, lock
from reviews.models import CHECKLIST_SECTIONS, ChecklistItem, Decision, PreliminaryCheck, PreliminaryCheckItem
from reviews.permissions import require_reviewer

# Which bases.services function concludes the round for each decision, and its transition.
_CONCLUSIONS = {
    Decision.PASS: ("preliminary_pass", base_services.base_preliminary_pass),
    Decision.RETURN: ("preliminary_return", base_services.base_preliminary_return),
    Decision.REJECT: ("preliminary_reject", base_services.base_preliminary_reject),
}


def _check_in_review(base: PilotBase) -> None:
    if base.status != Status.RECOMMENDED:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，不在初审阶段。") % {"state": base.get_status_display()}
        )


def _lock_open_check(check: PreliminaryCheck) -> tuple[PilotBase, PreliminaryCheck]:
    """Lock the base, then the round; refuse a round someone else has already concluded."""
    base = lock(check.base)
    check = lock(check)
    if not check.is_open:
        raise StaleState(
            _("第%(round)d轮初审已由他人完成（%(decision)s），请刷新页面后查看。")
            % {"round": check.round, "decision": check.get_decision_display()}
        )
    return base, check


# --- preliminary review (Art. 8-2) ----------------------------------------------------------------
@transaction.atomic
def preliminary_check_open(*, actor: User, base: PilotBase) -> PreliminaryCheck:
    """The bureau starts the review round of a recommended base, or gets the round already open.

    A base returned and resubmitted comes back with a new, clean round."""
    base = lock(base)
    require_reviewer(actor)
    _check_in_review(base)
    check = base.preliminary_checks.filter(concluded_at__isnull=True).first()
    if check is not None:
        return check
    last_round = base.preliminary_checks.aggregate(last=Max("round"))["last"] or 0
    check = PreliminaryCheck.objects.create(base=base, round=last_round + 1, reviewer=actor)
    PreliminaryCheckItem.objects.bulk_create(
        PreliminaryCheckItem(preliminary_check=check, key=key, section=section, position=position)
        for position, (key, section) in enumerate(CHECKLIST_SECTIONS.items(), start=1)
    )
    return check


def _apply_items(check: PreliminaryCheck, items: Mapping[str, tuple[bool | None, str]]) -> None:
    unknown = set(items) - set(ChecklistItem.values)
    if unknown:
        raise ValueError(f"not a checklist item: {sorted(unknown)}")
    for item in check.items.filter(key__in=list(items)):
        ok, note = items[item.key]
        if ok not in (True, False, None):
            raise ValueError(f"ok must be True, False or None, not {ok!r}")
        item.ok = ok
        item.note = (note or "").strip()
        item.save(update_fields=["ok", "note"])


@transaction.atomic
def preliminary_check_save(
    *,
    actor: User,
    check: PreliminaryCheck,
    items: Mapping[str, tuple[bool | None, str]],
    comment: str | None = None,
) -> PreliminaryCheck:
    """Save the checklist as a draft: items maps a checklist key to (ok: True/False/None, note).

    Items not given are left as they are; comment, when given, is kept as the draft of the opinion."""
    require_reviewer(actor)
    base, check = _lock_open_check(check)
    _check_in_review(base)
    _apply_items(check, items)
    if comment is not None:
        check.comment = comment.strip()
        check.save(update_fields=["comment"])
    return check


def _label(item: PreliminaryCheckItem) -> str:
    return str(item.get_key_display())


def _return_reason(items: Iterable[PreliminaryCheckItem], comment: str) -> str:
    """The text the host receives: one 【item】note line per failed item, then the bureau's comment."""
    lines = [f"【{_label(item)}】{item.note or _('不符合要求')}" for item in items if item.ok is False]
    if comment:
        lines.append(comment)
    return "\n".join(lines)


@transaction.atomic
def preliminary_check_conclude(
    *,
    actor: User,
    check: PreliminaryCheck,
    decision: str,
    comment: str = "",
    expected_status: str | None = None,
    today: date | None = None,
) -> PreliminaryCheck:
    """Art. 8-2: conclude the round and move the base: pass (every item checked 符合), return for
    revision (the failed items' notes and the comment go to the host) or reject (with reasons).

    today is accepted for the house signature; the moment of the conclusion is concluded_at."""
    require_reviewer(actor)
    base, check = _lock_open_check(check)
    check_expected_state(base, expected_status)
    if decision not in Decision.values:
        raise TransitionRefused(_("请选择初审结论。"))
    decision = Decision(decision)
    transition, conclude = _CONCLUSIONS[decision]
    check_transition(instance=base, transition=transition, actor=actor)
    comment = (comment or "").strip()
    items = list(check.items.all())

    if decision == Decision.PASS:
        open_items = [
            _("%(item)s（%(state)s）")
            % {"item": _label(item), "state": _("未检查") if item.ok is None else _("不符合")}
            for item in items
            if item.ok is not True
        ]
        if open_items:
            raise TransitionRefused(
                _("只有全部检查项均确认符合，才能通过初审。以下检查项尚未确认符合："), details=open_items
            )
        conclude(actor=actor, base=base, comment=comment, expected_status=expected_status)
    elif decision == Decision.RETURN:
        if not comment and not any(item.ok is False and item.note for item in items):
            raise TransitionRefused(
                _("退回修改须至少将一项标记为“不符合”并填写说明，或填写初审意见，以便依托单位按意见修改。")
            )
        conclude(
            actor=actor, base=base, reason=_return_reason(items, comment), expected_status=expected_status
        )
    else:
        if not comment:
            raise TransitionRefused(_("请在初审意见中填写不通过的理由。"))
        conclude(actor=actor, base=base, reason=comment, expected_status=expected_status)

    check.decision = decision
    check.comment = comment
    check.concluded_at = timezone.now()
    check.save(update_fields=["decision", "comment", "concluded_at"])
    return check
