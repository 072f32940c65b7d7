"""Excel import of the expert pool (issue [G]): a downloadable template, a dry run that reports every
problem by row and column in Chinese, and an all-or-nothing apply through reviews.services.expert_create
(the same checks as the form)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from bases.exceptions import ApplicationInvalid, PermissionRefused
from portal.accounts.models import Organisation, User
from portal.documents.excel import Column
from reviews.models import Specialty
from reviews.services import expert_create

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
FIELD_COLUMN = {name: index for index, (name, _column) in enumerate(COLUMNS)}
FIELD_COLUMN["affiliation"] = FIELD_COLUMN["affiliation_text"]


@dataclass
class ImportResult:
    rows: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column header, message)
    applied: bool = False


class _DryRun(Exception):
    pass


def _split(value) -> list[str]:
    text = str(value or "").replace("，", "、").replace(",", "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def expert_import(*, actor: User, file, apply: bool) -> ImportResult:
    """Check every row; with apply and no problem, create every expert — else nothing at all."""
    if not actor.has_perm("bases.review_pilotbase"):
        raise PermissionRefused(_("只有市科技局可以导入专家库。"))
    result = ImportResult()
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).active
    except Exception:  # not an xlsx at all: say so, never a 500
        result.problems.append((0, "", _("无法读取文件，请使用下载的模板（.xlsx）。")))
        return result
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    expected = [str(column.header) for _name, column in COLUMNS]
    if not header or [str(h or "").strip() for h in header[: len(expected)]] != expected:
        result.problems.append((1, "", _("表头与模板不一致，请使用下载的模板。")))
        return result
    specialties = {s.name: s for s in Specialty.objects.filter(is_active=True)}
    organisations = {o.name: o for o in Organisation.objects.all()}
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                values = dict(zip([name for name, _c in COLUMNS], row, strict=False))
                if not any(values.values()):
                    continue
                result.rows += 1
                problems = []
                chosen = []
                for name in _split(values.get("specialties")):
                    if name in specialties:
                        chosen.append(specialties[name])
                    else:
                        problems.append(
                            ("specialties", _("专业领域“%(name)s”不在专家库的专业领域中。") % {"name": name})
                        )
                conflicts = []
                for name in _split(values.get("conflicts")):
                    if name in organisations:
                        conflicts.append(organisations[name])
                    else:
                        problems.append(
                            ("conflicts", _("回避单位“%(name)s”不是平台中的单位。") % {"name": name})
                        )
                affiliation_name = str(values.get("affiliation_text") or "").strip()
                affiliation = organisations.get(affiliation_name)
                try:
                    with transaction.atomic():
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
                for name, message in problems:
                    header_text = (
                        str(COLUMNS[FIELD_COLUMN.get(name, 0)][1].header) if name in FIELD_COLUMN else ""
                    )
                    result.problems.append((number, header_text, str(message)))
            if result.problems or not apply:
                raise _DryRun
    except _DryRun:
        return result
    result.applied = True
    return result
