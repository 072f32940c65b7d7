"""Art. 8-2 conflict avoidance as a person would recognise it.

An expert is kept off a panel when their organisation is, contains or belongs to the host, a
co-builder, a technical backing unit or the supervising unit of a base under review: units compared by
normalised USCC (upper case, no spaces — stored so on every input path), by the organisation tree
(Organisation.parent) and, for units known only by their name, by the rule that a sub-unit's name
begins with its parent's full name (山西大学化学化工学院 ⊂ 山西大学). A conflict the draw cannot see is
declared by the expert, recorded, and honoured by the substitute draw and every later draw.
"""

import io
from datetime import date

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import Workbook

from bases.forms import row_formset_class
from bases.imports import COLUMNS, legacy_import
from bases.models import CoBuilder, PilotBase
from bases.policy import normalise_uscc
from portal.accounts.models import Organisation, OrganisationKind
from reviews import draw as drawing
from reviews.draw import BaseFacts, ExpertFacts, Unit
from reviews.models import DeclaredConflict, PanelMember, ScoringTemplate, Specialty
from reviews.services import members as member_services
from reviews.services import panels as services
from tests.factories import PilotBaseFactory, make_expert, make_uscc

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


def spaced(code: str) -> str:
    """A USCC as people type it: lower case, in groups, with a trailing space."""
    code = code.lower()
    return f" {code[:4]} {code[4:8]} {code[8:]} "


# --- normalised USCC on every input path -----------------------------------------------------------
def test_art8_2_normalise_uscc_removes_every_space_and_upper_cases():
    assert normalise_uscc(" 9114 0902ma0x\u3000y1a25x\n") == "91140902MA0XY1A25X"
    assert normalise_uscc(None) == "" and normalise_uscc("   ") == ""


