"""Every write to a pilot base in the application phase (Art. 8-1, 8-2), re-recognition (Art. 14) and
revocation, one module per concept; the filings after approval are in bases.services.filings and the
special funds in bases.services.funds.

Each service: one transaction, the row re-read with a lock, the domain guards checked with messages
for the user, the step run and logged through portal.workflow.run_transition, and notifications
scheduled on commit.

The package re-exports the services, and the errors they raise: the reviews and assessments apps,
the views and the tests call them as `bases.services.base_…` whatever module holds them.
"""

from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.services.application import (
    EDITABLE_FIELDS,
    ROW_RELATIONS,
    base_create_draft,
    base_replace_rows,
    base_submit,
    base_update,
    base_withdraw,
    condition_affirm,
    evidence_attach,
    evidence_remove,
)
from bases.services.common import announce, host_and_supervisor
from bases.services.decision import base_approve, base_decision_reject
from bases.services.recognition import base_start_re_recognition
from bases.services.recommendation import base_decline, base_recommend, base_supervisor_return
from bases.services.review import (
    base_clear_notice,
    base_conclude_review,
    base_objection_upheld,
    base_preliminary_pass,
    base_preliminary_reject,
    base_preliminary_return,
    base_publish_notice,
    base_start_expert_review,
)
from bases.services.revocation import base_reinstate, base_revoke, end_predecessor_if_failed

__all__ = [
    "EDITABLE_FIELDS",
    "ROW_RELATIONS",
    "ApplicationInvalid",
    "PermissionRefused",
    "TransitionRefused",
    "announce",
    "base_approve",
    "base_clear_notice",
    "base_conclude_review",
    "base_create_draft",
    "base_decision_reject",
    "base_decline",
    "base_objection_upheld",
    "base_preliminary_pass",
    "base_preliminary_reject",
    "base_preliminary_return",
    "base_publish_notice",
    "base_recommend",
    "base_reinstate",
    "base_replace_rows",
    "base_revoke",
    "base_start_expert_review",
    "base_start_re_recognition",
    "base_submit",
    "base_supervisor_return",
    "base_update",
    "base_withdraw",
    "condition_affirm",
    "end_predecessor_if_failed",
    "evidence_attach",
    "evidence_remove",
    "host_and_supervisor",
]
