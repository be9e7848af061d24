"""Emailed one-time links to an order: the way in that failed guesses on its number never close,
and, with LOOKUP_VERIFICATION=email, the only way in from the pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from webapp.clock import utcnow
from webapp.extensions import db, limiter
from webapp.mail import deliver_due, mailer_for
from webapp.models import AccessLink, CancellationRequest, OutboxMessage

from ..conftest import ApiClient
from .pages import Shopper, form_values, soup

OWNER = "owner@example.com"
NUMBER = "710000000001"
LINK = re.compile(r"https?://\S+/access/\d+/[\w-]+/")


@pytest.fixture()
def order(build):
    return build.order(email=OWNER, number=NUMBER)


@pytest.fixture()
def mail_app(make_app, smtp):
    """Rate limits on, as in production; mail to the test's SMTP server."""
    app = make_app(RATELIMIT_ENABLED=True, MAIL_URL=smtp.url)
    limiter.reset()
    return app


def ask_for_link(client, email: str, number: str, address: str = "127.0.0.1"):
    """Press "Email me a link to this order" on the lookup page (and follow where it leads)."""
    page = soup(client.get("/"))
    form = page.select_one("#lookup-form")
    button = form.select_one("#email-link")
    values = {**form_values(form), "email": email, "order": number}
    return client.post(
        button["formaction"], data=values, environ_base={"REMOTE_ADDR": address},
        follow_redirects=True,
    )  # fmt: skip


def emailed_link(app, smtp) -> str:
    """Send what the outbox holds; the link in the one message received."""
    deliver_due(app, mailer_for(app), echo=lambda line: None)
    [message] = smtp.inbox.messages
    smtp.inbox.messages.clear()
    [url] = set(LINK.findall(message.get_body(("plain",)).get_content()))
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def open_link(client, path: str):
    """Open the link's page, then press its button, as a shopper does."""
    page = client.get(path)
    if page.status_code != 200:
        return page
    form = soup(page).select_one("#open-form")
    return client.post(path, data=form_values(form))


def outbox_size() -> int:
    db.session.expire_all()
    return len(db.session.scalars(select(OutboxMessage.id)).all())


def test_the_lookup_page_offers_to_email_a_link_to_the_order(client):
    button = soup(client.get("/")).select_one("#lookup-form #email-link")
    assert button["formaction"] == "/access/"
    assert button.get_text(strip=True) == "Email me a link to this order"


def test_asking_for_a_link_answers_the_same_whether_or_not_the_order_exists(mail_app, order):
    client = mail_app.test_client()
    known = ask_for_link(client, OWNER, NUMBER)
    unknown = ask_for_link(client, OWNER, "719999999999")
    wrong_email = ask_for_link(client, "someone@example.com", NUMBER)
    answers = [
        soup(reply).select_one("#access-sent").get_text() for reply in (known, unknown, wrong_email)
    ]
    assert [reply.status_code for reply in (known, unknown, wrong_email)] == [200, 200, 200]
    sent = [
        (reply.history[0].status_code, reply.request.path)
        for reply in (known, unknown, wrong_email)
    ]
    assert sent == [(303, "/access/sent/")] * 3  # post/redirect/get: a reload sends nothing
    assert len(set(answers)) == 1
    assert outbox_size() == 1


def test_the_emailed_link_opens_the_order_once(mail_app, smtp, order):
    client = mail_app.test_client()
    ask_for_link(client, OWNER, NUMBER)
    path = emailed_link(mail_app, smtp)
    browser = mail_app.test_client()
    assert browser.get(path).status_code == 200  # a mail program's check spends nothing
    opened = open_link(browser, path)
    assert opened.status_code == 303
    assert opened.headers["Location"].endswith(f"/orders/{order.id}/")
    assert browser.get(f"/orders/{order.id}/").status_code == 200
    again = open_link(mail_app.test_client(), path)
    assert again.status_code == 410


def test_a_link_with_a_changed_secret_opens_nothing(mail_app, smtp, order):
    client = mail_app.test_client()
    ask_for_link(client, OWNER, NUMBER)
    path = emailed_link(mail_app, smtp)
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.get(forged).status_code == 410
    assert open_link(client, path).status_code == 303


