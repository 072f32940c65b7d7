"""Version keys for cached things that must never be older than the last change (the dashboard's
figures, users' rights): entries are stored under, or with, the current version, and a change
replaces the version instead of finding and deleting every entry.

A change replaces it at once and again when its transaction commits, so a value computed in between
from the old data is not kept under the new version. Every call tolerates a cache that does not
answer: the caller then computes from the database.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def current_version(key: str) -> str:
    """The version under `key`, made when there is none yet (raises when the cache does not answer)."""
    return cache.get_or_set(key, uuid.uuid4().hex, None)


def bump_version(key: str) -> None:
    """Replace the version under `key` now and when the current transaction commits."""

    def bump():
        try:
            cache.set(key, uuid.uuid4().hex, None)
        except Exception:
            logger.warning("cache unavailable; %s not replaced", key)

    bump()
    transaction.on_commit(bump)


def cached_figure(version_key: str, name: str, compute, seconds: int = 600):
    """A figure computed over many rows, kept in the cache under the current version of
    `version_key` (replaced by whoever changes the rows it is computed from) and the day; computed
    directly when the cache does not answer."""
    try:
        version = current_version(version_key)
        key = f"figure:{version_key}:{version}:{name}:{timezone.localdate():%Y%m%d}"
        value = cache.get(key)
    except Exception:
        logger.warning("cache unavailable; computing %s directly", name)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception:
            logger.warning("cache unavailable; %s not kept", name)
    return value
