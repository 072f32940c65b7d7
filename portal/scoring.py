"""The arithmetic of a weighted score sheet, as pure functions: shared by the expert panels' sheets
(Art. 8-2, 8-4, 17) and the bureau's annual score sheet (Art. 16), so that both total a sheet alike.

A sheet's total is Σ score / max score × weight over the criteria (weights add up to 100), so every
sheet is on a 100-point scale whatever the template's maxima.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def sheet_total(scores: Sequence[tuple[Decimal, Decimal, Decimal]]) -> Decimal:
    """The total of one sheet from (score, max score, weight) per criterion, to two places."""
    total = sum(
        (Decimal(score) / Decimal(top) * Decimal(weight) for score, top, weight in scores), Decimal(0)
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
