"""Test settings: the real settings, with what makes a test run fast and deterministic.

DATABASE_URL and REDIS_URL still come from the environment, so CI runs the suite on PostgreSQL
and Redis for real; without them it runs on SQLite.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from portal.settings import *  # noqa: F403
from portal.settings import BASE_DIR, CACHES

# xdist workers share one Redis: each keeps its cache keys to itself (a save in one worker's test
# must not drop the dashboard figures another worker's test is looking at).
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "main")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One folder per xdist worker: each worker empties its own at the end of its session, never the
# folder of a worker still running.
MEDIA_ROOT = BASE_DIR / ".test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
# The throw-away signing key of the tests, shared by the workers (made once, atomically).
DOCUMENT_SIGNING_DEV_DIR = BASE_DIR / ".test-media" / "signing"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client speaks plain HTTP: no redirect to HTTPS (HSTS and the rest stay as in production;
# tests/security checks them over a secure request).
SECURE_SSL_REDIRECT = False
