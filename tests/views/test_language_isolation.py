"""One process, one app, one language after another: nothing of an earlier language stays.

The other page tests build a fresh app for each test, so a language that sticks inside the
process (a cached template module, a memo keyed on the wrong thing) never shows there. Here
one app renders the same pages and API answers in Turkish, English, German, Arabic and English
again, and every page is read against the catalogs: no translation of another language may
appear where this language says something else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from bs4 import BeautifulSoup

from tests.conftest import ApiClient

from .pages import TYPED_IBAN, Shopper, pickup_day, soup
from .test_i18n import LANGUAGES, PAGES, PLACEHOLDER, catalog, data_strings, visible_text

# The order matters: Turkish first, so that a language that sticks shows as Turkish words on
# the English, German and Arabic pages after it; English twice, after a right-to-left one.
STEPS = ("tr", "en", "de", "ar", "en")

# Pages from test_i18n's PAGES, as each step renders them (the error pages show the shared
# macros: the error summary, the item head, the refund and money fieldsets).
PAGE_NAMES = ("lookup", "lookup form errors", "order", "item form errors", "bulk form errors")

SHORTEST = 4  # shorter pieces of a translation ("ve", "und", "%(num)d x") match by accident

API_LOOKUP = "/users/orders/anonymous/"
API_BULK = "/users/orders/anonymous/bulk_cancellation_requests/"


# --- the catalogs -------------------------------------------------------------------------


def normalised(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Foreign:
    """A literal piece of another language's translation of one message."""

    piece: str
    language: str
    msgid: str


@cache
def translations(language: str) -> dict[tuple, frozenset[str]]:
    """(msgid, context) -> what this language says for it, every plural form, normalised.
    English says its msgids (and its own catalog, which copies them)."""
    found: dict[tuple, frozenset[str]] = {}
    for message in catalog(language):
        if not message.id:
            continue
        ids = tuple(message.id) if message.pluralizable else (message.id,)
        strings = tuple(message.string) if message.pluralizable else (message.string,)
        if language == "en":
            strings += ids
        found[(ids[0], message.context)] = frozenset(normalised(s) for s in strings if s)
    return found


@cache
def own_strings(language: str) -> tuple[str, ...]:
    return tuple({text for texts in translations(language).values() for text in texts})


def pieces(text: str) -> list[str]:
    """The literal parts of a translation: placeholders (``%(name)s``, ``%(num)d``) cut out."""
    return [normalised(part) for part in PLACEHOLDER.split(text) if normalised(part)]


@cache
def foreign_pieces(language: str) -> tuple[Foreign, ...]:
    """What other languages say where this language says something else, cut into pieces long
    enough to mean something and found in none of this language's own translations."""
    own = translations(language)
    ours = own_strings(language)
    found: dict[str, Foreign] = {}
    for other in LANGUAGES:
        if other == language:
            continue
        for key, texts in translations(other).items():
            for text in texts - own.get(key, frozenset()):
                for piece in pieces(text):
                    if len(piece) < SHORTEST or piece in found:
                        continue
                    if any(piece in mine for mine in ours):
                        continue  # "IBAN", "E-posta", a word both languages share
                    found[piece] = Foreign(piece, other, key[0])
    return tuple(found.values())


def pattern(piece: str) -> re.Pattern:
    """The piece as a whole: "Adet" is not found inside "Adetler", nor "Total" in "Totals"."""
    start = r"(?<!\w)" if re.match(r"\w", piece) else ""
    end = r"(?!\w)" if re.search(r"\w$", piece) else ""
    return re.compile(start + re.escape(piece) + end)


def foreign_strings(language: str, text: str, shown_as_stored: Iterable[str]) -> list[Foreign]:
    """The pieces of other languages' translations in ``text``. Shop data shown as stored
    (product names, addresses, codes, each language's name in the switcher) is not ours to
    translate: it is taken out of the text, and no piece found inside it counts."""
    stored = sorted({normalised(value) for value in shown_as_stored if value}, key=len)[::-1]
    text = normalised(text)
    for value in stored:
        text = text.replace(value, " ")
    folded = [value.casefold() for value in stored]
    found = []
    # Longest first, each taken out once found: "adet" of "%(num)d adet" counts only where it
    # stands outside "İptal veya iade edilebilecek adet".
    for foreign in sorted(foreign_pieces(language), key=lambda f: len(f.piece), reverse=True):
        if any(foreign.piece.casefold() in value for value in folded):
            continue
        text, hits = pattern(foreign.piece).subn(" | ", text)
        if hits:
            found.append(foreign)
    return found


# --- what each step renders ---------------------------------------------------------------


@dataclass
class Rendered:
    step: int
    language: str
    name: str
    text: str
    html_lang: str | None = None  # None for a JSON answer
    switcher: tuple[str, ...] = ()  # each language named in itself: foreign on purpose


