"""Guest order self-service: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from .config import instance_dir, load_config, resource_dir


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_path=str(instance_dir()),
    )
    load_config(app, config)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def configure_logging(app: Flask) -> None:
    from .logs import configure_logging as configure

    configure(app)


def register_extensions(app: Flask) -> None:
    from .database import configure_engine
    from .extensions import babel, csrf, db, limiter, migrate
    from .i18n import install_template_gettext, select_locale
    from .json_provider import OrjsonProvider

    app.json = OrjsonProvider(app)
    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from . import api, openapi, ops, pages

    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(pages.bp)


def register_security(app: Flask) -> None:
    from .security import install_security

    install_security(app)


def register_error_handlers(app: Flask) -> None:
    from .responses import install_error_handlers

    install_error_handlers(app)


def register_commands(app: Flask) -> None:
    from .cli import commands

    for command in commands:
        app.cli.add_command(command)