def test_art8_2_uscc_is_stored_normalised_from_model_clean_admin_form_and_direct_writes(people):
    code = make_uscc()
    org = Organisation(name="某某大学", kind=OrganisationKind.OTHER, uscc=spaced(code))
    org.full_clean()  # a typed code in groups and lower case is valid once normalised
    org.save()
    assert Organisation.objects.get(pk=org.pk).uscc == code
    # The admin's form normalises before validating, so the same input is accepted there too.
    request = RequestFactory().get("/")
    request.user = people.admin
    model_admin = admin.site._registry[Organisation]
    form_class = model_admin.get_form(request, obj=None)
    other = make_uscc()
    form = form_class(data={"name": "某某研究院", "kind": "other", "region": "city", "uscc": spaced(other)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == other
    # A write that skips the forms is normalised when it is saved, and a lookup finds it typed either way.
    direct = Organisation.objects.create(
        name="某某集团", kind=OrganisationKind.OTHER, uscc=spaced(make_uscc())
    )
    direct.refresh_from_db()
    assert " " not in direct.uscc and direct.uscc == direct.uscc.upper()
    assert Organisation.objects.get(uscc=spaced(direct.uscc)) == direct
    # Blank stays blank (NULL), so two units without a code do not collide on the unique index.
    Organisation.objects.create(name="无代码单位甲", kind=OrganisationKind.OTHER, uscc="  ")
    Organisation.objects.create(name="无代码单位乙", kind=OrganisationKind.OTHER, uscc="")
    assert Organisation.objects.filter(name__startswith="无代码单位", uscc__isnull=True).count() == 2


def test_art8_2_co_builder_uscc_from_the_application_form_is_stored_normalised(people):
    base = PilotBaseFactory(host=people.host_a)
    code = make_uscc()
    formset = row_formset_class("mode")(
        data={
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "共建材料有限公司",
            "form-0-uscc": spaced(code),
            "form-0-role": "中试线建设",
        },
        queryset=CoBuilder.objects.none(),
    )
    assert formset.is_valid(), formset.errors
    row = formset.save(commit=False)[0]
    row.base = base
    row.save()
    assert CoBuilder.objects.get(pk=row.pk).uscc == code
    bad = row_formset_class("mode")(
        data={
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "共建材料有限公司",
            "form-0-uscc": "9114 0902",
            "form-0-role": "中试线建设",
        },
        queryset=CoBuilder.objects.none(),
    )
    assert not bad.is_valid()
    assert "应为18位（当前8位）" in str(bad.errors)  # counted after the spaces are removed


def test_art8_2_import_of_a_typed_uscc_finds_the_host_it_names(people):
    code = make_uscc()
    header = [str(c.header) for _n, c in COLUMNS]
    book = Workbook()
    book.active.append(header)
    book.active.append(
        [
            "忻州市旧办法9号中试基地",
            "旧办法9号",
            "忻州旧办法9号有限公司",
            spaced(code),
            "忻府区工信和科技局",
            date(2021, 6, 30),
            "",
        ]
    )
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    result = legacy_import(actor=people.bureau, file=handle, apply=True)
    assert result.applied, result.problems
    assert PilotBase.objects.get(name="忻州市旧办法9号中试基地").host.uscc == code


# --- the rule, as pure functions ---------------------------------------------------------------------
def facts(**parties) -> BaseFacts:
    return BaseFacts(
        name="忻州市测试中试基地",
        host=parties.get("host", Unit("忻州某某科技有限公司", id=900)),
        supervisor=parties.get("supervisor", Unit("忻府区工信和科技局", id=901)),
        co_builders=parties.get("co_builders", ()),
        backings=parties.get("backings", ()),
    )


def test_art8_2_a_university_expert_is_conflicted_with_its_school_named_as_free_text():
    base = facts(backings=(Unit("山西大学化学化工学院"),))
    expert = ExpertFacts(id=1, affiliation=Unit("山西大学", id=5))
    assert drawing.conflict_reasons(expert, [base]) == [("backing_contains", "山西大学化学化工学院")]
    # and the other way round: an expert of the school, the university as host
    school_expert = ExpertFacts(id=2, affiliation=Unit("山西大学 化学化工学院"))
    assert drawing.conflict_reasons(school_expert, [facts(host=Unit("山西大学", id=5))]) == [
        ("host_within", "山西大学")
    ]


def test_art8_2_names_that_merely_share_a_beginning_are_not_a_conflict():
    base = facts(backings=(Unit("山西农业大学"), Unit("山西大学城建设管理中心")), co_builders=(Unit("忻州"),))
    # 山西农业大学 does not begin with 山西大学; 山西 alone is not an institution's name.
    assert (
        drawing.conflict_reasons(
            ExpertFacts(id=1, affiliation=Unit("山西大学")), [facts(backings=(Unit("山西农业大学"),))]
        )
        == []
    )
    assert drawing.conflict_reasons(ExpertFacts(id=2, affiliation=Unit("忻州师范学院")), [base]) == []
    assert (
        drawing.conflict_reasons(
            ExpertFacts(id=3, affiliation=Unit("测试研究院1")), [facts(host=Unit("测试研究院10"))]
        )
        == []
    )


def test_art8_2_a_group_and_its_subsidiary_by_the_tree_or_by_the_group_name():
    group = Unit("晋能控股集团有限公司", id=10, uscc="911400007011001234")
    subsidiary = Unit("山西华晟装备制造有限公司", id=11, parents=(group,))
    expert = ExpertFacts(id=1, affiliation=Unit("晋能控股集团有限公司", id=10))
    assert drawing.conflict_reasons(expert, [facts(co_builders=(subsidiary,))]) == [
        ("co_builder_contains", "山西华晟装备制造有限公司")
    ]
    # A subsidiary named after its group, known by name only: the group's name without its legal form.
    named = facts(co_builders=(Unit("晋能控股集团装备制造有限公司"),))
    assert drawing.conflict_reasons(expert, [named]) == [
        ("co_builder_contains", "晋能控股集团装备制造有限公司")
    ]
    # The tree several levels up, and a USCC typed with spaces on one side.
    workshop = Unit("一号车间", parents=(subsidiary, group))
    assert drawing.conflict_reasons(
        ExpertFacts(id=2, affiliation=workshop), [facts(host=Unit("别名", uscc="911400007011001234"))]
    ) == [("host_within", "别名")]


# --- the service: the organisation tree from the database ----------------------------------------------
@pytest.fixture
def university(people):
    univ = Organisation.objects.create(name="山西大学", kind=OrganisationKind.OTHER, uscc=make_uscc())
    school = Organisation.objects.create(name="分子科学研究所", kind=OrganisationKind.OTHER, parent=univ)
    return univ, school


def panel_for(people, base, count=3, seed=7, purpose="establishment"):
    return services.panel_form(
        actor=people.bureau,
        title="建设评审",
        purpose=purpose,
        template=ScoringTemplate.objects.get(purpose=purpose),
        bases=[base],
        due_on=date(2026, 11, 20),
        specialties=[Specialty.objects.get(name="新材料")],
        count=count,
        seed=seed,
        today=TODAY,
    )


def test_art8_2_the_draw_follows_the_organisation_tree_and_typed_names(people, university):
    univ, school = university
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    base.technical_backings.create(name="山西大学化学化工学院", kind="university", cooperation="联合研发")
    base.technical_backings.create(name="分子科学研究所", kind="research_institute", cooperation="检测")
    of_university = make_expert(affiliation=univ, full_name="大学专家")
    of_school = make_expert(affiliation=school, full_name="研究所专家")
    typed = make_expert(full_name="自填单位专家")
    typed.affiliation, typed.affiliation_text = None, "山西大学"
    typed.save()
    free = [make_expert(full_name=f"无关专家{i}") for i in range(3)]
    panel = panel_for(people, base)
    draw = panel.draws.get()
    excluded = {item["expert"]: item["reasons"] for item in draw.excluded}
    assert ["backing_contains", "山西大学化学化工学院"] in excluded[of_university.pk]
    assert ["backing_contains", "分子科学研究所"] in excluded[of_university.pk]  # its institute, by the tree
    assert excluded[of_school.pk] == [["backing", "分子科学研究所"]]
    assert ["backing_contains", "山西大学化学化工学院"] in excluded[typed.pk]  # no USCC, no link: the name
    assert set(draw.picked) == {e.pk for e in free}
    assert drawing.verify(draw.eligible, draw.requested, draw.seed, draw.picked)


def test_art8_2_the_declaration_names_every_unit_of_the_base(people):
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    base.co_builders.create(name="共建材料有限公司", role="中试线建设")
    base.technical_backings.create(name="山西大学化学化工学院", kind="university", cooperation="联合研发")
    for i in range(3):
        make_expert(full_name=f"专家{i}")
    panel = panel_for(people, base)
    text = member_services.declaration_text(panel)
    for name in (
        base.name,
        people.host_a.name,
        "共建材料有限公司",
        "山西大学化学化工学院",
        people.supervisor_a_org.name,
    ):
        assert name in text
    member = panel.members.first()
    member_services.member_accept(actor=member.expert.user, member=member, declared=True)
    member.refresh_from_db()
    assert "山西大学化学化工学院" in member.declaration and "共建材料有限公司" in member.declaration


# --- what the draw cannot see: the expert declares it -----------------------------------------------------
@pytest.fixture
def invited(people):
    base = PilotBaseFactory(host=people.host_a, preliminary_passed=True)
    base.technical_backings.create(
        name="山大化学院", kind="university", cooperation="联合研发"
    )  # a short name
    experts = [make_expert(full_name=f"专家{i}") for i in range(5)]
    panel = panel_for(people, base, count=3)
    member = panel.members.select_related("expert__user").first()
    return base, panel, member, experts


def test_art8_2_a_declared_conflict_is_recorded_and_the_substitute_draw_honours_it(people, invited):
    base, panel, member, _experts = invited
    units = member_services.panel_units(panel)
    backing = next(u for u in units if u.name == "山大化学院")
    member_services.member_declare_conflict(
        actor=member.expert.user, member=member, units=[backing.key], other="", reason="本人在该学院兼职。"
    )
    member.refresh_from_db()
    assert member.state == PanelMember.State.DECLINED and "山大化学院" in member.decline_reason
    conflict = DeclaredConflict.objects.get(expert=member.expert)
    assert conflict.name == "山大化学院" and conflict.base == base and conflict.member == member
    draw = services.panel_draw_substitutes(
        actor=people.bureau, panel=panel, specialties=[Specialty.objects.get(name="新材料")], seed=11
    )
    excluded = {item["expert"]: item["reasons"] for item in draw.excluded}
    assert ["declared", "山大化学院"] in excluded[member.expert_id]
    assert drawing.verify(draw.eligible, draw.requested, draw.seed, draw.picked)
    assert member.expert_id not in draw.picked
    # Recorded for good: a later panel on a base with that unit leaves the expert out for that reason.
    other = PilotBaseFactory(host=people.host_b, preliminary_passed=True)
    other.technical_backings.create(name="山大化学院", kind="university", cooperation="检测")
    later = services.panel_form(
        actor=people.bureau,
        title="第二批建设评审",
        purpose="establishment",
        template=ScoringTemplate.objects.get(purpose="establishment"),
        bases=[other],
        due_on=date(2026, 11, 20),
        specialties=[Specialty.objects.get(name="新材料")],
        count=1,
        seed=2,
        today=TODAY,
    )
    excluded = {item["expert"]: item["reasons"] for item in later.draws.get().excluded}
    assert excluded[member.expert_id] == [["declared", "山大化学院"]]


def test_art8_2_a_declaration_of_another_unit_by_name_is_recorded(people, invited):
    _base, _panel, member, _experts = invited
    member_services.member_declare_conflict(
        actor=member.expert.user,
        member=member,
        units=[],
        other=" 山西大学 化学化工学院 ",
        reason="亲属任职。",
    )
    conflict = DeclaredConflict.objects.get(expert=member.expert)
    assert conflict.name == "山西大学化学化工学院" and conflict.base is None


def test_art8_2_a_bad_conflict_declaration_is_refused_in_chinese_and_keeps_what_was_typed(
    client, people, invited
):
    _base, panel, member, _experts = invited
    client.force_login(member.expert.user)
    url = reverse("reviews:my_panel_conflict", args=[panel.pk])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"reason": "与该单位有合作项目，正在进行中。", "units": []})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "请选择存在利益冲突的单位，或填写其他单位的名称" in page
    assert "与该单位有合作项目，正在进行中。" in page  # kept
    answer = client.post(url, {"reason": "", "other": "某某公司"})
    page = answer.content.decode()
    assert "请说明利益冲突的情形" in page and "某某公司" in page
    answer = client.post(url, {"reason": "冲突", "units": ["nonsense"]})
    assert answer.status_code == 200 and "有效" in answer.content.decode()  # not a unit of these bases
    member.refresh_from_db()
    assert member.state == PanelMember.State.INVITED and not DeclaredConflict.objects.exists()


