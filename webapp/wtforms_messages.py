"""WTForms' own validation messages, translated in this project's catalogs.

The forms pass an explicit message to every validator they use. For anything WTForms words
itself (a validator added without ``message=``, a choice or number that can not be read), the
forms take their translations from here: ``translations`` reads the site's Babel catalogs, so
these messages are translated, reviewed and tested like every other string, in every language
the site ships, instead of coming from WTForms' bundled catalogs (complete for some languages
only). The list below marks the msgids for extraction (``make messages``); it is never shown
as such.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from .i18n import request_translations

# The messages WTForms 3 can show (wtforms/locale/wtforms.pot), worded as WTForms words them:
# they must match WTForms' msgids exactly to be found.
MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Field must be equal to %(other_name)s."),
    lazy_ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    lazy_ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)


class CatalogTranslations:
    """The ``gettext``/``ngettext`` pair WTForms asks a form's meta for, read from our catalogs.

    Only the lookup: WTForms fills the placeholders itself (``message % {"min": ...}``), so
    Flask-Babel's ``gettext``, which formats, must not be used here.
    """

    def gettext(self, string: str) -> str:
        return str(request_translations().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(request_translations().ungettext(singular, plural, n))


translations = CatalogTranslations()


class TranslatedMeta:
    """Mixed into a form's ``Meta``: WTForms' own messages come from our catalogs."""

    def get_translations(self, form: object) -> CatalogTranslations:
        return translations
