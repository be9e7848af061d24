"""Error pages: 404, 429 and 500 render through the site's own layout."""

from __future__ import annotations

from flask import abort

from .pages import soup


def test_an_unknown_page_renders_the_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("header.site-header") is not None
    assert "We could not find that" in page.h1.get_text()
    assert page.select_one("a.button[href='/']") is not None


def test_too_many_requests_renders_the_429_page(app, client):
    app.add_url_rule("/test-busy/", "test_busy", lambda: abort(429))
    response = client.get("/test-busy/")
    assert response.status_code == 429
    page = soup(response)
    assert "Too many tries" in page.h1.get_text()
    assert "Too many requests" in page.get_text()


def test_an_unexpected_error_renders_the_500_page_without_details(app, client):
    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/test-broken/", "test_broken", broken)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    page = soup(response)
    assert "Something went wrong" in page.h1.get_text()
    assert "secret internals" not in page.get_text()


def test_error_pages_follow_the_chosen_language_direction(client):
    response = client.get("/no/such/page/?lang=ar")
    assert response.status_code == 404
    assert soup(response).html["dir"] == "rtl"


def test_the_language_switcher_on_a_failed_post_points_to_a_page_that_exists(ben):
    response = ben.request_item(1002, 10021, {"reason": ""})
    assert response.status_code == 400
    links = [a["href"] for a in soup(response).select("nav.languages a")]
    assert links[0] == "/orders/1002/items/10021/requests/?lang=en"
