"""Operator commands: ``flask --app webapp init-db | seed-demo | import-orders FILE |
send-mail | prune``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .mail import run_sender
from .services.demo import seed_demo
from .services.importer import ImportError_, import_document
from .services.retention import prune_records
from .vocabulary import UserType


def create_schema() -> None:
    """Bring the schema to the newest migration (creates it on an empty database)."""
    upgrade()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (existing data is kept)."""
    create_schema()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo orders, reasons and shipping companies (safe to run again)."""
    create_schema()
    logins = seed_demo()
    click.echo("Demo guest logins (email / order number):")
    for login in logins:
        marker = "" if login["user_type"] == UserType.GUEST else " [registered: lookup must fail]"
        click.echo(f"  {login['email']:<22} {login['order']}  {login['shows']}{marker}")


@click.command("import-orders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_orders_command(file: Path) -> None:
    """Import orders, reasons and shipping companies from a JSON file, all or nothing."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{file}: not a UTF-8 JSON document ({error})") from None
    create_schema()
    try:
        counts = import_document(document)
    except ImportError_ as error:
        raise click.ClickException(str(error)) from None
    except IntegrityError as error:
        raise click.ClickException(f"conflicting data: {error.orig}") from None
    click.echo(
        "Imported {orders} orders, {cancellation_reasons} reasons, "
        "{shipping_companies} shipping companies.".format(**counts)
    )


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@with_appcontext
def send_mail_command(once: bool) -> None:
    """Send the outbox's messages, until stopped (or once): by SMTP with MAIL_URL, else as
    .eml files in instance/mail/ (one line printed per message)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        run_sender(app, once=once, echo=click.echo)
    except KeyboardInterrupt:
        click.echo("Mail sender stopped.")


@click.command("prune")
@with_appcontext
def prune_command() -> None:
    """Delete audit rows and sent mail older than RETENTION_DAYS, and expired idempotency
    records, emailed links and forgotten proofs."""
    config = current_app.config
    counts = prune_records(
        retention=timedelta(days=int(config["RETENTION_DAYS"])),
        session_lifetime=timedelta(minutes=int(config["SESSION_ORDER_MINUTES"])),
    )
    click.echo(", ".join(f"{table}: {count} deleted" for table, count in counts.items()))


commands = [
    init_db_command,
    seed_demo_command,
    import_orders_command,
    send_mail_command,
    prune_command,
]
