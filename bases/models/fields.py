"""The field by which a record of any app belongs to one pilot base."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def base_field(related_name: str, *, one: bool = False, **kwargs) -> models.ForeignKey:
    """The base a record is about (a filing, a grade, a visit, a decision …): PROTECT, because the
    record is the base's history and a base with a history is revoked, never deleted. `one` for a
    record a base has at most one of (its award, its Party-group decision)."""
    field_class = models.OneToOneField if one else models.ForeignKey
    return field_class(
        "bases.PilotBase",
        verbose_name=_("中试基地"),
        on_delete=models.PROTECT,
        related_name=related_name,
        **kwargs,
    )
