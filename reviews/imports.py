"""Excel import of the expert pool: a downloadable template, a dry run that reports every
problem by row and column in Chinese, and an all-or-nothing apply through reviews.services.expert_create
(the same checks as the form)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.exceptions import ApplicationInvalid
from portal.accounts.models import Organisation, User
from portal.documents.excel import Column
from portal.documents.imports import ImportResult, run_import
from reviews.models import Specialty
from reviews.permissions import require_pool_importer
from reviews.services.experts import expert_create

COLUMNS = [
    ("username", Column(gettext_lazy("登录用户名"), 16)),
    ("full_name", Column(gettext_lazy("姓名"), 10)),
    ("title", Column(gettext_lazy("职称"), 12)),
    ("affiliation_text", Column(gettext_lazy("工作单位"), 28)),
    ("specialties", Column(gettext_lazy("专业领域（以、分隔）"), 24)),
    ("phone", Column(gettext_lazy("手机号码"), 14)),
    ("email", Column(gettext_lazy("电子邮箱"), 24)),
    ("conflicts", Column(gettext_lazy("申报回避单位（以、分隔）"), 30)),
]


def _split(value) -> list[str]:
    text = str(value or "").replace("，", "、").replace(",", "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def expert_import(*, actor: User, file, apply: bool) -> ImportResult:
    """Check every row; with apply and no problem, create every expert — else nothing at all."""
    require_pool_importer(actor)
    specialties = {s.name: s for s in Specialty.objects.filter(is_active=True)}
    organisations = {o.name: o for o in Organisation.objects.all()}

    def handle_row(values) -> list[tuple[str, str]]:
        problems, chosen, conflicts = [], [], []
        for name in _split(values.get("specialties")):
            if name in specialties:
                chosen.append(specialties[name])
            else:
                problems.append(
                    ("specialties", _("专业领域“%(name)s”不在专家库的专业领域中。") % {"name": name})
                )
        for name in _split(values.get("conflicts")):
            if name in organisations:
                conflicts.append(organisations[name])
            else:
                problems.append(("conflicts", _("回避单位“%(name)s”不是平台中的单位。") % {"name": name}))
        affiliation_name = str(values.get("affiliation_text") or "").strip()
        affiliation = organisations.get(affiliation_name)
        try:
            with transaction.atomic():  # a row with any problem leaves nothing behind
                expert_create(
                    actor=actor,
                    username=str(values.get("username") or ""),
                    full_name=str(values.get("full_name") or ""),
                    title=str(values.get("title") or ""),
                    affiliation=affiliation,
                    affiliation_text="" if affiliation else affiliation_name,
                    specialties=chosen,
                    phone=str(values.get("phone") or ""),
                    email=str(values.get("email") or ""),
                    conflicts=conflicts,
                )
                if problems:
                    raise ApplicationInvalid("", field_errors={})
        except ApplicationInvalid as exc:
            problems += list(exc.field_errors.items())
        return problems

    return run_import(
        file=file,
        columns=COLUMNS,
        apply=apply,
        handle_row=handle_row,
        column_of={"affiliation": "affiliation_text"},
    )
