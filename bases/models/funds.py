"""The award and the special funds (Art. 9–10). Money is Decimal with two places, never float.

A newly recognised base (not a re-recognised one) gets an award of the policy amount awaiting
disbursement; the bureau records the disbursement, which is also the first receipt of the base's
ledger. Each base keeps its own ledger (单独核算，专款专用): receipts, and expenditures by category;
spending beyond what was received is refused. Art. 10's list of uses ends in 等, so the categories
are the bureau's (FundCategory): 建设 / 研发 / 合作交流 are the defaults, and it may add others.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bases.models.fields import base_field
from portal.fields import actor_field, check_rule, moment_field


class Award(models.Model):
    base = base_field("award", one=True)
    amount = models.DecimalField(_("奖励资助金额（元）"), max_digits=12, decimal_places=2)
    granted_on = models.DateField(_("认定日期"))
    disbursed_on = models.DateField(_("拨付日期"), null=True, blank=True)
    voucher_no = models.CharField(_("拨付凭证号"), max_length=60, blank=True)
    disbursed_amount = models.DecimalField(
        _("拨付金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    disbursed_by = actor_field(_("经办人"), optional=True)

    class Meta:
        verbose_name = verbose_name_plural = _("奖励资助")
        constraints = [
            check_rule(
                models.Q(amount__gt=0), "award_amount_positive", _("奖励资助金额须大于0，请填写正数。")
            ),
            check_rule(
                models.Q(disbursed_on__isnull=True)
                | (models.Q(disbursed_amount__gt=0) & ~models.Q(voucher_no="")),
                "award_disbursement_complete",
                _("登记拨付须填写大于0的拨付金额和凭证号。"),
            ),
        ]

    def __str__(self):
        return f"{self.base} {self.amount}"

    @property
    def is_disbursed(self) -> bool:
        return self.disbursed_on is not None


class Direction(models.TextChoices):
    RECEIPT = "receipt", _("收入")
    EXPENDITURE = "expenditure", _("支出")


class Category(models.TextChoices):
    """Art. 10: the three uses the article names — the default FundCategory rows (migration 0008)."""

    CONSTRUCTION = "construction", _("建设")
    RESEARCH = "research", _("研发")
    COOPERATION = "cooperation", _("合作交流")


class FundCategory(models.Model):
    """Art. 10: an expense category of the special funds. "主要用于资助中试基地的建设、研发、合作交流等
    方面": the list is open, so the bureau adds categories; a category in use is retired (inactive),
    never deleted, so the entries booked under it keep it."""

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("类别名称"), max_length=40, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(
        _("可选用"), default=True, help_text=_("停用后不能再登记，已登记的支出保留此类别。")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("专项资金支出类别")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (the English name where there is one)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


def category_names() -> dict[str, str]:
    """Every category's name in the active language, by code (retired ones too: old entries show them)."""
    return {c.code: c.label for c in FundCategory.objects.all()}


class LedgerEntry(models.Model):
    base = base_field("ledger")
    direction = models.CharField(_("收支"), max_length=20, choices=Direction.choices)
    category = models.CharField(
        _("支出类别"), max_length=20, blank=True, help_text=_("FundCategory 的代码。")
    )
    entry_on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    payee = models.CharField(_("收付款单位"), max_length=200)
    note = models.CharField(_("摘要"), max_length=300, blank=True)
    award = models.OneToOneField(
        Award, on_delete=models.PROTECT, null=True, blank=True, related_name="receipt"
    )
    recorded_by = actor_field(_("记账人"))
    recorded_at = moment_field(_("记账时间"))
    vouchers = GenericRelation("documents.Attachment")

    class Meta:
        verbose_name = verbose_name_plural = _("专项资金收支")
        ordering = ["entry_on", "pk"]
        indexes = [models.Index(fields=["base", "entry_on"])]
        constraints = [
            check_rule(models.Q(amount__gt=0), "ledger_amount_positive", _("金额须大于0，请填写正数。")),
            check_rule(
                (models.Q(direction="expenditure") & ~models.Q(category=""))
                | (models.Q(direction="receipt") & models.Q(category="")),
                "expenditure_has_category",
                _("支出须选择支出类别，收入不选类别。"),
            ),
        ]

    def __str__(self):
        return f"{self.base} {self.get_direction_display()} {self.amount}"

    @property
    def category_name(self) -> str:
        if not self.category:
            return ""
        category = FundCategory.objects.filter(code=self.category).first()
        return category.label if category else self.category
