"""The supervising units the Measures are addressed to, and the bureau itself."""

from django.db import migrations

COUNTY_AUTHORITIES = [
    ("忻府区工信和科技局", "xinfu"),
    ("原平市工信和科技局", "yuanping"),
    ("定襄县工信和科技局", "dingxiang"),
    ("五台县工信和科技局", "wutai"),
    ("代县工信和科技局", "daixian"),
    ("繁峙县工信和科技局", "fanshi"),
    ("宁武县工信和科技局", "ningwu"),
    ("静乐县工信和科技局", "jingle"),
    ("神池县工信和科技局", "shenchi"),
    ("五寨县工信和科技局", "wuzhai"),
    ("岢岚县工信和科技局", "kelan"),
    ("保德县工信和科技局", "baode"),
    ("偏关县工信和科技局", "pianguan"),
    ("河曲县经济发展服务中心", "hequ"),
]
OTHER_SUPERVISORS = [("忻州经济开发区创新创业服务中心", "dev_zone")]
BUREAU = "忻州市科学技术局"


def load(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    for name, region in COUNTY_AUTHORITIES:
        Organisation.objects.get_or_create(
            name=name, defaults={"kind": "supervisor", "supervisor_category": "county", "region": region}
        )
    for name, region in OTHER_SUPERVISORS:
        Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": "supervisor", "supervisor_category": "other_competent", "region": region},
        )
    Organisation.objects.get_or_create(name=BUREAU, defaults={"kind": "bureau", "region": "city"})


def unload(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    names = [n for n, _ in COUNTY_AUTHORITIES + OTHER_SUPERVISORS] + [BUREAU]
    Organisation.objects.filter(name__in=names, members__isnull=True, host_units__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
