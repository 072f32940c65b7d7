"""factory_boy factories. Bases get a trait per state; their object rights are assigned as the
services would assign them."""

import random

import factory
from factory.django import DjangoModelFactory

from bases.models import Condition, ConditionAffirmation, PilotBase, Status
from bases.permissions import base_assign_permissions
from portal.accounts.models import Organisation, OrganisationKind, Role, SupervisorCategory, User
from portal.accounts.permissions import sync_user_groups
from portal.accounts.uscc import USCC_ALPHABET, _org_code_check_character, _uscc_check_character

_ORG_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(rng: random.Random | None = None) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015) with a valid embedded organisation code."""
    rng = rng or random.Random()
    body8 = "".join(rng.choice(_ORG_CODE_ALPHABET) for _ in range(8))
    first17 = "91" + "1409" + f"{rng.randrange(100):02d}" + body8 + _org_code_check_character(body8)
    assert all(c in USCC_ALPHABET for c in first17)
    return first17 + _uscc_check_character(first17)


class SupervisorFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试县{n}工信和科技局")
    kind = OrganisationKind.SUPERVISOR
    supervisor_category = SupervisorCategory.COUNTY


class HostUnitFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试依托单位{n}有限公司")
    kind = OrganisationKind.HOST_UNIT
    uscc = factory.LazyFunction(make_uscc)
    supervising_unit = factory.SubFactory(SupervisorFactory)


def bureau_org() -> Organisation:
    # get_or_create: a transactional test before this one may have flushed the migration's row
    return Organisation.objects.get_or_create(
        kind=OrganisationKind.BUREAU, defaults={"name": "忻州市科学技术局"}
    )[0]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    role = Role.BASE_STAFF
    organisation = factory.SubFactory(HostUnitFactory)
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def groups_from_role(obj, create, extracted, **kwargs):
        if create:
            sync_user_groups(obj)


class PilotBaseFactory(DjangoModelFactory):
    class Meta:
        model = PilotBase
        skip_postgeneration_save = True

    rd_direction = factory.Sequence(lambda n: f"测试方向{n}")
    name = factory.LazyAttribute(lambda b: f"忻州市{b.rd_direction}中试基地")
    host = factory.SubFactory(HostUnitFactory)
    supervising_unit = factory.LazyAttribute(lambda b: b.host.supervising_unit)
    created_by = factory.LazyAttribute(
        lambda b: (
            User.objects.filter(organisation=b.host).first()
            or UserFactory(organisation=b.host, role=Role.BASE_STAFF)
        )
    )
    application_year = 2026
    status = Status.DRAFT
    revocation_reason = factory.LazyAttribute(
        lambda b: "bureau_decision" if b.status == Status.REVOKED else ""
    )

    class Params:
        # one trait per state of a base
        submitted = factory.Trait(status=Status.SUBMITTED)
        returned = factory.Trait(status=Status.RETURNED)
        recommended = factory.Trait(status=Status.RECOMMENDED)
        preliminary_passed = factory.Trait(status=Status.PRELIMINARY_PASSED)
        expert_review = factory.Trait(status=Status.EXPERT_REVIEW)
        review_passed = factory.Trait(status=Status.REVIEW_PASSED)
        in_notice = factory.Trait(status=Status.IN_NOTICE)
        notice_cleared = factory.Trait(status=Status.NOTICE_CLEARED)
        approved = factory.Trait(status=Status.APPROVED)
        under_construction = factory.Trait(status=Status.UNDER_CONSTRUCTION)
        acceptance_applied = factory.Trait(status=Status.ACCEPTANCE_APPLIED)
        acceptance_review = factory.Trait(status=Status.ACCEPTANCE_REVIEW)
        acceptance_failed = factory.Trait(status=Status.ACCEPTANCE_FAILED)
        recognized = factory.Trait(status=Status.RECOGNIZED)
        re_recognition_required = factory.Trait(status=Status.RE_RECOGNITION_REQUIRED)
        rejected = factory.Trait(status=Status.REJECTED)
        withdrawn = factory.Trait(status=Status.WITHDRAWN)
        superseded = factory.Trait(status=Status.SUPERSEDED)
        revoked = factory.Trait(status=Status.REVOKED)

    @factory.post_generation
    def rights_and_conditions(obj, create, extracted, **kwargs):
        if create:
            ConditionAffirmation.objects.bulk_create(
                ConditionAffirmation(base=obj, condition=c) for c in Condition
            )
            base_assign_permissions(obj)


# The people of make_people(), by attribute name: every role, in two jurisdictions.
PEOPLE = (
    "staff_a",
    "approver_a",
    "staff_b",
    "approver_b",
    "supervisor_a",
    "supervisor_b",
    "bureau",
    "admin",
    "expert",
)


def make_people():
    """Two jurisdictions (A and B), each with a host unit and its people, plus the bureau."""
    from types import SimpleNamespace

    sup_a, sup_b = SupervisorFactory(name="甲县工信和科技局"), SupervisorFactory(name="乙县工信和科技局")
    host_a = HostUnitFactory(name="甲县依托单位有限公司", supervising_unit=sup_a)
    host_b = HostUnitFactory(name="乙县依托单位有限公司", supervising_unit=sup_b)
    bureau = bureau_org()
    expert_org = Organisation.objects.create(name="测试大学", kind=OrganisationKind.OTHER)
    return SimpleNamespace(
        supervisor_a_org=sup_a,
        supervisor_b_org=sup_b,
        host_a=host_a,
        host_b=host_b,
        staff_a=UserFactory(username="staff_a", organisation=host_a, role=Role.BASE_STAFF),
        approver_a=UserFactory(username="approver_a", organisation=host_a, role=Role.HOST_APPROVER),
        staff_b=UserFactory(username="staff_b", organisation=host_b, role=Role.BASE_STAFF),
        approver_b=UserFactory(username="approver_b", organisation=host_b, role=Role.HOST_APPROVER),
        supervisor_a=UserFactory(username="supervisor_a", organisation=sup_a, role=Role.SUPERVISOR),
        supervisor_b=UserFactory(username="supervisor_b", organisation=sup_b, role=Role.SUPERVISOR),
        bureau=UserFactory(username="bureau_user", organisation=bureau, role=Role.BUREAU_STAFF),
        admin=UserFactory(username="admin_user", organisation=bureau, role=Role.ADMIN, is_staff=True),
        expert=UserFactory(username="expert_user", organisation=expert_org, role=Role.EXPERT),
    )


class OtherOrgFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试研究院{n}")
    kind = OrganisationKind.OTHER


def make_expert(*, affiliation=None, specialties=("新材料",), conflicts=(), username=None, **fields):
    """An expert of the pool: a user of role expert with a profile in the given specialties."""
    from reviews.models import Expert, Specialty

    affiliation = affiliation or OtherOrgFactory()
    names = {"username": username} if username else {}
    if "full_name" in fields:
        names["full_name"] = fields.pop("full_name")
    user = UserFactory(organisation=affiliation, role=Role.EXPERT, **names)
    expert = Expert.objects.create(
        user=user,
        title=fields.pop("title", "研究员"),
        affiliation=affiliation,
        phone=fields.pop("phone", "13800000000"),
        email=fields.pop("email", "expert@example.cn"),
        **fields,
    )
    expert.specialties.set(Specialty.objects.filter(name__in=specialties))
    expert.conflicts.set(conflicts)
    return expert
