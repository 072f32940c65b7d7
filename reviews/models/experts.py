"""The expert pool: specialties and experts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts.fields import USCCField
from portal.fields import check_rule, moment_field, updated_field


class Specialty(models.Model):
    """A field of expertise of the pool's controlled vocabulary, kept by the bureau. Panels are drawn
    by specialty; a specialty no longer used is switched off, never deleted (experts keep it)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("专业领域")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Expert(models.Model):
    """A member of the expert pool: the profile of a user account of role expert.

    The affiliation is an organisation of the portal, or, for a unit the portal does not know, its
    name as free text (the account then belongs to an 其他单位 organisation of that name). Declared
    standing conflicts are organisations the expert must never review (on top of their own unit)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账号"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
        limit_choices_to={"role": "expert"},
    )
    title = models.CharField(_("职称"), max_length=50)
    affiliation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
    )
    affiliation_text = models.CharField(
        _("其他工作单位"), max_length=200, blank=True, help_text=_("工作单位不在列表中时填写单位全称。")
    )
    specialties = models.ManyToManyField(Specialty, verbose_name=_("专业领域"), related_name="experts")
    phone = models.CharField(_("手机号码"), max_length=30)
    email = models.EmailField(_("电子邮箱"))
    is_active = models.BooleanField(_("在库"), default=True, help_text=_("停用的专家不参加抽取。"))
    conflicts = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("申报回避单位"), blank=True, related_name="+"
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = moment_field(_("创建时间"))
    updated_at = updated_field(_("更新时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("评审专家")
        ordering = ["user__full_name", "pk"]
        constraints = [
            check_rule(
                models.Q(affiliation__isnull=False) | ~models.Q(affiliation_text=""),
                "expert_has_affiliation",
                _("请选择或填写专家的工作单位。"),
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def affiliation_name(self) -> str:
        return self.affiliation.name if self.affiliation_id else self.affiliation_text


class DeclaredConflict(models.Model):
    """A conflict of interest the expert declared (Art. 8-2), for a unit the draw could not see: no
    USCC, another spelling, a tie the portal does not know. Recorded with the panel and base it was
    declared on, and honoured by every later draw (a unit that is, contains or belongs to it)."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    name = models.CharField(_("回避单位"), max_length=200)
    uscc = USCCField(_("统一社会信用代码"), max_length=18, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("平台单位"), on_delete=models.SET_NULL, null=True, blank=True
    )
    base = models.ForeignKey(
        "bases.PilotBase",
        verbose_name=_("申报时的评审对象"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    member = models.ForeignKey(
        "reviews.PanelMember",
        verbose_name=_("申报时的专家组成员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declared_conflicts",
    )
    reason = models.TextField(_("利益冲突情形"))
    declared_at = models.DateTimeField(_("申报时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("专家申报的利益冲突")
        ordering = ["expert", "pk"]

    def __str__(self):
        return f"{self.expert} · {self.name}"
