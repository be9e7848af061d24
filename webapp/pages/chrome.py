"""What every HTML page shows around its content: the language switcher."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from babel import Locale
from flask import current_app, request, url_for

from ..i18n import current_language
from ..vocabulary import CancellationType, Unavailable
from . import bp

# The vocabulary the templates (and their macros) name values by.
bp.add_app_template_global(CancellationType, "CancellationType")
bp.add_app_template_global(Unavailable, "Unavailable")


@bp.app_context_processor
def page_chrome() -> dict[str, Any]:
    """The page's language, its writing direction and the switcher's links, on every HTML page
    (errors included) and every email."""
    languages = current_app.config["LANGUAGES"]
    language = current_language()
    return {
        "current_language": language,
        "text_direction": Locale.parse(language).text_direction,
        "languages": languages,
        "language_names": {
            code: (Locale.parse(code).get_display_name(code) or code).capitalize()
            for code in languages
        },
        "language_url": language_url,
    }


def language_url(code: str) -> str:
    """This page in another language: the same page for a GET, the form's page for a form
    sent with errors, else the lookup page."""
    rule = request.url_rule
    if request.method == "GET" and request.endpoint not in (None, "static"):
        base, args = request.path, {k: v for k, v in request.args.items() if k != "lang"}
    elif rule is not None and "GET" in (rule.methods or ()):
        base, args = request.path, {}
    else:
        base, args = url_for("pages.lookup"), {}
    return f"{base}?{urlencode({**args, 'lang': code})}"
