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


def documented(path: str, method: str):
    import schemathesis

    from webapp.openapi import document

    return schemathesis.openapi.from_dict(document())[path][method]


def test_real_answers_of_every_endpoint_match_their_documented_schemas(api, build):
    from datetime import date, timedelta

    order = build.order(email="a@example.com", number="123", items=[(550, 3), (450, 2)],
                        delivered_days_ago=1)  # fmt: skip
    company = build.company(easy_return=True)
    refund_reason, cancel_reason = build.reason("refund"), build.reason("cancel")
    refunded, cancelled = order.items
    pickup = (date.today() + timedelta(days=3)).isoformat()
    lookup_path = "/users/orders/anonymous/"
    single_path = "/users/orders/anonymous/cancellation_requests/"
    bulk_path = "/users/orders/anonymous/bulk_cancellation_requests/"

    answers = [
        (lookup_path, api.lookup("a@example.com", "123")),
        (lookup_path, api.lookup("a@example.com", "999")),
        (
            single_path,
            api.cancel(
                {
                    "order_item": refunded.id,
                    "reason": refund_reason.id,
                    "cancellation_type": "refund",
                    "quantity": 1,
                    "shipping_company": company.id,
                    "pickup_address": order.shipping_address_id,
                    "pickup_date": {
                        "date": pickup,
                        "hour_range": {"start": "09:00", "end": "12:00"},
                    },
                    "iban": "TR330006100519786457841326",
                    "holder_name": "Ada Yilmaz",
                }
            ),
        ),
        (
            single_path,
            api.cancel(
                {
                    "order_item": refunded.id,
                    "reason": refund_reason.id,
                    "cancellation_type": "refund",
                }
            ),
        ),
        (
            bulk_path,
            api.bulk(
                {
                    "cancel_order_items": [
                        {
                            "order_item": cancelled.id,
                            "reason": cancel_reason.id,
                            "cancellation_type": "cancel",
                        }
                    ]
                }
            ),
        ),
        (bulk_path, api.bulk({"cancel_order_items": []})),
        (lookup_path, api.lookup("a@example.com", "123")),
    ]
    assert [response.status_code for _, response in answers] == [200, 404, 200, 400, 201, 400, 200]
    for path, response in answers:
        documented(path, "POST").validate_response(response)
    reasons = api.get("/users/orders/cancellation_reasons/")
    documented("/users/orders/cancellation_reasons/", "GET").validate_response(reasons)
