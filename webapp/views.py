"""Server-rendered pages for guest shoppers.

Views only translate: a validated form becomes the same plain dict the JSON API sends, a
service function decides, and its field errors are put back next to the form's fields.
Every POST that succeeds redirects (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency as babel_format_currency
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_time, ngettext, to_user_timezone
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from . import guest_session
from .errors import DomainError, OrderNotFound
from .forms import (
    TYPE_CHOICE_LABELS,
    BulkRequestForm,
    ForgetOrderForm,
    ItemRequestForm,
    LookupForm,
    RequestFieldsForm,
)
from .i18n import (
    CANCELLATION_TYPES,
    EASY_RETURN_STATUSES,
    ORDER_STATUSES,
    PAYMENT_TYPES,
    REQUEST_STATUSES,
    current_language,
    label,
)
from .models import CANCEL, REFUND, Address, CancellationRequest, Order, OrderItem
from .security import cancellation_limit, lookup_limit
from .serializers import mask_iban
from .services import cancellations, eligibility, idempotency, orders, reasons

bp = Blueprint("views", __name__)

CONFIRMATION_KEY = "confirmation"

ErrorList = list[tuple[str, str]]


# --- shared page context ------------------------------------------------------------------


def language_names() -> dict[str, str]:
    """Each configured language in its own name, for the switcher."""
    return _names_of(tuple(current_app.config["LANGUAGES"]))


@lru_cache(maxsize=8)
def _names_of(languages: tuple[str, ...]) -> dict[str, str]:
    return {code: Locale.parse(code).get_display_name(code).capitalize() for code in languages}


@bp.app_context_processor
def page_chrome() -> dict[str, Any]:
    """The language switcher, on every HTML page (error pages included)."""

    def language_url(code: str) -> str:
        rule = request.url_rule
        if request.method == "GET" and request.endpoint not in (None, "static"):
            base, args = request.path, {k: v for k, v in request.args.items() if k != "lang"}
        elif rule is not None and "GET" in (rule.methods or ()):
            base, args = request.path, {}  # a form sent with errors: its page in the other language
        else:
            base, args = url_for("views.lookup"), {}
        return f"{base}?{urlencode({**args, 'lang': code})}"

    return {"language_names": language_names(), "language_url": language_url}


REQUEST_TONES = {
    "open": "pending",
    "approved": "info",
    "rejected": "danger",
    "completed": "success",
}


def _order_tone(code: int) -> str:
    """A colour family for a status badge (the badge always carries the status text too)."""
    if code in (100, 600):
        return "neutral"
    if code == 550:
        return "success"
    if 500 <= code < 550:
        return "info"
    return "pending"


@lru_cache(maxsize=4096)
def formatted_money(value: Decimal, currency: str, language: str) -> str:
    """An amount as the language writes it (Babel's formatting is slow; prices repeat)."""
    return babel_format_currency(value, currency, locale=language)


@lru_cache(maxsize=4096)
def formatted_day(value: date, language: str) -> str:
    """A calendar day in the language's long form (dates repeat: delivery days, pickups)."""
    return babel_format_date(value, "long", locale=language)


def _order_helpers(order: Order) -> dict[str, Callable[..., Any]]:
    """Formatting for the order templates: money in the order's currency, dates, labels."""
    currency, language = order.currency.upper(), current_language()

    def money(value: Decimal | None) -> str:
        return formatted_money(value or Decimal("0"), currency, language)

    def when(value: datetime | None) -> str:
        if value is None:
            return ""
        return _("%(date)s, %(time)s", date=format_date(value, "medium"),
                 time=format_time(value, "short"))  # fmt: skip

    def day(value: date | datetime | None) -> str:
        if not value:
            return ""
        if isinstance(value, datetime):
            value = to_user_timezone(value).date()
        return formatted_day(value, language)

    def address_text(address: Address | None) -> str:
        if address is None:
            return ""
        name = f"{address.first_name} {address.last_name}".strip()
        place = " ".join(part for part in (address.postcode, address.city) if part)
        parts = (name, address.line, address.district, place, address.country)
        return ", ".join(part for part in parts if part)

    return {
        "order_tone": _order_tone,
        "request_tone": lambda code: REQUEST_TONES.get(code, "neutral"),
        "money": money,
        "when": when,
        "day": day,
        "address_text": address_text,
        "order_status": lambda code: label(ORDER_STATUSES, code, language)["label"],
        "request_status": lambda code: label(REQUEST_STATUSES, code, language)["label"],
        "type_label": lambda code: label(CANCELLATION_TYPES, code, language)["label"],
        "easy_return_status": lambda code: label(EASY_RETURN_STATUSES, code, language)["label"],
        "payment_type": lambda code: label(PAYMENT_TYPES, code, language)["label"],
        "reason_subject": lambda reason: reason.subject_for(language),
        "mask_iban": mask_iban,
    }


def _load_order(order_id: int) -> Order:
    return orders.get_proven_order(order_id, guest_session.proven_order_ids())


# --- forms: choices in, service errors back -----------------------------------------------


def _allowed_types(item: OrderItem) -> list[str]:
    cancellable, refundable = eligibility.allowed_types(item)
    return [kind for kind, ok in ((CANCEL, cancellable), (REFUND, refundable)) if ok]


class _Choices:
    """Reasons, companies and addresses offered on one order page, loaded once."""

    def __init__(self, order: Order) -> None:
        language = current_language()
        self.reasons = {
            kind: [(str(r.id), r.subject_for(language)) for r in found]
            for kind, found in reasons.reasons_by_type().items()
        }
        self.companies = [(str(c.id), c.name) for c in reasons.list_easy_return_companies()]
        address_text = _order_helpers(order)["address_text"]
        self.addresses = [(str(a.id), address_text(a)) for a in order.addresses]
        self.pickup_first, self.pickup_last = eligibility.pickup_window()

    def apply(self, form: RequestFieldsForm, types: Iterable[str]) -> None:
        kinds = list(types)
        form.setup(
            [(kind, TYPE_CHOICE_LABELS[kind]) for kind in kinds],
            {kind: self.reasons[kind] for kind in kinds},
            self.companies,
            self.addresses,
        )
        form.pickup_date.render_kw = {
            "min": self.pickup_first.isoformat(),
            "max": self.pickup_last.isoformat(),
        }


def _add_error(field: Any, message: str) -> None:
    if message not in field.errors:
        field.errors = [*field.errors, message]


def _attach_errors(form: ItemRequestForm | LookupForm, body: dict[str, Any]) -> None:
    """A service error body (``{"field": "message", ...}``) onto the form's fields."""
    code = body.get("error_code")
    for key, message in body.items():
        if key == "error_code" or not isinstance(message, str):
            continue
        if isinstance(form, LookupForm):
            name = key if key in ("email", "order") else None
        else:
            name = form.error_field(key, code)
        if name is not None:
            _add_error(form[name], message)
        else:
            form.form_errors.append(message)


def _attach_bulk_errors(form: BulkRequestForm, body: dict[str, Any]) -> None:
    """Per-item error objects: shared fields get their message once, the rest go to the row."""
    entries = body.get("cancel_order_items")
    if not isinstance(entries, list):
        for key, message in body.items():
            if key != "error_code" and isinstance(message, str):
                form.form_errors.append(message)
        return
    for row, errors in zip(form.selected_rows(), entries, strict=False):
        item_id = form.row_item_id(row) or 0
        code = errors.get("error_code")
        for key, message in errors.items():
            if key == "error_code":
                continue
            name = form.error_field(key, code)
            if key == "quantity":
                _add_error(row.quantity, message)
            elif name is not None:
                _add_error(form[name], message)
            else:
                form.row_errors.setdefault(item_id, []).append(message)


def _field_errors(fields: Iterable[Any]) -> ErrorList:
    return [(field.id, message) for field in fields for message in field.errors]


def _about(product: str, message: str) -> str:
    if not product:
        return message
    return _("%(product)s: %(message)s", product=product, message=message)


def _summary(form: Any, anchor: str, products: dict[int, str] | None = None) -> ErrorList:
    """Every error of a form as (id to link to, message), in the order of the page."""
    found: ErrorList = [(anchor, message) for message in form.form_errors]
    if isinstance(form, BulkRequestForm):
        found += [(f"{form.items.id}", message) for message in form.selection_errors]
        for row in form.items:
            item_id = form.row_item_id(row) or 0
            product = (products or {}).get(item_id, "")
            for message in form.row_errors.get(item_id, []):
                found.append((row.selected.id, _about(product, message)))
            for message in row.quantity.errors:
                found.append((row.quantity.id, _about(product, message)))
    plain = [field for field in form if field.type not in ("CSRFTokenField", "FieldList")]
    return found + _field_errors(plain)


# --- pages --------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@lookup_limit
def lookup() -> Response | tuple[str, int]:
    form = LookupForm()
    status = 200
    if form.validate_on_submit():
        try:
            order_id = orders.lookup_order_id(form.to_data())
        except DomainError as error:
            _attach_errors(form, error.body)
            status = error.status
        else:
            guest_session.remember_order(order_id)
            return redirect(url_for("views.order_page", order_id=order_id), 303)
    elif form.is_submitted():
        status = 400
    errors = _summary(form, "lookup-form") if form.is_submitted() else []
    return render_template("lookup.html", form=form, errors=errors), status


@bp.get("/orders/<int:order_id>/")
def order_page(order_id: int) -> str:
    order = orders.view_proven_order(order_id, guest_session.proven_order_ids())
    allowed = {item.id: _allowed_types(item) for item in order.items}
    return render_template(
        "order.html",
        order=order,
        allowed=allowed,
        several=sum(1 for kinds in allowed.values() if kinds) >= 2,
        **_order_helpers(order),
    )


@bp.route("/orders/<int:order_id>/items/<int:item_id>/requests/", methods=["GET", "POST"])
@cancellation_limit
def cancel_item(order_id: int, item_id: int) -> Response | tuple[str, int]:
    """The request form of one item (GET), and sending it (POST)."""
    order = _load_order(order_id)
    item = next((item for item in order.items if item.id == item_id), None)
    if item is None:
        raise OrderNotFound()
    form = ItemRequestForm(prefix=f"item-{item_id}")
    if not form.is_submitted():
        return _render_item(order, item, form)
    if form.validate():
        done = _submit(
            order_id,
            form,
            lambda data, proven, client: [
                cancellations.create_cancellation_request(data, proven, client_ref=client)
            ],
            form.to_data(item_id),
            _attach_errors,
        )
        if done is not None:
            return done
    order = _load_order(order_id)
    item = next(item for item in order.items if item.id == item_id)
    return _render_item(order, item, form, status=400)


@bp.route("/orders/<int:order_id>/bulk/", methods=["GET", "POST"])
@cancellation_limit
def cancel_bulk(order_id: int) -> Response | tuple[str, int]:
    """One form for several items (GET), and sending it (POST)."""
    _load_order(order_id)
    form = BulkRequestForm(prefix="bulk")
    if not form.is_submitted():
        return _render_bulk(_load_order(order_id), form)
    if form.validate():
        done = _submit(
            order_id,
            form,
            lambda data, proven, client: cancellations.create_bulk_cancellation_requests(
                data, proven, client_ref=client
            ),
            form.to_data(),
            _attach_bulk_errors,
        )
        if done is not None:
            return done
    return _render_bulk(_load_order(order_id), form, status=400)


def _submit(order_id: int, form, create, data: dict, attach_errors) -> Response | None:
    """Call the service for a valid form: a redirect on success, None with errors attached.

    A form already sent once (double click, reload) shows its first result instead.
    """
    if (replayed := _earlier_submission(order_id, form)) is not None:
        return replayed
    try:
        created = create(data, guest_session.proven_order_ids(), guest_session.client_fingerprint())
    except DomainError as error:
        if error.status == 404:
            raise
        if (replayed := _earlier_submission(order_id, form)) is not None:
            return replayed
        attach_errors(form, error.body)
        return None
    return _confirm(order_id, created, form)


@bp.get("/orders/<int:order_id>/confirmation/")
def confirmation(order_id: int) -> Response | str:
    order = _load_order(order_id)
    stored = session.get(CONFIRMATION_KEY) or {}
    wanted = set(stored.get("requests") or []) if stored.get("order") == order_id else set()
    created = [
        (item, cancellation)
        for item in order.items
        for cancellation in item.cancellation_requests
        if cancellation.id in wanted
    ]
    if not created:
        return redirect(url_for("views.order_page", order_id=order_id), 303)
    return render_template(
        "confirmation.html", order=order, created=created, **_order_helpers(order)
    )


@bp.post("/orders/<int:order_id>/forget/")
def forget_order(order_id: int) -> Response:
    if ForgetOrderForm(prefix="forget").validate_on_submit():
        guest_session.forget_order(order_id)
        if (session.get(CONFIRMATION_KEY) or {}).get("order") == order_id:
            session.pop(CONFIRMATION_KEY)
        flash(_("The order was removed from this browser."), "success")
    return redirect(url_for("views.lookup"), 303)


# --- helpers for the pages ----------------------------------------------------------------


def _confirm(order_id: int, created: list[CancellationRequest], form) -> Response:
    """Remember what was created for the confirmation page, then redirect (PRG)."""
    request_ids = [r.id for r in created]
    idempotency.remember_form_submission(
        guest_session.client_scope(), form.form_token.data, request_ids
    )
    return _show_confirmation(order_id, request_ids)


def _show_confirmation(order_id: int, request_ids: list[int]) -> Response:
    session[CONFIRMATION_KEY] = {"order": order_id, "requests": request_ids}
    flash(
        ngettext("Your request was sent.", "Your %(num)d requests were sent.", len(request_ids)),
        "success",
    )
    return redirect(url_for("views.confirmation", order_id=order_id), 303)


def _earlier_submission(order_id: int, form) -> Response | None:
    """A form sent twice (double click, reload) shows the first submission's result once."""
    request_ids = idempotency.find_form_submission(
        guest_session.client_scope(), form.form_token.data
    )
    if request_ids is None:
        return None
    return _show_confirmation(order_id, request_ids)


def _render_item(
    order: Order, item: OrderItem, form: ItemRequestForm, status: int = 200
) -> tuple[str, int]:
    """One item's request page: its form while it is eligible, else why not (and any errors)."""
    allowed = _allowed_types(item)
    errors = _summary(form, f"item-{item.id}") if form.is_submitted() else []
    choices = None
    if allowed:
        choices = _Choices(order)
        form.issue_token()
        choices.apply(form, allowed)
        form.set_quantity_limit(item.remaining_quantity)
    html = render_template(
        "request_item.html",
        order=order,
        item=item,
        form=form if allowed else None,
        allowed=allowed,
        errors=errors,
        bank_needed=any(eligibility.needs_bank_account(order, kind) for kind in allowed),
        pickup_first=choices.pickup_first if choices else None,
        pickup_last=choices.pickup_last if choices else None,
        **_order_helpers(order),
    )
    return html, status


def _render_bulk(order: Order, form: BulkRequestForm, status: int = 200) -> tuple[str, int]:
    """The form for several items: a row per eligible item, shared answers once."""
    allowed = {item.id: _allowed_types(item) for item in order.items}
    eligible = [item for item in order.items if allowed[item.id]]
    bulk_types = [kind for kind in (CANCEL, REFUND) if any(kind in allowed[i.id] for i in eligible)]
    products = {item.id: item.product.name for item in order.items}
    choices = _Choices(order)
    form.issue_token()
    choices.apply(form, bulk_types or [CANCEL, REFUND])
    form.set_items({item.id: item.remaining_quantity for item in eligible})
    errors = _summary(form, "bulk-form", products) if form.is_submitted() else []
    html = render_template(
        "request_bulk.html",
        order=order,
        bulk=form if eligible else None,
        bulk_types=bulk_types,
        bank_needed=any(eligibility.needs_bank_account(order, kind) for kind in bulk_types),
        pickup_first=choices.pickup_first,
        pickup_last=choices.pickup_last,
        products=products,
        item_status={item.id: item.status for item in order.items},
        errors=errors,
        **_order_helpers(order),
    )
    return html, status
