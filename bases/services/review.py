"""How the reviews app moves a base (Art. 8-2, 8-3): the preliminary review, the expert review,
the public notice and its objections. The reviews app runs panels, notices and meetings.

Each step is declared once by what it says (steps.step_service: its title, and the body of the
message; steps.decision_service: what its required reason is called, and its title). The people told
are the host unit and its supervisor; a decision sends them its reason."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.models import PilotBase
from bases.services.steps import decision_service, run_step, step_service
from portal.accounts.models import User

# Art. 8-2: the bureau's formal review passes; expert review follows.
base_preliminary_pass = step_service(
    "preliminary_pass",
    gettext_lazy("初审通过：%(name)s"),
    gettext_lazy("申请已通过市科技局初审，将组织专家评审。"),
)
# Art. 8-2: the bureau returns the application for revision after its formal review.
base_preliminary_return = decision_service(
    "preliminary_return", gettext_lazy("退回原因"), gettext_lazy("初审退回修改：%(name)s")
)
# Art. 8-2: the bureau rejects the application at its formal review; the application ends.
base_preliminary_reject = decision_service(
    "preliminary_reject", gettext_lazy("不通过的理由"), gettext_lazy("初审未通过：%(name)s")
)

# --- expert review, public notice, Party-group decision (Art. 8-2, 8-3) ----------------------------
# The reviews app runs panels, notices and meetings; these services move the base accordingly.
# Art. 8-2: the bureau forms an expert panel for a base that passed the preliminary review.
base_start_expert_review = step_service("start_expert_review", gettext_lazy("进入专家评审：%(name)s"))
_review_pass = step_service("review_pass", gettext_lazy("专家评审通过：%(name)s"))
_review_fail = decision_service(
    "review_fail", gettext_lazy("评审未通过的理由"), gettext_lazy("专家评审未通过：%(name)s")
)


@transaction.atomic
def base_conclude_review(
    *, actor: User, base: PilotBase, passed: bool, comment: str = "", expected_status: str | None = None
) -> PilotBase:
    """Art. 8-2: record the panel's conclusion: review_passed, or rejected (with the reason)."""
    if not passed:
        return _review_fail(actor=actor, base=base, reason=comment, expected_status=expected_status)
    return _review_pass(actor=actor, base=base, comment=comment, expected_status=expected_status)


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


# Art. 8-3: the notice period ended with no upheld objection. actor is None when the daily job closes
# the notice; actor_label then names the rule.
base_clear_notice = step_service("clear_notice", gettext_lazy("公示期满无异议：%(name)s"))
# Art. 8-3: an objection to the base was upheld; the application ends when the notice closes (actor
# None when the daily job closes it; actor_label then names the rule).
base_objection_upheld = decision_service(
    "objection_upheld", gettext_lazy("异议成立的理由"), gettext_lazy("公示异议成立，申请未通过：%(name)s")
)
