"""The annual report's fund figures (Art. 15), taken from the base's ledger rather than typed again."""

from decimal import Decimal

from bases.models import PilotBase
from bases.services.funds import ledger_summary


def ledger_for_year(base: PilotBase, year: int):
    """The report's fund figures, taken from the base's ledger for that year (not typed again)."""
    summary = ledger_summary(base)
    for row_year, received, spent, categories in summary.by_year:
        if row_year == year:
            return {"received": received, "spent": spent, "categories": categories}
    zero = Decimal("0.00")
    return {"received": zero, "spent": zero, "categories": dict.fromkeys(summary.by_category, zero)}
