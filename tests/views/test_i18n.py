"""Every word translated: complete catalogs, a current template, every page in every language."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from bs4 import BeautifulSoup
from flask import current_app
from flask_babel import ngettext
from sqlalchemy import select
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length

from webapp.extensions import db
from webapp.forms import SiteForm
from webapp.models import Address, EasyReturn, Order, PaymentOption, Product, ShippingCompany

from .pages import Shopper, pickup_day, soup

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("en", "tr", "de", "ar")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def catalog(language: str) -> Catalog:
    return read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", language)


def template() -> Catalog:
    return read_catalog(TRANSLATIONS / "messages.pot")


def msgids(messages: Catalog) -> set:
    return {message.id for message in messages if message.id}


# --- the catalogs -------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_of_every_catalog_is_translated_and_none_is_fuzzy(language):
    messages = catalog(language)
    empty, fuzzy = [], []
    for message in messages:
        if not message.id:
            continue
        strings = message.string if message.pluralizable else (message.string,)
        if not all(strings) or len(strings) != (
            messages.num_plurals if message.pluralizable else 1
        ):
            empty.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not messages.fuzzy, f"the header of the {language} catalog is marked fuzzy"
    assert empty == [], f"untranslated in {language}: {empty}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(language):
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalog(language).check()
    ]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_holds_exactly_the_messages_of_the_template(language):
    expected, found = msgids(template()), msgids(catalog(language))
    assert (sorted(expected - found, key=str), sorted(found - expected, key=str)) == ([], []), (
        "run `make messages` and translate the new entries"
    )


def test_the_template_is_current_with_the_code(tmp_path):
    """Extraction with the Makefile's own keywords finds exactly the template's messages."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    keywords = re.search(r"^BABEL_KEYWORDS := (.*)$", makefile, re.MULTILINE)
    assert keywords, "the Makefile defines BABEL_KEYWORDS for `make messages`"
    extracted = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         *keywords.group(1).split(), "-o", str(extracted), "."],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    found, shipped = msgids(read_catalog(extracted)), msgids(template())
    new, gone = sorted(found - shipped, key=str), sorted(shipped - found, key=str)
    assert (new, gone) == ([], []), "translations/messages.pot is stale: run `make messages`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogs_are_built_from_the_current_sources(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    compiled = folder / "messages.mo"
    assert compiled.exists(), "run `make translations` (or `make install`)"
    assert compiled.stat().st_mtime >= (folder / "messages.po").stat().st_mtime, (
        "the .mo is older than its .po: run `make translations`"
    )


def test_plural_forms_follow_each_language():
    assert [catalog(language).num_plurals for language in LANGUAGES] == [2, 2, 2, 6]


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("tr", 1, "Talebiniz gönderildi."),
        ("tr", 3, "3 talebiniz gönderildi."),
        ("de", 2, "Ihre 2 Anfragen wurden gesendet."),
        ("ar", 1, "تم إرسال طلبك."),
        ("ar", 2, "تم إرسال طلبَيك."),
        ("ar", 3, "تم إرسال 3 طلبات."),
        ("ar", 11, "تم إرسال 11 طلبًا."),
        ("ar", 100, "تم إرسال 100 طلب."),
    ],
)
def test_a_count_takes_the_plural_form_of_its_language(app, language, count, expected):
    headers = {"Accept-Language": language}
    with app.app_context(), app.test_request_context("/", headers=headers):
        text = ngettext("Your request was sent.", "Your %(num)d requests were sent.", count)
    assert text == expected


def test_wtforms_own_messages_come_translated_from_the_site_catalogs(app):
    class Probe(SiteForm):
        name = StringField(validators=[DataRequired(), Length(min=3, max=5)])
        count = IntegerField()

    data = {"name": "ab", "count": "many"}
    headers = {"Accept-Language": "tr"}
    with app.app_context(), app.test_request_context("/", method="POST", data=data,
                                                     headers=headers):  # fmt: skip
        form = Probe(meta={"csrf": False})
        assert not form.validate()
        assert form.name.errors == ["Bu alan 3 ile 5 karakter arasında olmalıdır."]
        assert form.count.errors == ["Geçerli bir tam sayı değil."]


# --- pages in every language --------------------------------------------------------------


def choose_language(shopper: Shopper, language: str) -> None:
    """As a shopper does: the language switcher's link, remembered from then on."""
    assert shopper.get(f"/?lang={language}").status_code == 200


def lookup_page(shopper: Shopper):
    return shopper.get("/")


def lookup_errors(shopper: Shopper):
    return shopper.submit(soup(shopper.get("/")), "#lookup-form", {"email": "", "order": ""})


def lookup_miss(shopper: Shopper):
    return shopper.submit(
        soup(shopper.get("/")),
        "#lookup-form",
        {"email": "nobody@example.com", "order": "000000000000"},
    )


