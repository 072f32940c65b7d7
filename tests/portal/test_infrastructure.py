"""The settings the portal promises: time zone, language, Redis when REDIS_URL is set, axes first."""

import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache


def test_time_zone_and_language_are_fixed():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_axes_backend_comes_first():
    # Placed later, a locked-out user would still get in through ModelBackend.
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_the_cache_round_trips_through_the_configured_backend():
    cache.set("portal-infra-test", {"值": 1}, 30)
    assert cache.get("portal-infra-test") == {"值": 1}
    if os.environ.get("REDIS_URL"):
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        assert any(b"portal-infra-test" in key for key in client.keys("*portal-infra-test*"))
    cache.delete("portal-infra-test")


def test_celery_uses_redis_as_broker_when_redis_url_is_set():
    from portal.celery import app

    if os.environ.get("REDIS_URL"):
        assert app.conf.broker_url == os.environ["REDIS_URL"]
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)  # the broker really answers
    else:
        assert app.conf.broker_url.startswith("memory://")
    assert app.conf.task_serializer == "json"


def test_settings_refuse_to_start_without_a_secret_key_in_production():
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_offline_management_commands_run_without_a_secret_key_but_serving_ones_do_not():
    """`manage.py makemigrations --check` (a build step) needs no key; `createsuperuser` does."""
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    Path(django_settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    env["DATABASE_URL"] = f"sqlite:///{Path(django_settings.MEDIA_ROOT) / 'offline.sqlite3'}"
    manage = str(django_settings.BASE_DIR / "manage.py")
    offline = subprocess.run(
        [sys.executable, manage, "makemigrations", "--check", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert offline.returncode == 0, offline.stderr
    serving = subprocess.run(
        [sys.executable, manage, "createsuperuser", "--noinput", "--username", "x"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert serving.returncode != 0 and "SECRET_KEY" in serving.stderr
