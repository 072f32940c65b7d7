"""Irreversible steps (Art. 16, 17: 撤销资格; Art. 8-1: 不予推荐) are visually secondary and need the
reason typed: an empty reason is refused on the form, server-side, with the choices kept."""

from datetime import date

import pytest
from django.urls import reverse

from bases.models import PilotBase, Status
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_revoking_without_a_typed_reason_is_refused_with_the_choice_kept(people, client):
    base = PilotBaseFactory(host=people.host_a, status=Status.RECOGNIZED, recognized_on=date(2025, 1, 1))
    client.force_login(people.bureau)
    url = reverse("bases:step", args=[base.pk, "revoke"])
    page = client.get(url).content.decode()
    assert "btn btn-outline-danger" in page and "btn btn-danger" not in page
    response = client.post(
        url, {"expected_status": "recognized", "reason_code": "bureau_decision", "comment": " "}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写撤销说明" in page
    assert 'value="bureau_decision" selected' in page
    assert PilotBase.objects.get(pk=base.pk).status == Status.RECOGNIZED
    response = client.post(
        url,
        {
            "expected_status": "recognized",
            "reason_code": "bureau_decision",
            "comment": "弄虚作假，骗取认定。",
        },
    )
    assert response.status_code == 302
    assert PilotBase.objects.get(pk=base.pk).status == Status.REVOKED
