def test_lookup_finds_a_guest_order_by_email_and_number(api, build):
    order = build.order(email="Ada@Example.com", number="111111111111")
    response = api.lookup("  ada@example.COM ", "111111111111")
    assert response.status_code == 200
    assert response.get_json()["results"][0]["number"] == order.number
