"""The Measures (忻科规〔2024〕2号, 《市中试基地建设与运行管理办法》) as pure functions.

Every date and grade rule of the Measures that the portal applies lives here, once, so that views,
services and scheduled jobs agree and the rules are tested directly. Each function's docstring cites
its article (Art. N, "Art. 8-4" = 第八条第（四）项). Where the Measures are silent the choice is a
policy parameter (an argument with the portal's default) and is marked "portal rule".

This module is pure: no ORM, no database, no settings, no clock. Callers pass ``today`` themselves.
Working-day arithmetic (public-notice periods) needs the holiday calendar and lives in
``portal.workdays``.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal

from django.db.models import IntegerChoices, TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The 统一社会信用代码 rules identify every organisation, so they live with the platform's accounts;
# named here too for the importers that read them as rules of the Measures (Art. 8-2 conflicts).
from portal.accounts.uscc import is_valid_uscc, normalise_uscc, uscc_problem
from portal.text import local_date

__all__ = [
    "EARLIER_MEASURES_CEASED_ON",
    "REVOCATION_ARTICLES",
    "Condition",
    "ConstructionMode",
    "Grade",
    "RevocationReason",
    "acceptance_failure_consequence",
    "acceptance_window_closes",
    "annual_grades_require_revocation",
    "annual_report_due",
    "annual_report_grace_ends",
    "base_name_problem",
    "construction_clock_closes",
    "construction_deadline",
    "earlier_recognition_problem",
    "evaluation_requires_revocation",
    "extension_request_closes",
    "is_valid_base_name",
    "is_valid_uscc",
    "measures_expire_on",
    "normalise_uscc",
    "provincial_priority",
    "triennial_due",
    "uscc_problem",
]


# --- month arithmetic ---------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """``d`` plus a whole number of calendar months, clamped to the end of the target month.

    2024-02-29 + 24 months is 2026-02-28; 2026-01-31 + 1 month is 2026-02-28. Every period of the
    Measures counted in months or years goes through this one helper, always from the
    original anchor date, never step by step, so that a clamp in one step does not shorten the next.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


# --- construction and acceptance (Art. 8-4) -----------------------------------------------------

CONSTRUCTION_PERIOD_MONTHS = 24
MAX_EXTENSION_MONTHS = 12
ACCEPTANCE_WINDOW_MONTHS = 1


def construction_deadline(approved_on: date, extension_months: int = 0) -> date:
    """Art. 8-4: the last day of the construction period.

    "批准建设后，建设期不超过2年 …… 如有特殊原因2年内没有完成建设任务的，经市科技局批准后最多延长1年":
    approval date + 24 months, plus an approved extension of at most 12 months, all counted from the
    approval date and clamped to the month's end (approved 2024-02-29 → 2026-02-28; with a 12-month
    extension → 2027-02-28). Raises ValueError for a negative extension or one above 12 months.
    """
    if extension_months < 0:
        raise ValueError(gettext("延期月数不能为负数。"))
    if extension_months > MAX_EXTENSION_MONTHS:
        raise ValueError(
            gettext("延期最多%(max)d个月（第八条第（四）项），申请了%(months)d个月。")
            % {"max": MAX_EXTENSION_MONTHS, "months": extension_months}
        )
    return add_months(approved_on, CONSTRUCTION_PERIOD_MONTHS + extension_months)


def acceptance_window_closes(deadline: date) -> date:
    """Art. 8-4: the last day on which the host may apply for acceptance.

    "由依托单位在建设期满后1个月内提出验收申请": the construction deadline + 1 month, clamped to the
    month's end (deadline 2026-01-31 → 2026-02-28).
    """
    return add_months(deadline, ACCEPTANCE_WINDOW_MONTHS)


def acceptance_failure_consequence(extension_used: bool) -> Literal["revoke", "may_extend"]:
    """Art. 8-4: what follows a failed acceptance.

    "延期后仍未能通过验收的予以撤销": if the one extension was already used the base is revoked
    ("revoke"); otherwise the host may still request the extension ("may_extend"; until
    ``extension_request_closes``, after which the daily job revokes it).
    """
    return "revoke" if extension_used else "may_extend"


#: Portal rules (parameters "failed_acceptance_extension_months" and "returned_filing_resubmit_days"):
#: a deadline that depends on the bureau's or the county's action runs from that action, so that their
#: delay never costs the host its extension or its acceptance (Art. 8-4).
DEFAULT_FAILURE_EXTENSION_MONTHS = 1
DEFAULT_RESUBMIT_DAYS = 30


