"""The host's filings after approval (Art. 8-4, 6-3, 14): the task book, the
extension request and the acceptance application (the change request is in bases.models.changes).

Each is prepared by base staff, signed off by the host approver (提交), reviewed by the supervising
unit (审核通过 / 退回), and decided by the bureau (批准 / 退回 / 不予批准); a returned filing is edited
and submitted again. One state machine serves every kind (Filing, declared once with
portal.workflow.transitions.step); each kind adds its own content here or in its app (assessments:
the annual report and the evaluation), and its FilingKind (bases.filing_kinds) says what the chain
does for it.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from bases.models.fields import base_field
from portal.accounts.permissions import holds_bureau_right, is_supervisor
from portal.choices import ChoiceDisplayMixin
from portal.fields import actor_field, check_rule, moment_field, unique_rule, updated_field
from portal.workflow.transitions import step


class FilingState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待归口管理单位审核")
    SUPERVISOR_APPROVED = "supervisor_approved", _("待市科技局审批")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


OPEN_FILING_STATES = (
    FilingState.DRAFT,
    FilingState.SUBMITTED,
    FilingState.SUPERVISOR_APPROVED,
    FilingState.RETURNED,
)
EDITABLE_FILING_STATES = (FilingState.DRAFT, FilingState.RETURNED)


def one_open_filing_per_base(name: str, message) -> models.UniqueConstraint:
    """At most one filing of a kind in progress (not yet approved or refused) per base: a second is
    refused by the database, also when two requests file at once."""
    return unique_rule(
        ["base"], name, message, condition=models.Q(state__in=[state.value for state in OPEN_FILING_STATES])
    )


# Who may run each step of a filing (its step permissions). bases.permissions imports the models, so
# these ask the object rights themselves; the role comes from the platform's predicates.
def _host_approver(filing, user) -> bool:
    return user.has_perm("bases.submit_pilotbase", filing.base)


def _supervisor(filing, user) -> bool:
    return is_supervisor(user) and user.has_perm("bases.recommend_pilotbase", filing.base)


def _bureau(filing, user) -> bool:
    return holds_bureau_right(user)


class Filing(ChoiceDisplayMixin, ConcurrentTransitionMixin, models.Model):
    """What every filing shares: its base, its state machine, who filed it and what was decided."""

    FSM_FIELD = "state"

    base = base_field("%(class)ss")
    state = FSMField(_("状态"), default=FilingState.DRAFT, choices=FilingState.choices, protected=True)
    created_by = actor_field(_("填报人"))
    created_at = moment_field(_("填报时间"))
    updated_at = updated_field(_("更新时间"))
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    returned_on = models.DateField(
        _("退回日期"), null=True, blank=True, help_text=_("最近一次被退回修改的日期；补正期限自此起算。")
    )
    attachments = GenericRelation("documents.Attachment")

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_FILING_STATES

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_FILING_STATES

    @step(
        "state",
        source=[FilingState.DRAFT, FilingState.RETURNED],
        target=FilingState.SUBMITTED,
        permission=_host_approver,
        label=_("审核提交"),
    )
    def submit(self, by=None, description=None):
        """The host approver signs off and sends it to the supervising unit."""

    @step(
        "state",
        source=FilingState.SUBMITTED,
        target=FilingState.SUPERVISOR_APPROVED,
        permission=_supervisor,
        label=_("审核通过并报市科技局"),
    )
    def supervisor_approve(self, by=None, description=None):
        """The supervising unit agrees and forwards it to the bureau."""

    @step(
        "state",
        source=FilingState.SUBMITTED,
        target=FilingState.RETURNED,
        permission=_supervisor,
        label=_("退回修改"),
    )
    def supervisor_return(self, by=None, description=None):
        """The supervising unit returns it with reasons."""

    @step(
        "state",
        source=FilingState.SUPERVISOR_APPROVED,
        target=FilingState.APPROVED,
        permission=_bureau,
        label=_("批准"),
    )
    def approve(self, by=None, description=None):
        """The bureau approves (for an acceptance application: accepts it for the panel)."""

    @step(
        "state",
        source=FilingState.SUPERVISOR_APPROVED,
        target=FilingState.RETURNED,
        permission=_bureau,
        label=_("退回修改"),
    )
    def bureau_return(self, by=None, description=None):
        """The bureau returns it with reasons."""

    @step(
        "state",
        source=FilingState.SUPERVISOR_APPROVED,
        target=FilingState.REFUSED,
        permission=_bureau,
        label=_("不予批准"),
    )
    def refuse(self, by=None, description=None):
        """The bureau does not approve it (extension and change requests)."""


class TaskBook(Filing):
    """建设计划任务书 (Art. 8-4): name, host unit and research content come from the application and
    cannot be changed here."""

    goals = models.TextField(_("建设目标"))
    construction_content = models.TextField(_("建设内容"))
    staffing = models.TextField(_("人员安排"), help_text=_("负责人、技术骨干及新增人员计划。"))
    equipment_plan = models.TextField(_("拟购置设备"), blank=True)
    expected_outputs = models.TextField(
        _("预期成果"), help_text=_("中试项目、专利、标准、服务企业等量化指标。")
    )
    other_funding = models.TextField(_("其他资金来源"), blank=True)

    class Meta(Filing.Meta):
        verbose_name = verbose_name_plural = _("建设计划任务书")
        constraints = [
            unique_rule(
                ["base"], "one_task_book_per_base", _("该基地已有建设计划任务书，请在原任务书上修改。")
            )
        ]

    def __str__(self):
        return _("%(base)s 建设计划任务书") % {"base": self.base}


class Milestone(models.Model):
    task_book = models.ForeignKey(TaskBook, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("年度"))
    content = models.TextField(_("年度建设任务"))
    self_raised_wan = models.DecimalField(_("自筹资金（万元）"), max_digits=10, decimal_places=2, default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("年度任务与预算")
        ordering = ["year", "position", "pk"]
        constraints = [
            check_rule(
                models.Q(self_raised_wan__gte=0),
                "milestone_money_ok",
                _("自筹资金不能为负数，请填写0或正数。"),
            )
        ]

    def __str__(self):
        return f"{self.year} {self.content[:20]}"


class ExtensionRequest(Filing):
    """延期 (Art. 8-4): special reasons and the months wanted (≤ 12); the bureau may grant fewer.
    At most one approved extension per base — a database constraint, not only a form check."""

    reasons = models.TextField(_("延期的特殊原因"))
    # The form checks the 1–12 bound too (Art. 8-4: 延期最长不超过1年), so the applicant reads what to
    # change next to the field instead of the database refusing after the confirmation.
    months_requested = models.PositiveSmallIntegerField(
        _("申请延期月数"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    months_granted = models.PositiveSmallIntegerField(
        _("批准延期月数"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    class Meta(Filing.Meta):
        verbose_name = verbose_name_plural = _("延期申请")
        constraints = [
            unique_rule(
                ["base"],
                "one_approved_extension_per_base",
                _("每个基地只能批准一次延期（第八条第（四）项）。"),
                condition=models.Q(state="approved"),
            ),
            one_open_filing_per_base(
                "one_open_extension_request_per_base",
                _("该基地已有办理中的延期申请，请在原申请上修改或等待办结。"),
            ),
            check_rule(
                models.Q(months_requested__gte=1, months_requested__lte=12),
                "extension_months_requested_1_to_12",
                _("申请延期月数须为1至12个月（第八条第（四）项），请修改月数。"),
            ),
            check_rule(
                models.Q(months_granted__isnull=True)
                | models.Q(months_granted__gte=1, months_granted__lte=12),
                "extension_months_granted_1_to_12",
                _("批准延期月数须为1至12个月（第八条第（四）项），请修改月数。"),
            ),
        ]

    def __str__(self):
        return _("%(base)s 延期申请") % {"base": self.base}


class AcceptanceApplication(Filing):
    """验收申请 (Art. 8-4): filed no later than one month after the construction deadline."""

    summary = models.TextField(_("建设任务完成情况"), help_text=_("对照任务书逐项说明年度任务的完成情况。"))
    outputs = models.TextField(_("取得的成果"))
    fund_usage = models.TextField(_("资金使用情况"))

    class Meta(Filing.Meta):
        verbose_name = verbose_name_plural = _("验收申请")
        constraints = [
            one_open_filing_per_base(
                "one_open_acceptance_per_base", _("该基地已有办理中的验收申请，请在原申请上修改或等待办结。")
            )
        ]

    def __str__(self):
        return _("%(base)s 验收申请") % {"base": self.base}
