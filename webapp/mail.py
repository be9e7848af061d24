"""Sending the outbox's messages (``flask --app webapp send-mail``): each rendered in the
shopper's language from the requests it tells about, delivered with the standard library's
``smtplib`` and ``email``, or written as an ``.eml`` file when no mail server is configured."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .clock import utcnow
from .services import access, outbox
from .services.orders import view_order_header, view_order_requests

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


class TemporaryFailure(Exception):
    """The mail server was away, or answered with a temporary (4xx) error: try again later."""


class PermanentFailure(Exception):
    """The mail server refused the message for good (5xx)."""


class Mailer(Protocol):
    def send(self, message: EmailMessage, message_id: int) -> str:
        """Deliver the message; a few words on where it went."""


@dataclass(frozen=True)
class SmtpMailer:
    """SMTP from a URL: ``smtp://user:password@host:587?starttls=true`` or ``smtps://...:465``."""

    url: str
    timeout: float = 10.0

    def send(self, message: EmailMessage, message_id: int) -> str:
        parts = urlsplit(self.url)
        secure = parts.scheme == "smtps"
        host = parts.hostname or "localhost"
        port = parts.port or (465 if secure else 25)
        starttls = parse_qs(parts.query).get("starttls", ["false"])[0].lower() in TRUE_WORDS
        client: type[smtplib.SMTP] = smtplib.SMTP_SSL if secure else smtplib.SMTP
        try:
            with client(host, port, timeout=self.timeout) as smtp:
                if starttls:
                    smtp.starttls()
                if parts.username:
                    smtp.login(unquote(parts.username), unquote(parts.password or ""))
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {codes}") from None
            raise TemporaryFailure(f"recipient deferred: {codes}") from None
        except smtplib.SMTPResponseException as error:
            reply = f"{error.smtp_code} {error.smtp_error!r}"
            if error.smtp_code >= 500:
                raise PermanentFailure(reply) from None
            raise TemporaryFailure(reply) from None
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from None
        return f"{host}:{port}"


@dataclass(frozen=True)
class FileMailer:
    """No mail server: each message becomes an ``.eml`` file (any mail program opens it)."""

    directory: Path

    def send(self, message: EmailMessage, message_id: int) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = self.directory / f"{stamp}-{message_id}.eml"
        path.write_bytes(bytes(message))
        return str(path)


def mailer_for(app: Flask) -> Mailer:
    url = app.config["MAIL_URL"]
    if url:
        return SmtpMailer(url, timeout=float(app.config["MAIL_TIMEOUT_SECONDS"]))
    return FileMailer(Path(app.config["MAIL_DIRECTORY"] or Path(app.instance_path) / "mail"))


def render_requests_created(app: Flask, claimed: outbox.Claimed) -> EmailMessage | None:
    """The message about requests just created, in the language they were asked in; None when
    they are gone."""
    payload = claimed.payload
    headers = {"Accept-Language": payload["language"]}
    with app.test_request_context("/", base_url=app.config["SITE_URL"], headers=headers):
        found = view_order_requests(payload["order_id"], payload["request_ids"])
        if found is None:
            return None
        order, created, amounts = found
        context = {
            "order": order,
            "created": created,
            "amounts": amounts,
            "shop_name": app.config["SHOP_NAME"],
            "lookup_url": url_for("pages.lookup", _external=True),
            "slip_urls": {
                request.id: url_for(
                    "pages.lookup",
                    next=url_for("pages.return_slip", order_id=order.id, request_id=request.id),
                    _external=True,
                )
                for _item, request in created
                if request.easy_return is not None
            },
        }
        subject = ngettext(
            "Your request for order %(number)s",
            "Your %(num)d requests for order %(number)s",
            len(created),
            number=order.number,
        )
        # The line mail programs show beside the subject in a list of messages.
        preheader = _("What happens next, and where your money goes.")
        text = render_template("mail/requests_created.txt", subject=subject, **context)
        html = render_template(
            "mail/requests_created.html", subject=subject, preheader=preheader, **context
        )
        language = payload["language"]
    return build_message(app, claimed, order.user_email, subject, text, html, language)


