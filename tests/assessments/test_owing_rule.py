"""Art. 15: the owing list (assessments.selectors.bases_owing_report, in SQL) applies exactly the rule
of bases.policy.owes_annual_report — one rule, checked case by case around 31 December."""

from datetime import date

import pytest

from assessments.selectors import bases_owing_report
from bases.policy import owes_annual_report
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_art15_the_owing_list_owes_exactly_what_the_policy_rule_owes(people):
    cases = []  # (base, recognized_on, left_roster_on)
    for recognized_on in (date(2025, 12, 31), date(2026, 1, 1), date(2024, 5, 1)):
        base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=recognized_on)
        cases.append((base, recognized_on, None))
    for revoked_on in (date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 1)):
        base = PilotBaseFactory(
            host=people.host_a, revoked=True, recognized_on=date(2024, 3, 1), revoked_on=revoked_on
        )
        cases.append((base, date(2024, 3, 1), revoked_on))
    for successor_on in (date(2025, 6, 1), date(2025, 12, 31), date(2026, 1, 1)):
        predecessor = PilotBaseFactory(host=people.host_b, superseded=True, recognized_on=date(2022, 3, 1))
        successor = PilotBaseFactory(
            host=people.host_b,
            recognized=True,
            kind="re_recognition",
            predecessor=predecessor,
            recognized_on=successor_on,
        )
        cases += [(predecessor, date(2022, 3, 1), successor_on), (successor, successor_on, None)]
    cases.append((PilotBaseFactory(host=people.host_a), None, None))  # never recognised

    owing = set(bases_owing_report(YEAR))
    for base, recognized_on, left_roster_on in cases:
        expected = owes_annual_report(YEAR, recognized_on, left_roster_on)
        assert (base in owing) is expected, (base.status, recognized_on, left_roster_on)
    assert len(owing) == sum(owes_annual_report(YEAR, r, left) for _b, r, left in cases)