def extension_request_closes(
    deadline: date,
    failed_on: date | None = None,
    months_after_failure: int = DEFAULT_FAILURE_EXTENSION_MONTHS,
) -> date:
    """Art. 8-4: the last day on which the host may request the one extension.

    "如有特殊原因2年内没有完成建设任务的，经市科技局批准后最多延长1年": during construction, up to the
    construction deadline. After a failed acceptance (``failed_on``: the day the bureau concluded it),
    portal rule: within ``months_after_failure`` months of that conclusion, and never before the
    acceptance window closes — so a failure the bureau concludes late still leaves the host its month.
    """
    if failed_on is None:
        return deadline
    return max(acceptance_window_closes(deadline), add_months(failed_on, months_after_failure))


def resubmission_closes(returned_on: date, resubmit_days: int = DEFAULT_RESUBMIT_DAYS) -> date:
    """Portal rule: a filing the county or the bureau returned may be resubmitted for ``resubmit_days``
    days after the return, even when the deadline it was filed against has passed meanwhile."""
    if resubmit_days < 0:
        raise ValueError(gettext("补正天数不能为负数。"))
    return returned_on + timedelta(days=resubmit_days)


def construction_clock_closes(
    deadline: date,
    *,
    failed_on: date | None = None,
    returned_on: date | None = None,
    months_after_failure: int = DEFAULT_FAILURE_EXTENSION_MONTHS,
    resubmit_days: int = DEFAULT_RESUBMIT_DAYS,
) -> date:
    """Art. 8-4: the last day on which the host can still act to keep a base it has not got accepted.

    "建设期满后1个月内提出验收申请 …… 延期后仍未能通过验收的予以撤销": the base must be accepted within
    its construction period (with any extension) and the acceptance window after it. The host can act
    until the window closes (``acceptance_window_closes``); after a failed acceptance without extension,
    until the extension may no longer be requested (``extension_request_closes``); and when its
    acceptance application or extension request was returned (``returned_on``), until it may no longer
    be resubmitted (``resubmission_closes``), whichever is latest. A base none of whose filings is with
    the county or the bureau after this day can no longer be accepted: it is revoked (Art. 8-4).
    """
    if failed_on is not None:
        closes = extension_request_closes(deadline, failed_on, months_after_failure)
    else:
        closes = acceptance_window_closes(deadline)
    if returned_on is not None:
        closes = max(closes, resubmission_closes(returned_on, resubmit_days))
    return closes


# --- annual reports (Art. 15) and triennial evaluation (Art. 17) ---------------------------------

DEFAULT_REPORT_DUE_MONTH = 1
DEFAULT_REPORT_DUE_DAY = 31
DEFAULT_REPORT_GRACE_DAYS = 30
EVALUATION_CYCLE_MONTHS = 36


def annual_report_due(
    year: int, due_month: int = DEFAULT_REPORT_DUE_MONTH, due_day: int = DEFAULT_REPORT_DUE_DAY
) -> date:
    """Art. 15: the due date of the annual report for ``year``.

    "每年年初中试基地应将上年度总结报告及当年工作计划 …… 报市科技局": the report on year Y is due at
    the start of Y+1. The Measures give no day; the portal's default is 31 January of Y+1 (a policy
    parameter, hence the arguments). An impossible day (e.g. 30 February) raises ValueError.
    """
    return date(year + 1, due_month, due_day)


def annual_report_grace_ends(
    year: int,
    grace_days: int = DEFAULT_REPORT_GRACE_DAYS,
    due_month: int = DEFAULT_REPORT_DUE_MONTH,
    due_day: int = DEFAULT_REPORT_DUE_DAY,
) -> date:
    """Art. 15/16 (portal rule): the last day of the grace period after the annual report's due date.

    Due date + ``grace_days``; a report still missing after this day may be graded 不合格 for
    non-submission.
    """
    if grace_days < 0:
        raise ValueError(gettext("宽限天数不能为负数。"))
    return annual_report_due(year, due_month, due_day) + timedelta(days=grace_days)


def annual_report_roster_day(year: int) -> date:
    """Art. 15: the day whose roster owes the report on ``year`` — 31 December of that year (the one
    definition of that day: owes_annual_report and its set-based form in assessments.selectors)."""
    return date(year, 12, 31)


def owes_annual_report(year: int, recognized_on: date | None, left_roster_on: date | None = None) -> bool:
    """Art. 15: a base owes the report on ``year`` when it was recognised (in the roster) on 31 December
    of that year: recognised on or before that day, and not revoked or superseded by then
    (``left_roster_on``: the day it left the roster; a base that left on 31 December was not in the
    roster at the end of the year). assessments.selectors.bases_owing_report applies this rule in SQL
    and is tested against it."""
    year_end = annual_report_roster_day(year)
    if recognized_on is None or recognized_on > year_end:
        return False
    return left_roster_on is None or left_roster_on > year_end


