"""The lookup page: find a guest order by email and order number."""

from __future__ import annotations

from urllib.parse import urlsplit

from .pages import soup

MISS = "No order was found with this email and order number."


def test_the_lookup_page_has_labelled_fields_and_a_csrf_field(client):
    page = soup(client.get("/"))
    form = page.select_one("form#lookup-form")
    assert form["method"] == "post"
    assert form.select_one('input[name="csrf_token"][type="hidden"]')["value"]
    for name in ("email", "order"):
        control = form.select_one(f'input[name="{name}"]')
        assert page.select_one(f'label[for="{control["id"]}"]').get_text(strip=True)
        hint_id = control["aria-describedby"]
        assert page.find(id=hint_id) is not None


def test_a_found_order_redirects_to_its_order_page(shopper):
    response = shopper.lookup("  BEN@example.com ", "100000000002")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/orders/1002/"
    page = soup(shopper.get(response.headers["Location"]))
    assert "100000000002" in page.h1.get_text()


def test_every_kind_of_miss_shows_the_same_message_on_the_lookup_form(shopper):
    misses = [
        ("ben@example.com", "999999999999"),  # unknown number
        ("someone@example.com", "100000000002"),  # wrong email
        ("fatma@example.com", "100000000006"),  # a registered user's order
    ]
    summaries = set()
    for email, number in misses:
        response = shopper.lookup(email, number)
        assert response.status_code == 404
        page = soup(response)
        assert page.select_one("form#lookup-form") is not None
        summary = page.select_one("#error-summary")
        assert summary["role"] == "alert"
        assert summary["aria-live"] == "assertive"
        summaries.add(summary.get_text(" ", strip=True))
        assert page.select_one('input[name="email"]')["value"] == email
        assert page.select_one('input[name="order"]')["value"] == number
    assert summaries == {f"Please check the following {MISS}"}


def test_empty_fields_get_their_errors_next_to_them(shopper):
    response = shopper.lookup("", "")
    assert response.status_code == 400
    page = soup(response)
    for name in ("email", "order"):
        control = page.select_one(f'input[name="{name}"]')
        assert control["aria-invalid"] == "true"
        error_id = f"{control['id']}-error"
        assert error_id in control["aria-describedby"].split()
        assert page.find(id=error_id).get_text(strip=True)
    links = [a["href"] for a in page.select("#error-summary a")]
    assert links == ["#email", "#order"]


def test_a_malformed_email_gets_the_service_message_and_keeps_the_typed_value(shopper):
    response = shopper.lookup("not-an-email", "100000000002")
    assert response.status_code == 400
    page = soup(response)
    assert "Enter a valid email address." in page.find(id="email-error").get_text()
    assert page.select_one('input[name="email"]')["value"] == "not-an-email"


def test_a_lookup_sent_after_its_pages_check_ran_out_comes_back_with_what_was_typed(client, demo):
    response = client.post("/", data={"email": "ben@example.com", "order": "100000000002"})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one('input[name="email"]')["value"] == "ben@example.com"
    assert page.select_one('input[name="order"]')["value"] == "100000000002"
    assert "please send it again" in page.select_one("#error-summary").get_text()
    assert "CSRF" not in page.get_text() and "token" not in page.get_text().lower()
    assert client.get("/orders/1002/").status_code == 404  # nothing was looked up


def test_the_csrf_token_never_travels_in_a_url(shopper):
    page = soup(shopper.get("/"))
    token = page.select_one('input[name="csrf_token"]')["value"]
    response = shopper.lookup("ben@example.com", "100000000002")
    assert token not in response.headers["Location"]
    order_page = soup(shopper.get(response.headers["Location"]))
    urls = [tag.get("href", "") for tag in order_page.select("a")]
    urls += [tag.get("action", "") for tag in order_page.select("form")]
    assert all(form["method"] == "post" for form in order_page.select("form"))
    assert not any(token in url or "csrf" in url for url in urls)


def test_the_language_switcher_names_each_language_in_itself(client):
    page = soup(client.get("/"))
    links = {a["lang"]: a for a in page.select("nav.languages a")}
    assert {code: a.get_text(strip=True) for code, a in links.items()} == {
        "en": "English",
        "tr": "Türkçe",
        "de": "Deutsch",
        "ar": "العربية",
    }
    assert links["en"]["aria-current"] == "true"
    assert links["de"]["href"] == "/?lang=de"


def test_arabic_pages_are_right_to_left_and_the_choice_is_remembered(client):
    page = soup(client.get("/?lang=ar"))
    assert page.html["lang"] == "ar"
    assert page.html["dir"] == "rtl"
    again = soup(client.get("/"))
    assert again.html["dir"] == "rtl"
    assert again.select_one('nav.languages a[aria-current="true"]')["lang"] == "ar"
