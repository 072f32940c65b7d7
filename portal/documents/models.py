"""Uploaded files (evidence, letters, photos) attached to any record of the portal.

Files are stored under random names beneath MEDIA_ROOT (outside the static root) and are served only
through views that check the permission on the object they belong to.
"""

import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import actor_field, moment_field, optional_moment_field, unique_rule


def attachment_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("用途"), max_length=50, db_index=True)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    mime_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = actor_field(_("上传人"), optional=True)
    uploaded_at = moment_field(_("上传时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["content_type", "object_id", "purpose"])]
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


def latest_attachment(attachments, purpose: str):
    """The latest file of one purpose among a record's attachments (signed minutes, for one): a
    replacement is uploaded beside the earlier ones, which stay as history. Reads `attachments.all()`
    and filters in Python, so a prefetch of the attachments serves a whole list of records."""
    files = [a for a in attachments.all() if a.purpose == purpose]
    return max(files, key=lambda a: (a.uploaded_at, a.pk), default=None)


class WithMinutes(models.Model):
    """A meeting's record whose signed minutes (a PDF) are uploaded as its attachments of purpose
    `MINUTES_PURPOSE`: a panel, a Party-group meeting, an evaluation's meeting review. `minutes` is
    the current one, the latest uploaded."""

    MINUTES_PURPOSE: str

    attachments = GenericRelation("documents.Attachment")

    class Meta:
        abstract = True

    @property
    def minutes(self):
        return latest_attachment(self.attachments, self.MINUTES_PURPOSE)


class DocumentSequence(models.Model):
    """The last document number used per prefix and year (忻科字〔YYYY〕N号): allocated under a row
    lock, so numbers are never repeated or skipped, also when two documents are issued at once."""

    prefix = models.CharField(_("文号前缀"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("文号序列")
        constraints = [
            unique_rule(
                ["prefix", "year"], "one_sequence_per_prefix_year", _("该文号前缀本年度的序号已存在。")
            )
        ]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last}"


def issued_path(instance, filename: str) -> str:
    return f"issued/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.pdf"


# Letters of a verification code: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so that a code read off paper and
# typed in is not mistaken.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 10


def verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class IssuedDocument(models.Model):
    """A document the portal issued: the stored PDF (downloaded again byte-identical), its SHA-256,
    its number (bureau documents) and who issued it when.

    A document is issued once per subject and kind: while one is valid (not voided) no second may be
    stored (a constraint, so two requests at once cannot both issue). A correction voids it (reason,
    who, when) and issues the replacement, which points back at it; the voided one keeps its number,
    so the year's sequence stays gapless. `code` is the short verification code printed on it."""

    kind = models.CharField(_("文件类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    # The base it concerns, if any: the site names the model (settings.DOCUMENTS_BASE_MODEL).
    base = models.ForeignKey(
        settings.DOCUMENTS_BASE_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
    )
    number = models.CharField(_("文号"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=issued_path, max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_by = actor_field(_("出具人"))
    issued_at = moment_field(_("出具时间"))
    code = models.CharField(_("验证码"), max_length=CODE_LENGTH, unique=True, null=True, editable=False)
    signer = models.CharField(_("签名证书"), max_length=300, blank=True)
    signed_with_dev_key = models.BooleanField(_("开发用临时密钥签名"), default=False)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("更正的文件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    voided_at = optional_moment_field(_("作废时间"))
    voided_by = actor_field(_("作废人"), optional=True)
    void_reason = models.TextField(_("作废原因"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("已出具文件")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]
        constraints = [
            unique_rule(
                ["number"],
                "document_number_unique",
                _("该文号已被使用，请更换文号。"),
                condition=~models.Q(number=""),
            ),
            unique_rule(
                ["content_type", "object_id", "kind"],
                "one_valid_document_per_subject_and_kind",
                _("该文件已出具且有效，更正须先作废原文件。"),
                condition=models.Q(voided_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def display_code(self) -> str:
        """The code as printed: two groups of five (ABCDE-FGHJK)."""
        code = self.code or ""
        return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def job_path(instance, filename: str) -> str:
    return f"jobs/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}-{filename}"


class BackgroundJob(models.Model):
    """A long piece of work run by the worker (a batch of documents, a large export), with its
    progress for the page that polls it and, for an export, the file to download when ready."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("任务类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("参数"), default=dict)
    requested_by = actor_field(_("发起人"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    errors = models.TextField(_("错误"), blank=True)
    file = models.FileField(_("结果文件"), upload_to=job_path, max_length=200, blank=True)
    created_at = moment_field(_("创建时间"))
    finished_at = optional_moment_field(_("完成时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return (
            100 if self.state == self.State.DONE else int(100 * self.done / self.total) if self.total else 0
        )
