"""From approval to the roster (Art. 8-4; 9; 10; 14): the task book starts the construction
clock, one extension at most, acceptance inside its window, the panel's conclusion, the award, the
special-funds ledger, change requests and re-recognition."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from bases import services as base_services
from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import (
    AcceptanceApplication,
    Award,
    ExtensionRequest,
    LedgerEntry,
    PilotBase,
    Status,
)
from bases.services import filings, funds
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

TASK_BOOK = {
    "goals": "建成年处理 100 吨的中试线。",
    "construction_content": "厂房改造、设备购置与调试。",
    "staffing": "负责人 1 名，技术骨干 8 名。",
    "expected_outputs": "完成中试项目 5 项，申请专利 3 件。",
}


def chain(people, filing, today, approve=True, months_granted=None):
    """The host approver submits, the supervisor approves, the bureau approves."""
    filings.filing_step(actor=people.approver_a, filing=filing, action="submit", today=today)
    filings.filing_step(actor=people.supervisor_a, filing=filing, action="supervisor_approve", today=today)
    if approve:
        filings.filing_step(
            actor=people.bureau, filing=filing, action="approve", months_granted=months_granted, today=today
        )
    filing.refresh_from_db()
    return filing


def build(people, approved_on=date(2024, 2, 29), today=date(2024, 4, 1)):
    base = PilotBaseFactory(host=people.host_a, approved=True, approved_on=approved_on)
    book = filings.filing_create(
        actor=people.staff_a,
        base=base,
        kind="task-book",
        data=TASK_BOOK,
        milestones=[{"year": 2024, "content": "厂房改造", "self_raised_wan": Decimal("120.50")}],
        today=today,
    )
    chain(people, book, today)
    base.refresh_from_db()
    return base


def extend(people, base, months, today, granted=None):
    request = filings.filing_create(
        actor=people.staff_a,
        base=base,
        kind="extension",
        data={"reasons": "关键设备进口延误。", "months_requested": months},
        today=today,
    )
    return chain(people, request, today, months_granted=granted)


def test_art8_4_task_book_approval_starts_the_clock_from_the_approval_date(people):
    base = build(people)
    assert base.status == Status.UNDER_CONSTRUCTION
    assert base.construction_deadline == date(2026, 2, 28)  # 2024-02-29 + 24 months, clamped


def test_task_book_needs_the_approvers_sign_off_and_yearly_tasks(people):
    base = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 1))
    book = filings.filing_create(
        actor=people.staff_a, base=base, kind="task-book", data=TASK_BOOK, milestones=[]
    )
    with pytest.raises(PermissionRefused):
        filings.filing_step(actor=people.staff_a, filing=book, action="submit")
    with pytest.raises(TransitionRefused, match="年度建设任务"):
        filings.filing_step(actor=people.approver_a, filing=book, action="submit")
    with pytest.raises(TransitionRefused, match="已有建设计划任务书"):
        filings.filing_create(actor=people.staff_a, base=base, kind="task-book", data=TASK_BOOK)


def test_a_return_needs_reasons_and_reopens_the_filing(people):
    base = PilotBaseFactory(host=people.host_a, approved=True, approved_on=date(2026, 3, 1))
    book = filings.filing_create(
        actor=people.staff_a,
        base=base,
        kind="task-book",
        data=TASK_BOOK,
        milestones=[{"year": 2026, "content": "改造"}],
    )
    filings.filing_step(actor=people.approver_a, filing=book, action="submit")
    with pytest.raises(TransitionRefused, match="理由"):
        filings.filing_step(actor=people.supervisor_a, filing=book, action="supervisor_return")
    with pytest.raises(PermissionRefused):
        filings.filing_step(actor=people.supervisor_b, filing=book, action="supervisor_return", comment="x")
    filings.filing_step(
        actor=people.supervisor_a, filing=book, action="supervisor_return", comment="补充预算"
    )
    book.refresh_from_db()
    assert book.is_editable
    filings.filing_update(actor=people.staff_a, filing=book, data={**TASK_BOOK, "goals": "新目标"})
    book.refresh_from_db()
    assert book.goals == "新目标"


@pytest.mark.parametrize(
    ("months", "granted", "deadline"), [(12, None, date(2027, 2, 28)), (12, 7, date(2026, 9, 29))]
)
def test_art8_4_extension_recomputes_the_deadline(people, months, granted, deadline):
    base = build(people)
    request = extend(people, base, months, date(2025, 12, 1), granted=granted)
    base.refresh_from_db()
    assert request.months_granted == (granted or months)
    assert base.construction_deadline == deadline and base.extension_used


def test_art8_4_a_second_extension_is_refused(people):
    base = build(people)
    extend(people, base, 6, date(2025, 12, 1))
    with pytest.raises(TransitionRefused, match="已批准过一次延期"):
        filings.filing_create(
            actor=people.staff_a,
            base=base,
            kind="extension",
            data={"reasons": "再次延期", "months_requested": 3},
            today=date(2026, 1, 5),
        )


def test_the_database_refuses_two_approved_extensions(people):
    base = build(people)
    extend(people, base, 6, date(2025, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            base=base, created_by=people.staff_a, reasons="x", months_requested=3, state="approved"
        )


@pytest.mark.skipif(not ON_POSTGRES, reason="two transactions at once need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_racing_extension_requests_only_one_is_filed(people):
    base = build(people)
    barrier, results = threading.Barrier(2), []

    def file():
        try:
            barrier.wait()
            filings.filing_create(
                actor=people.staff_a,
                base=base,
                kind="extension",
                data={"reasons": "设备延误", "months_requested": 6},
                today=date(2025, 12, 1),
            )
            results.append("ok")
        except TransitionRefused:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=file) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert ExtensionRequest.objects.filter(base=base).count() == 1


def apply_acceptance(people, base, today):
    application = filings.filing_create(
        actor=people.staff_a,
        base=base,
        kind="acceptance",
        data={
            "summary": "各年度任务均已完成。",
            "outputs": "专利 3 件。",
            "fund_usage": "自筹 300 万元已到位。",
        },
        today=today,
    )
    filings.filing_step(actor=people.approver_a, filing=application, action="submit", today=today)
    return application


def test_art8_4_acceptance_on_the_window_close_and_one_day_late(people):
    base = build(people)  # deadline 2026-02-28, window closes 2026-03-28
    with pytest.raises(TransitionRefused, match="2026年3月28日"):
        apply_acceptance(people, base, date(2026, 3, 29))
    application = apply_acceptance(people, base, date(2026, 3, 28))
    application.refresh_from_db()
    base.refresh_from_db()
    assert application.submitted_on == date(2026, 3, 28) and base.status == Status.ACCEPTANCE_APPLIED


def conclude_acceptance(people, base, passed, today=date(2026, 4, 10)):
    application = AcceptanceApplication.objects.get(base=base, state="submitted")
    filings.filing_step(
        actor=people.supervisor_a, filing=application, action="supervisor_approve", today=today
    )
    with transaction.atomic():
        filings.acceptance_open_for_panel(actor=people.bureau, base=base)
        filings.acceptance_conclude(
            actor=people.bureau, base=base, passed=passed, comment="验收结论", today=today
        )
    base.refresh_from_db()
    return base


def test_art8_4_9_acceptance_passes_into_the_roster_with_its_award(people):
    base = build(people)
    apply_acceptance(people, base, date(2026, 3, 1))
    base = conclude_acceptance(people, base, passed=True)
    assert base.status == Status.RECOGNIZED and base.recognized_on == date(2026, 4, 10)
    award = Award.objects.get(base=base)
    assert award.amount == Decimal("200000.00") and not award.is_disbursed


def test_art8_4_failed_acceptance_without_extension_may_still_extend(people):
    base = build(people)
    apply_acceptance(people, base, date(2026, 3, 1))
    base = conclude_acceptance(people, base, passed=False, today=date(2026, 3, 20))
    assert base.status == Status.ACCEPTANCE_FAILED
    extend(people, base, 6, date(2026, 3, 25))
    base.refresh_from_db()
    assert base.status == Status.UNDER_CONSTRUCTION and base.construction_deadline == date(2026, 8, 29)


def test_art8_4_failed_acceptance_after_the_extension_revokes_at_once(people):
    base = build(people)
    extend(people, base, 12, date(2025, 12, 1))
    base.refresh_from_db()
    apply_acceptance(people, base, date(2027, 3, 1))
    base = conclude_acceptance(people, base, passed=False, today=date(2027, 3, 10))
    assert base.status == Status.REVOKED and base.revocation_reason == "construction_not_accepted"
    assert "第八条第（四）项" in base.revocation_article


def recognized(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2026, 1, 5))
    return base, funds.award_create(base=base, today=date(2026, 1, 5))


def test_art9_10_ledger_sums_in_decimal_and_refuses_overspending(people):
    base, award = recognized(people)
    with pytest.raises(PermissionRefused):
        funds.award_disburse(
            actor=people.staff_a, award=award, disbursed_on=date(2026, 2, 1), voucher_no="1", amount="1"
        )
    funds.award_disburse(
        actor=people.bureau,
        award=award,
        disbursed_on=date(2026, 2, 1),
        voucher_no="忻科拨〔2026〕3号",
        amount="200000",
    )
    for amount, category in [("0.10", "construction"), ("0.20", "construction"), ("99999.70", "research")]:
        funds.ledger_record(
            actor=people.staff_a,
            base=base,
            direction="expenditure",
            entry_on=date(2026, 3, 1),
            amount=amount,
            payee="供应商",
            category=category,
        )
    summary = funds.ledger_summary(base)
    assert summary.spent == Decimal("100000.00") and summary.balance == Decimal("100000.00")
    assert summary.by_category == {
        "construction": Decimal("0.30"),
        "research": Decimal("99999.70"),
        "cooperation": Decimal("0.00"),
    }
    assert summary.by_year == [(2026, Decimal("200000.00"), Decimal("100000.00"), summary.by_category)]
    with pytest.raises(ApplicationInvalid, match=r"超过专项资金结余 100000\.00"):
        funds.ledger_record(
            actor=people.staff_a,
            base=base,
            direction="expenditure",
            entry_on=date(2026, 3, 2),
            amount="100000.01",
            payee="供应商",
            category="cooperation",
        )
    with pytest.raises(ApplicationInvalid, match="两位小数"):
        funds.ledger_record(
            actor=people.staff_a,
            base=base,
            direction="expenditure",
            entry_on=date(2026, 3, 2),
            amount="1.005",
            payee="供应商",
            category="cooperation",
        )


@pytest.mark.skipif(not ON_POSTGRES, reason="two transactions at once need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_expenditures_at_once_cannot_overspend(people):
    base, award = recognized(people)
    funds.award_disburse(
        actor=people.bureau, award=award, disbursed_on=date(2026, 2, 1), voucher_no="A1", amount="1000"
    )
    barrier, results = threading.Barrier(2), []

    def spend():
        try:
            barrier.wait()
            funds.ledger_record(
                actor=people.staff_a,
                base=base,
                direction="expenditure",
                entry_on=date(2026, 3, 1),
                amount="600.00",
                payee="供应商",
                category="construction",
            )
            results.append("ok")
        except ApplicationInvalid:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert LedgerEntry.objects.filter(base=base, direction="expenditure").count() == 1


def change(people, base, data, today=date(2026, 5, 1)):
    request = filings.filing_create(actor=people.staff_a, base=base, kind="change", data=data, today=today)
    return chain(people, request, today)


def test_art14_rename_and_host_change_keep_the_history(people):
    base = PilotBaseFactory(
        host=people.host_a, recognized=True, rd_direction="碳材料", name="忻州市碳材料中试基地"
    )
    with pytest.raises(ApplicationInvalid):
        filings.filing_create(
            actor=people.staff_a,
            base=base,
            kind="change",
            data={"kind": "rename", "report": "更名", "new_name": "碳材料基地"},
        )
    change(people, base, {"kind": "rename", "report": "更名", "new_name": "忻州市先进碳材料中试基地"})
    change(people, base, {"kind": "host", "report": "划转", "new_host": people.host_b})
    base.refresh_from_db()
    assert base.name == "忻州市先进碳材料中试基地" and base.rd_direction == "先进碳材料"
    assert base.host == people.host_b
    assert base.supervising_unit == people.host_b.supervising_unit
    history = [(h.field, h.old_value, h.new_value) for h in base.history.order_by("pk")]
    assert history == [
        ("name", "忻州市碳材料中试基地", "忻州市先进碳材料中试基地"),
        ("rd_direction", "碳材料", "先进碳材料"),
        ("host", people.host_a.name, people.host_b.name),
    ]


def test_art14_re_recognition_chain_without_a_new_award(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2025, 1, 1))
    change(people, base, {"kind": "legal_entity", "report": "股份制改革"})
    base.refresh_from_db()
    assert base.status == Status.RE_RECOGNITION_REQUIRED
    successor = base_services.base_start_re_recognition(actor=people.staff_a, predecessor=base)
    assert (
        successor.kind == "re_recognition" and successor.predecessor == base and successor.name == base.name
    )
    # through the application and review phases (Art. 8-1 to 8-3)
    PilotBase.objects.filter(pk=successor.pk).update(status=Status.NOTICE_CLEARED)
    successor.refresh_from_db()
    base_services.base_approve(
        actor=people.bureau, base=successor, meeting_on=date(2026, 6, 1), minutes_no="2026-9"
    )
    successor.refresh_from_db()
    base.refresh_from_db()
    assert successor.status == Status.RECOGNIZED and successor.recognized_on == date(2026, 6, 1)
    assert base.status == Status.SUPERSEDED
    assert not Award.objects.filter(base=successor).exists()


def test_art14_a_failed_re_recognition_revokes_the_predecessor(people):
    base = PilotBaseFactory(host=people.host_a, re_recognition_required=True)
    successor = base_services.base_start_re_recognition(actor=people.staff_a, predecessor=base)
    base_services.base_withdraw(actor=people.approver_a, base=successor, reason="放弃重新认定")
    base.refresh_from_db()
    assert base.status == Status.REVOKED and base.revocation_reason == "re_recognition_failed"


def test_art14_the_predecessors_page_links_its_re_recognition_in_every_state_it_can_be_in(client, people):
    base = PilotBaseFactory(host=people.host_a, re_recognition_required=True)
    successor = base_services.base_start_re_recognition(actor=people.staff_a, predecessor=base)
    client.force_login(people.bureau)
    link = f'href="/bases/{successor.pk}/"'
    assert link in client.get(f"/bases/{base.pk}/").content.decode()  # awaiting re-recognition
    for status in (Status.SUPERSEDED, Status.REVOKED):
        PilotBase.objects.filter(pk=base.pk).update(status=status, revocation_reason="re_recognition_failed")
        assert link in client.get(f"/bases/{base.pk}/").content.decode(), status
