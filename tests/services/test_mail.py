"""Confirmation emails: written to the outbox with the requests, delivered by a sender to a
real SMTP server (aiosmtpd, in this process), retried while it is away, sent once."""

from __future__ import annotations

import email
import threading
from datetime import timedelta
from email.policy import default

import pytest
from sqlalchemy import select

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.mail import FileMailer, SmtpMailer, deliver_due, mailer_for
from webapp.models import OutboxMessage
from webapp.services.cancellations import (
    create_bulk_cancellation_requests,
    create_cancellation_request,
)

from .support import IBAN, pickup, refusal

FULL_IBAN = IBAN


@pytest.fixture()
def mail_app(app, smtp):
    app.config.update(MAIL_URL=smtp.url, MAIL_RETRY_BASE_SECONDS=60, MAIL_MAX_ATTEMPTS=3)
    return app


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def refund_with_pickup(order, reason, company, **extra):
    return create_cancellation_request(
        {"order_item": order.items[0].id, "reason": reason.id, "cancellation_type": "refund",
         "quantity": 1, "shipping_company": company.id,
         "pickup_address": order.shipping_address_id, "pickup_date": pickup(2), **extra},
        {order.id},
        language=extra.pop("language", "en"),
    )  # fmt: skip


def deliver(app, now=None) -> int:
    return deliver_due(app, mailer_for(app), echo=lambda line: None, now=now)


# --- the outbox -----------------------------------------------------------------------------


def test_a_request_writes_one_message_in_its_transaction(build, reason, company):
    order = build.order(items=[(550, 2)], delivered_days_ago=1)
    created = refund_with_pickup(order, reason, company)
    [message] = outbox()
    assert (message.kind, message.status, message.attempts) == ("requests_created", "pending", 0)
    assert f'"request_ids": [{created.requests[0].id}]' in message.payload
    assert FULL_IBAN not in message.payload and "@" not in message.payload


def test_a_bulk_writes_one_message_for_its_order(build, reason):
    order = build.order(items=[(450, 1), (450, 2)])
    entries = [{"order_item": item.id, "reason": reason.id, "cancellation_type": "cancel"}
               for item in order.items]  # fmt: skip
    create_bulk_cancellation_requests({"cancel_order_items": entries}, {order.id})
    assert len(outbox()) == 1


def test_a_refused_request_writes_no_message(build, reason):
    order = build.order(items=[(450, 1)])
    body = {"order_item": order.items[0].id, "reason": reason.id, "cancellation_type": "refund"}
    refusal(create_cancellation_request, body, {order.id})
    assert outbox() == []


# --- delivery -------------------------------------------------------------------------------


def test_the_message_reaches_the_orders_address_in_the_requests_language(
    mail_app, smtp, build, reason, company
):
    order = build.order(email="ada@example.com", items=[(550, 2)], delivered_days_ago=1,
                        payment_type="funds_transfer")  # fmt: skip
    created = refund_with_pickup(
        order, reason, company, iban=FULL_IBAN, holder_name="Ada Yilmaz", language="tr"
    )
    assert deliver(mail_app) == 1
    [received] = smtp.inbox.messages
    assert received["To"] == "ada@example.com"
    assert received["Subject"] == f"{order.number} numaralı sipariş için talebiniz"
    assert received["Content-Language"] == "tr"
    assert received["Message-ID"].startswith(f"<outbox-{outbox()[0].id}@")
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    code = created.requests[0].easy_return.code
    for part in (text, html):
        assert code in part
        assert "1326" in part and FULL_IBAN not in part  # the IBAN masked
        assert "Merhaba," in part
    assert 'lang="tr"' in html and "₺" in text
    assert outbox()[0].status == "sent"


def test_an_arabic_message_is_right_to_left(mail_app, smtp, build, reason, company):
    order = build.order(items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company, language="ar")
    deliver(mail_app)
    html = smtp.inbox.messages[0].get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
    assert "text-align:right" in html and "padding-right:20px" in html
    assert "text-align:left" not in html


def test_each_message_is_in_its_own_language_whatever_came_before(
    mail_app, smtp, build, reason, company
):
    for language in ("tr", "en", "de"):
        order = build.order(items=[(550, 1)], delivered_days_ago=1)
        refund_with_pickup(order, reason, company, language=language)
    deliver(mail_app)
    greetings = [
        message.get_body(preferencelist=("plain",)).get_content().split("\n")[3]
        for message in smtp.inbox.messages
    ]
    assert greetings == ["Merhaba,", "Hello,", "Guten Tag,"]


