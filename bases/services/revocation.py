"""Revocation of a base (Art. 8-4, 14, 16, 17) and its correction by an administrator."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

from bases.exceptions import TransitionRefused
from bases.models import PilotBase, Status
from bases.policy import REVOCATION_ARTICLES, RevocationReason
from bases.selectors import host_users, supervisor_users
from bases.services.common import announce, host_and_supervisor, local_today, require_reason
from portal.accounts.models import User
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    run_transition,
)


@transaction.atomic
def base_revoke(
    *,
    actor: User | None,
    base: PilotBase,
    reason_code: str,
    note: str = "",
    actor_label: str = "",
    expected_status: str | None = None,
    today: date | None = None,
) -> PilotBase:
    """Art. 8-4, 16, 17: revoke the base; the reason code and its article are recorded.

    actor is None for a scheduled rule; then actor_label names the rule.
    """
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="revoke", actor=actor)
    if reason_code not in RevocationReason.values:
        raise TransitionRefused(_("请选择撤销原因。"))
    reason = RevocationReason(reason_code)
    with translation.override(settings.LANGUAGE_CODE):  # the record keeps the official wording
        article = str(REVOCATION_ARTICLES[reason])
    comment = (note or "").strip()
    run_transition(
        instance=base,
        transition="revoke",
        actor=actor,
        comment=comment,
        reason_code=reason,
        actor_label=actor_label,
        changes={
            "revoked_on": local_today(today),
            "revocation_reason": reason,
            "revocation_article": article,
            "revocation_note": (note or "").strip(),
        },
    )
    announce(
        base,
        [*host_users(base), *supervisor_users(base)],
        (gettext_lazy("基地资格已撤销：%(name)s"), {"name": base.name}),
        (
            gettext_lazy("撤销原因：%(reason)s（依据%(article)s）。%(note)s"),
            {"reason": reason.label, "article": REVOCATION_ARTICLES[reason], "note": comment},
        ),
    )
    return base


def end_predecessor_if_failed(*, base: PilotBase) -> None:
    """Art. 14: a re-recognition that ends without recognition (declined, rejected, withdrawn) revokes
    its predecessor — a rule, so the log names it rather than the person who ended the application."""
    if not base.is_re_recognition() or base.status not in (Status.REJECTED, Status.WITHDRAWN):
        return
    predecessor = lock(base.predecessor)
    if predecessor.status != Status.RE_RECOGNITION_REQUIRED:
        return
    base_revoke(
        actor=None,
        base=predecessor,
        reason_code="re_recognition_failed",
        note=_("重新认定申请“%(name)s”未通过。") % {"name": base.name},
        actor_label="规则：重新认定未通过（第十四条）",
    )


@transaction.atomic
def base_reinstate(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """Correct an erroneous revocation (admin role): the base returns to the state it was revoked
    from, the revocation fields are cleared, and the reason is logged."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="reinstate", actor=actor)
    reason = require_reason(reason, _("纠正撤销的理由"))
    revocation = StateLog.objects.for_(base).filter(state=Status.REVOKED).order_by("-pk").first()
    previous = revocation.source_state if revocation else Status.RECOGNIZED
    run_transition(
        instance=base,
        transition="reinstate",
        actor=actor,
        comment=reason,
        arguments={"restore_to": previous},
        changes={
            "revoked_on": None,
            "revocation_reason": "",
            "revocation_article": "",
            "revocation_note": "",
        },
    )
    announce(
        base,
        host_and_supervisor(base),
        (gettext_lazy("撤销已纠正，基地资格恢复：%(name)s"), {"name": base.name}),
        reason,
    )
    return base
