"""The platform: configuration and cross-cutting apps of the pilot-base portal."""

from portal.celery import app as celery_app

__all__ = ("celery_app",)
