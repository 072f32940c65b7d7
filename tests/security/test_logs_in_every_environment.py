"""Personal data is masked in the logs of every environment — development (DEBUG on), production
(DEBUG off), the tests, the Celery worker and gunicorn — not only through the root logger: Django's
own loggers ("django", "django.server") used to keep their unfiltered handlers, which under DEBUG
wrote a phone number typed into a URL as it was."""

import subprocess
import sys
from pathlib import Path

import pytest

PHONE = "13912345678"
EMAIL = "zhao.liu@example.cn"
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = f"""
import logging, logging.config, runpy
import django
django.setup()
for name in ["django.request", "django.server", "django.security.csrf", "django", "axes.watch_login",
             "celery.app.trace", "celery.worker", "portal", ""]:
    logging.getLogger(name).error("Not Found: /notices/{PHONE}/ from {EMAIL} via %s", name or "root")
from portal.celery import app
assert app.conf.worker_hijack_root_logger is False, "the worker would replace the filtered handlers"
config = runpy.run_path("deploy/gunicorn.conf.py")["logconfig_dict"]
logging.config.dictConfig(config)
logging.getLogger("gunicorn.error").error("worker failed on /x/{PHONE}")
logging.getLogger("gunicorn.access").info("GET /x/{PHONE}")
print("done")
"""

ENVIRONMENTS = {
    "development": {"DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "true"},
    "production": {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portal.example.cn",
    },
    "tests": {"DJANGO_SETTINGS_MODULE": "portal.settings_test"},
}


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=list(ENVIRONMENTS))
def test_every_logger_masks_personal_data(environment):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LOG_LEVEL": "DEBUG", **ENVIRONMENTS[environment]}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "done" in result.stdout, output[-2000:]
    for name in ("django.request", "django.server", "celery.worker", "root"):
        assert f"/notices/[PHONE]/ from [EMAIL]@example.cn via {name}" in output, name
    assert "worker failed on /x/[PHONE]" in output and "GET /x/[PHONE]" in output
    assert PHONE not in output and "zhao.liu" not in output
