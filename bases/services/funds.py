"""The award and the special-funds ledger (Art. 9–10). Money is Decimal with two places; every write
locks the base row so that two entries at once cannot overspend."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bases.exceptions import ApplicationInvalid, PermissionRefused, TransitionRefused
from bases.models import Award, Direction, FundCategory, LedgerEntry, PilotBase, category_names
from bases.permissions import is_host_of, may_review
from portal.accounts.models import User
from portal.documents.services import attachment_create
from portal.parameters import get_parameter
from portal.workflow.services import lock

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """A positive amount of yuan with at most two decimals, or ApplicationInvalid."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ApplicationInvalid(_("金额须为数字。"), field_errors={"amount": _("金额须为数字。")}) from exc
    if not amount.is_finite() or amount <= 0:
        raise ApplicationInvalid(_("金额须大于 0。"), field_errors={"amount": _("金额须大于 0。")})
    if amount != amount.quantize(CENT):
        raise ApplicationInvalid(_("金额最多两位小数。"), field_errors={"amount": _("金额最多两位小数。")})
    return amount.quantize(CENT)


def award_create(*, base: PilotBase, today: date) -> Award:
    """Art. 9: a newly recognised base gets the policy amount (parameter award_amount_yuan)."""
    amount = Decimal(get_parameter("award_amount_yuan")).quantize(CENT)
    award, _created = Award.objects.get_or_create(base=base, defaults={"amount": amount, "granted_on": today})
    return award


@transaction.atomic
def award_disburse(*, actor: User, award: Award, disbursed_on: date | None, voucher_no: str, amount) -> Award:
    """The bureau records the disbursement; it is the ledger's receipt of the award."""
    if not may_review(actor):
        raise PermissionRefused(_("只有市科技局可以登记拨付。"))
    award = Award.objects.select_for_update().select_related("base").get(pk=award.pk)
    if award.is_disbursed:
        raise TransitionRefused(_("该奖励资助已登记拨付。"))
    errors = {}
    voucher_no = (voucher_no or "").strip()
    if not voucher_no:
        errors["voucher_no"] = _("请填写拨付凭证号。")
    if disbursed_on is None:
        errors["disbursed_on"] = _("请填写拨付日期。")
    if errors:
        raise ApplicationInvalid(" ".join(errors.values()), field_errors=errors)
    amount = money(amount)
    if amount > award.amount:
        raise ApplicationInvalid(
            _("拨付金额不能超过奖励资助金额 %(max)s 元。") % {"max": award.amount},
            field_errors={"amount": _("拨付金额不能超过奖励资助金额 %(max)s 元。") % {"max": award.amount}},
        )
    award.disbursed_on, award.voucher_no, award.disbursed_amount, award.disbursed_by = (
        disbursed_on,
        voucher_no,
        amount,
        actor,
    )
    award.save()
    LedgerEntry.objects.create(
        base=award.base,
        direction=Direction.RECEIPT,
        entry_on=disbursed_on,
        amount=amount,
        payee=_("忻州市科学技术局"),
        note=_("新认定市中试基地奖励资助（凭证 %(no)s）") % {"no": voucher_no},
        award=award,
        recorded_by=actor,
    )
    return award


def _check_bookkeeper(actor: User, base: PilotBase, direction: str) -> None:
    if direction == Direction.EXPENDITURE:
        if not is_host_of(actor, base):
            raise PermissionRefused(_("支出由依托单位登记。"))
    elif not may_review(actor):
        raise PermissionRefused(_("专项资金收入由市科技局登记。"))


@transaction.atomic
def ledger_record(
    *,
    actor: User,
    base: PilotBase,
    direction: str,
    entry_on: date | None,
    amount,
    payee: str,
    category: str = "",
    note: str = "",
    vouchers=(),
    today: date | None = None,
) -> LedgerEntry:
    """Record a receipt (the bureau) or an expenditure (the host unit); an expenditure beyond the
    balance received is refused (单独核算，专款专用, Art. 10)."""
    base = lock(base)
    _check_bookkeeper(actor, base, direction)
    errors = {}
    if direction not in Direction.values:
        errors["direction"] = _("请选择收支。")
    if direction == Direction.EXPENDITURE:
        choices = dict(FundCategory.objects.filter(active=True).values_list("code", "name"))
        if category not in choices:
            errors["category"] = _("请选择支出类别（%(names)s）。") % {"names": "、".join(choices.values())}
    if entry_on is None:
        errors["entry_on"] = _("请填写日期。")
    elif entry_on > (today or timezone.localdate()):
        errors["entry_on"] = _("日期不能晚于今天。")
    if not (payee or "").strip():
        errors["payee"] = _("请填写收付款单位。")
    if errors:
        raise ApplicationInvalid(" ".join(errors.values()), field_errors=errors)
    amount = money(amount)
    if direction == Direction.EXPENDITURE:
        balance = ledger_summary(base).balance
        if amount > balance:
            message = _("支出 %(amount)s 元超过专项资金结余 %(balance)s 元，不能登记。") % {
                "amount": amount,
                "balance": balance,
            }
            raise ApplicationInvalid(message, field_errors={"amount": message})
    entry = LedgerEntry.objects.create(
        base=base,
        direction=direction,
        category=category if direction == Direction.EXPENDITURE else "",
        entry_on=entry_on,
        amount=amount,
        payee=payee.strip(),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    try:
        for file in vouchers:
            attachment_create(owner=entry, purpose="voucher", file=file, uploaded_by=actor)
    except ValidationError as exc:
        raise ApplicationInvalid(
            " ".join(exc.messages), field_errors={"vouchers": " ".join(exc.messages)}
        ) from exc
    return entry


@dataclass
class LedgerSummary:
    received: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    by_category: dict = field(default_factory=dict)  # category → spent
    by_year: list = field(default_factory=list)  # (year, received, spent, {category: spent})

    @property
    def balance(self) -> Decimal:
        return self.received - self.spent

    @property
    def category_labels(self) -> list[str]:
        """The names of the columns of by_category, in its order, in the active language (Art. 10)."""
        names = category_names()
        return [names.get(code, code) for code in self.by_category]


def ledger_summary(base: PilotBase) -> LedgerSummary:
    """Totals, spending by category, and receipts and spending by year — summed in the database."""
    rows = (
        LedgerEntry.objects.filter(base=base)
        .values("direction", "category", "entry_on__year")
        .annotate(total=Sum("amount"))
        .order_by("entry_on__year")
    )
    # Art. 10: every category the bureau offers now, then any retired one this base booked under.
    codes = list(FundCategory.objects.filter(active=True).values_list("code", flat=True))
    summary = LedgerSummary(by_category=dict.fromkeys(codes, Decimal("0.00")))
    years: dict[int, dict] = defaultdict(
        lambda: {"received": Decimal("0.00"), "spent": Decimal("0.00"), "categories": defaultdict(Decimal)}
    )
    for row in rows:
        total, year = row["total"], row["entry_on__year"]
        if row["direction"] == Direction.RECEIPT:
            summary.received += total
            years[year]["received"] += total
        else:
            summary.spent += total
            summary.by_category[row["category"]] = (
                summary.by_category.get(row["category"], Decimal("0.00")) + total
            )
            years[year]["spent"] += total
            years[year]["categories"][row["category"]] += total
    summary.by_year = [
        (
            year,
            v["received"],
            v["spent"],
            {c: v["categories"].get(c, Decimal("0.00")) for c in summary.by_category},
        )
        for year, v in sorted(years.items())
    ]
    return summary