def order_page(shopper: Shopper):
    shopper.lookup("ben@example.com", "100000000002")
    return shopper.get("/orders/1002/")


def mixed_order_page(shopper: Shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    return shopper.get("/orders/1008/")


def cancelled_order_page(shopper: Shopper):
    shopper.lookup("gul@example.com", "100000000007")
    return shopper.get("/orders/1007/")


def item_form_errors(shopper: Shopper):
    shopper.lookup("ben@example.com", "100000000002")
    return shopper.request_item(1002, 10021, {"quantity": "99", "reason": "3"})


def item_form(shopper: Shopper):
    shopper.lookup("ben@example.com", "100000000002")
    return shopper.get("/orders/1002/items/10021/requests/")


def bulk_form(shopper: Shopper):
    shopper.lookup("ben@example.com", "100000000002")
    return shopper.get("/orders/1002/bulk/")


def bulk_form_errors(shopper: Shopper):
    shopper.lookup("ben@example.com", "100000000002")
    page = soup(shopper.get("/orders/1002/bulk/"))
    return shopper.submit(page, "#bulk-form", {"cancellation_type": "refund"}, prefix="bulk-")


def confirmation_page(shopper: Shopper):
    shopper.lookup("irem@example.com", "100000000009")
    sent = shopper.request_item(
        1009,
        10091,
        {
            "quantity": "1",
            "reason": "3",
            "description": "",
            "shipping_company": "1",
            "pickup_address": "1009",
            "pickup_date": pickup_day(),
            "pickup_hours": "12:00-16:00",
        },
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    return shopper.get(sent.headers["Location"])


def order_with_a_request(shopper: Shopper):
    confirmation_page(shopper)
    return shopper.get("/orders/1009/")


def forgotten_order(shopper: Shopper):
    shopper.lookup("ben@example.com", "100000000002")
    page = soup(shopper.get("/orders/1002/"))
    sent = shopper.submit(page, "form[action$='/forget/']")
    return shopper.get(sent.headers["Location"])


def missing_page(shopper: Shopper):
    return shopper.get("/no/such/page/")


def expired_form(shopper: Shopper):
    return shopper.client.post("/", data={"email": "ben@example.com", "order": "100000000002"})


PAGES: dict[str, tuple[Callable, int]] = {
    "lookup": (lookup_page, 200),
    "lookup form errors": (lookup_errors, 400),
    "lookup miss": (lookup_miss, 404),
    "order": (order_page, 200),
    "order with mixed statuses": (mixed_order_page, 200),
    "cancelled order": (cancelled_order_page, 200),
    "item form": (item_form, 200),
    "item form errors": (item_form_errors, 400),
    "bulk form": (bulk_form, 200),
    "bulk form errors": (bulk_form_errors, 400),
    "confirmation": (confirmation_page, 200),
    "order with a request": (order_with_a_request, 200),
    "forgotten order": (forgotten_order, 200),
    "missing page": (missing_page, 404),
    "expired form": (expired_form, 400),
}


def open_page(shopper: Shopper, language: str, name: str) -> BeautifulSoup:
    visit, status = PAGES[name]
    choose_language(shopper, language)
    response = visit(shopper)
    assert response.status_code == status
    return soup(response)


def visible_text(page: BeautifulSoup) -> str:
    """What a shopper reads or hears: text, titles, labels, placeholders, button values."""
    page = BeautifulSoup(str(page), "html.parser")
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    attributes = ("aria-label", "title", "placeholder", "alt", "data-copied-text")
    extra = [tag[name] for name in attributes for tag in page.find_all(attrs={name: True})]
    extra += [tag.get("value", "") for tag in page.select("input[type=submit], input[type=button]")]
    return " ".join([page.get_text(" "), *extra])


def data_strings() -> list[str]:
    """Shop data shown as stored (not translated): names, codes, addresses, e-mails, and the
    random easy return codes (whose letters could spell an English word)."""
    values: list[str] = []
    for product in db.session.scalars(select(Product)):
        values += [product.name, product.sku]
    values += [payment.name for payment in db.session.scalars(select(PaymentOption))]
    values += [company.name for company in db.session.scalars(select(ShippingCompany))]
    for address in db.session.scalars(select(Address)):
        values += [address.first_name, address.last_name, address.line, address.district or "",
                   address.city or "", address.country or ""]  # fmt: skip
    for order in db.session.scalars(select(Order)):
        values += [order.user.email]
    values += [easy_return.code for easy_return in db.session.scalars(select(EasyReturn))]
    values += [current_app.config["SHOP_CONTACT_EMAIL"]]  # the shop's own settings
    values += list(current_app.config["RETURN_ADDRESS"].values())
    return sorted((value for value in values if value), key=len, reverse=True)


def english_words(language: str) -> set[str]:
    """Words of the English messages whose translation differs, minus any word the
    translations use themselves (IBAN, CSRF, HH:MM...)."""
    messages = catalog(language)
    english: set[str] = set()
    translated: set[str] = set()
    for message in messages:
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        for text in strings:
            translated |= {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text))}
        if tuple(strings)[: len(ids)] != tuple(ids):
            for text in ids:
                english |= {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text))}
    return english - translated


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_every_language(shopper, language, name):
    page = open_page(shopper, language, name)
    assert page.html["lang"] == language
    assert page.html["dir"] == ("rtl" if language == "ar" else "ltr")
    current = page.select_one('nav.languages a[aria-current="true"]')
    assert current["lang"] == language


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["tr", "de", "ar"])
def test_no_english_is_left_on_a_translated_page(shopper, language, name):
    page = open_page(shopper, language, name)
    text = visible_text(page)
    for value in data_strings():
        text = text.replace(value, " ")
    switcher = {"english", "deutsch"}  # each language is named in its own language
    words = {word.lower() for word in WORD.findall(text)}
    left = sorted(words & english_words(language) - switcher)
    assert left == [], f"English words on the {language} {name} page: {left}"


