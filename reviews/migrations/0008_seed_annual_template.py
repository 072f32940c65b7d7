"""The annual grading score sheet the portal ships with (Art. 15–16); the bureau may edit it."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("中试服务与成效", "全年承担中试项目、服务企业和完成中试的数量与成效。", 30),
    ("技术创新与成果", "专利、标准、成果转化和技术升级情况。", 25),
    ("运行管理与队伍", "管理制度执行、人员队伍和开放共享情况。", 15),
    ("资金投入与使用", "自筹资金投入和专项资金单独核算、专款专用情况。", 15),
    ("年度计划完成情况", "上年度工作计划的完成情况和本年度计划的可行性。", 15),
]


def seed(apps, schema_editor):
    Template = apps.get_model("reviews", "ScoringTemplate")
    Criterion = apps.get_model("reviews", "TemplateCriterion")
    template, created = Template.objects.get_or_create(
        name="中试基地年度考核评分表",
        defaults={"purpose": "annual", "description": "依据第十五条、第十六条，按年度总结报告和日常工作评分。"},
    )
    if created:
        for position, (name, guidance, weight) in enumerate(CRITERIA):
            Criterion.objects.create(
                template=template, name=name, guidance=guidance, weight=Decimal(weight), max_score=Decimal("10"),
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0007_alter_panel_purpose_alter_scoringtemplate_purpose")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
