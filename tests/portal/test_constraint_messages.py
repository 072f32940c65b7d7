"""A database constraint never reaches the screen as its raw name: every constraint of the portal's
models carries a Chinese message saying what to change, and a form whose model has one checks it
before the database does."""

import re
from datetime import date

import pytest
from django.apps import apps
from django.db.models import BaseConstraint
from django.urls import reverse

from bases.models import ExtensionRequest
from tests.bases.test_construction import build

PORTAL_APPS = {"bases", "reviews", "assessments", "accounts", "documents", "notifications", "portal"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def constraints():
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS:
            for constraint in model._meta.constraints:
                yield pytest.param(constraint, id=f"{model._meta.label}.{constraint.name}")


@pytest.mark.parametrize("constraint", list(constraints()))
def test_every_constraint_says_in_chinese_what_to_change(constraint):
    message = str(constraint.violation_error_message)
    assert message != str(BaseConstraint.default_violation_error_message)
    assert CJK.search(message), message


@pytest.mark.django_db
def test_an_18_month_extension_is_refused_next_to_the_field_with_the_values_kept(people, client):
    """Art. 8-4: an extension is at most one year. The form says so; the raw constraint name never shows."""
    base = build(people, approved_on=date(2026, 3, 1), today=date(2026, 4, 1))
    client.force_login(people.staff_a)
    reasons = "关键设备进口延误，预计到货推迟一年半。"
    response = client.post(
        reverse("bases:filing_new", args=[base.pk, "extension"]),
        {"reasons": reasons, "months_requested": "18"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "extension_months_requested_1_to_12" not in page
    error = re.search(r'id="id_months_requested_error"[^>]*>(.*?)</div></div>', page, re.S)
    assert error and "小于或等于12" in error.group(1), error
    assert reasons in page and 'value="18"' in page
    assert not ExtensionRequest.objects.filter(base=base).exists()
