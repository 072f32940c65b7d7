"""The states of a pilot base and the groups of states the rules name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待推荐")
    RETURNED = "returned", _("退回修改")
    RECOMMENDED = "recommended", _("待初审")
    PRELIMINARY_PASSED = "preliminary_passed", _("初审通过")
    EXPERT_REVIEW = "expert_review", _("专家评审中")
    REVIEW_PASSED = "review_passed", _("评审通过")
    IN_NOTICE = "in_notice", _("公示中")
    NOTICE_CLEARED = "notice_cleared", _("公示无异议")
    APPROVED = "approved", _("批准立项")
    UNDER_CONSTRUCTION = "under_construction", _("建设中")
    ACCEPTANCE_APPLIED = "acceptance_applied", _("验收申请中")
    ACCEPTANCE_REVIEW = "acceptance_review", _("验收评审中")
    ACCEPTANCE_FAILED = "acceptance_failed", _("验收未通过")
    RECOGNIZED = "recognized", _("已认定")
    RE_RECOGNITION_REQUIRED = "re_recognition_required", _("待重新认定")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    REVOKED = "revoked", _("已撤销")
    SUPERSEDED = "superseded", _("已重新认定")


TERMINAL_STATES = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.REVOKED, Status.SUPERSEDED})
# The host may withdraw until the Party-group decision (Art. 8-3).
PRE_DECISION_STATES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.RECOMMENDED,
    Status.PRELIMINARY_PASSED,
    Status.EXPERT_REVIEW,
    Status.REVIEW_PASSED,
    Status.IN_NOTICE,
    Status.NOTICE_CLEARED,
)
# The bureau may revoke from any non-terminal state after approval.
POST_APPROVAL_STATES = (
    Status.APPROVED,
    Status.UNDER_CONSTRUCTION,
    Status.ACCEPTANCE_APPLIED,
    Status.ACCEPTANCE_REVIEW,
    Status.ACCEPTANCE_FAILED,
    Status.RECOGNIZED,
    Status.RE_RECOGNITION_REQUIRED,
)
EDITABLE_STATES = frozenset({Status.DRAFT, Status.RETURNED})


class ApplicationKind(models.TextChoices):
    NEW = "new", _("新建申请")
    RE_RECOGNITION = "re_recognition", _("重新认定")  # Art. 14
