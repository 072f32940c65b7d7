"""Organisations (host units, supervising units, the bureau) and the people who work in them.

Art. 5: every host unit belongs to exactly one supervising unit (its jurisdiction); each user
belongs to one organisation with one role.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts.fields import USCCField
from portal.accounts.validators import validate_uscc
from portal.choices import ChoiceDisplayMixin
from portal.fields import check_rule, moment_field


class Region(models.TextChoices):
    """Where a unit sits: the thirteen counties and cities, the development zone, or the city itself."""

    XINFU = "xinfu", _("忻府区")
    YUANPING = "yuanping", _("原平市")
    DINGXIANG = "dingxiang", _("定襄县")
    WUTAI = "wutai", _("五台县")
    DAIXIAN = "daixian", _("代县")
    FANSHI = "fanshi", _("繁峙县")
    NINGWU = "ningwu", _("宁武县")
    JINGLE = "jingle", _("静乐县")
    SHENCHI = "shenchi", _("神池县")
    WUZHAI = "wuzhai", _("五寨县")
    KELAN = "kelan", _("岢岚县")
    BAODE = "baode", _("保德县")
    PIANGUAN = "pianguan", _("偏关县")
    HEQU = "hequ", _("河曲县")
    DEV_ZONE = "dev_zone", _("忻州经济开发区")
    CITY = "city", _("市本级")


class OrganisationKind(models.TextChoices):
    HOST_UNIT = "host_unit", _("依托单位")
    SUPERVISOR = "supervisor", _("归口管理单位")
    BUREAU = "bureau", _("市科技局")
    OTHER = "other", _("其他单位")


class SupervisorCategory(models.TextChoices):
    """Art. 5: county S&T authorities, municipal departments and other competent units."""

    COUNTY = "county", _("县（市、区）科技管理部门")
    MUNICIPAL_DEPARTMENT = "municipal_department", _("市直有关部门")
    OTHER_COMPETENT = "other_competent", _("其他有关主管单位")


class Organisation(ChoiceDisplayMixin, models.Model):
    name = models.CharField(_("单位名称"), max_length=200, unique=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=OrganisationKind.choices)
    supervisor_category = models.CharField(
        _("归口单位类别"), max_length=30, choices=SupervisorCategory.choices, blank=True
    )
    region = models.CharField(_("所在区县"), max_length=20, choices=Region.choices, default=Region.CITY)
    uscc = USCCField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        null=True,
        unique=True,
        validators=[validate_uscc],
        help_text=_(
            "18 位，依托单位必填，按 GB 32100-2015 校验；可分段或小写输入，保存时去掉空格并转为大写。"
        ),
    )
    # Art. 8-2: the organisation tree the conflict rule follows (a university and its schools and
    # institutes, a group and its subsidiaries). An expert of a unit is kept off reviews of the unit
    # itself, of any unit below it and of any unit above it.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("所属的高校、集团等上级单位（如学院所属的大学、子公司所属的集团），用于专家回避。"),
    )
    supervising_unit = models.ForeignKey(
        "self",
        verbose_name=_("归口管理单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="host_units",
        limit_choices_to={"kind": OrganisationKind.SUPERVISOR},
    )
    address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = moment_field(_("创建时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("单位")
        ordering = ["kind", "name"]
        constraints = [
            check_rule(
                ~models.Q(kind="host_unit") | (models.Q(uscc__isnull=False) & ~models.Q(uscc="")),
                "host_unit_has_uscc",
                _("依托单位必须填写统一社会信用代码。"),
            ),
            check_rule(
                ~models.Q(kind="host_unit") | models.Q(supervising_unit__isnull=False),
                "host_unit_has_supervisor",
                _("依托单位必须隶属于一个归口管理单位。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_host_unit(self):
        return self.kind == OrganisationKind.HOST_UNIT

    @property
    def is_supervisor(self):
        return self.kind == OrganisationKind.SUPERVISOR

    def ancestor_ids(self, limit: int = 20) -> list[int]:
        """The ids up the organisation tree from the parent (at most `limit`; stops at a loop)."""
        ids: list[int] = []
        parent_id = self.parent_id
        while parent_id is not None and parent_id not in ids and len(ids) < limit:
            ids.append(parent_id)
            parent_id = Organisation.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        return ids

    def clean(self):
        errors = {}
        if self.kind == OrganisationKind.HOST_UNIT:
            if not self.uscc:
                errors["uscc"] = _("依托单位必须填写统一社会信用代码。")
            if self.supervising_unit_id is None:
                errors["supervising_unit"] = _("依托单位必须隶属于一个归口管理单位。")
        if self.supervising_unit_id is not None:
            if self.kind != OrganisationKind.HOST_UNIT:
                errors["supervising_unit"] = _("只有依托单位隶属于归口管理单位。")
            elif self.supervising_unit.kind != OrganisationKind.SUPERVISOR:
                errors["supervising_unit"] = _("所选单位不是归口管理单位。")
        if self.kind == OrganisationKind.SUPERVISOR and not self.supervisor_category:
            errors["supervisor_category"] = _("请选择归口管理单位类别。")
        if self.parent_id is not None and self.pk is not None and self.pk in self.ancestor_ids():
            errors["parent"] = _("上级单位不能是本单位或其下属单位。")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    """Art. 4–6: who does what; ROLE_ORGANISATION_KINDS says which organisations a role belongs to."""

    BASE_STAFF = "base_staff", _("基地人员")
    HOST_APPROVER = "host_approver", _("依托单位审核人")
    SUPERVISOR = "supervisor", _("归口管理单位")
    BUREAU_STAFF = "bureau_staff", _("市科技局")
    EXPERT = "expert", _("评审专家")
    ADMIN = "admin", _("系统管理员")


ROLE_ORGANISATION_KINDS = {
    Role.BASE_STAFF: {OrganisationKind.HOST_UNIT},
    Role.HOST_APPROVER: {OrganisationKind.HOST_UNIT},
    Role.SUPERVISOR: {OrganisationKind.SUPERVISOR},
    Role.BUREAU_STAFF: {OrganisationKind.BUREAU},
    Role.ADMIN: {OrganisationKind.BUREAU},
    # An expert's affiliation may be any unit (a university, an institute, an enterprise).
    Role.EXPERT: set(OrganisationKind.values),
}


class User(ChoiceDisplayMixin, AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    phone = models.CharField(_("手机号码"), max_length=30, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = _("用户")
        constraints = [
            check_rule(
                models.Q(role="") | models.Q(organisation__isnull=False),
                "user_with_role_has_organisation",
                _("有角色的用户必须属于一个单位。"),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role and self.organisation_id is None:
            raise ValidationError({"organisation": _("有角色的用户必须属于一个单位。")})
        if self.role and self.organisation_id is not None:
            allowed = ROLE_ORGANISATION_KINDS[Role(self.role)]
            if self.organisation.kind not in allowed:
                raise ValidationError(
                    {
                        "role": _("角色“%(role)s”不能属于“%(kind)s”类单位。")
                        % {"role": self.get_role_display(), "kind": self.organisation.get_kind_display()}
                    }
                )
