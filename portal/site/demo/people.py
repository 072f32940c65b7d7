"""The demo's people: the host units and expert institutions beside the supervising units and the
bureau that the migrations create, a user for every role, and the experts' pool profiles."""

from django.core.management.base import CommandError

from portal.accounts.models import Organisation, OrganisationKind, Role, User
from portal.accounts.services import organisation_get_or_create, user_create
from reviews.models import Expert, Specialty

BUREAU = "忻州市科学技术局"
HOSTS = [
    # name, USCC, supervising unit, region
    ("忻州华晟新材料科技有限公司", "91140902MA0XY1A25X", "忻府区工信和科技局", "xinfu"),
    ("原平市晋北农产品加工股份有限公司", "91140981MA0Y3B4C8N", "原平市工信和科技局", "yuanping"),
    ("定襄县金鼎锻造装备有限公司", "91140921MA0K5D6E00", "定襄县工信和科技局", "dingxiang"),
]
# Experts 6 and 7 work at the demo bases' technical backing institution: the draw excludes them.
EXPERT_ORGS = ["太原理工大学", "忻州师范学院"]
# Art. 8-2 by the organisation tree: expert 8 works at a school of that institution (its parent in the
# tree), so every draw excludes them too, with the reason "所在单位隶属于技术依托单位". Expert 9 (化工 only)
# is the substitute drawn after expert 5 declares a conflict on the 石墨烯 panel.
SCHOOL = ("忻州师范学院化学与化工学院", "忻州师范学院")

USERS = [
    # username, full name, organisation, role
    ("admin", "系统管理员", BUREAU, Role.ADMIN),
    ("bureau", "张科长", BUREAU, Role.BUREAU_STAFF),
    ("xinfu", "忻府区科技股", "忻府区工信和科技局", Role.SUPERVISOR),
    ("yuanping", "原平市科技股", "原平市工信和科技局", Role.SUPERVISOR),
    ("dingxiang", "定襄县科技股", "定襄县工信和科技局", Role.SUPERVISOR),
    ("host", "刘工（基地人员）", HOSTS[0][0], Role.BASE_STAFF),
    ("host_approver", "陈总（依托单位审核人）", HOSTS[0][0], Role.HOST_APPROVER),
    ("host2", "赵工（基地人员）", HOSTS[1][0], Role.BASE_STAFF),
    ("host2_approver", "孙总（依托单位审核人）", HOSTS[1][0], Role.HOST_APPROVER),
    ("host3", "周工（基地人员）", HOSTS[2][0], Role.BASE_STAFF),
    ("host3_approver", "吴总（依托单位审核人）", HOSTS[2][0], Role.HOST_APPROVER),
    *[(f"expert{i}", f"专家{i}", EXPERT_ORGS[i > 5], Role.EXPERT) for i in range(1, 8)],
    ("expert8", "专家8", SCHOOL[0], Role.EXPERT),
    ("expert9", "专家9", EXPERT_ORGS[0], Role.EXPERT),
]


def organisations() -> dict[str, Organisation]:
    orgs = {o.name: o for o in Organisation.objects.filter(kind__in=["supervisor", "bureau"])}
    missing = [n for n in [BUREAU, *[h[2] for h in HOSTS]] if n not in orgs]
    if missing:
        raise CommandError(f"缺少基础单位数据 {missing}，请先运行 python manage.py migrate。")
    for name, uscc, supervisor, region in HOSTS:
        orgs[name], _ = organisation_get_or_create(
            name=name,
            kind=OrganisationKind.HOST_UNIT,
            uscc=uscc,
            supervising_unit=orgs[supervisor],
            region=region,
            address=f"{orgs[supervisor].get_region_display()}工业园区",
            contact_name="办公室",
            contact_phone="0350-0000000",
        )
    for name in EXPERT_ORGS:
        orgs[name], _ = organisation_get_or_create(name=name, kind=OrganisationKind.OTHER)
    orgs[SCHOOL[0]], _ = organisation_get_or_create(
        name=SCHOOL[0], kind=OrganisationKind.OTHER, parent=orgs[SCHOOL[1]]
    )
    return orgs


def users(orgs, password) -> dict[str, User]:
    by_username = {}
    for username, full_name, org, role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=password,
                organisation=orgs[org],
                role=role,
                full_name=full_name,
                email=f"{username}@example.cn",
                is_staff=role == Role.ADMIN,
            )
        by_username[username] = user
    return by_username


def experts(u) -> None:
    """The demo experts' pool profiles (新材料 and 现代农业与食品加工, so that every demo base finds
    a panel)."""
    fields = [Specialty.objects.get(name="新材料"), Specialty.objects.get(name="现代农业与食品加工")]
    for i in range(1, 10):
        user = u[f"expert{i}"]
        if not Expert.objects.filter(user=user).exists():
            expert = Expert.objects.create(
                user=user,
                title=["教授", "研究员", "高级工程师"][i % 3],
                affiliation=user.organisation,
                phone=f"1390350000{i}",
                email=user.email,
            )
            expert.specialties.set(fields if i != 9 else [Specialty.objects.get(name="化工")])
