"""The language of each request."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from werkzeug.exceptions import MethodNotAllowed

# Blueprints that answer JSON: their language comes from Accept-Language alone.
JSON_BLUEPRINTS = frozenset({"api", "openapi"})


def is_json_request() -> bool:
    """Whether this request is answered in JSON (errors included): by the blueprint of its
    route (for a method the route does not take, of the route with another method), else
    (an unknown URL) by what the client accepts."""
    blueprint = request.blueprint
    error = request.routing_exception
    if blueprint is None and isinstance(error, MethodNotAllowed) and error.valid_methods:
        adapter = current_app.create_url_adapter(request)
        if adapter is not None:
            endpoint, _arguments = adapter.match(method=next(iter(error.valid_methods)))
            blueprint = str(endpoint).rpartition(".")[0] or None
    if blueprint is not None:
        return blueprint in JSON_BLUEPRINTS
    accepted = request.accept_mimetypes
    return accepted.best_match(["text/html", "application/json"]) == "application/json"


def select_locale() -> str | None:
    """Pages: ``?lang=`` (remembered in the session), then the remembered choice, then
    Accept-Language, then the default. JSON answers: Accept-Language, then the default."""
    if not has_request_context():
        return None  # the default locale (CLI commands, services called without a request)
    languages = current_app.config["LANGUAGES"]
    if not is_json_request():
        wanted = request.args.get("lang")
        if wanted in languages:
            session["lang"] = wanted
            return str(wanted)
        remembered = session.get("lang")
        if remembered in languages:
            return str(remembered)
    best = request.accept_languages.best_match(languages)
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
