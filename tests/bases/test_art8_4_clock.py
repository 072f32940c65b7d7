"""Art. 8-4 at its edges: the construction clock cannot be stopped by a filing nobody moves, and a
deadline that depends on the bureau's action runs from that action.

"批准建设后，建设期不超过2年，建设计划任务完成后，由依托单位在建设期满后1个月内提出验收申请 ……
如有特殊原因2年内没有完成建设任务的，经市科技局批准后最多延长1年，延期后仍未能通过验收的予以撤销。"

The base of `build` was approved on 2024-02-29: construction deadline 2026-02-28, acceptance window
closes 2026-03-28. With a 12-month extension: deadline 2027-02-28, window closes 2027-03-28.
"""

from datetime import date

import pytest

from bases.exceptions import TransitionRefused
from bases.jobs import revoke_unaccepted_after_extension
from bases.models import AcceptanceApplication, ExtensionRequest, FilingState, Status
from bases.policy import construction_clock_closes, extension_request_closes
from bases.services import filings
from portal.parameters import set_parameter
from tests.bases.test_construction import apply_acceptance, build, conclude_acceptance, extend

pytestmark = pytest.mark.django_db

ACCEPTANCE = {
    "summary": "各年度任务均已完成。",
    "outputs": "专利 3 件。",
    "fund_usage": "自筹 300 万元已到位。",
}


def revoked_by_job(base, as_of) -> bool:
    revoke_unaccepted_after_extension(as_of=as_of)
    base.refresh_from_db()
    return base.status == Status.REVOKED


def draft_acceptance(people, base, today):
    return filings.filing_create(
        actor=people.staff_a, base=base, kind="acceptance", data=ACCEPTANCE, today=today
    )


# --- item 1: only a filing with the county or the bureau holds the clock -----------------------------


def test_art8_4_a_draft_acceptance_application_does_not_hold_the_base_after_the_window(people):
    base = build(people)
    extend(people, base, 12, date(2025, 12, 1))
    draft_acceptance(people, base, date(2027, 3, 1))
    assert not revoked_by_job(base, date(2027, 3, 28))  # the window's last day: still the host's
    assert revoked_by_job(base, date(2027, 3, 29))
    assert base.revocation_reason == "construction_not_accepted"


def test_art8_4_without_an_extension_the_window_passing_unused_revokes_too(people):
    """No extension was requested before the deadline, no acceptance inside the window: the base can
    no longer be accepted nor extended, so it is revoked like one whose extension ran out."""
    base = build(people)
    draft_acceptance(people, base, date(2026, 3, 1))
    assert not revoked_by_job(base, date(2026, 3, 28))
    assert revoked_by_job(base, date(2026, 3, 29))


def test_art8_4_an_application_returned_and_never_resubmitted_holds_nothing(people):
    base = build(people)
    extend(people, base, 12, date(2025, 12, 1))
    application = apply_acceptance(people, base, date(2027, 2, 1))
    filings.filing_step(
        actor=people.supervisor_a,
        filing=application,
        action="supervisor_return",
        comment="补充经费使用说明",
        today=date(2027, 2, 10),
    )
    base.refresh_from_db()
    assert base.status == Status.UNDER_CONSTRUCTION
    assert not revoked_by_job(base, date(2027, 3, 28))
    assert revoked_by_job(base, date(2027, 3, 29))


def test_art8_4_an_application_with_the_supervisor_holds_until_it_is_returned(people):
    """Submitted in time, returned by the county after the window closed: the host has the portal's
    resubmission period from the return (the county's delay costs the host nothing); if it does not
    resubmit, the rule applies as soon as that period ends."""
    set_parameter("returned_filing_resubmit_days", 15)
    base = build(people)
    extend(people, base, 12, date(2025, 12, 1))
    application = apply_acceptance(people, base, date(2027, 3, 20))
    assert not revoked_by_job(base, date(2027, 4, 30))  # with the county: held
    filings.filing_step(
        actor=people.supervisor_a,
        filing=application,
        action="supervisor_return",
        comment="补充验收材料",
        today=date(2027, 5, 3),
    )
    assert not revoked_by_job(base, date(2027, 5, 18))  # 2027-05-03 + 15 days: still the host's
    assert revoked_by_job(base, date(2027, 5, 19))


