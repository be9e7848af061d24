"""Structured JSON log lines on stdout, for the app and for gunicorn's error and access logs.

No line carries a client address: the access line names none, and Flask-Limiter's line about
a refused request (which names one) is below the level logged.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime

from flask import Flask

STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


# gunicorn's access atoms written on each access line (never "h", the client address).
ACCESS_FIELDS = {
    "method": "m",
    "path": "U",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "user_agent": "a",
}


class AccessJsonFormatter(logging.Formatter):
    """gunicorn's access line as one JSON object, built from the request's atoms (gunicorn
    passes them as the record's arguments), so that whatever a path or header carries, a
    newline or a quote included, stays inside its string."""

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, Mapping) else {}
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "logger": "access",
        }
        for key, atom in ACCESS_FIELDS.items():
            entry[key] = atoms.get(atom)
        return json.dumps(entry, default=str, ensure_ascii=False)


# Loggers whose INFO lines name a client address.
QUIET_LOGGERS = ("flask-limiter",)


def quiet_loggers() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(app: Flask) -> None:
    """Outside tests, the ``webapp`` loggers write JSON lines to stdout."""
    quiet_loggers()
    if app.testing or app.config.get("LOG_JSON") is False:
        return
    logger = logging.getLogger("webapp")
    if any(isinstance(handler.formatter, JsonFormatter) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = False