def test_a_link_expires_after_fifteen_minutes(mail_app, smtp, order):
    client = mail_app.test_client()
    ask_for_link(client, OWNER, NUMBER)
    path = emailed_link(mail_app, smtp)
    link = db.session.scalars(select(AccessLink)).one()
    assert timedelta(minutes=14) < link.expires_at - link.created_date <= timedelta(minutes=15)
    db.session.execute(update(AccessLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    expired = client.get(path)
    assert expired.status_code == 410
    assert soup(expired).select_one('a[href="/access/"]') is not None


def test_the_link_email_is_in_the_language_it_was_asked_in(mail_app, smtp, order):
    client = mail_app.test_client()
    page = soup(client.get("/", headers={"Accept-Language": "tr"}))
    form = page.select_one("#lookup-form")
    client.post("/access/", data={**form_values(form), "email": OWNER, "order": NUMBER},
                headers={"Accept-Language": "tr"})  # fmt: skip
    deliver_due(mail_app, mailer_for(mail_app), echo=lambda line: None)
    [message] = smtp.inbox.messages
    assert message["To"] == OWNER
    assert NUMBER in message["Subject"]
    assert message["Subject"] != f"Your link to order {NUMBER}"
    assert 'lang="tr"' in message.get_body(("html",)).get_content()


def test_failed_guesses_on_a_number_never_keep_its_owner_out(mail_app, smtp, order):
    guesser = ApiClient(mail_app.test_client())
    for _ in range(5):
        assert guesser.lookup("guess@example.com", NUMBER).status_code == 404
    owner = Shopper(mail_app.test_client())
    page = soup(owner.client.get("/"))
    blocked = owner.client.post(
        "/", data={**form_values(page.select_one("#lookup-form")), "email": OWNER, "order": NUMBER},
        environ_base={"REMOTE_ADDR": "10.1.1.1"},
    )  # fmt: skip
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    note = soup(blocked).select_one("#lookup-blocked")
    assert note.select_one('a[href="/access/"]') is not None

    sent = ask_for_link(owner.client, OWNER, NUMBER, address="10.1.1.1")
    assert sent.status_code == 200
    opened = open_link(owner.client, emailed_link(mail_app, smtp))
    assert opened.status_code == 303
    assert owner.client.get(f"/orders/{order.id}/").status_code == 200


def test_links_to_one_address_are_limited_without_saying_so(mail_app, smtp, order):
    for n in range(4):
        client = mail_app.test_client()
        reply = ask_for_link(client, OWNER, NUMBER, address=f"10.2.0.{n}")
        assert reply.status_code == 200
        assert soup(reply).select_one("#access-sent") is not None
    assert outbox_size() == 3


def test_one_client_may_ask_for_five_links_an_hour(mail_app, order):
    client = mail_app.test_client()
    statuses = [ask_for_link(client, f"a{n}@example.com", NUMBER).status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_asking_for_a_link_without_the_details_names_the_fields(client):
    page = soup(client.get("/access/"))
    reply = client.post("/access/", data={**form_values(page.select_one("#access-form"))})
    assert reply.status_code == 400
    summary = soup(reply).select_one(".error-summary").get_text()
    assert "Enter the email address you ordered with." in summary
    assert "Enter your order number." in summary
    assert outbox_size() == 0


@pytest.fixture()
def strict_app(make_app, smtp):
    return make_app(LOOKUP_VERIFICATION="email", MAIL_URL=smtp.url)


def test_with_email_verification_the_lookup_page_sends_a_link_instead(strict_app, smtp, order):
    client = strict_app.test_client()
    page = soup(client.get("/"))
    assert page.select_one("#email-link") is None
    values = {**form_values(page.select_one("#lookup-form")), "email": OWNER, "order": NUMBER}
    reply = client.post("/", data=values)
    assert (reply.status_code, reply.headers["Location"]) == (303, "/access/sent/")
    assert soup(client.get(reply.headers["Location"])).select_one("#access-sent") is not None
    assert client.get(f"/orders/{order.id}/").status_code != 200
    assert open_link(client, emailed_link(strict_app, smtp)).status_code == 303
    assert client.get(f"/orders/{order.id}/").status_code == 200


def test_with_email_verification_the_api_keeps_the_platforms_lookup(strict_app, order):
    api = ApiClient(strict_app.test_client())
    assert api.lookup(OWNER, NUMBER).status_code == 200


def test_with_email_verification_a_form_sent_after_the_session_expired_sends_a_link(
    strict_app, smtp, order, reason
):
    shopper = Shopper(strict_app.test_client())
    assert open_link(shopper.client, emailed_link_for(shopper, strict_app, smtp)).status_code == 303
    item = order.items[0]
    page = shopper.item_page(order.id, item.id)
    with shopper.client.session_transaction() as session:
        session["orders"] = {}  # the order's time in the session ran out
    typed = {"cancellation_type": "cancel", "reason": str(reason.id), "quantity": "1"}
    asked = soup(shopper.submit(page, f"#item-{item.id}-form", typed, prefix=f"item-{item.id}-"))
    sent = shopper.submit(asked, "#confirm-form", {"confirm-email": OWNER, "confirm-order": NUMBER})
    assert (sent.status_code, sent.headers["Location"]) == (303, "/access/sent/")
    db.session.expire_all()
    assert db.session.scalars(select(CancellationRequest)).all() == []
    assert emailed_link(strict_app, smtp).startswith("/access/")


def emailed_link_for(shopper: Shopper, app, smtp) -> str:
    """The link the lookup page emails when email verification is on."""
    page = soup(shopper.client.get("/"))
    shopper.submit(page, "#lookup-form", {"email": OWNER, "order": NUMBER})
    return emailed_link(app, smtp)