def test_a_turkish_page_is_in_turkish(shopper):
    page = open_page(shopper, "tr", "item form errors")
    title = "Bu ürünü iade et · Sipariş 100000000002 · Üyeliksiz sipariş yardımı"
    assert page.title.get_text(strip=True) == title
    summary = page.select_one("#error-summary").get_text(" ", strip=True)
    assert "Lütfen aşağıdakileri kontrol edin" in summary
    assert "Adet, siparişteki ürün adedinden fazla olamaz." in summary
    reasons = [option.get_text() for option in page.select("#item-10021-reason option")]
    assert "Beden uymadı" in reasons  # the reason's stored Turkish subject


def test_a_form_error_of_the_site_forms_is_translated(shopper):
    page = open_page(shopper, "tr", "lookup form errors")
    assert page.find(id="email-error").get_text(strip=True) == (
        "Siparişi verirken kullandığınız e-posta adresini girin."
    )
    assert page.find(id="order-error").get_text(strip=True) == "Sipariş numaranızı girin."


def test_a_flash_message_is_translated(shopper):
    page = open_page(shopper, "de", "forgotten order")
    assert page.select_one(".flashes").get_text(strip=True) == (
        "Die Bestellung wurde aus diesem Browser entfernt."
    )


@pytest.mark.parametrize("name", PAGES)
def test_arabic_pages_are_right_to_left(shopper, name):
    page = open_page(shopper, "ar", name)
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")


@pytest.mark.parametrize("language", ["tr", "de", "ar"])
def test_dates_and_money_follow_the_language_and_the_orders_currency(shopper, language):
    page = open_page(shopper, language, "order")
    order = db.session.get(Order, 1002)
    totals = page.select_one("dl.totals").get_text(" ", strip=True)
    assert format_currency(Decimal("149.94"), "TRY", locale=language).replace("TRY", "₺") in totals
    meta = page.select_one(".page-head__meta").get_text(" ", strip=True)
    assert format_date(order.created_date, "long", locale=language) in meta


# --- choosing the language ----------------------------------------------------------------


def test_the_lang_parameter_is_remembered_in_the_session(client):
    assert soup(client.get("/?lang=de")).html["lang"] == "de"
    later = client.get("/no/such/page/", headers={"Accept-Language": "tr"})
    assert soup(later).html["lang"] == "de"
    with client.session_transaction() as stored:
        assert stored["lang"] == "de"


@pytest.mark.parametrize(
    ("header", "language"),
    [("tr-TR,tr;q=0.9,en;q=0.5", "tr"), ("de-CH", "de"), ("ar-EG,ar;q=0.8", "ar"),
     ("fr-FR,fr;q=0.9", "en"), ("", "en")],
)  # fmt: skip
def test_without_a_choice_the_browser_language_is_used_else_english(client, header, language):
    headers = {"Accept-Language": header} if header else {}
    assert soup(client.get("/", headers=headers)).html["lang"] == language


def test_an_unknown_lang_parameter_is_ignored(client):
    page = soup(client.get("/?lang=xx", headers={"Accept-Language": "tr"}))
    assert page.html["lang"] == "tr"


def test_the_language_switcher_names_each_language_in_itself_and_keeps_the_page(shopper):
    page = open_page(shopper, "ar", "order")
    links = {link["lang"]: link for link in page.select("nav.languages a")}
    names = {code: link.get_text(strip=True) for code, link in links.items()}
    assert names == {"en": "English", "tr": "Türkçe", "de": "Deutsch", "ar": "العربية"}
    assert links["tr"]["href"] == "/orders/1002/?lang=tr"
    assert [code for code, link in links.items() if link.has_attr("aria-current")] == ["ar"]
    assert page.select_one("nav.languages")["aria-label"] == "اللغة"
