"""The OpenAPI 3.1 document of the JSON API, served at ``/openapi.json``."""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify({})
