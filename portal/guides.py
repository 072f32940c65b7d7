"""办事指南: one page per process a host unit or the public goes through — who may file, what to
prepare, the deadlines, the steps and the articles of the Measures (忻科规〔2024〕2号). A guide names
its deadlines by key; their words are composed when the page is shown (portal.site.views.guide_deadlines)
from the bureau's parameters and the rules of bases.policy, so a changed parameter changes the guide
with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str
    articles: tuple[int, ...]  # the Measures' articles, linked to /measures/#art-N
    who: tuple[str, ...]
    documents: tuple[str, ...]
    steps: tuple[str, ...]
    # the form's URL name and whether it needs a base (the guide links to where the form is reached)
    start_hint: str = ""
    deadline_keys: tuple[str, ...] = field(default=())


GUIDES: dict[str, Guide] = {
    guide.slug: guide
    for guide in (
        Guide(
            "application",
            _("市中试基地建设申请"),
            _(
                "依托单位申请建设市中试基地，经归口管理单位推荐、市科技局初审和专家评审、公示后由局党组会议研究确定。"
            ),
            (3, 7, 8, 18),
            (
                _(
                    "符合第七条八项基本条件的企业或具备生产任务的研究单位（单独建设），或牵头联合建设的企业（第三条）。"
                ),
                _("由依托单位的基地人员填写，依托单位审核人审核提交。"),
            ),
            (
                _("《市中试基地建设申请书》（在平台在线填写）。"),
                _(
                    "第七条八项基本条件的逐项承诺及证明材料（仪器设备清单、技术依托协议、财务审计报告、环评批复等）。"
                ),
                _("归口管理单位出具的正式推荐文件（推荐函，由归口管理单位上传）。"),
            ),
            (
                _("基地人员在“新建申请”中填写申请书，名称须为“忻州市+研发方向+中试基地”（第十八条）。"),
                _("依托单位审核人审核后提交归口管理单位（第八条第（一）项）。"),
                _("归口管理单位审核推荐，或退回修改、不予推荐。"),
                _("市科技局初审，必要时实地考察；组织专家评审（第八条第（二）项）。"),
                _("评审通过的名单公示，公示无异议后由局党组会议研究确定（第八条第（三）项）。"),
            ),
            _("登录后在“我的待办”中点击“新建申请”。"),
            ("notice_working_days", "returned_filing_resubmit_days"),
        ),
        Guide(
            "extension",
            _("建设期延期申请"),
            _("有特殊原因未能在建设期内完成建设任务的，经市科技局批准最多延长一次。"),
            (8,),
            (_("建设中或验收未通过（尚未延期）的基地的依托单位。"),),
            (
                _("延期的特殊原因说明。"),
                _("申请延期的月数。"),
            ),
            (
                _("基地人员在基地页面“延期申请”中填写原因和月数。"),
                _("依托单位审核人审核提交，归口管理单位审核。"),
                _("市科技局批准（可批准少于申请的月数）、退回或不予批准。"),
            ),
            _("登录后在基地页面的“建设与验收”中办理。"),
            ("construction", "extension", "failed_acceptance_extension_months"),
        ),
        Guide(
            "acceptance",
            _("建设验收申请"),
            _(
                "建设计划任务完成后，依托单位在建设期满后提出验收申请，市科技局组织专家验收，通过后列入市中试基地序列。"
            ),
            (8, 9),
            (_("建设中的基地的依托单位。"),),
            (
                _("建设任务完成情况（对照任务书逐项说明）。"),
                _("取得的成果。"),
                _("资金使用情况。"),
            ),
            (
                _("基地人员在基地页面“验收申请”中填写。"),
                _("依托单位审核人审核提交，归口管理单位审核后报市科技局。"),
                _("市科技局组建验收专家组，专家评分后形成验收结论。"),
                _(
                    "验收通过的列入市中试基地序列，并给予奖励资助（第九条）；未通过且未延期的，可申请延期一次。"
                ),
            ),
            _("登录后在基地页面的“建设与验收”中办理。"),
            ("acceptance", "returned_filing_resubmit_days"),
        ),
        Guide(
            "change",
            _("更名、变更研究方向与重大变更"),
            _(
                "更名、变更研究方向或结构调整和重组的，报市科技局批复；法人主体或所有制结构等重大变更的，须重新认定。"
            ),
            (6, 14, 18),
            (_("已批准立项或已认定的基地的依托单位。"),),
            (
                _("书面报告：变更的内容和理由。"),
                _("更名或变更研究方向的，新的名称须符合“忻州市+研发方向+中试基地”（第十八条）。"),
            ),
            (
                _("基地人员在基地页面“变更申请”中选择变更类型并填写报告。"),
                _("依托单位审核人审核提交，归口管理单位审核后报市科技局批复（第十四条）。"),
                _("法人主体或所有制结构变更的，批准后基地进入“待重新认定”，依托单位在基地页面申请重新认定。"),
            ),
            _("登录后在基地页面中办理。"),
            ("returned_filing_resubmit_days",),
        ),
        Guide(
            "annual-report",
            _("年度报告"),
            _("市中试基地实行年度考核：每年年初报送上年度总结报告及当年工作计划。"),
            (15, 16),
            (_("已认定的市中试基地的依托单位（上年12月31日在序列中的基地）。"),),
            (
                _("上年度工作总结（中试项目、专利、标准、服务企业、营业收入、人员等）。"),
                _("本年度工作计划。"),
                _("专项资金收支情况由平台按资金台账自动汇总，无需另行填写。"),
            ),
            (
                _("市科技局开启年度报告报送后，基地人员在“我的待办”中填写年度报告。"),
                _("依托单位审核人审核提交，归口管理单位审核后报市科技局。"),
                _(
                    "市科技局考核，结果分为优秀、良好、合格、基本合格、不合格五个档次；连续两年不合格的撤销资格（第十六条）。"
                ),
            ),
            _("登录后在“我的待办”中办理。"),
            ("annual_report", "annual_report_grace_days"),
        ),
        Guide(
            "objection",
            _("对公示名单提出异议"),
            _("公示期内，任何单位和个人可对公示的基地实名提出异议，市科技局核查处理。"),
            (8,),
            (_("任何单位和个人，须实名并留下联系电话；匿名异议不予受理。"),),
            (
                _("异议的具体内容和理由。"),
                _("证明材料（可选，PDF、图片或 Office 文档）。"),
            ),
            (
                _("在“公示公告”中打开公示，在公示期内填写异议表。"),
                _("提交后记下受理编号和查询码（查询码只显示一次）。"),
                _("凭受理编号和查询码在“异议进度查询”中查看处理状态和答复。"),
            ),
            _("无需登录，在“公示公告”页面提交。"),
            ("notice_working_days", "objection_hourly_limit"),
        ),
    )
}
