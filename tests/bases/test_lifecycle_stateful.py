"""Random sequences of actions by random roles never leave a base in a state the lifecycle does not allow,
never skip the log, and terminal states stay terminal."""

from datetime import date
from itertools import pairwise

import pytest
from django.core.files.base import ContentFile
from django_fsm_log.models import StateLog
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from bases import services
from bases.models import POST_APPROVAL_STATES, PRE_DECISION_STATES, TERMINAL_STATES, PilotBase, Status
from bases.policy import RevocationReason
from portal.exceptions import TransitionRefused
from portal.site.demo.application import fill_complete_application
from tests.factories import PEOPLE, PilotBaseFactory
from tests.uploads import MINIMAL_PDF

S = Status
# The edges of the lifecycle's state table that the application phase and revocation may take.
SPEC_EDGES = {
    (S.DRAFT, S.SUBMITTED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.RETURNED),
    (S.SUBMITTED, S.RECOMMENDED),
    (S.SUBMITTED, S.REJECTED),
    (S.RECOMMENDED, S.PRELIMINARY_PASSED),
    (S.RECOMMENDED, S.RETURNED),
    (S.RECOMMENDED, S.REJECTED),
    (S.PRELIMINARY_PASSED, S.EXPERT_REVIEW),
    (S.EXPERT_REVIEW, S.REVIEW_PASSED),
    (S.EXPERT_REVIEW, S.REJECTED),
    (S.REVIEW_PASSED, S.IN_NOTICE),
    (S.IN_NOTICE, S.NOTICE_CLEARED),
    (S.IN_NOTICE, S.REJECTED),
    (S.NOTICE_CLEARED, S.APPROVED),
    (S.NOTICE_CLEARED, S.REJECTED),
    *((s, S.WITHDRAWN) for s in PRE_DECISION_STATES),
    *((s, S.REVOKED) for s in POST_APPROVAL_STATES),
}

ACTORS = list(PEOPLE)
START_STATES = [
    S.DRAFT,
    S.RECOMMENDED,
    S.PRELIMINARY_PASSED,
    S.REVIEW_PASSED,
    S.APPROVED,
    S.UNDER_CONSTRUCTION,
    S.RECOGNIZED,
    S.ACCEPTANCE_FAILED,
]


def _actions():
    def letter():
        return ContentFile(MINIMAL_PDF, name="推荐函.pdf")

    return {
        "submit": lambda a, b: services.base_submit(actor=a, base=b),
        "supervisor_return": lambda a, b: services.base_supervisor_return(actor=a, base=b, reason="补充材料"),
        "recommend": lambda a, b: services.base_recommend(actor=a, base=b, letter=letter()),
        "decline": lambda a, b: services.base_decline(actor=a, base=b, reason="不予推荐"),
        "preliminary_pass": lambda a, b: services.base_preliminary_pass(actor=a, base=b),
        "preliminary_return": lambda a, b: services.base_preliminary_return(actor=a, base=b, reason="退回"),
        "preliminary_reject": lambda a, b: services.base_preliminary_reject(actor=a, base=b, reason="不通过"),
        "withdraw": lambda a, b: services.base_withdraw(actor=a, base=b, reason="撤回"),
        "revoke": lambda a, b: services.base_revoke(
            actor=a, base=b, reason_code=RevocationReason.BUREAU_DECISION
        ),
        "edit": lambda a, b: services.base_update(actor=a, base=b, data={"summary": "修改简介"}),
        "start_expert_review": lambda a, b: services.base_start_expert_review(actor=a, base=b),
        "review_pass": lambda a, b: services.base_conclude_review(actor=a, base=b, passed=True),
        "review_fail": lambda a, b: services.base_conclude_review(
            actor=a, base=b, passed=False, comment="不通过"
        ),
        "publish_notice": lambda a, b: services.base_publish_notice(actor=a, base=b, notice_title="公示"),
        "clear_notice": lambda a, b: services.base_clear_notice(actor=a, base=b),
        "objection_upheld": lambda a, b: services.base_objection_upheld(actor=a, base=b, reason="异议成立"),
        "approve": lambda a, b: services.base_approve(
            actor=a, base=b, meeting_on=date(2026, 1, 5), minutes_no="1", today=date(2026, 11, 29)
        ),
        "decision_reject": lambda a, b: services.base_decision_reject(
            actor=a, base=b, meeting_on=date(2026, 1, 5), minutes_no="1", reason="不予立项"
        ),
        "empty_reason_return": lambda a, b: services.base_supervisor_return(actor=a, base=b, reason=""),
    }


ACTIONS = _actions()


class LifecycleMachine(RuleBasedStateMachine):
    people = None  # set by the test

    @initialize(start=st.sampled_from(START_STATES))
    def create(self, start):
        p = self.people
        self.base = PilotBaseFactory(host=p.host_a, status=start)
        if start == S.DRAFT:
            self.base = fill_complete_application(actor=p.staff_a, base=self.base)
        StateLog.objects.create(content_object=self.base, state=start, transition="create", by=p.staff_a)
        self.successes = 0
        self.was_terminal = False

    @rule(action=st.sampled_from(sorted(ACTIONS)), actor=st.sampled_from(ACTORS))
    def act(self, action, actor):
        before = PilotBase.objects.get(pk=self.base.pk).status
        try:
            ACTIONS[action](getattr(self.people, actor), self.base)
        except TransitionRefused:
            assert PilotBase.objects.get(pk=self.base.pk).status == before
            return
        after = PilotBase.objects.get(pk=self.base.pk).status
        if action != "edit":
            self.successes += 1
            assert (before, after) in SPEC_EDGES, (action, actor, before, after)
        else:
            assert after == before

    @invariant()
    def state_is_one_of_the_spec(self):
        assert PilotBase.objects.get(pk=self.base.pk).status in Status.values

    @invariant()
    def every_change_is_logged(self):
        logs = list(StateLog.objects.for_(self.base).order_by("pk"))
        assert len(logs) == 1 + self.successes
        for previous, log in pairwise(logs):
            assert log.source_state == previous.state
            assert (log.source_state, log.state) in SPEC_EDGES
            assert log.by is not None
        assert logs[-1].state == PilotBase.objects.get(pk=self.base.pk).status

    @invariant()
    def terminal_states_stay_terminal(self):
        status = PilotBase.objects.get(pk=self.base.pk).status
        if self.was_terminal:
            assert status in TERMINAL_STATES
        self.was_terminal = status in TERMINAL_STATES


@pytest.mark.django_db
def test_random_action_sequences_stay_within_the_spec(people):
    LifecycleMachine.people = people
    run_state_machine_as_test(
        LifecycleMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
