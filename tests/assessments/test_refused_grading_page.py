"""A refused grading keeps what was typed: the bureau's grading forms sit in the rows of a round's
pages, and a refusal answers with the same form on a page of its own (更正后重新提交), the note as it
was typed and why it was refused, with the way back to the round; nothing is recorded."""

import re

import pytest
from django.urls import reverse

from assessments.models import AnnualGrade
from tests.assessments.test_operation import filed_report, recognised

pytestmark = pytest.mark.django_db


def test_a_refused_grade_shows_its_form_again_with_the_note_typed(client, people):
    base = recognised(people)
    report = filed_report(people, base, 2025)
    client.force_login(people.bureau)
    url = reverse("assessments:grade", args=[2025, report.pk])
    data = {"grade": "good", "score": "120", "note": "年度运行良好，待复核", "provincial_candidate": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("<h1") == 1 and "更正后重新提交" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "更正后重新提交" in title and base.name in title
    assert reverse("assessments:round", args=[2025]) in page  # the way back, in the breadcrumb
    assert 'value="年度运行良好，待复核"' in page and 'value="120"' in page
    assert re.search(r'name="provincial_candidate"[^>]*checked', page)
    assert "考核得分须在 0 至 100 之间。" in page  # why it was refused
    assert f'action="{url}"' in page  # the same form, posting where it did
    assert not AnnualGrade.objects.filter(base=base).exists()

    corrected = client.post(url, {**data, "score": "88"})
    assert corrected.status_code == 302 and corrected.url == reverse("assessments:round", args=[2025])
    assert AnnualGrade.objects.get(base=base, year=2025).note == "年度运行良好，待复核"