def test_a_message_is_retried_while_the_server_is_away_and_sent_once_it_is_back(
    mail_app, smtp, build, reason, company
):
    order = build.order(items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company)
    smtp.stop()
    now = utcnow()
    assert deliver(mail_app, now=now) == 1
    [waiting] = outbox()
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.next_attempt_at == now + timedelta(seconds=60)
    assert "ConnectionRefusedError" in waiting.last_error
    assert deliver(mail_app, now=now + timedelta(seconds=30)) == 0  # not due yet
    smtp.start()
    assert deliver(mail_app, now=now + timedelta(seconds=61)) == 1
    assert len(smtp.inbox.messages) == 1
    assert outbox()[0].status == "sent"
    assert deliver(mail_app, now=now + timedelta(hours=1)) == 0  # nothing is sent twice
    assert len(smtp.inbox.messages) == 1


def test_the_delay_between_attempts_grows(mail_app, smtp, build, reason, company):
    order = build.order(items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company)
    smtp.stop()
    now = utcnow()
    deliver(mail_app, now=now)
    deliver(mail_app, now=now + timedelta(seconds=60))
    assert outbox()[0].next_attempt_at == now + timedelta(seconds=60 + 120)


def test_a_message_is_given_up_after_the_last_attempt(mail_app, smtp, build, reason, company):
    order = build.order(items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company)
    smtp.stop()
    moment = utcnow()
    for _attempt in range(3):
        deliver(mail_app, now=moment)
        moment += timedelta(hours=2)
    [given_up] = outbox()
    assert (given_up.status, given_up.attempts) == ("failed", 3)
    assert given_up.last_error.startswith("gave up after 3 attempts")


def test_a_permanent_refusal_is_recorded_and_not_retried(mail_app, smtp, build, reason, company):
    order = build.order(email="nobody@refused.example", items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company)
    deliver(mail_app)
    [refused] = outbox()
    assert refused.status == "failed"
    assert "550" in refused.last_error
    assert deliver(mail_app, now=utcnow() + timedelta(days=1)) == 0


def test_a_claim_that_ran_out_is_sent_by_the_next_sender(mail_app, smtp, build, reason, company):
    from webapp.services.outbox import claim_due

    order = build.order(items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company)
    now = utcnow()
    [claimed] = claim_due(10, timedelta(minutes=5), now)  # a sender that stopped after this
    assert deliver(mail_app, now=now + timedelta(minutes=1)) == 0
    assert deliver(mail_app, now=now + timedelta(minutes=6)) == 1
    assert smtp.inbox.messages[0]["Message-ID"].startswith(f"<outbox-{claimed.id}@")


def test_two_senders_at_once_send_each_message_once(mail_app, smtp, build, reason):
    orders = [build.order(items=[(450, 1)]) for _ in range(12)]
    for order in orders:
        create_cancellation_request(
            {"order_item": order.items[0].id, "reason": reason.id, "cancellation_type": "cancel"},
            {order.id},
        )
    mail_app.config["MAIL_BATCH_SIZE"] = 3
    barrier = threading.Barrier(2)

    def sender() -> None:
        barrier.wait(timeout=10)
        while deliver(mail_app):
            pass

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    ids = sorted(message["Message-ID"] for message in smtp.inbox.messages)
    assert len(ids) == 12 and len(set(ids)) == 12
    assert {message.status for message in outbox()} == {"sent"}


# --- without a mail server ------------------------------------------------------------------


def test_without_a_mail_server_each_message_is_written_as_an_eml_file(
    app, tmp_path, build, reason, company
):
    app.config.update(MAIL_URL=None, MAIL_DIRECTORY=str(tmp_path / "mail"))
    order = build.order(email="eda@example.com", items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company)
    mailer = mailer_for(app)
    assert isinstance(mailer, FileMailer)
    lines: list[str] = []
    assert deliver_due(app, mailer, echo=lines.append) == 1
    [written] = list((tmp_path / "mail").glob("*.eml"))
    parsed = email.message_from_bytes(written.read_bytes(), policy=default)
    assert parsed["To"] == "eda@example.com"
    assert lines == [f"Mail {outbox()[0].id} to eda@example.com: {parsed['Subject']} -> {written}"]


def test_an_smtp_url_with_user_and_starttls_is_read(smtp):
    mailer = SmtpMailer("smtp://user%40x:secret@mail.example:587?starttls=true")
    assert mailer.url.endswith("?starttls=true")


def test_the_send_mail_command_sends_what_is_due_once(mail_app, smtp, build, reason, company):
    order = build.order(items=[(550, 1)], delivered_days_ago=1)
    refund_with_pickup(order, reason, company)
    result = mail_app.test_cli_runner().invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "Mail 1 to" in result.output or "Mail " in result.output
    assert len(smtp.inbox.messages) == 1
