"""Art. 19: "本办法自2024年8月4日起施行，有效期五年，《忻州市中试基地认定管理办法》（忻科规〔2020〕1号）
同时废止".

Bases recognised under the earlier measures enter the portal by import only if they were recognised
before those measures ceased on 2024-08-04; the Measures are valid five years (to 2029-08-03), a
parameter the bureau is warned ahead of, and the portal keeps working after it.
"""

from datetime import date

import pytest

from bases.imports import legacy_import
from bases.jobs import remind_measures_expiry
from bases.models import PilotBase
from bases.policy import EARLIER_MEASURES_CEASED_ON, measures_expire_on
from portal.notifications.models import Notification
from portal.parameters import get_parameter, set_parameter
from tests.bases.test_legacy_import import good, xlsx

pytestmark = pytest.mark.django_db


def row(i, recognized_on):
    values = good(i)
    values[5] = recognized_on
    return values


def test_art19_a_recognition_on_the_day_the_earlier_measures_ceased_is_refused_per_row(people):
    rows = [row(1, date(2024, 8, 3)), row(2, date(2024, 8, 4)), row(3, date(2025, 3, 1))]
    result = legacy_import(actor=people.bureau, file=xlsx(rows), apply=False, today=date(2026, 12, 3))
    refused = {(r, column) for r, column, message in result.problems if "2024年8月4日" in message}
    assert refused == {(3, "认定日期"), (4, "认定日期")}  # rows 3 and 4 of the sheet; row 2 is fine
    assert not any(r == 2 for r, _c, _m in result.problems)
    assert not PilotBase.objects.filter(name__startswith="忻州市旧办法").exists()


def test_art19_the_last_day_of_the_earlier_measures_is_accepted(people):
    result = legacy_import(
        actor=people.bureau, file=xlsx([row(1, EARLIER_MEASURES_CEASED_ON.replace(day=3))]), apply=True
    )
    assert result.applied and PilotBase.objects.get(name="忻州市旧办法1号中试基地").recognized_on == date(
        2024, 8, 3
    )


def test_art19_the_measures_are_valid_five_years_from_2024_08_04():
    assert measures_expire_on(date(2024, 8, 4)) == date(2029, 8, 3)
    assert get_parameter("measures_valid_until") == date(2029, 8, 3)


def test_art19_the_bureau_is_warned_ahead_of_the_expiry_once_per_milestone(people):
    assert remind_measures_expiry(as_of=date(2029, 2, 3)) == []  # 181 days before: nothing yet
    lines = remind_measures_expiry(as_of=date(2029, 2, 4))  # 180 days before
    assert (
        lines and Notification.objects.filter(recipient=people.bureau, title__contains="有效期").count() == 1
    )
    remind_measures_expiry(as_of=date(2029, 2, 5))
    assert Notification.objects.filter(recipient=people.bureau, title__contains="有效期").count() == 1
    assert not Notification.objects.filter(recipient=people.staff_a, title__contains="有效期").exists()


def test_art19_after_the_expiry_the_portal_keeps_working_and_says_so(client, people):
    set_parameter("measures_valid_until", "2026-08-03")  # as if the bureau's measures had run out
    remind_measures_expiry(as_of=date(2026, 8, 4))
    assert Notification.objects.filter(recipient=people.bureau, title__contains="已届满").exists()
    client.force_login(people.bureau)
    response = client.get("/dashboard/")
    assert response.status_code == 200 and "有效期已于 2026-08-03 届满" in response.content.decode()
    assert client.get("/bases/").status_code == 200


def test_art19_a_malformed_validity_date_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        set_parameter("measures_valid_until", "2029-02-30")
