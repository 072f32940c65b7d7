"""Production settings pass Django's deployment checklist (`manage.py check --deploy`) with no warning,
and the test settings keep the production security values except the HTTPS redirect."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def production_env(tmp_path, **overrides) -> dict[str, str]:
    """A production-like environment: DEBUG off, a long random key, a real host name; SQLite."""
    env = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is tests/conftest.py's, for Playwright; never set in production
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
        and not k.startswith(("SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://portal.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        BEHIND_TLS_PROXY="true",
    )
    env.update(overrides)
    return env


def check_deploy(env):
    return subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_without_a_warning_under_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output
    assert "System check identified no issues" in output


def test_check_deploy_catches_an_insecure_production_setting(tmp_path):
    """The check above can fail: switching the HTTPS redirect and HSTS off is reported."""
    result = check_deploy(production_env(tmp_path, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "security.W008" in output and "security.W004" in output


def production_value(env, *names):
    code = "import django; django.setup(); from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_https_redirect_follows_secure_cookies_unless_set_explicitly(tmp_path):
    """HTTPS deployments redirect plain HTTP; a plain-HTTP intranet (SECURE_COOKIES=false) does not."""
    names = ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS")
    assert production_value(production_env(tmp_path), *names) == ["True", "True", "True", "31536000"]
    intranet = production_env(tmp_path, SECURE_COOKIES="false")
    assert production_value(intranet, *names) == ["False", "False", "False", "31536000"]
    forced = production_env(tmp_path, SECURE_COOKIES="false", SECURE_SSL_REDIRECT="true")
    assert production_value(forced, "SECURE_SSL_REDIRECT") == ["True"]


def test_test_settings_keep_production_security_but_speak_plain_http():
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is False  # the test client and live server speak HTTP
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert settings.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]
