"""The expert pool: experts linked to user accounts, with
title, affiliation, specialties from a vocabulary the bureau keeps, contact details, an active flag
and declared standing conflicts. Only the bureau manages it; for everyone else it does not exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.exceptions import ApplicationInvalid, PermissionRefused
from portal.accounts.models import Organisation, OrganisationKind, Role, User
from reviews.models import Expert, Specialty
from reviews.services import experts as services
from tests.factories import PEOPLE

pytestmark = pytest.mark.django_db

SEEDED = [
    "新材料",
    "高端装备制造",
    "节能环保",
    "新能源",
    "生物医药",
    "现代农业与食品加工",
    "电子信息",
    "化工",
    "冶金",
    "煤炭清洁利用",
    "中医药",
    "其他",
]
NOT_BUREAU = [role for role in PEOPLE if role != "bureau"]


def specialty(name="新材料"):
    return Specialty.objects.get(name=name)


def details(**overrides):
    values = {
        "username": "zhang_san",
        "full_name": "张三",
        "email": "zhangsan@example.cn",
        "phone": "13800001234",
        "title": "教授",
        "affiliation_text": "太原理工大学",
        "specialties": [specialty()],
    }
    values.update(overrides)
    return values


def create(actor, **overrides):
    return services.expert_create(actor=actor, **details(**overrides))


def refusal(actor, call=create, **overrides) -> dict[str, str]:
    with pytest.raises(ApplicationInvalid) as exc:
        call(actor, **overrides)
    return exc.value.field_errors


# --- the vocabulary -------------------------------------------------------------------------------
def test_the_initial_vocabulary_of_specialties_is_seeded():
    assert set(SEEDED) <= set(Specialty.objects.values_list("name", flat=True))
    assert Specialty.objects.filter(name__in=SEEDED, is_active=True).count() == len(SEEDED)


def test_bureau_adds_and_renames_a_specialty(people):
    added = services.specialty_create(actor=people.bureau, name=" 储能 ", description="电化学储能")
    assert (added.name, added.description, added.is_active) == ("储能", "电化学储能", True)
    changed = services.specialty_update(
        actor=people.bureau, specialty=added, name="新型储能", is_active=False
    )
    assert (changed.name, changed.is_active) == ("新型储能", False)


def test_a_specialty_name_is_unique(people):
    with pytest.raises(ApplicationInvalid) as exc:
        services.specialty_create(actor=people.bureau, name="新材料")
    assert exc.value.field_errors == {"name": "已有名为“新材料”的专业领域。"}
    other = services.specialty_create(actor=people.bureau, name="储能")
    with pytest.raises(ApplicationInvalid):
        services.specialty_update(actor=people.bureau, specialty=other, name="化工")
    # keeping its own name is no duplicate
    assert services.specialty_update(actor=people.bureau, specialty=other, name="储能").name == "储能"


def test_a_specialty_needs_a_name(people):
    with pytest.raises(ApplicationInvalid) as exc:
        services.specialty_create(actor=people.bureau, name="  ")
    assert "name" in exc.value.field_errors


@pytest.mark.parametrize("role", NOT_BUREAU)
def test_only_the_bureau_edits_the_vocabulary(people, role):
    actor = getattr(people, role)
    with pytest.raises(PermissionRefused):
        services.specialty_create(actor=actor, name="储能")
    with pytest.raises(PermissionRefused):
        services.specialty_update(actor=actor, specialty=specialty(), name="改名")
    assert not Specialty.objects.filter(name__in=["储能", "改名"]).exists()


# --- experts: the services ------------------------------------------------------------------------
def test_bureau_adds_an_expert_with_an_account_of_role_expert(people):
    conflict = people.host_a
    expert = create(people.bureau, conflicts=[conflict], password="Str0ng-pass-2026", note="退休返聘")
    user = expert.user
    assert user.role == Role.EXPERT
    assert (user.username, user.full_name, user.email, user.phone) == (
        "zhang_san",
        "张三",
        "zhangsan@example.cn",
        "13800001234",
    )
    assert user.check_password("Str0ng-pass-2026")
    assert user.expert_profile == expert
    assert user.organisation.name == "太原理工大学"
    assert user.organisation.kind == OrganisationKind.OTHER
    assert (expert.affiliation, expert.affiliation_name) == (None, "太原理工大学")
    assert list(expert.specialties.all()) == [specialty()]
    assert list(expert.conflicts.all()) == [conflict]
    assert expert.is_active and expert.note == "退休返聘"


def test_an_expert_of_a_known_unit_belongs_to_it(people):
    university = Organisation.objects.get(name="测试大学")
    expert = create(people.bureau, affiliation=university, affiliation_text="")
    assert expert.affiliation == university
    assert expert.user.organisation == university
    assert expert.affiliation_name == "测试大学"


def test_an_expert_without_a_password_cannot_sign_in_yet(people):
    assert not create(people.bureau).user.has_usable_password()


def test_the_free_text_unit_is_reused_not_duplicated(people):
    first = create(people.bureau)
    second = create(people.bureau, username="li_si", email="lisi@example.cn")
    assert first.user.organisation == second.user.organisation
    assert Organisation.objects.filter(name="太原理工大学").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"specialties": []}, "specialties", "请至少选择一个专业领域。"),
        ({"affiliation_text": "  "}, "affiliation", "请选择工作单位，或在“其他工作单位”中填写单位全称。"),
        (
            {"affiliation": "host_a", "affiliation_text": "别的单位"},
            "affiliation_text",
            "已选择工作单位，请勿再填写其他工作单位。",
        ),
        ({"email": "not-an-address"}, "email", "电子邮箱格式不正确。"),
        ({"email": ""}, "email", "请填写电子邮箱。"),
        ({"phone": "abc"}, "phone", "手机号码格式不正确。"),
        ({"phone": ""}, "phone", "请填写手机号码。"),
        ({"full_name": ""}, "full_name", "请填写专家姓名。"),
        ({"title": " "}, "title", "请填写专家职称。"),
        ({"username": ""}, "username", "请填写登录用户名。"),
        ({"username": "bad name!"}, "username", None),
    ],
)
def test_expert_create_refuses_bad_details(people, overrides, field, message):
    if overrides.get("affiliation"):
        overrides = {**overrides, "affiliation": getattr(people, overrides["affiliation"])}
    errors = refusal(people.bureau, **overrides)
    assert field in errors
    if message:
        assert errors[field] == message
    assert not Expert.objects.exists()
    assert not User.objects.filter(role=Role.EXPERT, username__in=["zhang_san", "bad name!"]).exists()


def test_a_username_already_taken_is_refused(people):
    errors = refusal(people.bureau, username="STAFF_A")
    assert errors == {"username": "用户名“STAFF_A”已被使用。"}


def test_an_email_already_in_the_pool_is_refused(people):
    create(people.bureau)
    errors = refusal(people.bureau, username="li_si", email="ZhangSan@example.cn")
    assert errors == {"email": "专家库中已有使用该电子邮箱的专家。"}
    assert Expert.objects.count() == 1


@pytest.mark.parametrize("role", NOT_BUREAU)
def test_only_the_bureau_adds_experts(people, role):
    with pytest.raises(PermissionRefused):
        create(getattr(people, role))
    assert not User.objects.filter(username="zhang_san").exists()


def test_bureau_updates_an_expert_and_the_account_follows(people):
    expert = create(people.bureau)
    university = Organisation.objects.get(name="测试大学")
    updated = services.expert_update(
        actor=people.bureau,
        expert=expert,
        full_name="张三丰",
        email="zsf@example.cn",
        phone="13900001111",
        title="研究员",
        affiliation=university,
        specialties=[specialty("化工"), specialty("冶金")],
        conflicts=[people.host_b],
        note="新备注",
    )
    updated.refresh_from_db()
    user = updated.user
    assert (user.full_name, user.email, user.phone, user.organisation) == (
        "张三丰",
        "zsf@example.cn",
        "13900001111",
        university,
    )
    assert (updated.title, updated.affiliation, updated.affiliation_text) == ("研究员", university, "")
    assert {s.name for s in updated.specialties.all()} == {"化工", "冶金"}
    assert list(updated.conflicts.all()) == [people.host_b]


def test_expert_update_refuses_an_expert_without_specialty(people):
    expert = create(people.bureau)

    def update(actor, **overrides):
        values = details(**overrides)
        del values["username"]
        return services.expert_update(actor=actor, expert=expert, **values)

    assert refusal(people.bureau, call=update, specialties=[]) == {"specialties": "请至少选择一个专业领域。"}
    assert list(expert.specialties.all()) == [specialty()]


@pytest.mark.parametrize("role", NOT_BUREAU)
def test_only_the_bureau_updates_or_switches_off_experts(people, role):
    expert = create(people.bureau)
    actor = getattr(people, role)
    values = details(title="院士")
    del values["username"]
    with pytest.raises(PermissionRefused):
        services.expert_update(actor=actor, expert=expert, **values)
    with pytest.raises(PermissionRefused):
        services.expert_set_active(actor=actor, expert=expert, is_active=False)
    expert.refresh_from_db()
    assert expert.title == "教授" and expert.is_active


def test_bureau_takes_an_expert_out_of_the_pool_and_back(people):
    expert = create(people.bureau)
    assert not services.expert_set_active(actor=people.bureau, expert=expert, is_active=False).is_active
    assert services.expert_set_active(actor=people.bureau, expert=expert, is_active=True).is_active
    expert.user.refresh_from_db()
    assert expert.user.is_active  # the account is untouched: assigned scoring can be finished


# --- the screens ----------------------------------------------------------------------------------
def pool_urls(expert, item):
    return [
        reverse("reviews:expert_list"),
        reverse("reviews:expert_create"),
        reverse("reviews:expert_edit", args=[expert.pk]),
        reverse("reviews:specialty_list"),
        reverse("reviews:specialty_edit", args=[item.pk]),
    ]


def test_bureau_opens_every_pool_screen(client, people):
    expert = create(people.bureau)
    client.force_login(people.bureau)
    for url in pool_urls(expert, specialty()):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "13800001234" in client.get(reverse("reviews:expert_list")).content.decode()


@pytest.mark.parametrize("role", NOT_BUREAU)
def test_the_pool_does_not_exist_for_anyone_else(client, people, role):
    expert = create(people.bureau)
    client.force_login(getattr(people, role))
    for url in pool_urls(expert, specialty()):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "13800001234" not in response.content.decode()
    response = client.post(reverse("reviews:expert_toggle", args=[expert.pk]))
    assert response.status_code == 404
    expert.refresh_from_db()
    assert expert.is_active


def test_anonymous_is_sent_to_sign_in(client, people):
    expert = create(people.bureau)
    for url in [*pool_urls(expert, specialty()), reverse("reviews:expert_toggle", args=[expert.pk])]:
        response = client.post(url) if url.endswith("/toggle/") else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url", ["/reviews/experts/", "/reviews/experts/?active=yes&q=专家&specialty="])
def test_the_list_runs_the_same_queries_for_3_and_30_experts(client, people, url):
    client.force_login(people.bureau)
    two = [specialty("新材料"), specialty("化工")]

    def add(n):
        services.expert_create(
            actor=people.bureau,
            username=f"expert_{n}",
            full_name=f"专家{n}",
            email=f"expert{n}@example.cn",
            phone=f"1380000{n:04d}",
            title="教授",
            affiliation=people.host_a if n % 2 else None,
            affiliation_text="" if n % 2 else f"研究院{n % 3}",
            specialties=two,
            conflicts=[people.host_b],
        )

    for n in range(3):
        add(n)
    few, response = _list_queries(client, url)
    assert response.content.decode().count("/toggle/") == 3
    for n in range(3, 30):
        add(n)
    many, response = _list_queries(client, url)
    assert response.content.decode().count("/toggle/") == 20  # one page
    assert many == few, f"{few} queries with 3 experts, {many} with 30"


def test_the_list_filters_by_specialty_status_and_text(client, people):
    chem = create(people.bureau, username="chem", email="chem@example.cn", specialties=[specialty("化工")])
    metal = create(people.bureau, username="metal", email="metal@example.cn", full_name="李冶金")
    metal.specialties.set([specialty("冶金")])
    services.expert_set_active(actor=people.bureau, expert=metal, is_active=False)
    client.force_login(people.bureau)

    def shown(query):
        response = client.get(reverse("reviews:expert_list") + query)
        return {e.pk for e in response.context["experts"]}

    assert shown("") == {chem.pk, metal.pk}
    assert shown(f"?specialty={specialty('化工').pk}") == {chem.pk}
    assert shown("?active=no") == {metal.pk}
    assert shown("?active=yes") == {chem.pk}
    assert shown("?q=冶金") == {metal.pk}
    assert shown("?q=chem@") == {chem.pk}


def test_an_empty_pool_says_so(client, people):
    client.force_login(people.bureau)
    response = client.get(reverse("reviews:expert_list") + "?q=无此人")
    assert "没有符合条件的专家。" in response.content.decode()


def test_bureau_adds_an_expert_through_the_form(client, people):
    client.force_login(people.bureau)
    data = {
        "username": "wang_wu",
        "full_name": "王五",
        "title": "正高级工程师",
        "affiliation": people.host_a.pk,
        "affiliation_text": "",
        "specialties": [specialty("新能源").pk],
        "phone": "13700001111",
        "email": "wangwu@example.cn",
        "conflicts": [people.host_b.pk],
        "note": "",
    }
    response = client.post(reverse("reviews:expert_create"), data)
    assert response.status_code == 302
    expert = Expert.objects.get(user__username="wang_wu")
    assert expert.affiliation == people.host_a
    assert list(expert.conflicts.all()) == [people.host_b]


def test_a_refused_create_keeps_what_was_typed(client, people):
    client.force_login(people.bureau)
    data = {
        "username": "zhao_liu",
        "full_name": "赵六",
        "title": "高级工程师",
        "affiliation": "",
        "affiliation_text": "忻州市农业科学研究院",
        "specialties": [],
        "phone": "13600001111",
        "email": "zhaoliu@example",
        "note": "擅长杂粮加工",
    }
    response = client.post(reverse("reviews:expert_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    for typed in ("zhao_liu", "赵六", "高级工程师", "忻州市农业科学研究院", "13600001111", "zhaoliu@example"):
        assert typed in html
    assert "擅长杂粮加工" in html
    assert "请至少选择一个专业领域。" in html
    assert "电子邮箱格式不正确。" in html
    assert not User.objects.filter(username="zhao_liu").exists()
    assert not Organisation.objects.filter(name="忻州市农业科学研究院").exists()


def test_bureau_edits_an_expert_through_the_form(client, people):
    expert = create(people.bureau)
    client.force_login(people.bureau)
    response = client.get(reverse("reviews:expert_edit", args=[expert.pk]))
    assert 'name="username"' not in response.content.decode()  # the login name is fixed
    data = {
        "full_name": "张三",
        "title": "研究员",
        "affiliation": "",
        "affiliation_text": "太原理工大学",
        "specialties": [specialty().pk, specialty("冶金").pk],
        "phone": "13800001234",
        "email": "zhangsan@example.cn",
        "note": "",
    }
    assert client.post(reverse("reviews:expert_edit", args=[expert.pk]), data).status_code == 302
    expert.refresh_from_db()
    assert expert.title == "研究员"
    assert expert.specialties.count() == 2


def test_the_toggle_is_post_only_and_asks_for_confirmation(client, people):
    expert = create(people.bureau)
    client.force_login(people.bureau)
    url = reverse("reviews:expert_toggle", args=[expert.pk])
    assert client.get(url).status_code == 405
    page = client.get(reverse("reviews:expert_list")).content.decode()
    assert f'action="{url}" data-confirm=' in page
    response = client.post(url, {"next": "/reviews/experts/?active=yes"})
    assert response.status_code == 302 and response["Location"] == "/reviews/experts/?active=yes"
    expert.refresh_from_db()
    assert not expert.is_active
    response = client.post(url, {"next": "https://evil.example/reviews/experts/"})
    assert response["Location"] == reverse("reviews:expert_list")
    expert.refresh_from_db()
    assert expert.is_active


def test_the_specialty_screens_add_rename_and_refuse_a_duplicate(client, people):
    client.force_login(people.bureau)
    url = reverse("reviews:specialty_list")
    assert client.post(url, {"name": "储能", "description": "", "is_active": "on"}).status_code == 302
    added = Specialty.objects.get(name="储能")
    response = client.post(url, {"name": "新材料", "description": "重复", "is_active": "on"})
    assert response.status_code == 200
    assert "已有名为“新材料”的专业领域。" in response.content.decode()
    edit = reverse("reviews:specialty_edit", args=[added.pk])
    assert client.post(edit, {"name": "新型储能", "description": "说明"}).status_code == 302
    added.refresh_from_db()
    assert (added.name, added.description, added.is_active) == ("新型储能", "说明", False)


def test_a_switched_off_specialty_is_not_offered_to_new_experts(client, people):
    services.specialty_update(actor=people.bureau, specialty=specialty("其他"), name="其他", is_active=False)
    client.force_login(people.bureau)
    form = client.get(reverse("reviews:expert_create")).context["form"]
    assert specialty("其他") not in form.fields["specialties"].queryset
    assert specialty("新材料") in form.fields["specialties"].queryset
