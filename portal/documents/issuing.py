"""The documents the portal issues, as PDFs: the registry of their kinds and the machinery that
previews, issues (once), corrects and batch-issues them.

Each kind says what it is about (its subject), whether it is one of the bureau's own documents
(GB/T 9704-2012 layout with a document number 忻科字〔YYYY〕N号, templates/pdf/official.html) or a
form (templates/pdf/form.html), when it may be issued, and its content. The content is always the
official Chinese wording; the PDF is rendered by portal.documents.pdf. The apps register their kinds
from their AppConfig.ready() (bases: a base's own documents; reviews: the public notice, the panel's
scores, the acceptance opinion; assessments: the annual grading bulletin).
"""

from collections.abc import Callable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from portal.accounts.models import User
from portal.accounts.permissions import holds_bureau_right
from portal.documents.content import date_cn
from portal.documents.jobs import job_start, progress
from portal.documents.models import IssuedDocument, verification_code
from portal.documents.pdf import render_pdf
from portal.documents.services import document_number_allocate, document_store
from portal.documents.signing import identity, is_development_key, sign_pdf
from portal.exceptions import PermissionRefused, TransitionRefused

# Who may open an issued document of a kind that concerns no base (Kind.audience).
PUBLIC = "public"  # e.g. the public notice (公示), published to everyone (Art. 8-3)
SIGNED_IN = "signed_in"  # e.g. the annual grading bulletin, addressed to every county and unit


def _no_base(subject):
    return None


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    subject: type
    official: bool  # the bureau's numbered document, else a form
    problem: Callable  # subject -> why it cannot be issued now, or None
    content: Callable  # subject -> template context
    base_of: Callable = _no_base  # subject -> the base the document is about, or None
    audience: str = ""  # PUBLIC or SIGNED_IN for a document about no base; else the base's readers
    candidates: Callable | None = None  # () -> the subjects a batch issues it for; None: no batch
    concerning: Callable | None = None  # base -> ids of subjects about no base that list the base


KINDS: dict[str, Kind] = {}
PUBLIC_KINDS: list[str] = []
SIGNED_IN_KINDS: list[str] = []
BATCH_CANDIDATES: dict[str, Callable] = {}


def register_kind(kind: Kind) -> None:
    """Add a kind of document (from its app's AppConfig.ready())."""
    KINDS[kind.key] = kind
    if kind.audience == PUBLIC:
        PUBLIC_KINDS.append(kind.key)
    elif kind.audience == SIGNED_IN:
        SIGNED_IN_KINDS.append(kind.key)
    if kind.candidates is not None:
        BATCH_CANDIDATES[kind.key] = kind.candidates


def render(
    kind: Kind, subject, *, number: str = "", draft: bool = False, code: str = "", void: str = ""
) -> tuple[str, bytes]:
    """The document as PDF: a draft (watermarked 草稿, no number, no code) or the issued text with its
    number and verification code (QR code and short code leading to the public verification page)."""
    context = kind.content(subject)
    day = context.get("date_on") or timezone.localdate()
    context.update(
        number=number,
        draft=draft,
        year=day.year,
        date_cn=date_cn(day),
        printed_cn=date_cn(timezone.localdate()),
        generated=date_cn(timezone.localdate()) + timezone.localtime().strftime(" %H:%M"),
    )
    if code:
        context.update(verification(code))
    template = "pdf/official.html" if kind.official else "pdf/form.html"
    return context["title"], render_pdf(template, context)


def verification(code: str) -> dict:
    """What a document prints to be verified: the short code, the public page's address and its QR
    code (an SVG data URI: segno draws it without an imaging library)."""
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify:code", args=[code])
    qr = segno.make(url, error="m")
    return {
        "code": f"{code[:5]}-{code[5:]}",
        "verify_url": url,
        "verify_home": settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify:home"),
        "qr": qr.svg_data_uri(border=0, dark="#000"),
        "dev_key": is_development_key(),
    }


def _check(actor: User, kind: Kind) -> None:
    if kind.official and not holds_bureau_right(actor):
        raise PermissionRefused(gettext("只有市科技局可以出具正式文件。"))


def issued_document_of(kind_key: str, subject):
    """The valid (not voided) issued document of this kind about this subject, or None."""
    return issued_of_kind(kind_key).filter(object_id=subject.pk, voided_at__isnull=True).first()


def _store(*, kind: Kind, subject, actor: User, replaces=None):
    """Number, render, sign and store one document. Runs in a savepoint: if the constraint of one
    valid document per subject and kind fires, the number allocated here is given back too."""
    number, year, sequence = "", None, None
    if kind.official:
        year = timezone.localdate().year
        number, sequence = document_number_allocate(year=year)
    code = verification_code()
    title, pdf = render(kind, subject, number=number, code=code)
    signing = identity()
    signed = sign_pdf(pdf, reason=f"{number or kind.label} {title}")
    return document_store(
        kind=kind.key,
        title=title,
        subject=subject,
        base=kind.base_of(subject),
        pdf=signed,
        issued_by=actor,
        number=number,
        year=year,
        sequence=sequence,
        code=code,
        signer=signing.subject,
        signed_with_dev_key=signing.is_development,
        replaces=replaces,
    )


