"""Operator endpoints (liveness and readiness probes) and the serving process's GC tuning."""

from __future__ import annotations

import gc

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("ops", __name__)

# A young-generation collection after 50,000 new container objects instead of 700: the read
# paths leave no reference cycles (tests/api/test_reference_cycles.py), so there is little
# for it to free, and each collection walks every young object.
GC_THRESHOLDS = (50_000, 20, 20)


def tune_garbage_collector() -> None:
    """For a serving process once the app is loaded (gunicorn: post_worker_init): start-up objects
    are frozen out of every collection, and young collections run less often."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ready", "database": "ok"})
