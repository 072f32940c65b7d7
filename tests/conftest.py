"""Shared fixtures. Celery runs eagerly in tests (set on the app's conf, not through settings)."""

import os
import shutil

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API inside pytest-django


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    from portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language: a request in English (LocaleMiddleware
    activates it for the thread) must not leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def people(db):
    """One person of every role, in two jurisdictions, so that scope can be tested both ways."""
    from tests.factories import make_people

    return make_people()
