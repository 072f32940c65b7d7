"""The pilot base (中试基地): one record from application to revocation, and its state machine.

Transitions here are thin: each declares source, target, guard, permission and label once
(portal.workflow.transitions.step). Every run goes through a service in bases/services, which locks
the row, checks the domain guards with messages for the user, and logs the step (portal/workflow).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField

from bases.completeness import missing_for_submission
from bases.models.states import (
    EDITABLE_STATES,
    POST_APPROVAL_STATES,
    PRE_DECISION_STATES,
    TERMINAL_STATES,
    ApplicationKind,
    Status,
)
from bases.policy import REVOCATION_ARTICLES, ConstructionMode, RevocationReason
from portal.choices import ChoiceDisplayMixin
from portal.fields import actor_field, check_rule, moment_field, optional_moment_field, updated_field
from portal.workflow.transitions import step

# The permissions the steps check; PilotBase.Meta.permissions declares them from STEP_PERMISSIONS, so
# each codename is written once.
SUBMIT = "bases.submit_pilotbase"
RECOMMEND = "bases.recommend_pilotbase"
REVIEW = "bases.review_pilotbase"
DECIDE = "bases.decide_pilotbase"
WITHDRAW = "bases.withdraw_pilotbase"
REVOKE = "bases.revoke_pilotbase"
REINSTATE = "bases.reinstate_pilotbase"

# Each permission with its name as the admin shows it, in the order of the migrations.
STEP_PERMISSIONS = {
    SUBMIT: _("审核并提交申请"),
    RECOMMEND: _("审核推荐申请"),
    REVIEW: _("初审申请"),
    WITHDRAW: _("撤回申请"),
    DECIDE: _("记录局党组会议决定"),
    REVOKE: _("撤销基地资格"),
    REINSTATE: _("纠正错误撤销（恢复资格）"),
}


class PilotBase(ChoiceDisplayMixin, ConcurrentTransitionMixin, models.Model):
    status = FSMField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT, protected=True, db_index=True
    )
    status_changed_at = optional_moment_field(_("状态变更时间"), db_index=True)
    kind = models.CharField(
        _("申请类型"), max_length=20, choices=ApplicationKind.choices, default=ApplicationKind.NEW
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("原基地"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        help_text=_("重新认定时所接续的原基地（第十四条）。"),
    )

    # --- basic information (Art. 18, Art. 3) ---------------------------------------------------
    name = models.CharField(
        _("基地名称"), max_length=100, help_text=_("忻州市+研发方向+中试基地（第十八条）")
    )
    rd_direction = models.CharField(_("研发方向"), max_length=60)
    host = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        related_name="pilot_bases",
        limit_choices_to={"kind": "host_unit"},
    )
    # The jurisdiction the base is filed under: the host's supervising unit (Art. 5, 8-1).
    supervising_unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("归口管理单位"),
        on_delete=models.PROTECT,
        related_name="supervised_bases",
        limit_choices_to={"kind": "supervisor"},
    )
    construction_mode = models.CharField(
        _("建设模式"), max_length=10, choices=ConstructionMode.choices, default=ConstructionMode.SINGLE
    )
    summary = models.TextField(_("基地简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    # --- base director (Art. 7-5) --------------------------------------------------------------
    director_name = models.CharField(_("基地负责人"), max_length=50, blank=True)
    director_title = models.CharField(_("职称/职务"), max_length=50, blank=True)
    director_field = models.CharField(_("研究领域"), max_length=100, blank=True)
    director_achievements = models.TextField(_("研究水平与主要成果"), blank=True)

    # --- equipment and site (Art. 7-1) ---------------------------------------------------------
    site_address = models.CharField(_("场地地址"), max_length=200, blank=True)
    site_area_m2 = models.DecimalField(
        _("场地面积（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    equipment_value_wan = models.DecimalField(
        _("仪器设备原值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    equipment_description = models.TextField(_("计量检测仪器、实验设备及配套设施"), blank=True)
    pilot_capability = models.TextField(_("中间试验及工程化配套协作能力"), blank=True)

    # --- core technology and prospects (Art. 7-3) ----------------------------------------------
    core_technology = models.TextField(_("核心技术"), blank=True)
    industry_prospects = models.TextField(_("行业引领与推广前景"), blank=True)
    upgrade_capability = models.TextField(_("技术升级与产品换代能力"), blank=True)

    # --- host finances (Art. 7-4) --------------------------------------------------------------
    total_assets_wan = models.DecimalField(
        _("资产总额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    net_assets_wan = models.DecimalField(
        _("净资产（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    revenue_last_year_wan = models.DecimalField(
        _("上年度营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    rd_spend_last_year_wan = models.DecimalField(
        _("上年度研发投入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    planned_investment_wan = models.DecimalField(
        _("计划建设投入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_capacity = models.TextField(_("资金筹措能力与信誉"), blank=True)

    # --- management and staff (Art. 7-6) -------------------------------------------------------
    management_system = models.TextField(_("管理体制与运行机制"), blank=True)
    leadership = models.TextField(_("领导班子情况"), blank=True)
    staff_total = models.PositiveIntegerField(_("人员总数"), null=True, blank=True)
    staff_rd = models.PositiveIntegerField(_("专业技术人员数"), null=True, blank=True)
    staff_senior = models.PositiveIntegerField(_("高级职称人数"), null=True, blank=True)
    skilled_workers = models.PositiveIntegerField(_("技术工人数"), null=True, blank=True)

    # --- dates recorded by the services --------------------------------------------------------
    applied_on = models.DateField(_("首次提交日期"), null=True, blank=True)
    approved_on = models.DateField(
        _("批准立项日期"),
        null=True,
        blank=True,
        help_text=_("局党组会议研究确定的日期（第八条第（三）项）。"),
    )
    application_year = models.PositiveSmallIntegerField(_("申报年度"), null=True, blank=True, db_index=True)

    # --- construction and recognition (Art. 8-4), kept by the services ---------------------------
    extension_months = models.PositiveSmallIntegerField(
        _("批准延期月数"), default=0, help_text=_("经市科技局批准的延期（最多12个月，第八条第（四）项）。")
    )
    construction_deadline = models.DateField(_("建设期满日期"), null=True, blank=True, db_index=True)
    recognized_on = models.DateField(_("认定日期"), null=True, blank=True, db_index=True)
    acceptance_failed_on = models.DateField(
        _("验收未通过日期"),
        null=True,
        blank=True,
        help_text=_("市科技局作出验收未通过结论的日期；延期申请期限自此起算（第八条第（四）项）。"),
    )

    # --- revocation (Art. 8-4, 16, 17) ---------------------------------------------------------
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("撤销原因"), max_length=40, choices=RevocationReason.choices, blank=True
    )
    revocation_article = models.CharField(_("撤销依据"), max_length=60, blank=True)
    revocation_note = models.TextField(_("撤销说明"), blank=True)

    created_by = actor_field(_("创建人"))
    created_at = moment_field(_("创建时间"))
    updated_at = updated_field(_("更新时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("中试基地")
        ordering = ["-created_at", "-pk"]
        permissions = [(permission.split(".")[1], name) for permission, name in STEP_PERMISSIONS.items()]
        # The list's orderings and filters at 100,000 bases (docs/performance.md): the default
        # "recent changes" order, "waiting longest" within a state, and counts by state and host.
        indexes = [
            models.Index(fields=["-status_changed_at", "-id"], name="base_recent_idx"),
            models.Index(fields=["status", "status_changed_at", "id"], name="base_status_waiting_idx"),
            models.Index(fields=["status", "host"], name="base_status_host_idx"),
            # The daily jobs read only the bases whose dates fall due (bases/jobs.py).
            models.Index(fields=["status", "construction_deadline"], name="base_status_deadline_idx"),
            models.Index(fields=["status", "approved_on"], name="base_status_approved_idx"),
        ]
        constraints = [
            check_rule(
                ~models.Q(kind="re_recognition") | models.Q(predecessor__isnull=False),
                "re_recognition_has_predecessor",
                _("重新认定申请必须关联原基地。"),
            ),
            check_rule(
                ~models.Q(status="revoked") | ~models.Q(revocation_reason=""),
                "revoked_has_reason",
                _("撤销必须记录原因。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def revocation_article_display(self) -> str:
        """The article of the revocation in the reader's language (the stored text is the official one)."""
        return str(REVOCATION_ARTICLES.get(self.revocation_reason, self.revocation_article))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATES

    # --- guards --------------------------------------------------------------------------------
    def is_complete(self) -> bool:
        return not missing_for_submission(self)

    # --- transitions of the application phase (Art. 8-1, 8-2) ----------------------------------
    # Each takes by/description for django-fsm-log; bodies are empty because the services record
    # what a step creates.
    @step(
        "status",
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        conditions=[is_complete],
        permission=SUBMIT,
        label=_("审核提交"),
    )
    def submit(self, by=None, description=None):
        """The host approver signs off and files the application with the supervising unit."""

    @step(
        "status", source=Status.SUBMITTED, target=Status.RETURNED, permission=RECOMMEND, label=_("退回修改")
    )
    def supervisor_return(self, by=None, description=None):
        """The supervising unit returns the application for revision."""

    @step(
        "status",
        source=Status.SUBMITTED,
        target=Status.RECOMMENDED,
        permission=RECOMMEND,
        label=_("审核推荐"),
    )
    def recommend(self, by=None, description=None):
        """Art. 8-1: the supervising unit agrees and issues a formal recommendation letter."""

    @step(
        "status", source=Status.SUBMITTED, target=Status.REJECTED, permission=RECOMMEND, label=_("不予推荐")
    )
    def decline(self, by=None, description=None):
        """The supervising unit declines to recommend."""

    @step(
        "status",
        source=Status.RECOMMENDED,
        target=Status.PRELIMINARY_PASSED,
        permission=REVIEW,
        label=_("初审通过"),
    )
    def preliminary_pass(self, by=None, description=None):
        """Art. 8-2: the bureau's preliminary (formal) review passes."""

    @step(
        "status",
        source=Status.RECOMMENDED,
        target=Status.RETURNED,
        permission=REVIEW,
        label=_("初审退回修改"),
    )
    def preliminary_return(self, by=None, description=None):
        """Art. 8-2: the bureau returns the application for revision."""

    @step(
        "status", source=Status.RECOMMENDED, target=Status.REJECTED, permission=REVIEW, label=_("初审不通过")
    )
    def preliminary_reject(self, by=None, description=None):
        """Art. 8-2: the bureau rejects the application at preliminary review."""

    # --- expert review, public notice, Party-group decision (Art. 8-2, 8-3) -------------------
    @step(
        "status",
        source=Status.PRELIMINARY_PASSED,
        target=Status.EXPERT_REVIEW,
        permission=REVIEW,
        label=_("组织专家评审"),
    )
    def start_expert_review(self, by=None, description=None):
        """Art. 8-2: the bureau forms an expert panel for the base."""

    @step(
        "status",
        source=Status.EXPERT_REVIEW,
        target=Status.REVIEW_PASSED,
        permission=REVIEW,
        label=_("评审通过"),
    )
    def review_pass(self, by=None, description=None):
        """Art. 8-2: the panel concluded with a pass."""

    @step(
        "status",
        source=Status.EXPERT_REVIEW,
        target=Status.REJECTED,
        permission=REVIEW,
        label=_("评审未通过"),
    )
    def review_fail(self, by=None, description=None):
        """Art. 8-2: the panel concluded with a fail; the application ends."""

    @step("status", source=Status.REVIEW_PASSED, target=Status.IN_NOTICE, permission=REVIEW, label=_("公示"))
    def publish_notice(self, by=None, description=None):
        """Art. 8-3: the base is included in a published public notice."""

    @step(
        "status",
        source=Status.IN_NOTICE,
        target=Status.NOTICE_CLEARED,
        permission=REVIEW,
        label=_("公示无异议"),
    )
    def clear_notice(self, by=None, description=None):
        """Art. 8-3: the notice period ended with no upheld objection."""

    @step("status", source=Status.IN_NOTICE, target=Status.REJECTED, permission=REVIEW, label=_("异议成立"))
    def objection_upheld(self, by=None, description=None):
        """Art. 8-3: an objection was upheld; the application ends."""

    def is_new_application(self) -> bool:
        return self.kind == ApplicationKind.NEW

    def is_re_recognition(self) -> bool:
        return self.kind == ApplicationKind.RE_RECOGNITION

    @step(
        "status",
        source=Status.NOTICE_CLEARED,
        target=Status.APPROVED,
        permission=DECIDE,
        conditions=[is_new_application],
        label=_("批准立项"),
    )
    def approve(self, by=None, description=None):
        """Art. 8-3: the bureau's Party-group meeting approves the base; the task book is now due."""

    @step(
        "status", source=Status.NOTICE_CLEARED, target=Status.REJECTED, permission=DECIDE, label=_("不予立项")
    )
    def decision_reject(self, by=None, description=None):
        """Art. 8-3: the bureau's Party-group meeting does not approve the base."""

    @step(
        "status",
        source=list(PRE_DECISION_STATES),
        target=Status.WITHDRAWN,
        permission=WITHDRAW,
        label=_("撤回申请"),
    )
    def withdraw(self, by=None, description=None):
        """The host withdraws its application before the Party-group decision."""

    @step(
        "status",
        source=list(POST_APPROVAL_STATES),
        target=Status.REVOKED,
        permission=REVOKE,
        label=_("撤销资格"),
    )
    def revoke(self, by=None, description=None):
        """Art. 8-4, 16, 17: the bureau revokes the base; reason and article are recorded."""

    # --- construction, acceptance and re-recognition (Art. 8-4, 14) ----------------------------
    @step(
        "status",
        source=Status.APPROVED,
        target=Status.UNDER_CONSTRUCTION,
        permission=REVIEW,
        label=_("批准任务书，开始建设"),
    )
    def start_construction(self, by=None, description=None):
        """Art. 8-4: the bureau approved the task book; construction runs from the approval date."""

    @step(
        "status",
        source=Status.UNDER_CONSTRUCTION,
        target=Status.ACCEPTANCE_APPLIED,
        permission=SUBMIT,
        label=_("申请验收"),
    )
    def apply_acceptance(self, by=None, description=None):
        """Art. 8-4: the host approver files the acceptance application."""

    @step(
        "status",
        source=Status.ACCEPTANCE_APPLIED,
        target=Status.UNDER_CONSTRUCTION,
        permission=lambda base, user: user.has_perm(RECOMMEND, base) or user.has_perm(REVIEW),
        label=_("退回验收申请"),
    )
    def return_acceptance(self, by=None, description=None):
        """The supervisor or the bureau returns the acceptance application; construction goes on."""

    @step(
        "status",
        source=Status.ACCEPTANCE_APPLIED,
        target=Status.ACCEPTANCE_REVIEW,
        permission=REVIEW,
        label=_("组织验收评审"),
    )
    def start_acceptance_review(self, by=None, description=None):
        """Art. 8-4: the bureau forms the acceptance panel."""

    @step(
        "status",
        source=Status.ACCEPTANCE_REVIEW,
        target=Status.RECOGNIZED,
        permission=REVIEW,
        label=_("验收通过"),
    )
    def acceptance_pass(self, by=None, description=None):
        """Art. 8-4: acceptance passed; the base enters the municipal roster."""

    @step(
        "status",
        source=Status.ACCEPTANCE_REVIEW,
        target=Status.ACCEPTANCE_FAILED,
        permission=REVIEW,
        label=_("验收未通过"),
    )
    def acceptance_fail(self, by=None, description=None):
        """Art. 8-4: acceptance failed (revoked at once if the extension was already used)."""

    @step(
        "status",
        source=Status.ACCEPTANCE_FAILED,
        target=Status.UNDER_CONSTRUCTION,
        permission=REVIEW,
        label=_("延期后继续建设"),
    )
    def resume_construction(self, by=None, description=None):
        """Art. 8-4: after a failed acceptance the bureau granted the extension; construction resumes."""

    @step(
        "status",
        source=Status.RECOGNIZED,
        target=Status.RE_RECOGNITION_REQUIRED,
        permission=REVIEW,
        label=_("需重新认定"),
    )
    def require_re_recognition(self, by=None, description=None):
        """Art. 14: the host's legal entity or ownership changed; the base must be recognised again."""

    @step(
        "status",
        source=Status.NOTICE_CLEARED,
        target=Status.RECOGNIZED,
        permission=DECIDE,
        conditions=[is_re_recognition],
        label=_("重新认定通过"),
    )
    def recognize_again(self, by=None, description=None):
        """Art. 14: a re-recognition approved by the Party-group meeting is recognised at once (no
        construction period)."""

    @step(
        "status",
        source=Status.RE_RECOGNITION_REQUIRED,
        target=Status.SUPERSEDED,
        permission=DECIDE,
        label=_("由重新认定的基地取代"),
    )
    def supersede(self, by=None, description=None):
        """Art. 14: replaced by its re-recognised successor."""

    @step(
        "status",
        source=Status.REVOKED,
        target=RETURN_VALUE(*POST_APPROVAL_STATES),
        permission=REINSTATE,
        label=_("纠正错误撤销"),
    )
    def reinstate(self, by=None, description=None, restore_to=None):
        """Correct an erroneous revocation: back to the state the base was revoked from (admin)."""
        return restore_to

    @property
    def extension_used(self) -> bool:
        return self.extension_months > 0
