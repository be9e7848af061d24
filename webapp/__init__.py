"""Guest order self-service: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from .config import ROOT, load_config
from .json_provider import OrjsonProvider
from .logs import configure_logging


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.json = OrjsonProvider(app)
    load_config(app, config)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_error_handlers(app)
    register_template_context(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, db, end_read_only_transaction, limiter, migrate
    from .i18n import install_template_gettext, select_locale

    db.init_app(app)
    app.teardown_appcontext(end_read_only_transaction)  # runs before the session's removal
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from . import api, openapi, ops, views

    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(views.bp)


def register_security(app: Flask) -> None:
    from .security import install_security

    install_security(app)


def register_error_handlers(app: Flask) -> None:
    from .responses import install_error_handlers

    install_error_handlers(app)


def register_template_context(app: Flask) -> None:
    from .form_html import template_globals
    from .i18n import current_language

    app.jinja_env.globals.update(template_globals())

    @app.context_processor
    def language_context() -> dict[str, Any]:
        return {"current_language": current_language(), "languages": app.config["LANGUAGES"]}


def register_commands(app: Flask) -> None:
    from .cli import commands

    for command in commands:
        app.cli.add_command(command)
