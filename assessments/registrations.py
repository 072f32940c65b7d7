"""What assessments registers with the layers below it once the apps are loaded (AssessmentsConfig.ready)."""

from assessments.filings import AnnualReportKind, EvaluationKind
from bases.filing_kinds import register_filing_kind


def register_filing_kinds() -> None:
    """The annual report and the evaluation run the chain of bases' filings (Art. 15, 17)."""
    register_filing_kind(AnnualReportKind())
    register_filing_kind(EvaluationKind())