def test_art8_4_a_returned_application_may_be_resubmitted_within_the_period_after_its_return(people):
    set_parameter("returned_filing_resubmit_days", 15)
    base = build(people)
    application = apply_acceptance(people, base, date(2026, 3, 25))
    filings.filing_step(
        actor=people.supervisor_a,
        filing=application,
        action="supervisor_return",
        comment="补充验收材料",
        today=date(2026, 4, 10),
    )
    filings.filing_step(actor=people.approver_a, filing=application, action="submit", today=date(2026, 4, 25))
    application.refresh_from_db()
    base.refresh_from_db()
    assert application.state == FilingState.SUBMITTED and base.status == Status.ACCEPTANCE_APPLIED
    assert not revoked_by_job(base, date(2026, 6, 1))


def test_art8_4_a_returned_application_past_its_resubmission_period_is_refused(people):
    set_parameter("returned_filing_resubmit_days", 15)
    base = build(people)
    application = apply_acceptance(people, base, date(2026, 3, 25))
    filings.filing_step(
        actor=people.supervisor_a,
        filing=application,
        action="supervisor_return",
        comment="补充",
        today=date(2026, 4, 10),
    )
    with pytest.raises(TransitionRefused, match="2026年4月25日"):
        filings.filing_step(
            actor=people.approver_a, filing=application, action="submit", today=date(2026, 4, 26)
        )


def test_art8_4_an_extension_request_with_the_bureau_holds_the_base(people):
    base = build(people)
    request = filings.filing_create(
        actor=people.staff_a,
        base=base,
        kind="extension",
        data={"reasons": "关键设备进口延误。", "months_requested": 6},
        today=date(2026, 2, 20),
    )
    filings.filing_step(actor=people.approver_a, filing=request, action="submit", today=date(2026, 2, 20))
    filings.filing_step(
        actor=people.supervisor_a, filing=request, action="supervisor_approve", today=date(2026, 2, 25)
    )
    assert not revoked_by_job(base, date(2026, 4, 15))  # window closed 03-28, request with the bureau
    filings.filing_step(actor=people.bureau, filing=request, action="approve", today=date(2026, 4, 16))
    base.refresh_from_db()
    assert base.status == Status.UNDER_CONSTRUCTION and base.construction_deadline == date(2026, 8, 29)
    assert not revoked_by_job(base, date(2026, 9, 29))
    assert revoked_by_job(base, date(2026, 9, 30))


def test_art8_4_a_base_in_acceptance_review_is_never_revoked_by_the_job(people):
    base = build(people)
    extend(people, base, 12, date(2025, 12, 1))
    application = apply_acceptance(people, base, date(2027, 3, 20))
    filings.filing_step(
        actor=people.supervisor_a, filing=application, action="supervisor_approve", today=date(2027, 3, 25)
    )
    filings.acceptance_open_for_panel(actor=people.bureau, base=base)
    assert not revoked_by_job(base, date(2027, 9, 1))
    assert base.status == Status.ACCEPTANCE_REVIEW


# --- item 5: the extension after a failed acceptance runs from the failure ---------------------------


def test_art8_4_a_failure_concluded_after_the_window_still_leaves_a_month_to_extend(people):
    base = build(people)
    apply_acceptance(people, base, date(2026, 3, 20))
    base = conclude_acceptance(people, base, passed=False, today=date(2026, 5, 10))  # window closed 03-28
    assert base.status == Status.ACCEPTANCE_FAILED and base.acceptance_failed_on == date(2026, 5, 10)
    assert not revoked_by_job(base, date(2026, 6, 10))  # 2026-05-10 + 1 month: still the host's
    extend(people, base, 6, date(2026, 6, 10))
    base.refresh_from_db()
    assert base.status == Status.UNDER_CONSTRUCTION and base.construction_deadline == date(2026, 8, 29)


