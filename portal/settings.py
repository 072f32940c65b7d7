"""Settings of the Xinzhou pilot-base portal, driven by environment variables (django-environ).

Every value a deployment may change is read from the environment; README.md lists them. Without any
variable set the portal runs for a developer: SQLite, Celery tasks in-process, e-mail to the console.
"""

import secrets
import sys
from pathlib import Path

import environ

from portal.log_redaction import masked_logging

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Management commands that never sign, serve or send anything may run without a key (a build step
# or a developer's `manage.py makemigrations --check`); they get a random one for this process.
OFFLINE_COMMANDS = {
    "makemigrations",
    "migrate",
    "showmigrations",
    "sqlmigrate",
    "check",
    "collectstatic",
    "compilemessages",
    "makemessages",
    "graph_transitions",
    "diffsettings",
}
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    offline = Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-debug"
    elif offline:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        # Serving, workers and anything that signs must not silently fall back to a known value.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY 未设置：生产环境必须通过环境变量提供 SECRET_KEY。")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # third party
    "django_fsm",
    "django_fsm_log",
    "guardian",
    "rules",  # its one template tag, test_rule: templates ask the apps' named rights (permissions.py)
    "axes",
    "django_htmx",
    "django_filters",
    "django_celery_beat",
    "csp",
    # the platform
    "portal",
    "portal.accounts",
    "portal.notifications",
    "portal.documents",
    "portal.workflow",
    "portal.scheduling",
    # the domain
    "bases",
    "reviews",
    "assessments",
    # the site, which composes them all (dashboards)
    "portal.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY) on every response but an inline PDF.
    "portal.content_security.PortalCSPMiddleware",
    # A database that does not answer (restart, failover): a 503 page, no traceback (portal/resilience.py).
    "portal.resilience.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware last: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Forms render as Bootstrap 5 markup with labels, help and errors tied to their fields (portal/forms.py).
FORM_RENDERER = "portal.forms.PortalFormRenderer"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a writer instead of failing at once when the in-process worker and a request overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and Celery -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Short socket timeouts: with Redis down or unreachable a cache call fails in a second instead of
    # hanging the page; every use of the cache tolerates the failure (docs/operations.md).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # No broker: tasks run in-process, at once, in the caller (make run).
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A page must not wait for an unreachable broker: give up publishing quickly and send in-process
# (portal.notifications.services.enqueue_email); the daily job retries what could not be sent.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Nothing reads a task's return value: without this, publishing also subscribes to the result store,
# and with Redis down a page would wait ~20 s for that to give up before sending in-process.
CELERY_TASK_IGNORE_RESULT = True
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# A worker that dies mid-task (SIGKILL, OOM, lost machine) must not lose the task: a message is
# acknowledged only once its task has finished, and a task whose pool process died is queued again.
# Every task is idempotent, so running one twice has one effect: an e-mail is sent under a row lock
# on its unsent notification, a document batch skips what is already issued, the daily jobs
# de-duplicate by key (tests/resilience/test_worker_killed.py). A new task must be idempotent too.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message taken by a worker that then vanished is handed to another worker after this many seconds
# (Redis has no acknowledgement of its own). Above the task time limit, so a task still running is
# never handed out twice; a retried e-mail waits at most an hour (retry_backoff_max).
visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": visibility_timeout,
}

# --- relations across the layers ----------------------------------------------------------------
# A model of a lower layer that points at one of a higher layer names it through a setting, as Django's
# own apps name AUTH_USER_MODEL: the composition (this file) wires the apps, the lower app names none
# above it (docs/architecture.md).
# An issued document concerns a pilot base (or none): the platform's documents, bases' base.
DOCUMENTS_BASE_MODEL = "bases.PilotBase"
# An evaluation's meeting review was held by a reviews panel (Art. 17): assessments, reviews' panel.
EVALUATION_PANEL_MODEL = "reviews.Panel"

