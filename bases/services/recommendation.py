"""The supervising unit's recommendation (Art. 8-1): return, recommend or decline."""

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.exceptions import ApplicationInvalid, TransitionRefused
from bases.models import PilotBase
from bases.selectors import bureau_users, host_users
from bases.services.common import announce
from bases.services.steps import decision_service
from portal.accounts.models import User
from portal.documents.validators import validate_upload
from portal.workflow.services import (
    check_expected_state,
    check_transition,
    lock,
    run_transition,
)

# The supervising unit returns the application to the host for revision.
base_supervisor_return = decision_service(
    "supervisor_return",
    gettext_lazy("退回原因"),
    gettext_lazy("申请被退回修改：%(name)s"),
    tell=host_users,
)


@transaction.atomic
def base_recommend(
    *,
    actor: User,
    base: PilotBase,
    letter: File | None,
    comment: str = "",
    expected_status: str | None = None,
) -> PilotBase:
    """Art. 8-1: the supervisor of the host's jurisdiction recommends with a formal letter."""
    base = lock(base)
    check_expected_state(base, expected_status)
    check_transition(instance=base, transition="recommend", actor=actor)
    if letter is None:
        raise TransitionRefused(_("请上传正式推荐文件（推荐函）。"))
    try:
        validate_upload(letter)
    except ValidationError as exc:
        raise ApplicationInvalid(exc.messages[0], field_errors={"letter": exc.messages[0]}) from exc
    run_transition(
        instance=base,
        transition="recommend",
        actor=actor,
        comment=comment,
        attachments=[("recommendation_letter", letter)],
    )
    announce(
        base,
        bureau_users(),
        (gettext_lazy("待初审：%(name)s"), {"name": base.name}),
        (gettext_lazy("%(unit)s 推荐了中试基地建设申请，请初审。"), {"unit": base.supervising_unit}),
    )
    announce(base, host_users(base), (gettext_lazy("申请已获推荐：%(name)s"), {"name": base.name}))
    return base


# The supervising unit declines to recommend (Art. 8-1); the application ends.
base_decline = decision_service(
    "decline", gettext_lazy("不予推荐的理由"), gettext_lazy("申请未获推荐：%(name)s"), tell=host_users
)
