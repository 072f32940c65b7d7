"""The expert review's records of a base that its operation rests on, read through functions the reviews
app registers: the triennial evaluation (Art. 17, "会议评审和现场考察相结合") needs the evaluation
panels that reviewed a base, their scores and the site inspection, and the annual grading (Art. 16)
the bureau's score sheet.

The reviews app keeps those records and registers how to read them (reviews.registrations, from its
AppConfig.ready()); the assessments app reads them here. So neither domain app imports the other, and
bases names neither: what a read returns is the reviews app's own record (a Panel, a SiteVisit, a
ScoringTemplate), used for its fields only.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

#: The reads the reviews app provides, by name; each has its documented wrapper below.
READS = (
    "evaluation_panels",
    "is_evaluation_panel",
    "evaluation_inspections",
    "evaluation_panel_scores",
    "annual_score_sheet",
)
_registry: dict[str, Callable] = {}


def register_review_reads(**reads: Callable) -> None:
    """Called once by the reviews app's ready(): the function behind each name of READS."""
    unknown = set(reads) - set(READS)
    if unknown:
        raise TypeError(f"not a review read: {sorted(unknown)}")
    _registry.update(reads)


def _read(name: str) -> Callable:
    try:
        return _registry[name]
    except KeyError:
        raise ImproperlyConfigured(f"the reviews app has not registered the review read {name!r}") from None


def evaluation_panels(base_id: int, since: datetime):
    """Art. 17: the evaluation panels (a QuerySet) formed at or after ``since`` with the base among
    what they reviewed — those that may have held its meeting review."""
    return _read("evaluation_panels")(base_id, since)


def is_evaluation_panel(panel) -> bool:
    """Art. 17: whether ``panel`` is a triennial evaluation panel (not an establishment or acceptance one)."""
    return _read("is_evaluation_panel")(panel)


def evaluation_inspections(base_ids: Iterable[int], since: datetime) -> dict:
    """Art. 17: the site inspection of each base, by base id: its latest evaluation visit (by date, then
    as recorded) recorded at or after ``since``; a base without one is absent."""
    return _read("evaluation_inspections")(base_ids, since)


def evaluation_panel_scores(base_ids: Iterable[int], since: datetime) -> dict[int, Decimal]:
    """Art. 17: the score an evaluation panel formed at or after ``since`` gave each base, by base id;
    a base not yet scored is absent."""
    return _read("evaluation_panel_scores")(base_ids, since)


def annual_score_sheet():
    """Art. 16: the bureau's active score sheet for annual grading, with its criteria (name, max_score,
    weight), or None when none is set."""
    return _read("annual_score_sheet")()