@pytest.mark.parametrize("who", ["bureau", "staff_a", "supervisor_a", "expert", "admin"])
def test_art8_2_only_the_invited_expert_may_declare_and_nothing_changes_otherwise(
    client, people, invited, who
):
    _base, panel, member, _experts = invited
    backing = next(u for u in member_services.panel_units(panel) if u.name == "山大化学院")
    client.force_login(getattr(people, who))
    answer = client.post(
        reverse("reviews:my_panel_conflict", args=[panel.pk]), {"units": [backing.key], "reason": "冲突"}
    )
    assert answer.status_code in (403, 404)
    member.refresh_from_db()
    assert member.state == PanelMember.State.INVITED and not DeclaredConflict.objects.exists()


def test_art8_2_a_member_who_already_answered_cannot_declare_afterwards(client, people, invited):
    _base, panel, member, _experts = invited
    member_services.member_accept(actor=member.expert.user, member=member, declared=True)
    backing = next(u for u in member_services.panel_units(panel) if u.name == "山大化学院")
    client.force_login(member.expert.user)
    answer = client.post(
        reverse("reviews:my_panel_conflict", args=[panel.pk]), {"units": [backing.key], "reason": "冲突"}
    )
    assert answer.status_code == 200 and "您已答复过该邀请" in answer.content.decode()
    member.refresh_from_db()
    assert member.state == PanelMember.State.ACCEPTED and not DeclaredConflict.objects.exists()
