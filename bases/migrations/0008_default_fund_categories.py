"""Art. 10 names three uses of the special funds — 建设、研发、合作交流 — and ends the list in 等: they
are the default expense categories, kept as rows the bureau may add to (FundCategory)."""

from django.db import migrations

from bases.migrations_support import DEFAULT_FUND_CATEGORIES as DEFAULTS


def seed(apps, schema_editor):
    FundCategory = apps.get_model("bases", "FundCategory")
    for code, name, name_en, position in DEFAULTS:
        FundCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position, "active": True}
        )


class Migration(migrations.Migration):
    dependencies = [("bases", "0007_fund_categories")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
