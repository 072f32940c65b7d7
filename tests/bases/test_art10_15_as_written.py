"""Art. 10 and Art. 15 as written.

Art. 10: "主要用于资助中试基地的建设、研发、合作交流等方面" — the list ends in 等: the three named uses
are the default expense categories and the bureau may add its own.
Art. 15: "中试基地实行年度考核制度并作为申报省中试基地的培养对象" — every municipal base is a
cultivation candidate for the provincial list, whatever its grade; any ranking is the bureau's own.
"""

from datetime import date
from decimal import Decimal

import pytest

from assessments.services import grading
from bases.exceptions import ApplicationInvalid
from bases.models import FundCategory, LedgerEntry
from bases.services import funds
from portal.parameters import set_parameter
from tests.assessments.test_operation import filed_report, grade, publish_year
from tests.factories import PilotBaseFactory

pytestmark = pytest.mark.django_db


def funded(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2026, 1, 5))
    award = funds.award_create(base=base, today=date(2026, 1, 5))
    funds.award_disburse(
        actor=people.bureau,
        award=award,
        disbursed_on=date(2026, 2, 1),
        voucher_no="忻财2026-1",
        amount="200000",
    )
    return base


def spend(people, base, category, amount="1000"):
    return funds.ledger_record(
        actor=people.staff_a,
        base=base,
        direction="expenditure",
        entry_on=date(2026, 3, 1),
        amount=amount,
        payee="设备供应商",
        category=category,
        today=date(2026, 3, 2),
    )


def test_art10_the_three_named_uses_are_the_default_categories():
    assert [(c.code, c.name) for c in FundCategory.objects.filter(active=True)] == [
        ("construction", "建设"),
        ("research", "研发"),
        ("cooperation", "合作交流"),
    ]


def test_art10_a_category_the_bureau_adds_can_be_booked_and_is_summed(people):
    FundCategory.objects.create(code="training", name="人才培训", name_en="Training", position=40)
    base = funded(people)
    entry = spend(people, base, "training", "2500.50")
    assert entry.category_name == "人才培训"
    summary = funds.ledger_summary(base)
    assert summary.by_category["training"] == Decimal("2500.50")
    assert list(summary.by_category) == ["construction", "research", "cooperation", "training"]


def test_art10_an_unknown_or_retired_category_is_refused_and_old_entries_keep_theirs(people):
    base = funded(people)
    with pytest.raises(ApplicationInvalid, match="请选择支出类别"):
        spend(people, base, "travel")
    spend(people, base, "cooperation")
    FundCategory.objects.filter(code="cooperation").update(active=False)
    with pytest.raises(ApplicationInvalid, match="请选择支出类别"):
        spend(people, base, "cooperation")
    assert LedgerEntry.objects.get(base=base, direction="expenditure").category_name == "合作交流"
    assert "cooperation" in funds.ledger_summary(base).by_category  # still summed where it was used


def test_art10_the_admin_form_refuses_a_blank_or_duplicate_name_in_chinese_and_keeps_the_input(
    client, people
):
    people.admin.is_staff = True
    people.admin.save()
    client.force_login(people.admin)
    response = client.post(
        "/admin/bases/fundcategory/add/",
        {"name": "  ", "name_en": "Travel", "position": "50", "active": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请填写类别名称" in page and 'value="Travel"' in page
    response = client.post(
        "/admin/bases/fundcategory/add/",
        {"name": "研发", "name_en": "R&D 2", "position": "50", "active": "on"},
    )
    assert response.status_code == 200 and "已有名为“研发”的支出类别" in response.content.decode()
    response = client.post(
        "/admin/bases/fundcategory/add/",
        {"name": "差旅", "name_en": "Travel", "position": "50", "active": "on"},
    )
    assert response.status_code == 302
    added = FundCategory.objects.get(name="差旅")
    assert added.code and added.active
    assert FundCategory.objects.count() == 4


def test_art15_every_base_in_the_roster_is_a_candidate_whatever_its_grade(client, people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2020, 6, 1))
    filed_report(people, base, 2025)
    grade(people, base, 2025, "basic_pass")
    publish_year(people, 2025)
    gone = PilotBaseFactory(host=people.host_a, revoked=True, recognized_on=date(2020, 6, 1))
    client.force_login(people.staff_a)
    assert "省级中试基地培养对象" in client.get(f"/bases/{base.pk}/").content.decode()
    assert "省级中试基地培养对象" not in client.get(f"/bases/{gone.pk}/").content.decode()


def test_art15_the_bureau_may_recommend_a_base_of_any_grade(people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2020, 6, 1))
    filed_report(people, base, 2025)
    row = grade(people, base, 2025, "good", provincial_candidate=True)
    assert row.provincial_candidate and row.grade == "good"


def test_art15_the_ranking_follows_the_bureaus_parameter(client, people):
    base = PilotBaseFactory(host=people.host_a, recognized=True, recognized_on=date(2020, 6, 1))
    filed_report(people, base, 2025)
    grade(people, base, 2025, "good")
    publish_year(people, 2025)
    client.force_login(people.staff_a)
    assert "优先培育" not in client.get(f"/bases/{base.pk}/").content.decode()  # default: 优秀 only
    set_parameter("provincial_priority_grades", "excellent,good")
    assert "优先培育" in client.get(f"/bases/{base.pk}/").content.decode()
    assert grading.provincial_priority(base) is True


def test_art15_a_priority_parameter_naming_no_grade_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="考核档次"):
        set_parameter("provincial_priority_grades", "best")
