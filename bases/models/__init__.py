"""The pilot base (中试基地): one record from application to revocation.

Transitions here are thin: they declare source, target, guard and permission. Every run goes through
a service in bases/services.py, which locks the row, checks the domain guards with messages for the
user, and logs the step (portal/workflow).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from bases.policy import RevocationReason
from portal.accounts.fields import USCCField
from portal.accounts.validators import validate_uscc
from portal.choices import ChoiceDisplayMixin


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


class ConstructionMode(models.TextChoices):
    """Art. 3."""

    SINGLE = "single", _("单独建设")
    JOINT = "joint", _("联合共建")


class PilotBase(ChoiceDisplayMixin, ConcurrentTransitionMixin, models.Model):
    status = FSMField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT, protected=True, db_index=True
    )
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True, db_index=True)
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

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("中试基地")
        verbose_name_plural = _("中试基地")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("submit_pilotbase", _("审核并提交申请")),
            ("recommend_pilotbase", _("审核推荐申请")),
            ("review_pilotbase", _("初审申请")),
            ("withdraw_pilotbase", _("撤回申请")),
            ("decide_pilotbase", _("记录局党组会议决定")),
            ("revoke_pilotbase", _("撤销基地资格")),
            ("reinstate_pilotbase", _("纠正错误撤销（恢复资格）")),
        ]
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
            models.CheckConstraint(
                condition=~models.Q(kind="re_recognition") | models.Q(predecessor__isnull=False),
                name="re_recognition_has_predecessor",
                violation_error_message=_("重新认定申请必须关联原基地。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="revoked") | ~models.Q(revocation_reason=""),
                name="revoked_has_reason",
                violation_error_message=_("撤销必须记录原因。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def revocation_article_display(self) -> str:
        """The article of the revocation in the reader's language (the stored text is the official one)."""
        from bases.policy import REVOCATION_ARTICLES

        return str(REVOCATION_ARTICLES.get(self.revocation_reason, self.revocation_article))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATES

    # --- guards --------------------------------------------------------------------------------
    def is_complete(self) -> bool:
        from bases.completeness import missing_for_submission

        return not missing_for_submission(self)

    # --- transitions of the application phase (Art. 8-1, 8-2) ----------------------------------
    # Each takes by/description for django-fsm-log; bodies are empty because the services record
    # what a step creates.
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        conditions=[is_complete],
        permission="bases.submit_pilotbase",
    )
    def submit(self, by=None, description=None):
        """The host approver signs off and files the application with the supervising unit."""

    submit.label = _("审核提交")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.SUBMITTED, target=Status.RETURNED, permission="bases.recommend_pilotbase"
    )
    def supervisor_return(self, by=None, description=None):
        """The supervising unit returns the application for revision."""

    supervisor_return.label = _("退回修改")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RECOMMENDED,
        permission="bases.recommend_pilotbase",
    )
    def recommend(self, by=None, description=None):
        """Art. 8-1: the supervising unit agrees and issues a formal recommendation letter."""

    recommend.label = _("审核推荐")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.SUBMITTED, target=Status.REJECTED, permission="bases.recommend_pilotbase"
    )
    def decline(self, by=None, description=None):
        """The supervising unit declines to recommend."""

    decline.label = _("不予推荐")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.RECOMMENDED,
        target=Status.PRELIMINARY_PASSED,
        permission="bases.review_pilotbase",
    )
    def preliminary_pass(self, by=None, description=None):
        """Art. 8-2: the bureau's preliminary (formal) review passes."""

    preliminary_pass.label = _("初审通过")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.RECOMMENDED, target=Status.RETURNED, permission="bases.review_pilotbase"
    )
    def preliminary_return(self, by=None, description=None):
        """Art. 8-2: the bureau returns the application for revision."""

    preliminary_return.label = _("初审退回修改")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.RECOMMENDED, target=Status.REJECTED, permission="bases.review_pilotbase"
    )
    def preliminary_reject(self, by=None, description=None):
        """Art. 8-2: the bureau rejects the application at preliminary review."""

    preliminary_reject.label = _("初审不通过")

    # --- expert review, public notice, Party-group decision (Art. 8-2, 8-3) -------------------
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.PRELIMINARY_PASSED,
        target=Status.EXPERT_REVIEW,
        permission="bases.review_pilotbase",
    )
    def start_expert_review(self, by=None, description=None):
        """Art. 8-2: the bureau forms an expert panel for the base."""

    start_expert_review.label = _("组织专家评审")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.EXPERT_REVIEW,
        target=Status.REVIEW_PASSED,
        permission="bases.review_pilotbase",
    )
    def review_pass(self, by=None, description=None):
        """Art. 8-2: the panel concluded with a pass."""

    review_pass.label = _("评审通过")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.EXPERT_REVIEW, target=Status.REJECTED, permission="bases.review_pilotbase"
    )
    def review_fail(self, by=None, description=None):
        """Art. 8-2: the panel concluded with a fail; the application ends."""

    review_fail.label = _("评审未通过")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.REVIEW_PASSED,
        target=Status.IN_NOTICE,
        permission="bases.review_pilotbase",
    )
    def publish_notice(self, by=None, description=None):
        """Art. 8-3: the base is included in a published public notice."""

    publish_notice.label = _("公示")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.IN_NOTICE,
        target=Status.NOTICE_CLEARED,
        permission="bases.review_pilotbase",
    )
    def clear_notice(self, by=None, description=None):
        """Art. 8-3: the notice period ended with no upheld objection."""

    clear_notice.label = _("公示无异议")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.IN_NOTICE, target=Status.REJECTED, permission="bases.review_pilotbase"
    )
    def objection_upheld(self, by=None, description=None):
        """Art. 8-3: an objection was upheld; the application ends."""

    objection_upheld.label = _("异议成立")

    def is_new_application(self) -> bool:
        return self.kind == ApplicationKind.NEW

    def is_re_recognition(self) -> bool:
        return self.kind == ApplicationKind.RE_RECOGNITION

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.NOTICE_CLEARED,
        target=Status.APPROVED,
        permission="bases.decide_pilotbase",
        conditions=[is_new_application],
    )
    def approve(self, by=None, description=None):
        """Art. 8-3: the bureau's Party-group meeting approves the base; the task book is now due."""

    approve.label = _("批准立项")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.NOTICE_CLEARED,
        target=Status.REJECTED,
        permission="bases.decide_pilotbase",
    )
    def decision_reject(self, by=None, description=None):
        """Art. 8-3: the bureau's Party-group meeting does not approve the base."""

    decision_reject.label = _("不予立项")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=list(PRE_DECISION_STATES),
        target=Status.WITHDRAWN,
        permission="bases.withdraw_pilotbase",
    )
    def withdraw(self, by=None, description=None):
        """The host withdraws its application before the Party-group decision."""

    withdraw.label = _("撤回申请")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=list(POST_APPROVAL_STATES),
        target=Status.REVOKED,
        permission="bases.revoke_pilotbase",
    )
    def revoke(self, by=None, description=None):
        """Art. 8-4, 16, 17: the bureau revokes the base; reason and article are recorded."""

    revoke.label = _("撤销资格")

    # --- construction, acceptance and re-recognition (Art. 8-4, 14) ----------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.UNDER_CONSTRUCTION,
        permission="bases.review_pilotbase",
    )
    def start_construction(self, by=None, description=None):
        """Art. 8-4: the bureau approved the task book; construction runs from the approval date."""

    start_construction.label = _("批准任务书，开始建设")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.UNDER_CONSTRUCTION,
        target=Status.ACCEPTANCE_APPLIED,
        permission="bases.submit_pilotbase",
    )
    def apply_acceptance(self, by=None, description=None):
        """Art. 8-4: the host approver files the acceptance application."""

    apply_acceptance.label = _("申请验收")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.ACCEPTANCE_APPLIED,
        target=Status.UNDER_CONSTRUCTION,
        permission=lambda base, user: (
            user.has_perm("bases.recommend_pilotbase", base) or user.has_perm("bases.review_pilotbase")
        ),
    )
    def return_acceptance(self, by=None, description=None):
        """The supervisor or the bureau returns the acceptance application; construction goes on."""

    return_acceptance.label = _("退回验收申请")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.ACCEPTANCE_APPLIED,
        target=Status.ACCEPTANCE_REVIEW,
        permission="bases.review_pilotbase",
    )
    def start_acceptance_review(self, by=None, description=None):
        """Art. 8-4: the bureau forms the acceptance panel."""

    start_acceptance_review.label = _("组织验收评审")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.ACCEPTANCE_REVIEW,
        target=Status.RECOGNIZED,
        permission="bases.review_pilotbase",
    )
    def acceptance_pass(self, by=None, description=None):
        """Art. 8-4: acceptance passed; the base enters the municipal roster."""

    acceptance_pass.label = _("验收通过")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.ACCEPTANCE_REVIEW,
        target=Status.ACCEPTANCE_FAILED,
        permission="bases.review_pilotbase",
    )
    def acceptance_fail(self, by=None, description=None):
        """Art. 8-4: acceptance failed (revoked at once if the extension was already used)."""

    acceptance_fail.label = _("验收未通过")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.ACCEPTANCE_FAILED,
        target=Status.UNDER_CONSTRUCTION,
        permission="bases.review_pilotbase",
    )
    def resume_construction(self, by=None, description=None):
        """Art. 8-4: after a failed acceptance the bureau granted the extension; construction resumes."""

    resume_construction.label = _("延期后继续建设")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.RECOGNIZED,
        target=Status.RE_RECOGNITION_REQUIRED,
        permission="bases.review_pilotbase",
    )
    def require_re_recognition(self, by=None, description=None):
        """Art. 14: the host's legal entity or ownership changed; the base must be recognised again."""

    require_re_recognition.label = _("需重新认定")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.NOTICE_CLEARED,
        target=Status.RECOGNIZED,
        permission="bases.decide_pilotbase",
        conditions=[is_re_recognition],
    )
    def recognize_again(self, by=None, description=None):
        """Art. 14: a re-recognition approved by the Party-group meeting is recognised at once (no
        construction period)."""

    recognize_again.label = _("重新认定通过")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.RE_RECOGNITION_REQUIRED,
        target=Status.SUPERSEDED,
        permission="bases.decide_pilotbase",
    )
    def supersede(self, by=None, description=None):
        """Art. 14: replaced by its re-recognised successor."""

    supersede.label = _("由重新认定的基地取代")

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.REVOKED,
        target=RETURN_VALUE(*POST_APPROVAL_STATES),
        permission="bases.reinstate_pilotbase",
    )
    def reinstate(self, by=None, description=None, restore_to=None):
        """Correct an erroneous revocation: back to the state the base was revoked from (admin)."""
        return restore_to

    reinstate.label = _("纠正错误撤销")

    @property
    def extension_used(self) -> bool:
        return self.extension_months > 0


