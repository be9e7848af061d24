"""Server-rendered pages for guest shoppers, one module per feature.

Views only translate: a validated form becomes the same plain dict the JSON API sends, a
service function decides, and its field errors are put back next to the form's fields.
Every POST that succeeds redirects (post/redirect/get).
"""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from . import access, chrome, filters, lookup, orders, requests, slips  # noqa: E402  (they register on bp)

__all__ = ["access", "bp", "chrome", "filters", "lookup", "orders", "requests", "slips"]
