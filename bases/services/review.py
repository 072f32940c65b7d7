"""How the reviews app moves a base (Art. 8-2, 8-3): the preliminary review, the expert review,
the public notice and its objections. The reviews app runs panels, notices and meetings."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.models import PilotBase
from bases.services.common import host_and_supervisor
from bases.services.steps import decide_with_reason, run_step
from portal.accounts.models import User


@transaction.atomic
def base_preliminary_pass(
    *, actor: User, base: PilotBase, comment: str = "", expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau's formal review passes; expert review follows."""
    return run_step(
        actor=actor,
        base=base,
        transition="preliminary_pass",
        comment=comment,
        expected_status=expected_status,
        title=gettext_lazy("初审通过：%(name)s"),
        body=gettext_lazy("申请已通过市科技局初审，将组织专家评审。"),
    )


@transaction.atomic
def base_preliminary_return(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau returns the application for revision after its formal review."""
    return decide_with_reason(
        actor=actor,
        base=base,
        transition="preliminary_return",
        reason=reason,
        what=_("退回原因"),
        expected_status=expected_status,
        title=gettext_lazy("初审退回修改：%(name)s"),
        tell=host_and_supervisor,
    )


@transaction.atomic
def base_preliminary_reject(
    *, actor: User, base: PilotBase, reason: str, expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau rejects the application at its formal review; the application ends."""
    return decide_with_reason(
        actor=actor,
        base=base,
        transition="preliminary_reject",
        reason=reason,
        what=_("不通过的理由"),
        expected_status=expected_status,
        title=gettext_lazy("初审未通过：%(name)s"),
        tell=host_and_supervisor,
    )


# --- expert review, public notice, Party-group decision (Art. 8-2, 8-3) ----------------------------
# The reviews app runs panels, notices and meetings; these services move the base accordingly.
@transaction.atomic
def base_start_expert_review(
    *, actor: User, base: PilotBase, comment: str = "", expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: the bureau forms an expert panel for a base that passed the preliminary review."""
    return run_step(
        actor=actor,
        base=base,
        transition="start_expert_review",
        comment=comment,
        expected_status=expected_status,
        title=gettext_lazy("进入专家评审：%(name)s"),
    )


@transaction.atomic
def base_conclude_review(
    *, actor: User, base: PilotBase, passed: bool, comment: str = "", expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: record the panel's conclusion: review_passed, or rejected (with the reason)."""
    if not passed:
        return decide_with_reason(
            actor=actor,
            base=base,
            transition="review_fail",
            reason=comment,
            what=_("评审未通过的理由"),
            expected_status=expected_status,
            title=gettext_lazy("专家评审未通过：%(name)s"),
            tell=host_and_supervisor,
        )
    return run_step(
        actor=actor,
        base=base,
        transition="review_pass",
        comment=comment,
        expected_status=expected_status,
        title=gettext_lazy("专家评审通过：%(name)s"),
    )


@transaction.atomic
def base_publish_notice(*, actor: User, base: PilotBase, notice_title: str) -> PilotBase:
    """Art. 8-3: the base is included in a published public notice."""
    return run_step(
        actor=actor,
        base=base,
        transition="publish_notice",
        comment=_("列入公示：%(title)s") % {"title": notice_title},
        title=gettext_lazy("已进入公示期：%(name)s"),
    )


@transaction.atomic
def base_clear_notice(
    *, actor: User | None, base: PilotBase, comment: str = "", actor_label: str = ""
) -> PilotBase:
    """Art. 8-3: the notice period ended with no upheld objection. actor is None when the daily
    job closes the notice; actor_label then names the rule."""
    return run_step(
        actor=actor,
        base=base,
        transition="clear_notice",
        comment=comment,
        actor_label=actor_label,
        title=gettext_lazy("公示期满无异议：%(name)s"),
    )


@transaction.atomic
def base_objection_upheld(
    *, actor: User | None, base: PilotBase, reason: str, actor_label: str = ""
) -> PilotBase:
    """Art. 8-3: an objection to the base was upheld; the application ends when the notice closes
    (actor None when the daily job closes it; actor_label then names the rule)."""
    return decide_with_reason(
        actor=actor,
        actor_label=actor_label,
        base=base,
        transition="objection_upheld",
        reason=reason,
        what=_("异议成立的理由"),
        expected_status=None,
        title=gettext_lazy("公示异议成立，申请未通过：%(name)s"),
        tell=host_and_supervisor,
    )
