"""Score arithmetic of an expert panel, as pure functions.

An expert's total for a base is the sheet's total on a 100-point scale (portal.scoring.sheet_total,
shared with the bureau's annual score sheet). The panel's score is the mean of the submitted totals,
after dropping one highest and one lowest when at least `trim_min` experts submitted (portal rule, a
parameter, default 5). The base passes when the score reaches the threshold (parameter, default 70)
and more than half of the submitted sheets recommend a pass (a tie is not a majority). A total more
than `outlier_points` from the mean of all submitted totals is flagged for the bureau. Sheets never
submitted do not count.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from portal.scoring import CENT


def plain(value: Decimal) -> Decimal:
    """A number as people write it: 10 rather than 10.0, 7.5 rather than 7.50."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True)
class Vote:
    key: object  # whose sheet (the member's id)
    total: Decimal
    recommends_pass: bool


@dataclass
class PanelResult:
    submitted: int
    score: Decimal | None
    mean: Decimal | None
    trimmed: bool
    dropped: list = field(default_factory=list)  # keys of the dropped highest and lowest
    pass_votes: int = 0
    fail_votes: int = 0
    reaches_threshold: bool = False
    majority_pass: bool = False
    outliers: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.reaches_threshold and self.majority_pass


def _mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate(
    votes: Sequence[Vote], *, threshold: Decimal, trim_min: int, outlier_points: Decimal
) -> PanelResult:
    """The panel's result over the submitted sheets."""
    if not votes:
        return PanelResult(submitted=0, score=None, mean=None, trimmed=False)
    ordered = sorted(votes, key=lambda vote: (vote.total, str(vote.key)))
    mean = _mean([vote.total for vote in votes])
    trimmed = len(votes) >= max(trim_min, 3)
    kept = ordered[1:-1] if trimmed else ordered
    score = _mean([vote.total for vote in kept])
    pass_votes = sum(1 for vote in votes if vote.recommends_pass)
    return PanelResult(
        submitted=len(votes),
        score=score,
        mean=mean,
        trimmed=trimmed,
        dropped=[ordered[-1].key, ordered[0].key] if trimmed else [],
        pass_votes=pass_votes,
        fail_votes=len(votes) - pass_votes,
        reaches_threshold=score >= Decimal(threshold),
        majority_pass=pass_votes * 2 > len(votes),
        outliers=[vote.key for vote in votes if abs(vote.total - mean) > Decimal(outlier_points)],
    )
