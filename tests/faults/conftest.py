"""Fault tests: real processes and servers, broken on purpose. Each test gets a PostgreSQL
database of its own (whatever database the suite runs on), so they run the same in both CI
runs; a Redis of their own is started on a spare port."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from decimal import Decimal

import psycopg
import pytest
import redis
from sqlalchemy import make_url

from bench.loopback import free_port
from webapp import create_app
from webapp.extensions import db
from webapp.models import (
    Address,
    CancellationReason,
    Order,
    OrderItem,
    PaymentOption,
    Product,
    ShippingCompany,
    User,
)

POSTGRES_SERVER = os.environ.get(
    "FAULTS_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET_KEY = "fault-tests-secret-key-0123456789-abcdefghijklmnopqrst"
EMAIL = "fault@example.com"
NUMBER = "580000000001"


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture()
def pg_url():
    """A fresh PostgreSQL database for one test, dropped after it."""
    name = f"faults_{uuid.uuid4().hex[:10]}"
    admin = libpq(POSTGRES_SERVER)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"the fault tests need PostgreSQL at {POSTGRES_SERVER}: {error}")
    yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(app) -> dict[str, int]:
    """The schema from the models, one guest order paid by card with one preparing item of 3
    and one delivered item of 2, a reason for both types and an easy-return company."""
    with app.app_context():
        db.create_all()
        user = User(email=EMAIL, email_normalized=EMAIL, user_type="guest")
        address = Address(first_name="Fault", last_name="Test", line="Moda Cd. 1",
                          city="Istanbul", country="TR")  # fmt: skip
        payment = PaymentOption(slug="card", name="Card", payment_type="credit_card")
        order = Order(number=NUMBER, user=user, status=450, payment_option=payment,
                      shipping_address=address, billing_address=address)  # fmt: skip
        order.items.append(OrderItem(product=Product(sku="F-1", name="Fault shirt"), quantity=3,
                                     price=Decimal("10.00"), status=450))  # fmt: skip
        reason = CancellationReason(subject="Changed my mind", cancellation_type="both")
        company = ShippingCompany(slug="fault-cargo", name="Fault Cargo", is_active=True,
                                  easy_return=True)  # fmt: skip
        db.session.add_all([order, reason, company])
        db.session.commit()
        ids = {"order": order.id, "item": order.items[0].id, "reason": reason.id}
        db.session.remove()
    return ids


def fault_app(url: str, **config):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "TESTING": True,
                       "SERVER_NAME": "shop.test", **config})  # fmt: skip


class RedisServer:
    """A redis-server of the test's own on a spare port, stopped and started at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def keys(self) -> list[bytes]:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        try:
            return list(client.scan_iter(count=500))
        finally:
            client.close()


@pytest.fixture()
def redis_server():
    if shutil.which("redis-server") is None:
        pytest.fail("the fault tests need redis-server (Debian's redis-server package)")
    server = RedisServer()
    server.start()
    yield server
    server.stop()
