"""gunicorn settings (read from the working directory); environment variables override them."""

import os

bind = os.environ.get("WEBAPP_BIND", "127.0.0.1:8000")
# One process with threads by default: rate-limit counters kept in memory (the embedded
# default) are then shared by every request. More processes need a shared storage (Redis).
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("WEBAPP_THREADS", "4"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# WEBAPP_ACCESS_LOG=off silences the access log (benchmarks); it is on by default.
ACCESS_LOG = os.environ.get("WEBAPP_ACCESS_LOG", "on").strip().lower() not in {"off", "false", "0"}
accesslog = "-" if ACCESS_LOG else None
errorlog = "-"
STDOUT = "ext://sys.stdout"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "webapp.logs.JsonFormatter"},
        # Each access line is built by this formatter from the request's atoms, as JSON.
        "access": {"()": "webapp.logs.AccessJsonFormatter"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": STDOUT},
        "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": STDOUT},
    },
    # gunicorn merges this into its defaults, whose root logger names a "console" handler
    # that is not defined here: without our own root, gunicorn refuses to start.
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "alembic": {"level": "WARNING"},
        "pyBarcode": {"level": "WARNING"},  # says at import that it draws no bitmaps
        "flask-limiter": {"level": "WARNING"},  # its INFO line names the client's address
        "gunicorn.access": {
            "handlers": ["access"] if ACCESS_LOG else [],
            "level": "INFO" if ACCESS_LOG else "CRITICAL",
            "propagate": False,
        },
    },
}


def on_starting(server) -> None:
    """Refuse several processes that would each count rate limits on their own."""
    limits_on = os.environ.get("WEBAPP_RATELIMIT_ENABLED", "true").strip().lower() != "false"
    storage = os.environ.get("WEBAPP_RATELIMIT_STORAGE_URI", "memory://")
    if server.cfg.workers > 1 and limits_on and storage.startswith("memory://"):
        raise SystemExit(
            "Rate limits kept in memory are counted per process: run one worker "
            "(WEB_CONCURRENCY=1, the default, with WEBAPP_THREADS threads) or set "
            "WEBAPP_RATELIMIT_STORAGE_URI=redis://... to share them between workers."
        )
