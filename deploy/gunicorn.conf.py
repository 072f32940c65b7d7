"""gunicorn's settings for the web container (Dockerfile CMD) and for `make bench`.

Workers: WEB_CONCURRENCY, or one per CPU this process may run on. The portal's pages are CPU-bound
(PostgreSQL answers in a few milliseconds; the time goes to Django), so more processes than cores
only share the same cores: on the bench's 2 cores with 8 concurrent clients, a base's page served
74 requests/s with 2 workers and 55 with 4, with less CPU per request (docs/performance.md).
Give a web container the cores it should use and leave WEB_CONCURRENCY unset, or set it to that
number.
"""

import os

# gunicorn puts the working directory (the project) on the path before it reads this file.
from portal.log_redaction import masked_logging

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)))
timeout = 60
# The access log leaves out query strings (%(U)s is the path alone): no searched-for personal data.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# gunicorn's own error log goes through the portal's personal-data filter too (portal/log_redaction.py):
# a worker's traceback may quote a request's data.
logconfig_dict = masked_logging(
    line_format="%(asctime)s [%(process)d] %(levelname)s %(message)s",
    handlers={
        "error_console": {"stream": "ext://sys.stderr", "formatter": "plain"},
        "access_console": {"stream": "ext://sys.stdout"},
    },
    # gunicorn lays this over its own defaults, whose root logger names a "console" handler that
    # this dictionary replaces: the root writes through the filtered error handler instead.
    root={"handlers": ["error_console"], "level": "INFO"},
    loggers={
        "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access_console"], "level": "INFO", "propagate": False},
    },
)
