"""The OpenAPI 3.1 document of the JSON API, served at ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

bp = Blueprint("openapi", __name__)

NULLABLE_STRING = {"type": ["string", "null"]}
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}
TIMESTAMP = {"type": "string", "format": "date-time", "pattern": "Z$"}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(
    properties: dict[str, Any], required: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required is not None:
        schema["required"] = required
    return schema


def json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PAIR = obj({"value": {"type": "string"}, "label": {"type": "string"}}, ["value", "label"])
PICKUP_DATE = obj(
    {
        "date": {"type": "string", "format": "date"},
        "hour_range": obj(
            {
                "start": {"type": "string", "pattern": r"^\d{2}:\d{2}$"},
                "end": {"type": "string", "pattern": r"^\d{2}:\d{2}$"},
            },
            ["start", "end"],
        ),
    },
    ["date", "hour_range"],
)
ADDRESS = obj(
    {
        "id": {"type": "integer"},
        **{
            name: {"type": "string"}
            for name in (
                "first_name",
                "last_name",
                "line",
                "district",
                "city",
                "postcode",
                "country",
                "phone_number",
            )
        },
    },
    ["id"],
)
EASY_RETURN = obj(
    {
        "status": ref("Pair"),
        "code": {"type": "string"},
        "end_date": NULLABLE_TIMESTAMP,
        "tracking_url": NULLABLE_STRING,
        "tracking_number": NULLABLE_STRING,
        "shipping_company": ref("Pair"),
        "pickup_date": {"oneOf": [ref("PickupDate"), {"type": "null"}]},
        "start_date": TIMESTAMP,
    },
    [
        "status",
        "code",
        "end_date",
        "tracking_url",
        "tracking_number",
        "shipping_company",
        "pickup_date",
        "start_date",
    ],
)
CANCELLATION_REQUEST = obj(
    {
        "id": {"type": "integer"},
        "uuid": {"type": "string", "format": "uuid"},
        "cancellation_type": {"enum": ["cancel", "refund"]},
        "status": ref("Pair"),
        "easy_return": {"oneOf": [ref("EasyReturn"), {"type": "null"}]},
        "created_date": TIMESTAMP,
        "modified_date": TIMESTAMP,
        "description": NULLABLE_STRING,
        "iban": NULLABLE_STRING,
        "holder_name": NULLABLE_STRING,
        "fully_refund_as_loyalty_money": {"type": "boolean"},
        "reason": {"type": "integer"},
        "order_item": {"type": "integer"},
        "quantity": {"type": "integer", "minimum": 1},
    },
    [
        "id",
        "uuid",
        "cancellation_type",
        "status",
        "easy_return",
        "created_date",
        "modified_date",
        "description",
        "iban",
        "holder_name",
        "fully_refund_as_loyalty_money",
        "reason",
        "order_item",
        "quantity",
    ],
)
ORDER_ITEM = obj(
    {
        "id": {"type": "integer"},
        "product": obj({"name": {"type": "string"}, "sku": {"type": "string"}}, ["name", "sku"]),
        "status": ref("Pair"),
        "quantity": {"type": "integer"},
        "price": MONEY,
        "unit_price": MONEY,
        "retail_price": MONEY,
        "total_amount": MONEY,
        "price_currency": ref("Pair"),
        "tax_rate": {"type": "null", "description": "Not known here."},
        "order": {"type": "integer"},
        "is_cancelled": {"type": "boolean"},
        "is_tradable": {"const": False},
        "created_date": TIMESTAMP,
        "modified_date": TIMESTAMP,
        "is_cancellable": {"type": "boolean"},
        "is_refundable": {"type": "boolean"},
        "remaining_quantity": {"type": "integer", "minimum": 0},
        "active_cancellation_request": {"oneOf": [ref("CancellationRequest"), {"type": "null"}]},
        "available_easy_return_shipping_companies": {
            "type": "array",
            "items": obj(
                {"pk": {"type": "integer"}, "shipping_company": ref("Pair")},
                ["pk", "shipping_company"],
            ),
        },
    },
    [
        "id",
        "product",
        "status",
        "quantity",
        "price",
        "is_cancellable",
        "is_refundable",
        "remaining_quantity",
        "active_cancellation_request",
        "available_easy_return_shipping_companies",
        "order",
        "price_currency",
        "is_cancelled",
        "unit_price",
    ],
)
PAYMENT_OPTION = obj(
    {
        "pk": {"type": "integer"},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "payment_type": {"enum": ["credit_card", "funds_transfer", "pay_on_delivery", "other"]},
        "payment_type_label": {"type": "string"},
    },
    ["pk", "slug", "name", "payment_type", "payment_type_label"],
)
SEED_ORDER_KEYS = [
    "id", "status", "currency", "orderitem_set", "discountitem_set", "is_cancelled",
    "is_cancellable", "is_refundable", "shipping_address", "billing_address", "shipping_company",
    "client_type", "payment_option", "amount_without_discount", "is_payable", "tracking_url",
    "bank", "loyaltytransaction_set", "created_date", "modified_date", "number", "amount",
    "discount_amount", "shipping_amount", "shipping_tax_rate", "refund_amount",
    "discount_refund_amount", "shipping_refund_amount", "invoice_number", "invoice_date",
    "e_archive_url", "tracking_number", "defined_tracking_url", "remote_addr", "has_gift_box",
    "gift_box_note", "language_code", "notes", "delivery_range", "extra_field", "user_email",
    "shipping_option_slug", "payment_option_slug", "bin_number", "installment_count",
    "installment_interest_amount", "shipping_tracking_url", "user", "basket", "shipping_option",
    "card", "installment", "segment", "checkout_provider",
]  # fmt: skip
ORDER = obj(
    {
        "id": {"type": "integer"},
        "number": {"type": "string"},
        "status": ref("Pair"),
        "currency": ref("Pair"),
        "payment_option": PAYMENT_OPTION,
        "orderitem_set": {"type": "array", "items": ref("OrderItem")},
        "shipping_address": ref("Address"),
        "billing_address": ref("Address"),
        "amount": MONEY,
        "amount_without_discount": MONEY,
        "discount_amount": MONEY,
        "shipping_amount": MONEY,
        "refund_amount": MONEY,
        "remote_addr": {"const": ""},
        "created_date": TIMESTAMP,
        "modified_date": TIMESTAMP,
    },
    SEED_ORDER_KEYS,
)
FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors `{field: message}`, and for coded errors "
    "`non_field_errors` with `error_code`.",
    "properties": {"non_field_errors": {"type": "string"}, "error_code": {"type": "string"}},
    "additionalProperties": {"type": "string"},
}
CODED_ERROR = obj(
    {"non_field_errors": {"type": "string"}, "error_code": {"type": "string"}},
    ["non_field_errors", "error_code"],
)
BULK_ERRORS = {
    "type": "object",
    "properties": {
        "cancel_order_items": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": ref("FieldErrors")}]
        },
    },
    "additionalProperties": {"type": "string"},
}
CANCELLATION_INPUT = obj(
    {
        "order_item": {"type": "integer", "minimum": 1},
        "cancellation_type": {"enum": ["cancel", "refund"]},
        "reason": {"type": "integer", "minimum": 1},
        "quantity": {"type": "integer", "minimum": 1},
        "description": {"type": ["string", "null"], "maxLength": 1000},
        "shipping_company": {"type": ["integer", "null"]},
        "pickup_address": {"type": ["integer", "null"]},
        "pickup_date": {"oneOf": [ref("PickupDate"), {"type": "null"}]},
        "iban": {"type": ["string", "null"], "maxLength": 64},
        "holder_name": {"type": ["string", "null"], "maxLength": 100},
        "fully_refund_as_loyalty_money": {"type": "boolean"},
        "email": {"type": "string", "description": "Proof of ownership, with `order`."},
        "order": {"type": "string", "description": "Order number, with `email`."},
    },
    ["order_item", "cancellation_type", "reason"],
)
PROOF = {
    "email": {"type": "string", "maxLength": 254},
    "order": {"type": "string", "maxLength": 64},
    "number": {"type": "string", "maxLength": 64, "description": "Accepted instead of `order`."},
}

# A form body carries the flat fields only (``pickup_date`` needs a JSON body).
FORM_CANCELLATION_INPUT = obj(
    {
        name: schema
        for name, schema in CANCELLATION_INPUT["properties"].items()
        if name != "pickup_date"
    },
    CANCELLATION_INPUT["required"],
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REASON_FIELDS = (
    "id", "uuid", "subject", "cancellation_type", "order", "is_active",
    "extra_information_needed", "translations", "created_date", "modified_date",
)  # fmt: skip


def request_body(schema: dict, form_schema: dict | None = None) -> dict:
    """A body taken as JSON and, where given a form schema, form-encoded and multipart."""
    content = {"application/json": {"schema": schema}}
    if form_schema is not None:
        content.update({kind: {"schema": form_schema} for kind in FORM_TYPES})
    return {"required": True, "content": content}


COMMON_POST_ERRORS = {
    "400": json_response("Invalid input: field errors", ref("FieldErrors")),
    "403": json_response("Missing or wrong CSRF token", ref("CodedError")),
    "404": json_response("No such guest order (uniform for every miss)", ref("CodedError")),
    "413": json_response("Body too large", ref("FieldErrors")),
    "429": json_response("Too many requests", ref("FieldErrors")),
}
CSRF_HEADER = {
    "name": "X-CSRFToken",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "Token from `GET /csrf_token/`; the session cookie must be sent too.",
}
LANGUAGE_HEADER = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
}


def document() -> dict[str, Any]:
    post_parameters = [CSRF_HEADER, LANGUAGE_HEADER]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Guest orders and cancellations",
            "version": "1.0.0",
            "description": "Find a guest order by email and number; cancel or refund its items.",
        },
        "paths": {
            "/csrf_token/": {
                "get": {
                    "summary": "Get a CSRF token (also set as the csrftoken cookie)",
                    "responses": {
                        "200": json_response(
                            "A token", obj({"csrf_token": {"type": "string"}}, ["csrf_token"])
                        )
                    },
                }
            },
            "/users/orders/anonymous/": {
                "post": {
                    "summary": "Look up a guest order",
                    "parameters": post_parameters,
                    "requestBody": request_body(obj(PROOF, ["email"]), obj(PROOF, ["email"])),
                    "responses": {
                        "200": json_response(
                            "The order",
                            obj(
                                {
                                    "count": {"type": "integer"},
                                    "next": NULLABLE_STRING,
                                    "previous": NULLABLE_STRING,
                                    "results": {"type": "array", "items": ref("Order")},
                                },
                                ["count", "next", "previous", "results"],
                            ),
                        ),
                        **COMMON_POST_ERRORS,
                    },
                }
            },
            "/users/orders/anonymous/cancellation_requests/": {
                "post": {
                    "summary": "Request a cancellation or refund of one item",
                    "parameters": post_parameters,
                    "requestBody": request_body(
                        ref("CancellationInput"), ref("FormCancellationInput")
                    ),
                    "responses": {
                        "200": json_response("Created", ref("CancellationRequest")),
                        **COMMON_POST_ERRORS,
                        "406": json_response("Pickup address is required", ref("CodedError")),
                    },
                }
            },
            "/users/orders/anonymous/bulk_cancellation_requests/": {
                "post": {
                    "summary": "Request cancellations or refunds of several items, all or none",
                    "description": "JSON only: a form body can not carry `cancel_order_items` "
                    "(400 on that field).",
                    "parameters": post_parameters,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": obj(
                                    {
                                        **PROOF,
                                        "cancel_order_items": {
                                            "type": "array",
                                            "minItems": 1,
                                            "maxItems": 100,
                                            "items": ref("CancellationInput"),
                                        },
                                    },
                                    ["cancel_order_items"],
                                )
                            }
                        },
                    },
                    "responses": {
                        "201": json_response(
                            "Created", {"type": "array", "items": ref("CancellationRequest")}
                        ),
                        **COMMON_POST_ERRORS,
                        "400": json_response("Per-item errors", ref("BulkErrors")),
                        "406": json_response("Pickup address is required", ref("BulkErrors")),
                    },
                }
            },
            "/users/orders/cancellation_reasons/": {
                "get": {
                    "summary": "Active cancellation reasons, subject in the asked language",
                    "parameters": [
                        LANGUAGE_HEADER,
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        {
                            "name": "cancellation_type",
                            "in": "query",
                            "schema": {"enum": ["cancel", "refund"]},
                        },
                    ],
                    "responses": {
                        "200": json_response(
                            "A page of reasons",
                            obj(
                                {
                                    "count": {"type": "integer"},
                                    "next": NULLABLE_STRING,
                                    "previous": NULLABLE_STRING,
                                    "results": {"type": "array", "items": ref("Reason")},
                                },
                                ["count", "next", "previous", "results"],
                            ),
                        ),
                        "400": json_response("Invalid filter", ref("FieldErrors")),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Pair": PAIR,
                "PickupDate": PICKUP_DATE,
                "Address": ADDRESS,
                "EasyReturn": EASY_RETURN,
                "CancellationRequest": CANCELLATION_REQUEST,
                "CancellationInput": CANCELLATION_INPUT,
                "FormCancellationInput": FORM_CANCELLATION_INPUT,
                "OrderItem": ORDER_ITEM,
                "Order": ORDER,
                "FieldErrors": FIELD_ERRORS,
                "CodedError": CODED_ERROR,
                "BulkErrors": BULK_ERRORS,
                "Reason": obj(
                    {
                        "id": {"type": "integer"},
                        "uuid": {"type": "string", "format": "uuid"},
                        "subject": {"type": "string"},
                        "cancellation_type": {"enum": ["cancel", "refund", "both"]},
                        "order": {"type": "integer"},
                        "is_active": {"type": "boolean"},
                        "extra_information_needed": {
                            "type": "boolean",
                            "description": "A request with this reason needs a description.",
                        },
                        "translations": {
                            "type": "object",
                            "additionalProperties": obj(
                                {"subject": {"type": "string"}}, ["subject"]
                            ),
                        },
                        "created_date": {"type": "string", "format": "date-time"},
                        "modified_date": {"type": "string", "format": "date-time"},
                    },
                    list(REASON_FIELDS),
                ),
            }
        },
    }


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return jsonify(document())
