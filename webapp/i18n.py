"""The language of each request, and its catalog."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_translations
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


def request_translations() -> NullTranslations:
    """This request's catalog, looked up once per request (Flask-Babel finds it through its
    locale selector on every call); kept on ``g``, which lives as long as the request."""
    if not has_app_context():
        return get_translations()
    found: NullTranslations | None = g.get("_webapp_translations")
    if found is None:
        found = g._webapp_translations = get_translations()
    return found


def template_gettext(string: str) -> str:
    return str(request_translations().ugettext(string))


def template_ngettext(singular: str, plural: str, num: int) -> str:
    return str(request_translations().ungettext(singular, plural, num))


def install_template_gettext(app: Flask) -> None:
    """Templates translate with this request's catalog, through Jinja's i18n extension (newstyle:
    autoescaped, ``%(name)s`` filled in), as Flask-Babel sets it up."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=template_gettext, ngettext=template_ngettext, newstyle=True
    )