def triennial_due(recognized_on: date, last_evaluated_on: date | None = None) -> date:
    """Art. 17: when the next three-yearly evaluation falls due.

    "对市中试基地的整体建设与运行情况每三年进行一次评估": the cycle is anchored on the recognition
    date. The due date is the first recognized_on + 36·k months (k ≥ 1, clamped to the month's end)
    later than ``last_evaluated_on``; never evaluated → recognized_on + 36 months.

    Note that an evaluation held *before* an anniversary does not move past that anniversary: the
    anniversary is still "later than" the evaluation, so it is returned.
    """
    cycle = 1
    due = add_months(recognized_on, EVALUATION_CYCLE_MONTHS)
    while last_evaluated_on is not None and due <= last_evaluated_on:
        cycle += 1
        due = add_months(recognized_on, EVALUATION_CYCLE_MONTHS * cycle)
    return due


# --- grades and revocation (Art. 4, 8-4, 14, 16, 17) ---------------------------------------------


class Grade(TextChoices):
    """Art. 16 (annual grading) and Art. 17 (triennial evaluation): the same five grades."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    BASIC_PASS = "basic_pass", _("基本合格")
    FAIL = "fail", _("不合格")


def _is_fail(grade: str | Grade | None) -> bool:
    """Whether ``grade`` (a Grade or its raw value; None = not graded) is 不合格.

    An unknown value raises ValueError rather than silently counting as a pass.
    """
    return grade is not None and Grade(grade) == Grade.FAIL


def annual_grades_require_revocation(grades_by_year: Mapping[int, str | Grade | None]) -> bool:
    """Art. 16: two consecutive annual grades of 不合格 revoke the base.

    "连续两年考核结果为“不合格”的，撤销中试基地资格": True when some year Y and Y+1 are both present
    and both 不合格. A year without a grade (missing or None) breaks the sequence.
    """
    failed_years = {year for year, grade in grades_by_year.items() if _is_fail(grade)}
    return any(year + 1 in failed_years for year in failed_years)


def provincial_priority(grades_by_year: Mapping[int, str | Grade | None], priority_grades) -> bool:
    """Art. 15: "中试基地实行年度考核制度并作为申报省中试基地的培养对象" — every base in the roster is a
    cultivation candidate for the provincial list; the Measures rank none. The bureau's own ranking
    (parameter "provincial_priority_grades", default 优秀): the base's latest published grade is one of
    ``priority_grades``. No grade yet: no priority."""
    graded = [year for year, grade in grades_by_year.items() if grade]
    if not graded:
        return False
    return Grade(grades_by_year[max(graded)]).value in {Grade(g).value for g in priority_grades}


def evaluation_requires_revocation(grade: str | Grade) -> bool:
    """Art. 17: "评估结果为不合格的，撤销中试基地资格" — a triennial 不合格 revokes the base."""
    return _is_fail(grade)


class RevocationReason(TextChoices):
    """Why a base was revoked; each reason cites its article in REVOCATION_ARTICLES."""

    CONSTRUCTION_NOT_ACCEPTED = "construction_not_accepted", _("建设期满未通过验收")
    TWO_CONSECUTIVE_FAILURES = "two_consecutive_failures", _("连续两年年度考核不合格")
    EVALUATION_FAILED = "evaluation_failed", _("三年评估不合格")
    RE_RECOGNITION_FAILED = "re_recognition_failed", _("重新认定未通过")
    BUREAU_DECISION = "bureau_decision", _("市科技局决定撤销")


#: The article each revocation reason rests on, as cited in the revocation decision document.
#: Lazy strings: str() gives the active language ("第八条第（四）项" / "Art. 8(4)").
REVOCATION_ARTICLES: dict[str, str] = {
    RevocationReason.CONSTRUCTION_NOT_ACCEPTED.value: _("第八条第（四）项"),
    RevocationReason.TWO_CONSECUTIVE_FAILURES.value: _("第十六条"),
    RevocationReason.EVALUATION_FAILED.value: _("第十七条"),
    RevocationReason.RE_RECOGNITION_FAILED.value: _("第十四条"),
    RevocationReason.BUREAU_DECISION.value: _("第四条第（二）项"),
}


# --- what a base is built from (Art. 3, 7) ------------------------------------------------------
# Choices of the base's model that the completeness rules (bases.completeness) read too; kept here,
# below the models, so those rules need no model import.


class ConstructionMode(TextChoices):
    """Art. 3."""

    SINGLE = "single", _("单独建设")
    JOINT = "joint", _("联合共建")


class Condition(IntegerChoices):
    """The eight basic conditions of Art. 7."""

    EQUIPMENT = 1, _("（一）拥有必要的计量检测仪器、实验设备、专用设备、场地及配套设施，具备中间试验能力")
    TECHNICAL_BACKING = 2, _("（二）以较强科研实力和开发设计能力的技术开发机构为技术依托")
    CORE_TECHNOLOGY = 3, _("（三）核心技术具有引领推广前景，具备技术升级和产品换代能力")
    FINANCES = 4, _("（四）依托单位经济实力较强，有筹措资金的能力和信誉")
    DIRECTOR = 5, _("（五）基地负责人研究水平处于市内前列，发表过高水平科技论文")
    MANAGEMENT = 6, _("（六）管理体制机制合理完善，有专业技术队伍和技术工人队伍")
    ENVIRONMENT = 7, _("（七）符合环境保护政策")
    SAFETY = 8, _("（八）近三年内未发生严重的质量、安全等问题")


# --- in force and transition (Art. 19) ----------------------------------------------------------

#: "本办法自2024年8月4日起施行，有效期五年，《忻州市中试基地认定管理办法》（忻科规〔2020〕1号）同时废止"
MEASURES_IN_FORCE_ON = date(2024, 8, 4)
EARLIER_MEASURES_CEASED_ON = MEASURES_IN_FORCE_ON
MEASURES_VALID_YEARS = 5


def measures_expire_on(in_force_on: date = MEASURES_IN_FORCE_ON, years: int = MEASURES_VALID_YEARS) -> date:
    """Art. 19: the last day the Measures are valid — five years from 2024-08-04, i.e. 2029-08-03."""
    return add_months(in_force_on, 12 * years) - timedelta(days=1)


def earlier_recognition_problem(recognized_on: date) -> str | None:
    """Art. 19: a base recognised under the earlier measures (忻科规〔2020〕1号) was recognised before
    they ceased on 2024-08-04; a later date cannot be such a recognition."""
    if recognized_on >= EARLIER_MEASURES_CEASED_ON:
        return gettext(
            "认定日期须早于 %(on)s：忻科规〔2020〕1号已于该日废止（第十九条），此后的认定应按现行办法办理。"
        ) % {"on": local_date(EARLIER_MEASURES_CEASED_ON)}
    return None


# --- the name rule (Art. 18) --------------------------------------------------------------------

NAME_PREFIX = "忻州市"
NAME_SUFFIX = "中试基地"
MIN_DIRECTION_LENGTH = 2


def base_name_problem(name: str | None, rd_direction: str | None = None) -> str | None:
    """Art. 18: what is wrong with a base's name, in Chinese, or None when it is right.

    "中试基地统一命名为“忻州市+研发方向+中试基地”". Surrounding whitespace is ignored; the name may
    not contain whitespace; the R&D direction between prefix and suffix has at least two characters
    and does not itself contain "忻州市" or "中试基地"; when ``rd_direction`` is given (the direction
    filed on the application) the middle part must equal it exactly.
    """
    expected_form = gettext("名称应为“忻州市+研发方向+中试基地”，如“忻州市新材料中试基地”")
    name = (name or "").strip()
    if not name:
        return gettext("请填写基地名称。") + expected_form
    if any(char.isspace() for char in name):
        return gettext("名称中不能含有空格。") + expected_form
    if not name.startswith(NAME_PREFIX) or not name.endswith(NAME_SUFFIX):
        return expected_form
    direction = name[len(NAME_PREFIX) : len(name) - len(NAME_SUFFIX)]
    if len(direction) < MIN_DIRECTION_LENGTH:
        return gettext("名称中缺少研发方向（至少2个字）。") + expected_form
    if NAME_PREFIX in direction or NAME_SUFFIX in direction:
        return gettext("研发方向中不应再含有“忻州市”或“中试基地”。") + expected_form
    if rd_direction is not None and rd_direction.strip() and direction != rd_direction.strip():
        return gettext("名称中的研发方向“%(found)s”与填报的研发方向“%(filed)s”不一致") % {
            "found": direction,
            "filed": rd_direction.strip(),
        }
    return None


def is_valid_base_name(name: str | None, rd_direction: str | None = None) -> bool:
    """Art. 18: whether the name has the form 忻州市 + R&D direction + 中试基地 (see base_name_problem)."""
    return base_name_problem(name, rd_direction) is None