# --- authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes FIRST: placed later, a locked-out user would still get in through ModelBackend.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend and guardian's backend with fewer queries: the user read with their organisation,
    # model permissions cached in Redis, one guardian checker per request (portal/accounts/backends.py).
    "portal.accounts.backends.PortalModelBackend",
    "portal.accounts.backends.PortalObjectPermissionBackend",
]
# How long a user's model permissions stay in the cache (any change of groups or permissions drops
# them at once). Only with Redis: a cache per process could not be dropped in the other processes.
PERMISSION_CACHE_SECONDS = env.int("PERMISSION_CACHE_SECONDS", default=120) if REDIS_URL else 0
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "home"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_HOURS", default=1)
# Lock the pair (username, client address): locking a username alone lets anyone lock any account,
# locking an address alone locks everybody behind the same proxy or NAT. The client address is the
# forwarded one only from a trusted proxy (portal/client_ip.py, TRUSTED_PROXIES). A locked pair is
# freed after AXES_COOLOFF_HOURS, or at once by an administrator (admin → users → 解除登录锁定, or
# `manage.py axes_reset_username NAME`) — docs/security.md.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: the public sees only public pages

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Dates in Chinese form on Chinese pages (2026年3月5日), ISO on English ones.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the static root and are served only through permission-checking views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several machines share the uploads on S3-compatible object storage (django-storages): private
# objects, signed short-lived URLs only, never a public domain. Downloads still pass through the
# permission-checking views, which stream the object (the storage may be unreachable from browsers).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    # MinIO, Ceph and most on-premises servers want path-style addresses; AWS itself virtual-hosted.
    AWS_S3_ADDRESSING_STYLE = env.str(
        "AWS_S3_ADDRESSING_STYLE", default="path" if AWS_S3_ENDPOINT_URL else ""
    )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "addressing_style": AWS_S3_ADDRESSING_STYLE or None,
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "custom_domain": None,
            "file_overwrite": False,
        },
    }
# Behind the production proxy (docker-compose.yml, deploy/nginx/) the views answer a download with
# X-Accel-Redirect to this internal location of nginx instead of streaming the file; empty = stream.
PROTECTED_MEDIA_URL = env.str("PROTECTED_MEDIA_URL", default="")
if PROTECTED_MEDIA_URL and not (PROTECTED_MEDIA_URL.startswith("/") and PROTECTED_MEDIA_URL.endswith("/")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PROTECTED_MEDIA_URL 必须以 / 开头并以 / 结尾，例如 /protected-media/。")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="忻州市中试基地管理平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- security -------------------------------------------------------------------------------
# docs/security.md explains each control; with DEBUG off these defaults pass `manage.py check --deploy`
# without a warning (tests/security/test_deploy_settings.py).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", False) else None
# HTTPS only: plain HTTP is redirected, except the health check that compose and the proxy call on
# the container's own port (/healthz). On by default wherever the cookies are secure, so that a
# plain-HTTP intranet deployment (SECURE_COOKIES=false, deploy/nginx/portal.conf) is not redirected.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS (sent on HTTPS responses only): a year by default. Preloading is the domain owner's decision
# (it cannot be undone quickly and needs hstspreload.org), so it is off unless asked for, and Django's
# reminder about it (security.W021) is silenced only while it is off.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# guardian looks for its backend by name; its subclass PortalObjectPermissionBackend is hooked
# (AUTHENTICATION_BACKENDS above; tests/accounts/test_permission_backends.py checks object rights).
SILENCED_SYSTEM_CHECKS.append("guardian.W001")
# Content-Security-Policy (django-csp): only the portal's own files run or style a page — no inline
# script, event-handler attribute, javascript: URL, inline style or eval(). htmx is configured for it
# in templates/layout/base.html; tests/security/test_csp.py scans every template.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap's icons are data: SVGs in its CSS
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# from them the client's address is the header's last entry, which the proxy appended; from anyone
# else the header is ignored and the peer's address counts (portal/client_ip.py). Used by the login
# lockout and the objection rate limit. Empty (the default): the portal is exposed directly.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# --- portal ---------------------------------------------------------------------------------
# The demo password for seed_demo (refused when DEBUG is off).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-2024")
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# The bureau's key that signs every issued document (portal/documents/signing.py; README "Signing
# certificate"): a PKCS#12 file, or a PEM key and certificate; the passphrase of either. Without them a
# throw-away development key is made in DOCUMENT_SIGNING_DEV_DIR and the documents say so.
DOCUMENT_SIGNING_PKCS12 = env.str("DOCUMENT_SIGNING_PKCS12", default="")
DOCUMENT_SIGNING_KEY = env.str("DOCUMENT_SIGNING_KEY", default="")
DOCUMENT_SIGNING_CERT = env.str("DOCUMENT_SIGNING_CERT", default="")
DOCUMENT_SIGNING_PASSPHRASE = env.str("DOCUMENT_SIGNING_PASSPHRASE", default="")
DOCUMENT_SIGNING_DEV_DIR = env.path("DOCUMENT_SIGNING_DEV_DIR", default=BASE_DIR / ".dev-signing")

# Phone numbers, ID numbers and e-mail addresses are masked in every record a handler writes, whatever
# logged them (portal/log_redaction.py).
LOGGING = masked_logging(
    line_format="%(asctime)s %(levelname)s %(name)s %(message)s",
    handlers={"console": {"formatter": "plain"}},
    root={"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own loggers come with handlers of their own (a console handler that writes only under
    # DEBUG, the development server's request log, the e-mail to ADMINS): each would write what it
    # got unmasked. In every environment they write through the filtered console handler instead.
    loggers={
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
)
# A Celery worker would replace the root logger's handlers by its own (unfiltered): it keeps ours.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
