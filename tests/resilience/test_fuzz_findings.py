"""What the form fuzzer (test_fuzz_forms.py) and the review of the views it drove found, each kept
fixed by a test that fails without its fix: a 500, a row written from a malformed post, or a post that
costs seconds of CPU."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import AnnualGrade, AnnualReport
from bases.models import FilingState, Status
from reviews.models import PublicNotice, ScoringTemplate
from tests.factories import PilotBaseFactory
from tests.resilience.test_fuzz_forms import _evaluation_ready_to_grade

pytestmark = pytest.mark.django_db

NUL = "评估意见\x00"


def _bureau(world) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.people.bureau)
    return client


def test_a_nul_in_an_evaluation_note_is_refused_not_stored(world):
    """Stored as is on SQLite; PostgreSQL cannot store a NUL in text: a 500 there."""
    evaluation = _evaluation_ready_to_grade(world)
    url = reverse("assessments:evaluation_grade", args=[world.evaluation_round.year, evaluation.pk])
    response = _bureau(world).post(url, {"grade": "good", "note": NUL}, follow=True)
    assert response.status_code == 400  # refused: the form again, with the note typed
    assert "空字符" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.grade == ""


def _approved_report(world):
    AnnualReport.objects.filter(pk=world.report_a.pk).update(state=FilingState.APPROVED)
    return world.report_a


def test_a_nul_in_an_annual_grading_note_is_refused_not_stored(world):
    report = _approved_report(world)
    url = reverse("assessments:grade", args=[2025, report.pk])
    response = _bureau(world).post(url, {"grade": "good", "note": NUL}, follow=True)
    assert "空字符" in response.content.decode()
    assert not AnnualGrade.objects.filter(base=report.base).exists()


def test_a_score_of_nan_is_refused_not_a_500(world):
    """Decimal("NaN") parses, then raises InvalidOperation when compared with 0 and 100."""
    report = _approved_report(world)
    client = _bureau(world)
    quick = client.post(
        reverse("assessments:grade", args=[2025, report.pk]), {"grade": "good", "score": "NaN"}
    )
    assert quick.status_code == 400  # refused: the form again, with what was typed
    sheet_url = reverse("assessments:grade_sheet", args=[2025, report.pk])
    template = ScoringTemplate.objects.get(purpose="annual", is_active=True)
    scores = {f"c{c.pk}": "NaN" for c in template.criteria.all()}
    on_sheet = client.post(sheet_url, {"grade": "good", **scores})
    assert on_sheet.status_code == 200
    assert "请为" in on_sheet.content.decode()
    assert not AnnualGrade.objects.filter(base=report.base).exists()


def test_an_id_beyond_64_bits_in_a_multiple_choice_is_an_invalid_choice(world):
    """Django queries `pk__in` with it: SQLite cannot bind the number (OverflowError, a 500)."""
    PilotBaseFactory(host=world.people.host_a, status=Status.REVIEW_PASSED)
    response = _bureau(world).post(
        reverse("reviews:notice_new"),
        {
            "title": "公示",
            "body": "内容",
            "bases": str(2**63),
            "starts_on": "2026-12-01",
            "working_days": "7",
        },
    )
    assert response.status_code == 200
    assert PublicNotice.objects.count() == 1  # the matrix's own, nothing new


def test_a_formset_claiming_99999_rows_is_cut_short(world):
    """TOTAL_FORMS=99999 built and rendered 2,000 empty forms: 9 s of CPU and a 4.5 MB page."""
    client = _bureau(world)
    response = client.post(
        reverse("reviews:template_new"),
        {
            "name": "x",
            "purpose": "establishment",
            "criteria-TOTAL_FORMS": "99999",
            "criteria-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert len(response.content) < 500_000
    # the work is bounded by the forms built, not by a stopwatch: at most absolute_max (100) rows
    assert response.content.decode().count('name="criteria-') <= 100 * 10
    assert not ScoringTemplate.objects.filter(name="x").exists()
