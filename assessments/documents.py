"""The documents of the assessment: the annual grading bulletin (考核结果通报, Art. 15, 16), registered
with portal.documents.issuing from assessments.registrations."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AnnualGrade, ReportingRound
from bases.documents import COPY_TO_BUREAU, MEASURES
from portal.documents.issuing import SIGNED_IN, Kind


def _grading(report_round: ReportingRound) -> dict:
    grades = (
        AnnualGrade.objects.filter(year=report_round.year).select_related("base__host").order_by("base__name")
    )
    table_title = f"{report_round.year}年度市中试基地考核结果"
    return {
        "title": f"关于{report_round.year}年度市中试基地考核结果的通报",
        "addressee": "各县（市、区）工信和科技局，各有关单位",
        "paragraphs": [
            f"根据{MEASURES}第十五条、第十六条，市科技局对{report_round.year}年度市中试基地"
            "进行了年度考核，现将考核结果通报如下。连续两年考核不合格的，撤销中试基地资格。",
            "特此通报。",
        ],
        "attachments": [
            {
                "title": table_title,
                "table": {
                    "head": ["序号", "基地名称", "依托单位", "考核结果"],
                    "rows": [
                        [
                            i,
                            g.base.name,
                            g.base.host.name,
                            g.get_grade_display() + ("（未报送）" if g.non_submission else ""),
                        ]
                        for i, g in enumerate(grades, 1)
                    ],
                },
                "empty": "本年度无考核结果。",
            }
        ],
        "copy_to": COPY_TO_BUREAU,
        "date_on": (report_round.published_at and timezone.localdate(report_round.published_at))
        or timezone.localdate(),
    }


KINDS = (
    Kind(
        "grading_results",
        _("年度考核结果通报"),
        ReportingRound,
        True,
        lambda r: None if r.published_at else gettext("考核结果发布后才能出具通报。"),
        _grading,
        audience=SIGNED_IN,
        # The bulletins of the years the base was graded show on its page.
        concerning=lambda base: ReportingRound.objects.filter(
            year__in=AnnualGrade.objects.filter(base=base).values("year")
        ).values("pk"),
    ),
)
