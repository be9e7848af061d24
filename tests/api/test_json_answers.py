"""JSON answers: encoded with orjson, in the serializers' key order, with a safe fallback."""

from __future__ import annotations

import json


def test_json_keeps_the_order_the_keys_were_given_in(app):
    assert app.json.dumps({"b": 1, "a": {"d": 2, "c": 3}}) == '{"b":1,"a":{"d":2,"c":3}}'


def test_an_integer_beyond_64_bits_is_still_encoded(app):
    huge = 10**30
    assert json.loads(app.json.dumps({"n": huge})) == {"n": huge}
    response = app.json.response({"n": huge})
    assert json.loads(response.get_data()) == {"n": huge}


def test_a_json_response_is_utf_8_with_a_final_newline(app):
    response = app.json.response({"label": "İptal edildi"})
    assert response.mimetype == "application/json"
    assert response.get_data() == '{"label":"İptal edildi"}\n'.encode()
