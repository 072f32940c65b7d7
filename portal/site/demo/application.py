"""A complete sample application, filled in through the services: the demo's bases are complete in
the same way as the tests' (tests/ use it to mean "complete"), with every section filled and all eight
Art. 7 conditions affirmed with evidence."""

from decimal import Decimal

from django.core.files.base import ContentFile

from bases.models import BackingKind, Condition, ConstructionMode, PilotBase
from bases.services import base_replace_rows, base_update, condition_affirm, evidence_attach

# The smallest well-formed PDF, the file the demo uploads as every letter, minutes and piece of
# evidence (the upload checks ask no more than a well-formed PDF). A constant rather than a
# WeasyPrint rendering: rendering one page once per seed run costs ~2 s (WeasyPrint's import alone
# ~1.8 s, the page ~0.15 s) on a seed of 20–27 s, and with its CJK font subset each copy weighs ~56 kB
# instead of ~250 bytes, over a few hundred uploads.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def complete_application_data(rd_direction: str) -> dict:
    return {
        "summary": f"围绕{rd_direction}开展中间试验与工程化验证，服务全市相关产业。",
        "contact_name": "王建国",
        "contact_phone": "0350-3036688",
        "contact_email": "contact@example.cn",
        "director_name": "李明",
        "director_title": "正高级工程师",
        "director_field": rd_direction,
        "director_achievements": "主持省级科技项目3项，获省科技进步二等奖1项。",
        "site_address": "忻州市忻府区长征街88号",
        "site_area_m2": Decimal("3200.00"),
        "equipment_value_wan": Decimal("1850.00"),
        "equipment_description": "拥有通用计量、检测仪器和扩大工程实验所需专用设备。",
        "pilot_capability": "可承担行业综合性中间试验任务及同类技术工程化配套协作。",
        "core_technology": "自主研发的连续化制备工艺，已获发明专利5项。",
        "industry_prospects": "技术在省内同行业处于领先水平，具备推广前景。",
        "upgrade_capability": "设有研发中心，每年迭代工艺2至3次。",
        "total_assets_wan": Decimal("32000.00"),
        "net_assets_wan": Decimal("18000.00"),
        "revenue_last_year_wan": Decimal("26000.00"),
        "rd_spend_last_year_wan": Decimal("1200.00"),
        "planned_investment_wan": Decimal("2000.00"),
        "funding_capacity": "银行信用等级AA，自筹资金已落实。",
        "management_system": "实行主任负责制，建立开放共享与绩效考核制度。",
        "leadership": "领导班子5人，均具有本科以上学历。",
        "staff_total": 86,
        "staff_rd": 42,
        "staff_senior": 12,
        "skilled_workers": 30,
    }


def fill_complete_application(*, actor, base: PilotBase, joint: bool = False) -> PilotBase:
    """Fill every section of the application and affirm all eight Art. 7 conditions with evidence."""
    data = complete_application_data(base.rd_direction)
    if joint:
        data["construction_mode"] = ConstructionMode.JOINT
    base = base_update(actor=actor, base=base, data=data)
    if joint:
        base_replace_rows(
            actor=actor,
            base=base,
            relation="co_builders",
            rows=[
                {
                    "name": "忻州市协同制造有限公司",
                    "uscc": "91140902MA0XY1A25X",
                    "role": "中试产品的工程化验证",
                }
            ],
        )
    base_replace_rows(
        actor=actor,
        base=base,
        relation="technical_backings",
        rows=[
            {
                "name": "忻州师范学院",
                "kind": BackingKind.UNIVERSITY,
                "cooperation": "共建联合实验室，共享检测平台。",
            }
        ],
    )
    base_replace_rows(
        actor=actor,
        base=base,
        relation="papers",
        rows=[
            {"title": f"{base.rd_direction}连续化制备工艺研究", "journal": "材料导报", "published_year": 2023}
        ],
    )
    base_replace_rows(
        actor=actor,
        base=base,
        relation="equipment",
        rows=[
            {"name": "中试反应装置", "model_spec": "ZS-500", "quantity": 2, "value_wan": Decimal("360.00")}
        ],
    )
    for condition in Condition:
        condition_affirm(
            actor=actor,
            base=base,
            condition=condition,
            affirmed=True,
            statement="符合该项条件，详见证明材料。",
        )
        evidence_attach(
            actor=actor,
            base=base,
            condition=condition,
            file=ContentFile(DEMO_PDF, name=f"条件{condition.value}证明材料.pdf"),
        )
    base.refresh_from_db()
    return base
