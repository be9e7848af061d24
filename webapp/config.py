"""Default configuration; every key can be overridden with a ``WEBAPP_`` environment variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, ClassVar

from flask import Flask

from .database import engine_options

PACKAGE = Path(__file__).resolve().parent
# What an installed wheel carries (setup.py copies it there); a checkout has no such folder.
PACKAGED = PACKAGE / "_data"
# The checkout, when running from one: templates/, static/, ... beside the package.
ROOT = PACKAGE.parent
DEFAULT_SECRET_KEY = "dev-only-secret-change-me"


def resource_dir(name: str) -> Path:
    """templates, static, translations or migrations: the checkout's own top-level folder
    when running from a checkout, else the copy the installed wheel carries."""
    return PACKAGED / name if PACKAGED.is_dir() else ROOT / name


def instance_dir() -> Path:
    """Where the database, the secret key and mail go: ``WEBAPP_INSTANCE_PATH``; else the
    checkout's instance/; else, once installed, the user's data folder."""
    if configured := os.environ.get("WEBAPP_INSTANCE_PATH"):
        return Path(configured).expanduser().absolute()
    if not PACKAGED.is_dir():
        return ROOT / "instance"
    data_home = os.environ.get("XDG_DATA_HOME", "")
    if not Path(data_home).is_absolute():  # unset, empty or relative: the XDG default
        data_home = str(Path.home() / ".local" / "share")
    return Path(data_home) / "webapp"


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # None: SQLite in the instance folder (instance_dir()).
    DATABASE_URL: str | None = None
    REFUND_WINDOW_DAYS = 14
    PICKUP_WINDOW_DAYS = 14
    PICKUP_EARLIEST_HOUR = "08:00"
    PICKUP_LATEST_HOUR = "20:00"
    STORE_TIMEZONE = "UTC"
    LANGUAGES: ClassVar[list[str]] = ["en", "tr", "de", "ar"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(resource_dir("translations"))
    MAX_CONTENT_LENGTH = 64 * 1024
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_ORDER_LIMIT = 10
    SESSION_ORDER_MINUTES = 30
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = "webapp"
    # When the shared storage (Redis) does not answer, count in this process's memory until
    # it is back (Flask-Limiter checks it again now and then); never wait long for it.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS: ClassVar[dict[str, Any]] = {
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
    }
    # Order proofs per client: API and page lookups, proofs in cancellation bodies and forms.
    LOOKUP_RATE_LIMIT = "10 per minute;50 per hour"
    FAILED_LOOKUP_LIMIT = "5 per 15 minutes"
    CANCELLATION_RATE_LIMIT = "30 per minute;300 per hour"
    # Emailed links to an order: per client, and per email address.
    ACCESS_LINK_CLIENT_LIMIT = "5 per hour"
    ACCESS_LINK_ADDRESS_LIMIT = "3 per hour"
    ACCESS_LINK_MINUTES = 15
    # "none": the page lookup shows the order to its email and number; "email": it sends a
    # link to the order's address instead (the API keeps the email and number lookup).
    LOOKUP_VERIFICATION = "none"
    # Hosts this site answers to (others get 400), and that POSTs may come from; none: any
    # host, POSTs only from this request's own. Required in production.
    TRUSTED_HOSTS: list[str] | None = None
    # How long audit rows, idempotency records, sent mail and used links are kept
    # (flask --app webapp prune).
    RETENTION_DAYS = 90
    TRUSTED_PROXIES = 0
    API_PAGE_SIZE = 50
    # Where self-sent returns go; shown on forms, confirmations and emails.
    RETURN_ADDRESS: ClassVar[dict[str, str]] = {
        "name": "Returns department",
        "line": "Moda Cd. 1",
        "district": "Kadikoy",
        "city": "Istanbul",
        "postcode": "34710",
        "country": "TR",
    }
    # Who shoppers write to when they need help (shown after a lookup miss, for instance).
    SHOP_CONTACT_EMAIL = "help@example.com"
    # Where shoppers with an account sign in; none: no sign-in link is shown.
    SIGN_IN_URL: str | None = None
    # The shop's name on return slips and in emails, and the site's address for links in them.
    SHOP_NAME = "Demo Shop"
    SITE_URL = "http://127.0.0.1:8000"
    # Mail: an SMTP URL (smtp://user:password@host:587?starttls=true, or smtps://host:465);
    # none: each message is written as an .eml file in MAIL_DIRECTORY (instance/mail/).
    MAIL_URL: str | None = None
    MAIL_FROM = "Order help <orders@example.com>"
    MAIL_DIRECTORY: str | None = None
    MAIL_TIMEOUT_SECONDS = 10
    MAIL_BATCH_SIZE = 20
    MAIL_POLL_SECONDS = 2
    MAIL_LEASE_SECONDS = 300
    MAIL_RETRY_BASE_SECONDS = 30
    MAIL_RETRY_MAX_SECONDS = 3600
    MAIL_MAX_ATTEMPTS = 12
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {}
    # Longest a statement may run (or wait for a lock) before the request answers 503; well
    # below gunicorn's worker timeout (30 s).
    DATABASE_STATEMENT_TIMEOUT_SECONDS = 5
    PRODUCTION = False
    LOG_LEVEL = "INFO"


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Defaults, then ``WEBAPP_*`` from the environment, then explicit overrides."""
    app.config.from_object(Config)
    app.config.from_prefixed_env("WEBAPP")
    if overrides:
        app.config.update(overrides)
    # Pages show dates and times in the store's zone, the one pickup days are counted in.
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["STORE_TIMEZONE"])
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'webapp.sqlite3'}"
    url = app.config["DATABASE_URL"]
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(url, float(app.config["DATABASE_STATEMENT_TIMEOUT_SECONDS"])),
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    }
    settle_secret_key(app)
    check_production(app)


def settle_secret_key(app: Flask) -> None:
    """Production refuses the default key; development gets a random one kept in instance/."""
    if app.config["SECRET_KEY"] != DEFAULT_SECRET_KEY:
        return
    if app.config["PRODUCTION"]:
        raise RuntimeError("Set WEBAPP_SECRET_KEY to a long random value to serve production.")
    if app.testing:
        return
    key_file = Path(app.instance_path) / "secret_key"
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()
    except OSError:
        app.logger.warning("Could not keep a development secret key in %s", key_file)


def check_production(app: Flask) -> None:
    """Production refuses settings that are only safe on one machine: no list of trusted
    hosts, or rate limits counted per process."""
    if not app.config["PRODUCTION"]:
        return
    if not app.config["TRUSTED_HOSTS"]:
        raise RuntimeError("Set WEBAPP_TRUSTED_HOSTS (a JSON list of host names) in production.")
    storage = str(app.config["RATELIMIT_STORAGE_URI"])
    if app.config["RATELIMIT_ENABLED"] and storage.startswith("memory://"):
        raise RuntimeError(
            "Set WEBAPP_RATELIMIT_STORAGE_URI to a storage all processes share "
            "(redis://...) in production: in-memory counters are per process."
        )
