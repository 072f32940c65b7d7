"""Settings of the worker processes started by tests/resilience/test_worker_killed.py: the test
settings, with e-mail sent by SMTP to the test's own server and abandoned messages looked for every
second (production: every 100 s) so that a test need not wait long."""

import os

from portal.settings_test import *  # noqa: F403
from portal.settings_test import CELERY_BROKER_TRANSPORT_OPTIONS

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("TEST_SMTP_PORT", "25"))
EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