# Five returnable demo items, one per step: an item with an open request can not be asked
# for again, so each step's confirmation page needs its own. None is on order 1002, which
# every step's order page and forms use.
def confirmations() -> list[tuple[str, str, int, int, dict[str, str]]]:
    return [
        ("irem@example.com", "100000000009", 1009, 10091,
         {"quantity": "1", "reason": "3", "shipping_company": "1", "pickup_address": "1009",
          "pickup_date": pickup_day(), "pickup_hours": "12:00-16:00"}),
        ("ada@example.com", "100000000001", 1001, 10011, {"quantity": "2", "reason": "1"}),
        ("cem@example.com", "100000000003", 1003, 10031,
         {"quantity": "1", "reason": "4", "iban": TYPED_IBAN, "holder_name": "Cem Demir"}),
        ("irem@example.com", "100000000009", 1009, 10092,
         {"quantity": "1", "reason": "5", "shipping_company": "2"}),
        ("hakan@example.com", "100000000008", 1008, 10081,
         {"quantity": "1", "reason": "3", "fully_refund_as_loyalty_money": "y"}),
    ]  # fmt: skip


def confirmation_of(email: str, number: str, order_id: int, item_id: int,
                    changes: dict[str, str]) -> Callable[[Shopper], object]:  # fmt: skip
    def visit(shopper: Shopper):
        assert shopper.lookup(email, number).status_code == 303
        sent = shopper.request_item(order_id, item_id, changes)
        assert sent.status_code == 303, f"item {item_id}: {sent.status_code}"
        return shopper.get(sent.headers["Location"])

    return visit


def json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in json_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in json_strings(item)]
    return []


def api_errors(client, language: str) -> dict[str, str]:
    """The API's error answers in this language (Accept-Language; CSRF token first)."""
    api = ApiClient(client, language)
    answers = {}

    miss = api.lookup("nobody@example.com", "000000000000")
    assert miss.status_code == 404 and "non_field_errors" in miss.get_json(), miss.data
    answers["API lookup miss"] = miss

    blank = api.lookup("", "")
    assert blank.status_code == 400, blank.data
    answers["API lookup field errors"] = blank

    assert api.lookup("ben@example.com", "100000000002").status_code == 200
    spoiled = {
        "order_item": 10022,
        "reason": 3,
        "cancellation_type": "refund",
        "quantity": 99,
        "shipping_company": 1,
        "iban": "TR00",
        "holder_name": "Ben Demir",
    }
    cancel = api.cancel(spoiled)
    assert cancel.status_code == 400 and "non_field_errors" not in cancel.get_json(), cancel.data
    answers["API cancellation field errors"] = cancel

    bulk = api.bulk({"cancel_order_items": [{**spoiled, "quantity": "many"}]})
    assert bulk.status_code == 400, bulk.data
    answers["API bulk field errors"] = bulk

    return {name: " ".join(json_strings(answer.get_json())) for name, answer in answers.items()}


def render_step(app, step: int, language: str, confirmation: Callable) -> list[Rendered]:
    """Every page and answer of one step, from a fresh browser on the same app."""
    shopper = Shopper(app.test_client())
    assert shopper.get(f"/?lang={language}").status_code == 200  # the switcher's link
    rendered = []
    visits = [(name, *PAGES[name]) for name in PAGE_NAMES]
    visits.append(("confirmation", confirmation, 200))
    for name, visit, status in visits:
        response = visit(shopper)
        assert response.status_code == status, f"{language} {name}: {response.status_code}"
        page = soup(response)
        switcher = tuple(link.get_text(" ") for link in page.select("nav.languages a"))
        text = visible_text(page)
        rendered.append(Rendered(step, language, name, text, page.html.get("lang"), switcher))
    for name, text in api_errors(shopper.client, language).items():
        rendered.append(Rendered(step, language, name, text))
    return rendered


# --- the tests ----------------------------------------------------------------------------


def test_each_request_is_wholly_in_its_own_language_whatever_came_before(app, demo):
    rendered: list[Rendered] = []
    for step, (language, confirmation) in enumerate(zip(STEPS, confirmations(), strict=True)):
        rendered += render_step(app, step + 1, language, confirmation_of(*confirmation))

    stored = data_strings()  # after the steps: the easy return codes they created
    problems = []
    for page in rendered:
        where = f"step {page.step} ({page.language}), {page.name}"
        if page.html_lang is not None and page.html_lang != page.language:
            problems.append(f"{where}: <html lang={page.html_lang!r}>")
        found = foreign_strings(page.language, page.text, [*stored, *page.switcher])
        if found:
            words = ", ".join(f"{f.piece!r} ({f.language}: {f.msgid!r})" for f in found)
            problems.append(f"{where}: {words}")
    assert problems == [], (
        "words of another language on pages rendered in one process, in the order "
        + " → ".join(STEPS)
        + ":\n  "
        + "\n  ".join(problems)
    )


def test_the_check_finds_a_turkish_label_on_an_english_page_but_not_the_shop_data():
    text = "Linen shirt Ürün kodu SHIRT-L-BLUE Quantity 2 Fiyat ₺54,99 Bagdat Cd. 11 Kadikoy"
    found = foreign_strings("en", text, ["Linen shirt", "SHIRT-L-BLUE", "Bagdat Cd. 11"])
    assert {(f.piece, f.language) for f in found} == {("Ürün kodu", "tr"), ("Fiyat", "tr")}
    assert foreign_strings("en", "Item code SHIRT-L-BLUE Quantity 2 Price", ["SHIRT-L-BLUE"]) == []


def test_the_check_reads_a_page_as_a_shopper_does():
    page = BeautifulSoup(
        '<p>Menge</p><input type="submit" value="Adet"><script>"Toplam"</script>', "html.parser"
    )
    found = foreign_strings("de", visible_text(page), [])
    assert [(f.piece, f.language) for f in found] == [("Adet", "tr")]
