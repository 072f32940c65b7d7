"""Art. 10 names three uses of the special funds — 建设、研发、合作交流 — and ends the list in 等: they
are the default expense categories, kept as rows the bureau may add to (FundCategory)."""

from django.db import migrations

DEFAULTS = [
    ("construction", "建设", "Construction", 10),
    ("research", "研发", "R&D", 20),
    ("cooperation", "合作交流", "Cooperation and exchange", 30),
]


def seed(apps, schema_editor):
    FundCategory = apps.get_model("bases", "FundCategory")
    for code, name, name_en, position in DEFAULTS:
        FundCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position, "active": True}
        )


class Migration(migrations.Migration):
    dependencies = [("bases", "0007_fund_categories")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