@transaction.atomic
def document_issue(*, actor: User, kind_key: str, subject):
    """Issue a document once: allocate its number (the bureau's documents), render, sign, store.
    Issued already (pressed twice, or two requests at once) → the issued one, untouched, with
    `newly_issued` False. The subject's row is locked first, so a second request waits for the first
    and then finds its document; the database's one-valid-document constraint backs this up."""
    kind = KINDS[kind_key]
    _check(actor, kind)
    subject = kind.subject.objects.select_for_update().get(pk=subject.pk)
    existing = issued_document_of(kind_key, subject)
    if existing is not None:
        existing.newly_issued = False
        return existing
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    try:
        with transaction.atomic():
            document = _store(kind=kind, subject=subject, actor=actor)
    except IntegrityError:
        existing = issued_document_of(kind_key, subject)
        if existing is None:
            raise
        existing.newly_issued = False
        return existing
    document.newly_issued = True
    return document


@transaction.atomic
def document_reissue(*, actor: User, document, reason: str):
    """A correction: void `document` (reason, who, when — it then shows 作废 wherever it is opened or
    verified) and issue its replacement with the next number, which points back at it. The voided
    one keeps its number, so the year's sequence stays gapless. Only the bureau corrects."""
    if not holds_bureau_right(actor):
        raise PermissionRefused(gettext("只有市科技局可以更正已出具的文件。"))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(gettext("请填写作废原因。"))
    kind = KINDS[document.kind]
    subject = kind.subject.objects.select_for_update().get(pk=document.object_id)
    old = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if old.voided_at is not None:
        raise TransitionRefused(gettext("该文件已作废，不能再次更正。"))
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    old.voided_at = timezone.now()
    old.voided_by = actor
    old.void_reason = reason[:2000]
    old.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return _store(kind=kind, subject=subject, actor=actor, replaces=old)


def document_preview(*, actor: User, kind_key: str, subject) -> bytes:
    """A draft of the document (watermarked, no number), not stored."""
    kind = KINDS[kind_key]
    _check(actor, kind)
    problem = kind.problem(subject)
    if problem:
        raise TransitionRefused(problem)
    return render(kind, subject, draft=True)[1]


# --- batches: one document per eligible subject, in the worker ----------------------------
def issued_of_kind(kind_key: str):
    """The issued documents of a kind (their object_id is the subject's pk)."""
    subject = KINDS[kind_key].subject
    return IssuedDocument.objects.filter(
        kind=kind_key, content_type=ContentType.objects.get_for_model(subject)
    )


def batch_subject_ids(kind_key: str) -> list[int]:
    """The subjects of a kind that may be issued and have not been yet."""
    kind = KINDS[kind_key]
    issued = issued_of_kind(kind_key).filter(voided_at__isnull=True).values("object_id")
    candidates = BATCH_CANDIDATES[kind_key]().exclude(pk__in=issued).order_by("pk")
    return [subject.pk for subject in candidates if kind.problem(subject) is None]


def document_batch_start(*, actor: User, kind_key: str):
    if kind_key not in BATCH_CANDIDATES:
        raise TransitionRefused(gettext("该类文件不能批量出具。"))
    _check(actor, KINDS[kind_key])
    ids = batch_subject_ids(kind_key)
    if not ids:
        raise TransitionRefused(gettext("没有需要出具的文件。"))
    return job_start(
        kind="document_batch",
        title=gettext("批量出具：%(kind)s（%(n)d 份）") % {"kind": KINDS[kind_key].label, "n": len(ids)},
        params={"kind": kind_key, "ids": ids},
        actor=actor,
        total=len(ids),
    )


def run_batch(job) -> None:
    """The worker's side: issue each document in its own transaction, saving progress."""
    kind = KINDS[job.params["kind"]]
    errors = []
    for done, pk in enumerate(job.params["ids"], start=1):
        try:
            with transaction.atomic():
                # Locked, then checked: a batch run again (its worker died mid-way, the message came
                # back) skips the subjects already issued, so no document gets a second number.
                subject = kind.subject.objects.select_for_update().filter(pk=pk).first()
                if subject is not None and not issued_of_kind(kind.key).filter(object_id=pk).exists():
                    document_issue(actor=job.requested_by, kind_key=kind.key, subject=subject)
        except (TransitionRefused, PermissionRefused) as exc:
            errors.append(f"{subject}: {exc.message}")
        progress(job, done)
    if errors:
        type(job).objects.filter(pk=job.pk).update(errors="\n".join(errors))