# --- application content -----------------------------------------
class CoBuilder(models.Model):
    """Art. 3: co-builders of a jointly built base and their roles."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="co_builders")
    name = models.CharField(_("共建单位名称"), max_length=200)
    uscc = USCCField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("承担任务与分工"), max_length=300)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class BackingKind(models.TextChoices):
    """Art. 7-2."""

    UNIVERSITY = "university", _("高等院校")
    RESEARCH_INSTITUTE = "research_institute", _("科研机构")
    KEY_LAB = "key_lab", _("重点实验室")
    INNOVATION_CENTER = "innovation_center", _("技术创新中心")
    NEW_RD_INSTITUTION = "new_rd_institution", _("新型研发机构")
    OTHER = "other", _("其他技术开发机构")


class TechnicalBacking(models.Model):
    """Art. 7-2: the technical backing institutions."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="technical_backings")
    name = models.CharField(_("技术依托单位"), max_length=200)
    kind = models.CharField(_("类型"), max_length=30, choices=BackingKind.choices)
    # Optional: a school or institute often has no code of its own; conflict avoidance (Art. 8-2) then
    # matches it by the organisation tree and by its name.
    uscc = USCCField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cooperation = models.TextField(_("合作内容与方式"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("技术依托单位")
        verbose_name_plural = _("技术依托单位")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class RepresentativePaper(models.Model):
    """Art. 7-5: the director's representative papers."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("论文题目"), max_length=300)
    journal = models.CharField(_("发表期刊"), max_length=200)
    published_year = models.PositiveSmallIntegerField(_("发表年份"))
    author_rank = models.CharField(_("作者排序"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("代表性论文")
        verbose_name_plural = _("代表性论文")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class EquipmentItem(models.Model):
    """Art. 7-1: the main instruments and equipment."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("设备名称"), max_length=200)
    model_spec = models.CharField(_("型号规格"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    value_wan = models.DecimalField(_("原值（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主要仪器设备")
        verbose_name_plural = _("主要仪器设备")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Condition(models.IntegerChoices):
    """The eight basic conditions of Art. 7."""

    EQUIPMENT = 1, _("（一）拥有必要的计量检测仪器、实验设备、专用设备、场地及配套设施，具备中间试验能力")
    TECHNICAL_BACKING = 2, _("（二）以较强科研实力和开发设计能力的技术开发机构为技术依托")
    CORE_TECHNOLOGY = 3, _("（三）核心技术具有引领推广前景，具备技术升级和产品换代能力")
    FINANCES = 4, _("（四）依托单位经济实力较强，有筹措资金的能力和信誉")
    DIRECTOR = 5, _("（五）基地负责人研究水平处于市内前列，发表过高水平科技论文")
    MANAGEMENT = 6, _("（六）管理体制机制合理完善，有专业技术队伍和技术工人队伍")
    ENVIRONMENT = 7, _("（七）符合环境保护政策")
    SAFETY = 8, _("（八）近三年内未发生严重的质量、安全等问题")


class ConditionAffirmation(models.Model):
    """The host's affirmation of one Art. 7 condition, with its statement and evidence attachments."""

    base = models.ForeignKey(PilotBase, on_delete=models.CASCADE, related_name="conditions")
    condition = models.PositiveSmallIntegerField(_("基本条件"), choices=Condition.choices)
    affirmed = models.BooleanField(_("承诺符合"), default=False)
    statement = models.TextField(_("情况说明"), blank=True)
    evidence = GenericRelation("documents.Attachment")

    class Meta:
        verbose_name = _("基本条件承诺")
        verbose_name_plural = _("基本条件承诺")
        ordering = ["condition"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "condition"],
                name="one_affirmation_per_condition",
                violation_error_message=_("该基本条件已承诺过，请勿重复提交。"),
            )
        ]

    def __str__(self):
        return f"{self.base} {self.get_condition_display()}"


# --- direct foreign-key object permissions (guardian), for the big table --------------------------
class PilotBaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PilotBase, on_delete=models.CASCADE)


class PilotBaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PilotBase, on_delete=models.CASCADE)


from bases.models.filings import (  # noqa: E402 - the sub-process models need PilotBase first
    AcceptanceApplication,
    BaseChange,
    ChangeKind,
    ChangeRequest,
    ExtensionRequest,
    Filing,
    FilingState,
    Milestone,
    TaskBook,
)
from bases.models.funds import Award, Category, Direction, FundCategory, LedgerEntry, category_names  # noqa: E402

__all__ = [
    "AcceptanceApplication",
    "Award",
    "BaseChange",
    "Category",
    "ChangeKind",
    "ChangeRequest",
    "Direction",
    "ExtensionRequest",
    "Filing",
    "FilingState",
    "FundCategory",
    "LedgerEntry",
    "Milestone",
    "TaskBook",
    "category_names",
]
