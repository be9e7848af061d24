import psycopg
import pytest

from webapp import create_app
from webapp.extensions import db


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_answers_ready_when_the_database_is_reachable(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_readyz_answers_503_when_the_database_is_unreachable(make_app):
    app = make_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_production_refuses_to_start_with_the_default_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"PRODUCTION": True})


PRODUCTION = {"PRODUCTION": True, "SECRET_KEY": "x" * 48, "TRUSTED_HOSTS": ["shop.test"],
              "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}  # fmt: skip


def test_production_starts_with_a_real_secret_key_trusted_hosts_and_shared_limits(make_app):
    app = make_app(**PRODUCTION)
    assert app.config["SECRET_KEY"] == "x" * 48


def test_production_refuses_to_start_without_a_list_of_trusted_hosts(make_app):
    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS"):
        make_app(**{**PRODUCTION, "TRUSTED_HOSTS": None})


def test_production_refuses_rate_limits_counted_per_process(make_app):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        make_app(**{**PRODUCTION, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})


def test_a_database_restart_costs_no_failed_request(api, preparing):
    """Pooled connections whose server side is gone are replaced on checkout (the ping)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server whose restart drops connections")
    db.session.commit()
    for _ in range(3):  # several pooled connections, then all of them cut off
        assert api.lookup("guest@example.com", "100000000001").status_code == 200
    terminate_other_backends()
    answers = [api.lookup("guest@example.com", "100000000001").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    page = api.client.get(f"/orders/{preparing.id}/")
    assert page.status_code == 200


def terminate_other_backends() -> None:
    """What a server restart does to this process's connections to the test database."""
    url = db.engine.url
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as admin:
        terminated = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    assert terminated
