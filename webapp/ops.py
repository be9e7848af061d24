"""Operator endpoints: liveness and readiness probes.

Readiness also asks for a compiled catalog (messages.mo) for every language of ``LANGUAGES``:
without one, that language's pages would be silently English. English has its own catalog
too (translations/en), so it is asked for like the others. A missing catalog is also logged
once when the app starts; the app starts all the same.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify
from flask.blueprints import BlueprintSetupState
from flask.sansio.app import App
from flask.typing import ResponseReturnValue
from flask_babel import get_babel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .limiter_health import limiter_storage_state

bp = Blueprint("ops", __name__)


def missing_catalogs(app: App) -> list[str]:
    """The languages of ``LANGUAGES`` with no compiled catalog in the translation folders."""
    babel = get_babel(app)
    folders = [Path(folder) for folder in babel.translation_directories]
    compiled = f"{babel.default_domain}.mo"
    return [
        language
        for language in app.config["LANGUAGES"]
        if not any((folder / language / "LC_MESSAGES" / compiled).is_file() for folder in folders)
    ]


@bp.record_once
def report_missing_catalogs(state: BlueprintSetupState) -> None:
    if missing := missing_catalogs(state.app):
        state.app.logger.error(
            "No compiled catalog for %s in %s: those pages would be in English "
            "(compile them: make translations, or build and install the wheel)",
            ", ".join(missing),
            ";".join(get_babel(state.app).translation_directories),
            extra={"missing_catalogs": missing},
        )


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    checks = {"database": "ok", "translations": "ok"}
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        checks["database"] = "unreachable"
    if missing := missing_catalogs(current_app):
        checks["translations"] = "missing: " + ", ".join(missing)
    if checks != {"database": "ok", "translations": "ok"}:
        return jsonify({"status": "unavailable", **checks}), 503
    # Without the shared rate-limit storage the site still serves (per-process counters).
    return jsonify({"status": "ready", **checks, "rate_limits": limiter_storage_state()})
