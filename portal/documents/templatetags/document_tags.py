"""`{% load document_tags %}`: the issued documents about any record, for the page of that record
(a public notice links its 公示 PDF, a reporting round its 通报), without its view changing."""

from django import template
from django.contrib.contenttypes.models import ContentType

from portal.documents.models import IssuedDocument

register = template.Library()


@register.simple_tag
def documents_about(subject, kind=None) -> dict:
    """The documents issued about `subject` (of `kind`), the valid one first, then voided ones;
    `valid` is the one in force (None before it is issued)."""
    if subject is None or subject.pk is None:
        return {"all": [], "valid": None}
    documents = IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )
    if kind:
        documents = documents.filter(kind=kind)
    found = list(documents.order_by("voided_at", "-issued_at", "-pk"))
    return {"all": found, "valid": next((d for d in found if d.voided_at is None), None)}
