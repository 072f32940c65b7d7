"""The expert pool's initial vocabulary of specialties; the bureau edits it
in the portal afterwards (reviews:specialty_list)."""

from django.db import migrations

SPECIALTIES = [
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


def load(apps, schema_editor):
    Specialty = apps.get_model("reviews", "Specialty")
    for name in SPECIALTIES:
        Specialty.objects.get_or_create(name=name)


def unload(apps, schema_editor):
    Specialty = apps.get_model("reviews", "Specialty")
    Specialty.objects.filter(name__in=SPECIALTIES, experts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_specialty_expert")]
    operations = [migrations.RunPython(load, unload)]