def test_art8_4_after_the_month_from_the_failure_no_extension_and_the_job_revokes(people):
    base = build(people)
    apply_acceptance(people, base, date(2026, 3, 20))
    base = conclude_acceptance(people, base, passed=False, today=date(2026, 5, 10))
    with pytest.raises(TransitionRefused, match="2026年6月10日"):
        filings.filing_create(
            actor=people.staff_a,
            base=base,
            kind="extension",
            data={"reasons": "设备延误", "months_requested": 6},
            today=date(2026, 6, 11),
        )
    assert revoked_by_job(base, date(2026, 6, 11))


def test_art8_4_an_early_failure_keeps_the_whole_acceptance_window_for_the_extension(people):
    """Failed before the deadline: the month from the failure would end before the window does; the
    host keeps whichever is later."""
    base = build(people)
    apply_acceptance(people, base, date(2026, 1, 5))
    base = conclude_acceptance(people, base, passed=False, today=date(2026, 1, 20))
    assert extension_request_closes(base.construction_deadline, failed_on=base.acceptance_failed_on) == date(
        2026, 3, 28
    )
    assert not revoked_by_job(base, date(2026, 3, 28))
    assert revoked_by_job(base, date(2026, 3, 29))


def test_art8_4_the_month_after_a_failure_is_the_bureaus_parameter(people):
    set_parameter("failed_acceptance_extension_months", 2)
    base = build(people)
    apply_acceptance(people, base, date(2026, 3, 20))
    base = conclude_acceptance(people, base, passed=False, today=date(2026, 5, 10))
    assert not revoked_by_job(base, date(2026, 7, 10))
    assert revoked_by_job(base, date(2026, 7, 11))


def test_art8_4_an_extension_requested_after_failure_and_left_returned_runs_out(people):
    set_parameter("returned_filing_resubmit_days", 10)
    base = build(people)
    apply_acceptance(people, base, date(2026, 3, 20))
    base = conclude_acceptance(people, base, passed=False, today=date(2026, 5, 10))
    request = filings.filing_create(
        actor=people.staff_a,
        base=base,
        kind="extension",
        data={"reasons": "设备延误", "months_requested": 6},
        today=date(2026, 6, 1),
    )
    filings.filing_step(actor=people.approver_a, filing=request, action="submit", today=date(2026, 6, 1))
    assert not revoked_by_job(base, date(2026, 7, 1))  # with the county
    filings.filing_step(
        actor=people.supervisor_a,
        filing=request,
        action="supervisor_return",
        comment="补充理由",
        today=date(2026, 7, 2),
    )
    assert ExtensionRequest.objects.get(pk=request.pk).state == FilingState.RETURNED
    assert not revoked_by_job(base, date(2026, 7, 12))
    assert revoked_by_job(base, date(2026, 7, 13))


# --- the pure rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "closes"),
    [
        ({}, date(2026, 3, 28)),  # the acceptance window
        ({"returned_on": date(2026, 3, 20), "resubmit_days": 15}, date(2026, 4, 4)),
        ({"returned_on": date(2026, 2, 1), "resubmit_days": 15}, date(2026, 3, 28)),  # the window is later
        ({"failed_on": date(2026, 5, 10)}, date(2026, 6, 10)),
        ({"failed_on": date(2026, 1, 31)}, date(2026, 3, 28)),
        ({"failed_on": date(2026, 5, 31), "months_after_failure": 1}, date(2026, 6, 30)),  # clamped
    ],
)
def test_art8_4_construction_clock_closes(kwargs, closes):
    assert construction_clock_closes(date(2026, 2, 28), **kwargs) == closes


def test_art8_4_the_acceptance_model_is_untouched_by_the_job(people):
    """The job revokes the base; the draft stays as the host left it (the record of what happened)."""
    base = build(people)
    draft = draft_acceptance(people, base, date(2026, 3, 1))
    assert revoked_by_job(base, date(2026, 3, 29))
    assert AcceptanceApplication.objects.get(pk=draft.pk).state == FilingState.DRAFT
