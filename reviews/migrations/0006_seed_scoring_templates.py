"""The scoring templates the portal ships with. The establishment template is Art. 7's eight basic
conditions; the bureau may edit all of them (panels keep the criteria they were formed with)."""

from decimal import Decimal

from django.db import migrations

TEMPLATES = [
    (
        "中试基地建设评审评分表",
        "establishment",
        "依据《忻州市中试基地建设管理办法》第七条规定的八项基本条件评分。",
        [
            ("仪器设备、场地与中试能力", "第七条第（一）项：通用计量检测仪器、常规实验设备、扩大工程实验专用设备、厂地及配套设施；承担行业综合性中间试验及工程化产业化配套协作的能力。", 20),
            ("技术依托", "第七条第（二）项：以科研实力和开发设计能力较强的高等院校、科研机构、重点实验室、技术创新中心、新型研发机构等为技术依托。", 15),
            ("核心技术与推广前景", "第七条第（三）项：核心技术在行业内具有引领推广前景，有技术升级和产品换代能力。", 20),
            ("依托单位经济实力", "第七条第（四）项：较强的经济实力，筹措资金的能力和信誉。", 10),
            ("基地负责人水平", "第七条第（五）项：负责人研究实力和水平在本领域处于市内前列，发表过高水平科技论文。", 10),
            ("管理体制与人才队伍", "第七条第（六）项：管理体制机制合理完善，领导班子管理水平，专业技术队伍和技术工人队伍。", 15),
            ("环境保护", "第七条第（七）项：符合环境保护政策。", 5),
            ("质量安全", "第七条第（八）项：近三年内未发生严重的质量、安全等问题。", 5),
        ],
    ),
    (
        "中试基地验收评分表",
        "acceptance",
        "依据第八条第（四）项，对照建设计划任务书评价建设任务完成情况。",
        [
            ("任务书目标完成情况", "对照任务书逐项核查建设目标和年度节点的完成情况。", 30),
            ("设施条件建设", "仪器设备购置、场地与配套设施建设是否达到任务书要求。", 20),
            ("中试服务与成果", "开展中试项目、服务企业、形成专利标准等成果情况。", 20),
            ("资金投入与使用", "自筹资金到位和使用是否规范，与预算是否相符。", 15),
            ("运行管理与队伍", "管理制度、运行机制和人才队伍建设情况。", 15),
        ],
    ),
    (
        "中试基地三年评估评分表",
        "evaluation",
        "依据第十七条，对运行满三年的中试基地进行综合评估。",
        [
            ("中试服务能力与成效", "三年内承担中试任务、服务企业和行业的数量与成效。", 30),
            ("技术创新与成果转化", "技术升级、成果转化与推广应用情况。", 25),
            ("条件设施与开放共享", "仪器设备、场地的运行维护和开放共享情况。", 15),
            ("管理运行与人才队伍", "管理体制机制、人才队伍稳定与发展。", 15),
            ("资金投入与使用", "持续投入和资金使用规范情况。", 15),
        ],
    ),
]


def seed(apps, schema_editor):
    Template = apps.get_model("reviews", "ScoringTemplate")
    Criterion = apps.get_model("reviews", "TemplateCriterion")
    for name, purpose, description, criteria in TEMPLATES:
        template, created = Template.objects.get_or_create(
            name=name, defaults={"purpose": purpose, "description": description}
        )
        if not created:
            continue
        for position, (title, guidance, weight) in enumerate(criteria):
            Criterion.objects.create(
                template=template,
                name=title,
                guidance=guidance,
                weight=Decimal(weight),
                max_score=Decimal("10"),
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_panels_notices")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
