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
