"""gunicorn settings (read from the working directory); environment variables override them."""

import json
import os

bind = os.environ.get("WEBAPP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEBAPP_THREADS", "1"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# WEBAPP_ACCESS_LOG=off silences the access log (benchmarks); it is on by default.
ACCESS_LOG = os.environ.get("WEBAPP_ACCESS_LOG", "on").strip().lower() not in {"off", "false", "0"}
accesslog = "-" if ACCESS_LOG else None
errorlog = "-"
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "logger": "access",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "user_agent": "%(a)s",
    }
)
STDOUT = "ext://sys.stdout"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "webapp.logs.JsonFormatter"},
        "plain": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": STDOUT},
        "access": {"class": "logging.StreamHandler", "formatter": "plain", "stream": STDOUT},
    },
    # gunicorn merges this into its defaults, whose root logger names a "console" handler
    # that is not defined here: without our own root, gunicorn refuses to start.
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "alembic": {"level": "WARNING"},
        "pyBarcode": {"level": "WARNING"},  # says at import that it draws no bitmaps
        "gunicorn.access": {
            "handlers": ["access"] if ACCESS_LOG else [],
            "level": "INFO" if ACCESS_LOG else "CRITICAL",
            "propagate": False,
        },
    },
}
