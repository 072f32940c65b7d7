"""Policy parameters: where the Measures leave a number to the bureau (or the portal chose one),
it is a parameter with a default here and an optional override row in portal.Parameter."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import Parameter


@dataclass(frozen=True)
class Definition:
    default: object
    kind: type
    label: str
    basis: str = ""
    check: Callable[[object], None] | None = None  # raises ValueError with the message to show


GRADE_CODES = ("excellent", "good", "pass", "basic_pass", "fail")  # bases.policy.Grade (Art. 16)


def _grade_list(value) -> None:
    codes = [part.strip() for part in str(value).replace("，", ",").split(",") if part.strip()]
    unknown = [code for code in codes if code not in GRADE_CODES]
    if unknown:
        raise ValueError(
            _(
                "“%(codes)s”不是考核档次；可用：excellent（优秀）、good（良好）、pass（合格）、"
                "basic_pass（基本合格）、fail（不合格），以逗号分隔。"
            )
            % {"codes": ",".join(unknown)}
        )


DEFINITIONS: dict[str, Definition] = {
    "upload_max_mb": Definition(20, int, _("单个附件大小上限（MB）"), _("平台规则")),
    # An expert pool or a legacy roster is hundreds of rows, well under 1 MB: generous limits that
    # stop a hostile workbook (a 500 MB cell compresses to a few hundred KB) before it is read.
    "import_max_mb": Definition(5, int, _("Excel 导入文件大小上限（MB，含解压后内容）"), _("平台规则")),
    "import_max_rows": Definition(5000, int, _("Excel 导入行数上限"), _("平台规则")),
    "notice_working_days": Definition(7, int, _("公示期（工作日）"), _("第八条第（三）项；平台规则")),
    "review_pass_threshold": Definition(Decimal("70"), Decimal, _("专家评审通过分数线"), _("平台规则")),
    "trim_extremes_min_experts": Definition(5, int, _("去掉最高最低分的最少专家数"), _("平台规则")),
    "review_min_sheets": Definition(3, int, _("专家组结论所需最少提交评分表数"), _("平台规则")),
    "review_outlier_points": Definition(
        Decimal("15"), Decimal, _("偏离专家组平均分提示阈值（分）"), _("平台规则")
    ),
    "objection_hourly_limit": Definition(5, int, _("同一地址每小时可提交异议数"), _("平台规则")),
    "construction_reminder_days": Definition(
        "90,30,7", str, _("建设期满前提醒天数（逗号分隔）"), _("第八条第（四）项；平台规则")
    ),
    "acceptance_window_reminder_days": Definition(
        "14,3", str, _("验收申请期限届满前提醒天数（逗号分隔）"), _("第八条第（四）项；平台规则")
    ),
    "annual_report_reminder_days": Definition(
        "30,7", str, _("年度报告截止前提醒天数（逗号分隔）"), _("第十五条；平台规则")
    ),
    "scoring_reminder_days": Definition("3,1", str, _("专家评分截止前提醒天数（逗号分隔）"), _("平台规则")),
    "notice_ending_reminder_days": Definition(1, int, _("公示期满前提醒天数"), _("平台规则")),
    "objection_reminder_days": Definition(2, int, _("异议未处理提醒天数"), _("平台规则")),
    "failed_acceptance_extension_months": Definition(
        1, int, _("验收未通过后申请延期的期限（月，自结论之日起）"), _("第八条第（四）项；平台规则")
    ),
    "returned_filing_resubmit_days": Definition(
        30, int, _("退回修改后重新提交的期限（天，自退回之日起）"), _("第八条第（四）项；平台规则")
    ),
    "task_book_reminder_days": Definition(
        30, int, _("批准立项后未报任务书提醒天数"), _("第八条第（四）项；平台规则")
    ),
    "office_hours": Definition(
        "", str, _("市科技局办公时间（显示在“联系我们”，如：工作日 8:30—12:00，14:30—17:30）"), _("平台规则")
    ),
    "export_background_rows": Definition(5000, int, _("超过此行数的导出在后台生成"), _("平台规则")),
    "award_amount_yuan": Definition(
        Decimal("200000.00"), Decimal, _("新认定基地奖励资助（元）"), _("第九条")
    ),
    "annual_report_due_month": Definition(1, int, _("年度报告截止月份"), _("第十五条；平台规则")),
    "annual_report_due_day": Definition(31, int, _("年度报告截止日"), _("第十五条；平台规则")),
    "annual_report_grace_days": Definition(30, int, _("年度报告逾期宽限天数"), _("第十六条；平台规则")),
    "measures_valid_until": Definition(
        date(2029, 8, 3), date.fromisoformat, _("管理办法有效期截止日（YYYY-MM-DD）"), _("第十九条")
    ),
    "measures_expiry_reminder_days": Definition(
        "180,90,30", str, _("管理办法有效期届满前提醒市科技局的天数（逗号分隔）"), _("第十九条；平台规则")
    ),
    "provincial_priority_grades": Definition(
        "excellent",
        str,
        _("省级培育优先推荐的考核档次（以逗号分隔）"),
        _("第十五条；市科技局自定"),
        check=_grade_list,
    ),
}


def grade_list(key: str) -> list[str]:
    """A parameter holding grade codes as "excellent,good"."""
    return [part.strip() for part in str(get_parameter(key)).replace("，", ",").split(",") if part.strip()]


def _convert(key: str, raw: str):
    definition = DEFINITIONS[key]
    try:
        value = definition.kind(raw)
    except Exception as exc:
        raise ValidationError(
            _("参数“%(label)s”的取值“%(raw)s”无效。") % {"label": definition.label, "raw": raw}
        ) from exc
    if definition.check is not None:
        try:
            definition.check(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    return value


def day_list(key: str) -> list[int]:
    """A parameter holding days as "3,1": the distinct positive numbers, largest first."""
    raw = str(get_parameter(key))
    try:
        days = {int(part) for part in raw.replace("，", ",").split(",") if part.strip()}
    except ValueError as exc:
        raise ValidationError(_("参数“%(key)s”应为以逗号分隔的天数。") % {"key": key}) from exc
    return sorted((d for d in days if d > 0), reverse=True)


def get_parameter(key: str):
    """The bureau's value of a parameter, or its default."""
    if key not in DEFINITIONS:
        raise KeyError(key)
    row = Parameter.objects.filter(key=key).values_list("value", flat=True).first()
    return DEFINITIONS[key].default if row is None else _convert(key, row)


def get_parameters(keys) -> dict:
    """Several parameters in one query: a page that applies many rules reads them once."""
    unknown = set(keys) - set(DEFINITIONS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    rows = dict(Parameter.objects.filter(key__in=keys).values_list("key", "value"))
    return {key: DEFINITIONS[key].default if key not in rows else _convert(key, rows[key]) for key in keys}


def set_parameter(key: str, value) -> None:
    _convert(key, str(value))
    Parameter.objects.update_or_create(key=key, defaults={"value": str(value)})
