"""A base's filings after approval (every kind of bases.services.filings) and every stored file of a
base, by folder."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Value
from django_fsm_log.models import StateLog

from bases.extensions import ATTACHMENT_FOLDERS
from bases.filing_kinds import FILING_MODELS
from bases.models import ConditionAffirmation, LedgerEntry, PilotBase
from portal.documents.models import Attachment
from portal.workflow.models import TransitionRecord


def over_every_kind(rows_of, *fields) -> list[tuple]:
    """(kind, *fields) of the rows `rows_of(model)` selects, over every kind of filing, in one
    UNION ALL query: which kinds have rows is known before any of them is read."""
    kinds = list(FILING_MODELS)
    parts = [
        rows_of(model).order_by().annotate(filing_kind=Value(index)).values_list("filing_kind", *fields)
        for index, model in enumerate(FILING_MODELS.values())
    ]
    return [(kinds[index], *rest) for index, *rest in parts[0].union(*parts[1:], all=True)]


def filings_of(base: PilotBase) -> list:
    """Every filing of the base as (kind, filing), kind by kind, the newest first: one query over the
    six kinds for those it has, then one per kind that has some. Read once per base object (the
    base page's list and its documents' "is there a task book?" share it)."""
    cached = getattr(base, "_filings_of", None)
    if cached is not None:
        return cached
    present = {kind for (kind,) in over_every_kind(lambda model: model.objects.filter(base=base))}
    base._filings_of = [
        (kind, filing)
        for kind, model in FILING_MODELS.items()
        if kind in present
        for filing in model.objects.filter(base=base).order_by("-created_at")
    ]
    for _kind, filing in base._filings_of:
        filing.base = base  # their __str__ names the base
    return base._filings_of


def base_attachments(base: PilotBase, *, include_bureau_only: bool = False) -> list:
    """Every stored file of a base, by folder: the application's evidence, the steps' letters, the
    filings' attachments, ledger vouchers and (for the bureau) site-visit photos."""

    def of(model, ids):
        content_type = ContentType.objects.get_for_model(model)
        return Attachment.objects.filter(content_type=content_type, object_id__in=list(ids)).order_by("pk")

    found = [
        ("申请书证明材料", a) for a in of(ConditionAffirmation, base.conditions.values_list("pk", flat=True))
    ]
    logs = [StateLog.objects.for_(base).values_list("pk", flat=True)]
    for kind, model in FILING_MODELS.items():
        filing_ids = list(model.objects.filter(base=base).values_list("pk", flat=True))
        found += [(f"办理材料/{kind}", a) for a in of(model, filing_ids)]
        filing_type = ContentType.objects.get_for_model(model)
        logs.append(
            StateLog.objects.filter(content_type=filing_type, object_id__in=filing_ids).values_list(
                "pk", flat=True
            )
        )
    records = TransitionRecord.objects.filter(state_log_id__in=[pk for q in logs for pk in q]).values_list(
        "pk", flat=True
    )
    found += [("办理记录附件", a) for a in of(TransitionRecord, records)]
    found += [("专项资金凭证", a) for a in of(LedgerEntry, base.ledger.values_list("pk", flat=True))]
    # What the other apps keep about the base (the bureau's site-visit photos, Art. 8-2, 17).
    for extra in ATTACHMENT_FOLDERS:
        if include_bureau_only or not extra.bureau_only:
            found += [(extra.folder, a) for a in of(extra.model, extra.ids(base))]
    return found
