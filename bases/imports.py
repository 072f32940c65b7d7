"""Excel import of bases recognised under the earlier 2020 measures (忻科规〔2020〕1号):
each enters the portal as `recognized` with its history (a logged creation naming the 2020
recognition), its host unit created or matched by USCC. A dry run reports every problem by row and
column; the import is all or nothing."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bases.exceptions import PermissionRefused
from bases.models import Condition, ConditionAffirmation, ConstructionMode, PilotBase, Status
from bases.permissions import base_assign_permissions, may_review
from bases.policy import base_name_problem, earlier_recognition_problem, normalise_uscc, uscc_problem
from portal.accounts.models import Organisation, OrganisationKind, Region, User
from portal.documents.excel import Column
from portal.documents.imports import ImportResult, run_import
from portal.workflow.services import log_creation

COLUMNS = [
    ("name", Column(gettext_lazy("基地名称"), 30)),
    ("rd_direction", Column(gettext_lazy("研发方向"), 16)),
    ("host", Column(gettext_lazy("依托单位"), 30)),
    ("uscc", Column(gettext_lazy("统一社会信用代码"), 22)),
    ("supervisor", Column(gettext_lazy("归口管理单位"), 24)),
    ("recognized_on", Column(gettext_lazy("认定日期"), 13, "date")),
    ("document_no", Column(gettext_lazy("认定文号"), 20)),
]


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def legacy_import(*, actor: User, file, apply: bool, today: date | None = None) -> ImportResult:
    if not may_review(actor):
        raise PermissionRefused(_("只有市科技局可以导入既有基地。"))
    today = today or timezone.localdate()
    supervisors = {o.name: o for o in Organisation.objects.filter(kind=OrganisationKind.SUPERVISOR)}
    return run_import(
        file=file,
        columns=COLUMNS,
        apply=apply,
        handle_row=lambda values: legacy_import_row(
            actor=actor, values=values, supervisors=supervisors, today=today
        ),
    )


def legacy_import_row(*, actor: User, values: dict, supervisors: dict, today: date) -> list[tuple[str, str]]:
    """Check one row and, when it has no problem, create its base (and its host unit if new); return
    the problems as (column, message). The caller checks the permission: legacy_import for an upload,
    the demo data for its legacy bases. `supervisors` maps each supervising unit's name to it."""
    text = {k: str(v or "").strip() for k, v in values.items() if k != "recognized_on"}
    # Stored and looked up as compared (Art. 8-2): a code typed in groups or in lower case names the
    # same host unit as the compact one.
    text["uscc"] = normalise_uscc(text["uscc"])
    problems = []
    if problem := base_name_problem(text["name"], text["rd_direction"] or None):
        problems.append(("name", problem))
    elif PilotBase.objects.filter(name=text["name"]).exists():
        problems.append(("name", _("平台中已有名为“%(name)s”的基地。") % {"name": text["name"]}))
    if not text["host"]:
        problems.append(("host", _("请填写依托单位。")))
    if problem := uscc_problem(text["uscc"]):
        problems.append(("uscc", problem))
    supervisor = supervisors.get(text["supervisor"])
    if supervisor is None:
        problems.append(
            ("supervisor", _("归口管理单位“%(name)s”不在平台中。") % {"name": text["supervisor"]})
        )
    recognized_on = _date(values.get("recognized_on"))
    if recognized_on is None:
        problems.append(("recognized_on", _("认定日期应为日期（如 2021-06-30）。")))
    elif recognized_on > today:
        problems.append(("recognized_on", _("认定日期不能晚于今天。")))
    elif problem := earlier_recognition_problem(recognized_on):
        problems.append(("recognized_on", problem))
    if problems:
        return problems
    host = Organisation.objects.filter(uscc=text["uscc"]).first()
    if host is None:
        host = Organisation(
            name=text["host"],
            kind=OrganisationKind.HOST_UNIT,
            uscc=text["uscc"],
            supervising_unit=supervisor,
            region=supervisor.region if supervisor.region in Region.values else Region.CITY,
        )
        try:
            host.full_clean()
        except ValidationError as exc:
            return [("host", " ".join(exc.messages))]
        host.save()
    base = PilotBase.objects.create(
        name=text["name"],
        rd_direction=text["rd_direction"],
        host=host,
        supervising_unit=host.supervising_unit,
        construction_mode=ConstructionMode.SINGLE,
        status=Status.RECOGNIZED,
        status_changed_at=timezone.now(),
        recognized_on=recognized_on,
        application_year=recognized_on.year,
        created_by=actor,
    )
    ConditionAffirmation.objects.bulk_create(ConditionAffirmation(base=base, condition=c) for c in Condition)
    base_assign_permissions(base)
    note = _("依据《忻州市中试基地认定管理办法》（忻科规〔2020〕1号）于 %(on)s 认定%(no)s，导入平台。") % {
        "on": recognized_on.isoformat(),
        "no": f"（{text['document_no']}）" if text["document_no"] else "",
    }
    log_creation(instance=base, actor=actor, comment=note)
    return []
