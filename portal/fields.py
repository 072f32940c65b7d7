"""Model fields the portal declares again and again, declared once.

A record of a step keeps who took it and when. These factories return plain Django fields with
exactly the arguments the models spelled out before them, so the migration state is unchanged: a
model that takes its field from here needs no migration.
"""

from django.conf import settings
from django.db import models


def actor_field(verbose_name, *, optional: bool = False, **kwargs) -> models.ForeignKey:
    """The person who took a step: a user, never deleted while the record stands, with no reverse
    accessor (a user is the actor of too many kinds of record to name them all). `optional` for a
    step not taken yet, or taken by no person."""
    if optional:
        kwargs.update(null=True, blank=True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        **kwargs,
    )


def moment_field(verbose_name, **kwargs) -> models.DateTimeField:
    """When the record was made: set once on creation, never edited."""
    return models.DateTimeField(verbose_name, auto_now_add=True, **kwargs)


def updated_field(verbose_name, **kwargs) -> models.DateTimeField:
    """When the record was last saved."""
    return models.DateTimeField(verbose_name, auto_now=True, **kwargs)


def optional_moment_field(verbose_name, **kwargs) -> models.DateTimeField:
    """When a later step happened (concluded, closed, resolved …): empty until it does."""
    return models.DateTimeField(verbose_name, null=True, blank=True, **kwargs)


def unique_rule(fields, name: str, message, *, condition=None) -> models.UniqueConstraint:
    """A rule that no two rows share `fields` (among the rows matching `condition`, if given),
    with the message the person reads when a save breaks it. The same constraint as spelled out in
    full, so the migration state is unchanged."""
    return models.UniqueConstraint(
        fields=fields, condition=condition, name=name, violation_error_message=message
    )


def check_rule(condition, name: str, message) -> models.CheckConstraint:
    """A rule every row must meet (`condition`, a Q), with the message the person reads when a save
    breaks it."""
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)
