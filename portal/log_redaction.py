"""Personal data stays out of the logs: a logging filter that masks mainland mobile and landline
numbers, resident ID numbers and the local part of e-mail addresses in every record a handler writes
(message, traceback, stack), whichever library logged it — e.g. django-axes logs the username someone
typed, which may be a phone number. Every handler of the portal and of gunicorn carries it: both
logging dictionaries are built by masked_logging below."""

import logging
import re

# Bounded by anything but a letter or digit, so that a hash, a timestamp or a longer number is left
# alone while "电话13912345678" is not.
_B, _E = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
PATTERNS = [
    # resident identity card: region, birth date (18xx–20xx), sequence, check digit
    (
        re.compile(_B + r"\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]" + _E),
        "[ID]",
    ),
    (re.compile(_B + r"(?:\+?86[- ]?)?1[3-9]\d{9}" + _E), "[PHONE]"),
    (re.compile(_B + r"0\d{2,3}-\d{7,8}(?:-\d{1,6})?" + _E), "[PHONE]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"), r"[EMAIL]@\1"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter to report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def masked_logging(*, line_format: str, handlers: dict, root: dict, loggers: dict) -> dict:
    """A logging dictionary whose every handler writes to a stream through the filter above: the
    portal's (settings.LOGGING) and gunicorn's (deploy/gunicorn.conf.py) are built here, so that no
    handler of either can be added without it. `handlers` gives each handler's own keys (stream,
    formatter); the one formatter is "plain", in `line_format`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"personal_data": {"()": f"{__name__}.RedactPersonalData"}},
        "formatters": {"plain": {"format": line_format}},
        "handlers": {
            name: {"class": "logging.StreamHandler", **own, "filters": ["personal_data"]}
            for name, own in handlers.items()
        },
        "root": root,
        "loggers": loggers,
    }
