"""The kinds of filing are registered by the apps that own them (bases, assessments), in the order the
base's page, the to-do lists and the base's files show them."""

from assessments.models import AnnualReport, Evaluation
from bases.filing_kinds import FILING_KINDS, FILING_MODELS, kind_of
from bases.models import AcceptanceApplication, ChangeRequest, ExtensionRequest, TaskBook
from bases.services import filings


def test_every_kind_is_registered_once_in_the_order_of_the_apps():
    assert list(FILING_KINDS) == [
        "task-book",
        "extension",
        "acceptance",
        "change",
        "annual-report",
        "evaluation",
    ]
    assert list(FILING_MODELS.values()) == [
        TaskBook,
        ExtensionRequest,
        AcceptanceApplication,
        ChangeRequest,
        AnnualReport,
        Evaluation,
    ]
    assert filings.KINDS is FILING_MODELS


def test_a_filing_finds_its_kind_by_its_model():
    for key, model in FILING_MODELS.items():
        assert kind_of(model()).key == key


def test_only_the_bureau_opens_annual_reports_and_evaluations_art15_art17():
    opened = {key for key, kind in FILING_KINDS.items() if kind.opened_by_bureau}
    assert opened == {"annual-report", "evaluation"}


def test_only_extension_and_change_requests_may_be_refused():
    assert {key for key, kind in FILING_KINDS.items() if kind.may_refuse} == {"extension", "change"}
