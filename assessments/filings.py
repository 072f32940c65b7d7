"""The annual report (Art. 15) and the triennial self-evaluation (Art. 17) as kinds of filing: they run
the chain of bases.models.filings.Filing once the bureau's round has opened them for the host.
Registered with bases.filing_kinds by assessments.registrations."""

from django import forms
from django.utils.translation import gettext as _

from assessments.models import AnnualReport, Evaluation
from assessments.services.ledger import ledger_for_year
from bases.filing_kinds import FilingKind


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = [
            "summary",
            "projects",
            "patents",
            "standards",
            "enterprises_served",
            "pilot_runs",
            "revenue_wan",
            "staff",
            "plan",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6}), "plan": forms.Textarea(attrs={"rows": 5})}


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["self_evaluation"]
        widgets = {"self_evaluation": forms.Textarea(attrs={"rows": 10})}


class AnnualReportKind(FilingKind):
    """Art. 15: opened by the bureau's reporting round."""

    key = "annual-report"
    form = AnnualReportForm
    opened_by_bureau = True

    def submit_problem(self, filing, today):
        if not filing.summary or not filing.plan:
            return _("请填写上年度工作总结和本年度工作计划。")
        return None

    def page_context(self, filing):
        """The year's figures from the ledger and last year's plan beside the report."""
        year = filing.round.year
        previous = (
            AnnualReport.objects.filter(base=filing.base, round__year=year - 1)
            .values_list("plan", flat=True)
            .first()
        )
        return {
            "report_year": year,
            "report_ledger": ledger_for_year(filing.base, year),
            "previous_plan": previous,
        }


class EvaluationKind(FilingKind):
    """Art. 17: opened by the bureau's evaluation round."""

    key = "evaluation"
    form = EvaluationForm
    opened_by_bureau = True

    def submit_problem(self, filing, today):
        if not filing.self_evaluation:
            return _("请填写自评报告。")
        return None
