"""Every shared fixture: an app on SQLite (or on PostgreSQL with WEBAPP_DATABASE_URL), its
clients, a builder of rows, and the orders and demo data the tests act on."""

from __future__ import annotations

import itertools
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from flask.testing import FlaskClient

from tests.smtp_server import SmtpServer
from tests.views.pages import Shopper
from webapp import create_app
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.models import (
    Address,
    CancellationReason,
    CancellationReasonTranslation,
    CancellationRequest,
    Order,
    OrderItem,
    PaymentOption,
    Product,
    ShippingCompany,
    User,
)
from webapp.services.demo import seed_demo

POSTGRES_URL = os.environ.get("WEBAPP_DATABASE_URL", "")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app_config(database_url) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "shop.test",
    }


@pytest.fixture(scope="session")
def _schema(app_config):
    app = create_app(app_config)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production.

    The ``app`` fixture keeps one app context open for the whole test; without this, Flask
    would reuse it for every request, so ``g`` (where Flask-Babel caches the locale) and the
    database session would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture()
def app(app_config, _schema):
    app = create_app(app_config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture()
def make_app(app, app_config):
    """More apps on the test database with other settings; their connections closed after."""
    made = []

    def make(**overrides):
        other = create_app({**app_config, **overrides})
        other.test_client_class = FreshContextClient
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    create_app(app_config)  # the shared rate limiter follows the last app set up


@pytest.fixture()
def smtp():
    """A real SMTP server on a port of its own (aiosmtpd)."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def client(app) -> FlaskClient:
    return app.test_client()


class ApiClient:
    """A test client that fetches a CSRF token first and sends it with every POST."""

    def __init__(self, client, language: str = "en"):
        self.client = client
        self.language = language
        self.token = client.get("/csrf_token/").get_json()["csrf_token"]

    def headers(self, extra: dict | None = None) -> dict:
        self.follow_csrf_cookie()
        return {"X-CSRFToken": self.token, "Accept-Language": self.language, **(extra or {})}

    def post(self, path: str, json=None, headers: dict | None = None, **kwargs):
        response = self.client.post(path, json=json, headers=self.headers(headers), **kwargs)
        self.follow_csrf_cookie()
        return response

    def follow_csrf_cookie(self) -> None:
        """As the platform's storefront does: the token is the ``csrftoken`` cookie's value,
        which a lookup renews."""
        domain = self.client.application.config["SERVER_NAME"] or "localhost"
        cookie = self.client.get_cookie("csrftoken", domain=domain)
        if cookie is not None:
            self.token = cookie.value

    def get(self, path: str, headers: dict | None = None, **kwargs):
        return self.client.get(path, headers=self.headers(headers), **kwargs)

    def lookup(self, email: str, number: str):
        return self.post("/users/orders/anonymous/", {"email": email, "order": number})

    def cancel(self, body: dict, headers: dict | None = None):
        return self.post("/users/orders/anonymous/cancellation_requests/", body, headers)

    def bulk(self, body: dict, headers: dict | None = None):
        return self.post("/users/orders/anonymous/bulk_cancellation_requests/", body, headers)


@pytest.fixture()
def api(client) -> ApiClient:
    return ApiClient(client)


class Builder:
    """Creates rows with sensible defaults; every call commits."""

    def __init__(self):
        self.ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self.ids)

    def reason(self, cancellation_type="both", subject=None, is_active=True, translations=None,
               extra_information_needed=False):  # fmt: skip
        reason = CancellationReason(
            subject=subject or f"Reason {self.next_id()}",
            cancellation_type=cancellation_type,
            is_active=is_active,
            sort_order=self.next_id(),
            extra_information_needed=extra_information_needed,
        )
        for language, text_ in (translations or {}).items():
            reason.translations.append(
                CancellationReasonTranslation(language=language, subject=text_)
            )
        db.session.add(reason)
        db.session.commit()
        return reason

    def company(self, easy_return=True, is_active=True, name=None):
        number = self.next_id()
        company = ShippingCompany(
            slug=f"company-{number}",
            name=name or f"Company {number}",
            is_active=is_active,
            easy_return=easy_return,
        )
        db.session.add(company)
        db.session.commit()
        return company

    def order(
        self,
        email="guest@example.com",
        number=None,
        user_type="guest",
        payment_type="credit_card",
        status=None,
        items=((450, 2),),
        delivered_days_ago=None,
    ) -> Order:
        """``items`` is a list of (status, quantity) pairs."""
        n = self.next_id()
        user = User(email=email, email_normalized=email.strip().lower(), user_type=user_type)
        address = Address(first_name="Ada", last_name="Yilmaz", line="Bagdat Cd. 12",
                          city="Istanbul", country="TR")  # fmt: skip
        billing = Address(first_name="Ada", last_name="Yilmaz", line="Moda Cd. 3",
                          city="Istanbul", country="TR")  # fmt: skip
        payment = db.session.query(PaymentOption).filter_by(slug=payment_type).one_or_none()
        payment = payment or PaymentOption(slug=payment_type, name=payment_type,
                                           payment_type=payment_type)  # fmt: skip
        delivered = None
        if delivered_days_ago is not None:
            delivered = utcnow() - timedelta(days=delivered_days_ago)
        order = Order(
            number=number or f"{n:012d}",
            user=user,
            status=status or max(item_status for item_status, _ in items),
            currency="try",
            payment_option=payment,
            shipping_address=address,
            billing_address=billing,
            delivered_date=delivered,
        )
        total = Decimal("0.00")
        for index, (item_status, quantity) in enumerate(items):
            product = Product(sku=f"SKU-{n}-{index}", name=f"Product {n}-{index}")
            price = Decimal("10.50")
            order.items.append(
                OrderItem(product=product, quantity=quantity, price=price, status=item_status)
            )
            total += price * quantity
        order.amount_without_discount = order.amount = total
        db.session.add(order)
        db.session.commit()
        return order

    def request(self, item: OrderItem, status="open", quantity=1, cancellation_type="cancel",
                reason=None):  # fmt: skip
        request = CancellationRequest(
            order_item=item,
            cancellation_type=cancellation_type,
            status=status,
            quantity=quantity,
            reason=reason or self.reason(cancellation_type),
        )
        db.session.add(request)
        db.session.commit()
        return request


@pytest.fixture()
def build(app) -> Builder:
    return Builder()


# --- shared data --------------------------------------------------------------------------


@pytest.fixture()
def reason(build):
    """An active reason usable for both cancellations and refunds."""
    return build.reason("both")


@pytest.fixture()
def company(build):
    """An active shipping company offering easy return."""
    return build.company(name="Extension Cargo")


@pytest.fixture()
def preparing(build):
    """A guest order paid by card with one item of 3 being prepared (cancellable)."""
    return build.order(email="guest@example.com", number="100000000001", items=[(450, 3)])


@pytest.fixture()
def delivered(build):
    """A guest order paid by card with one item of 3 delivered two days ago (refundable)."""
    return build.order(
        email="guest@example.com", number="100000000002", items=[(550, 3)], delivered_days_ago=2
    )


@pytest.fixture()
def demo(app) -> None:
    """The demo data of ``make run`` (webapp/services/demo.py)."""
    seed_demo()


# --- clients ------------------------------------------------------------------------------


@pytest.fixture()
def prove(api):
    """Look an order up in this client's session, as a shopper does before asking."""

    def prove_(order):
        response = api.lookup(order.user.email, order.number)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"][0]

    return prove_


@pytest.fixture()
def miss(api):
    """The bytes of the uniform lookup miss (status 404)."""
    response = api.lookup("nobody@example.com", "000000000000")
    assert response.status_code == 404
    return response.data


@pytest.fixture()
def shopper(client, demo) -> Shopper:
    """A browser-like client on the demo data."""
    return Shopper(client)


@pytest.fixture()
def ben(shopper) -> Shopper:
    """Has looked up the refundable demo order 1002 (delivered 3 days ago, paid on delivery)."""
    assert shopper.lookup("ben@example.com", "100000000002").status_code == 303
    return shopper


@pytest.fixture()
def irem(shopper) -> Shopper:
    """Has looked up the refundable demo order 1009 (paid by card: no bank account needed)."""
    assert shopper.lookup("irem@example.com", "100000000009").status_code == 303
    return shopper
