"""Fill the source-language catalog: every empty English msgstr becomes its msgid.

English is the language the code is written in, so its catalog is a copy of the msgids; it
exists so that every shipped language has a complete catalog. An English msgstr that was
edited on purpose (a wording fix without touching the code) is kept. `make messages` runs this.

Usage: python translations/fill_english.py translations/en/LC_MESSAGES/messages.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(path: str) -> int:
    with Path(path).open("rb") as file:
        catalog = read_po(file, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            if not all(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        if message.fuzzy:
            message.flags.discard("fuzzy")
            filled += 1
    if filled:  # untouched otherwise, so that its .mo is not rebuilt for nothing
        with Path(path).open("wb") as file:
            write_po(file, catalog, width=76)
    return filled


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {fill(name)} English entries filled from their msgid")