def render_access_link(app: Flask, claimed: outbox.Claimed) -> EmailMessage | None:
    """The emailed one-time link to an order; None when the link was used or ran out."""
    payload = claimed.payload
    headers = {"Accept-Language": payload["language"]}
    with app.test_request_context("/", base_url=app.config["SITE_URL"], headers=headers):
        link = access.usable_link_by_id(payload["link_id"])
        if link is None:
            return None
        found = view_order_header(link.order_id)
        if found is None:
            return None
        order_number, address = found
        url = url_for(
            "pages.open_access_link",
            link_id=link.id,
            token=access.link_token(link.id, link.salt),
            _external=True,
        )
        subject = _("Your link to order %(number)s", number=order_number)
        context = {
            "subject": subject,
            "url": url,
            "number": order_number,
            "minutes": app.config["ACCESS_LINK_MINUTES"],
            "shop_name": app.config["SHOP_NAME"],
            "preheader": _("It works once, for a short while."),
        }
        text = render_template("mail/access_link.txt", **context)
        html = render_template("mail/access_link.html", **context)
    return build_message(app, claimed, address, subject, text, html, payload["language"])


def build_message(
    app: Flask,
    claimed: outbox.Claimed,
    to: str,
    subject: str,
    text: str,
    html: str,
    language: str,
) -> EmailMessage:
    message = EmailMessage()
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["From"] = app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = urlsplit(app.config["SITE_URL"]).hostname or "localhost"
    message["Message-ID"] = f"<outbox-{claimed.id}@{domain}>"
    message["Content-Language"] = language
    return message


RENDERERS: dict[str, Callable[[Flask, outbox.Claimed], EmailMessage | None]] = {
    outbox.REQUESTS_CREATED: render_requests_created,
    outbox.ACCESS_LINK: render_access_link,
}


def retry_delay(app: Flask, attempts: int) -> timedelta:
    """A growing delay between attempts: the base, doubled for each attempt, at most the cap."""
    base = float(app.config["MAIL_RETRY_BASE_SECONDS"])
    cap = float(app.config["MAIL_RETRY_MAX_SECONDS"])
    return timedelta(seconds=min(base * 2 ** (attempts - 1), cap))


def deliver_due(
    app: Flask, mailer: Mailer, echo: Callable[[str], None] = print, now: datetime | None = None
) -> int:
    """Claim the due messages, send each, settle each; the number of messages handled."""
    now = now or utcnow()
    with app.app_context():
        claimed = outbox.claim_due(
            int(app.config["MAIL_BATCH_SIZE"]),
            timedelta(seconds=float(app.config["MAIL_LEASE_SECONDS"])),
            now,
        )
    for message in claimed:
        # An app context of its own for each message, as for each web request: what Flask
        # keeps on ``g`` (the language, its catalog) is never one message's for the next.
        with app.app_context():
            _deliver(app, mailer, message, echo, now)
    return len(claimed)


def _deliver(
    app: Flask, mailer: Mailer, claimed: outbox.Claimed, echo: Callable[[str], None], now: datetime
) -> None:
    render = RENDERERS.get(claimed.kind)
    message = render(app, claimed) if render else None
    if message is None:
        outbox.mark_failed(claimed.id, f"nothing to send for {claimed.kind}")
        return
    try:
        where = mailer.send(message, claimed.id)
    except PermanentFailure as error:
        outbox.mark_failed(claimed.id, str(error))
        app.logger.warning("mail %s refused: %s", claimed.id, error)
        return
    except TemporaryFailure as error:
        if claimed.attempts >= int(app.config["MAIL_MAX_ATTEMPTS"]):
            outbox.mark_failed(claimed.id, f"gave up after {claimed.attempts} attempts: {error}")
            app.logger.warning("mail %s given up: %s", claimed.id, error)
        else:
            outbox.mark_retry(claimed.id, str(error), now + retry_delay(app, claimed.attempts))
            app.logger.info("mail %s to be tried again: %s", claimed.id, error)
        return
    outbox.mark_sent(claimed.id)
    echo(f"Mail {claimed.id} to {message['To']}: {message['Subject']} -> {where}")


def run_sender(app: Flask, once: bool = False, echo: Callable[[str], None] = print) -> None:
    """Send what is due until stopped (or once); sleep a little when nothing is."""
    mailer = mailer_for(app)
    pause = float(app.config["MAIL_POLL_SECONDS"])
    while True:
        handled = deliver_due(app, mailer, echo)
        if once:
            return
        if not handled:
            time.sleep(pause)
