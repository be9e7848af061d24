from openapi_spec_validator import validate

from webapp.openapi import SEED_ORDER_KEYS

DOCUMENTED_PATHS = {
    "/csrf_token/": "get",
    "/users/orders/anonymous/": "post",
    "/users/orders/anonymous/cancellation_requests/": "post",
    "/users/orders/anonymous/bulk_cancellation_requests/": "post",
    "/users/orders/cancellation_reasons/": "get",
}


def test_the_served_openapi_document_is_a_valid_openapi_3_1_document(client):
    document = client.get("/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_the_openapi_document_describes_every_documented_path(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path, method in DOCUMENTED_PATHS.items():
        assert method in paths[path]


def test_the_order_schema_requires_every_key_the_real_lookup_returns(api, build):
    build.order(email="a@example.com", number="123")
    order = api.lookup("a@example.com", "123").get_json()["results"][0]
    assert set(SEED_ORDER_KEYS) <= set(order)
