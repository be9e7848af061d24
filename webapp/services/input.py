"""Reading plain values out of a request body: each failure is one field's message."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

MAX_DATABASE_INTEGER = 2**31 - 1
TRUE_WORDS = frozenset({"true", "1", "on", "yes"})
FALSE_WORDS = frozenset({"false", "0", "off", "no"})
# Invisible characters that reorder or hide text (bidirectional marks, embeddings, overrides
# and isolates; zero-width space, word joiner, byte order mark), removed from free text so that
# nobody reading it later sees it other than as typed. The zero-width joiner and non-joiner
# (U+200C, U+200D) stay: Persian, Indic scripts and emoji need them.
INVISIBLE_CONTROLS = dict.fromkeys(
    [0x061C, 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


class FieldError(Exception):
    """One field's message, collected into a ``{"field": "message"}`` body."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(value: Any) -> bool:
    return value is None or value == ""


def required(data: dict[str, Any], key: str) -> Any:
    value = data.get(key)
    if is_blank(value):
        raise FieldError(_("This field is required."))
    return value


def as_int(value: Any) -> int:
    """An integer from a JSON number or a string of digits (as the platform's API accepts)."""
    if isinstance(value, bool):
        raise FieldError(_("A valid integer is required."))
    if isinstance(value, int):
        return value
    if isinstance(value, str) and len(value) <= 18:
        text = value.strip()
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text)
    raise FieldError(_("A valid integer is required."))


def in_database_range(value: int) -> bool:
    """Whether an id can name a row at all (others are unknown without asking the database)."""
    return 0 < value <= MAX_DATABASE_INTEGER


def is_storable_text(text: str) -> bool:
    """Text every database stores: no NUL character (PostgreSQL) and no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_text(value: Any, max_length: int) -> str:
    """Text without invisible reordering characters, trimmed, at most ``max_length`` long."""
    if not isinstance(value, str) or not is_storable_text(value):
        raise FieldError(_("Not a valid string."))
    text = value.translate(INVISIBLE_CONTROLS).strip()
    if len(text) > max_length:
        raise FieldError(
            ngettext(
                "Ensure this field has no more than %(num)d character.",
                "Ensure this field has no more than %(num)d characters.",
                max_length,
            )
        )
    return text


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in TRUE_WORDS | FALSE_WORDS:
        return value.lower() in TRUE_WORDS
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise FieldError(_("Must be a valid boolean."))
