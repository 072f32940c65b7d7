"""The Celery application. Tasks take ids, never model instances, and are dispatched on commit.

With REDIS_URL set, Redis is the broker; without it (make run) tasks run in-process at once.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
