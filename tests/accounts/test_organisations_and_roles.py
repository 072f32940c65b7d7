"""Organisations, their jurisdiction, USCC validation and the roles of users."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.accounts.models import Organisation, OrganisationKind, Role, User
from portal.accounts.permissions import org_role_group_name, role_group_name
from portal.accounts.services import organisation_create, user_create, user_set_role
from tests.factories import HostUnitFactory, SupervisorFactory, make_uscc

pytestmark = pytest.mark.django_db

SPEC_SUPERVISORS = [
    *[
        f"{county}工信和科技局"
        for county in [
            "忻府区", "原平市", "定襄县", "五台县", "代县", "繁峙县", "宁武县",
            "静乐县", "神池县", "五寨县", "岢岚县", "保德县", "偏关县",
        ]
    ],
    "河曲县经济发展服务中心",
    "忻州经济开发区创新创业服务中心",
]  # fmt: skip


def test_spec1_supervising_units_are_loaded_by_migration():
    names = set(Organisation.objects.filter(kind=OrganisationKind.SUPERVISOR).values_list("name", flat=True))
    assert set(SPEC_SUPERVISORS) <= names
    assert Organisation.objects.filter(kind=OrganisationKind.BUREAU, name="忻州市科学技术局").exists()


def test_host_unit_with_invalid_uscc_gets_a_chinese_error():
    supervisor = SupervisorFactory()
    with pytest.raises(ValidationError) as error:
        organisation_create(
            name="某公司",
            kind=OrganisationKind.HOST_UNIT,
            uscc="91140902MA0XY1A25Y",
            supervising_unit=supervisor,
        )
    assert "统一社会信用代码无效" in " ".join(error.value.message_dict["uscc"])


def test_host_unit_needs_a_uscc_and_a_supervising_unit():
    with pytest.raises(ValidationError) as error:
        organisation_create(name="某公司", kind=OrganisationKind.HOST_UNIT)
    assert set(error.value.message_dict) >= {"uscc", "supervising_unit"}
    assert "必须填写统一社会信用代码" in error.value.message_dict["uscc"][0]


def test_database_refuses_a_host_unit_without_supervisor_even_past_the_form():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="直写公司", kind=OrganisationKind.HOST_UNIT, uscc=make_uscc())


def test_uscc_is_normalised_to_upper_case():
    org = organisation_create(
        name="小写公司",
        kind=OrganisationKind.HOST_UNIT,
        uscc="91140902ma0xy1a25x",
        supervising_unit=SupervisorFactory(),
    )
    assert org.uscc == "91140902MA0XY1A25X"


def test_only_host_units_have_a_supervising_unit():
    with pytest.raises(ValidationError) as error:
        organisation_create(
            name="某局",
            kind=OrganisationKind.SUPERVISOR,
            supervisor_category="county",
            supervising_unit=SupervisorFactory(),
        )
    assert "只有依托单位" in error.value.message_dict["supervising_unit"][0]


@pytest.mark.parametrize(
    ("role", "kind", "ok"),
    [
        (Role.BASE_STAFF, OrganisationKind.HOST_UNIT, True),
        (Role.HOST_APPROVER, OrganisationKind.HOST_UNIT, True),
        (Role.SUPERVISOR, OrganisationKind.SUPERVISOR, True),
        (Role.BUREAU_STAFF, OrganisationKind.BUREAU, True),
        (Role.ADMIN, OrganisationKind.BUREAU, True),
        (Role.EXPERT, OrganisationKind.OTHER, True),
        (Role.EXPERT, OrganisationKind.HOST_UNIT, True),
        (Role.BASE_STAFF, OrganisationKind.SUPERVISOR, False),
        (Role.SUPERVISOR, OrganisationKind.HOST_UNIT, False),
        (Role.BUREAU_STAFF, OrganisationKind.SUPERVISOR, False),
        (Role.HOST_APPROVER, OrganisationKind.BUREAU, False),
    ],
)
def test_a_role_belongs_to_an_organisation_of_its_kind(role, kind, ok):
    org = {
        OrganisationKind.HOST_UNIT: HostUnitFactory,
        OrganisationKind.SUPERVISOR: SupervisorFactory,
    }.get(kind)
    org = (
        org()
        if org
        else Organisation.objects.filter(kind=kind).first() or organisation_create(name="某大学", kind=kind)
    )
    if ok:
        user = user_create(username="u1", password="x-secret-1", organisation=org, role=role)
        assert user.groups.filter(name=role_group_name(role)).exists()
        assert user.groups.filter(name=org_role_group_name(org.pk, role)).exists()
    else:
        with pytest.raises(ValidationError) as error:
            user_create(username="u1", password="x-secret-1", organisation=org, role=role)
        assert "不能属于" in error.value.message_dict["role"][0]
        assert not User.objects.filter(username="u1").exists()


def test_changing_role_moves_the_user_between_groups():
    host = HostUnitFactory()
    user = user_create(username="mover", password="x-secret-1", organisation=host, role=Role.BASE_STAFF)
    user_set_role(user=user, organisation=host, role=Role.HOST_APPROVER)
    names = set(user.groups.values_list("name", flat=True))
    assert names == {role_group_name(Role.HOST_APPROVER), org_role_group_name(host.pk, Role.HOST_APPROVER)}


def test_role_groups_carry_the_bureau_rights():
    bureau_group = Group.objects.get(name=role_group_name(Role.BUREAU_STAFF))
    codenames = set(bureau_group.permissions.values_list("codename", flat=True))
    assert {"review_pilotbase", "revoke_pilotbase", "view_pilotbase"} <= codenames
    assert "recommend_pilotbase" not in codenames  # recommending belongs to the jurisdiction only


def test_a_user_with_a_role_needs_an_organisation():
    with pytest.raises(ValidationError):
        user_create(username="lost", password="x-secret-1", organisation=None, role=Role.SUPERVISOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="lost2", role=Role.SUPERVISOR)
