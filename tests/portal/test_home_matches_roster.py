"""The public home page counts the bases the public roster lists (bases.selectors.public_roster): a base
that must be re-recognised after a change (Art. 14) is still on the roster, and counted on both."""

import re
from datetime import date

import pytest

from bases.models import Status
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def test_home_counts_what_the_roster_lists(client, people):
    for status in (
        Status.RECOGNIZED,
        Status.RE_RECOGNITION_REQUIRED,
        Status.REVOKED,
        Status.UNDER_CONSTRUCTION,
    ):
        PilotBaseFactory(host=people.host_a, status=status, recognized_on=date(2025, 1, 1))
    home = client.get("/").content.decode()
    roster = client.get("/roster/")
    listed = len(roster.context["page_obj"].object_list)
    assert listed == 2
    assert re.search(r"目前已认定的市中试基地：(\d+) 个", home).group(1) == str(listed)
