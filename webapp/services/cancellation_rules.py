"""The contract's rules for one request entry, checked against its item's fresh read model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _

from .. import errors as codes
from ..errors import coded
from ..vocabulary import (
    CANCELLABLE_STATUSES,
    ON_ITS_WAY_STATUSES,
    CancellationType,
    OrderStatus,
    reason_allows,
)
from .cancellation_input import PICKUP_FIELDS, EntryInput, PickupInput
from .eligibility import Policy, needs_bank_account, refund_deadline, status_allows, store_day
from .read_models import CompanyView, ItemView, OrderView, ReasonView


@dataclass(slots=True)
class Plan:
    """A request that passed every rule, ready to be written."""

    order: OrderView
    item: ItemView
    cancellation_type: CancellationType
    reason_id: int
    quantity: int
    description: str | None
    iban: str | None
    holder_name: str | None
    fully_refund_as_loyalty_money: bool
    shipping_company: CompanyView | None
    pickup_address_id: int | None
    pickup: PickupInput | None


@dataclass(slots=True)
class Checked:
    """The outcome of one entry: a plan, or an error body with its status."""

    plan: Plan | None = None
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 400


@dataclass(frozen=True, slots=True)
class Known:
    """What the rules look up besides the item: reasons and easy-return companies by id."""

    reasons: Mapping[int, ReasonView]
    companies: Mapping[int, CompanyView]
    policy: Policy
    now: datetime


def check_entry(
    order: OrderView, item: ItemView, entry: EntryInput, known: Known, pending: set[int]
) -> Checked:
    """Rule order: one active request, then type by status, then every field error at once.

    ``pending`` holds the items that earlier entries of the same bulk request ask for.
    """
    if item.active_request is not None or item.id in pending:
        return Checked(
            errors=coded(
                _("This item already has an active cancellation request."),
                codes.ACTIVE_REQUEST_EXISTS,
            )
        )
    kind = entry.cancellation_type
    if kind is not None and (
        not status_allows(order, item, kind, known.policy, known.now) or item.remaining_quantity < 1
    ):
        code = codes.NOT_CANCELLABLE if kind == CancellationType.CANCEL else codes.NOT_REFUNDABLE
        return Checked(errors=coded(refusal_message(order, item, kind, known.policy), code))
    return _FieldRules(order, item, entry, known).check()


def refusal_message(
    order: OrderView, item: ItemView, kind: CancellationType, policy: Policy
) -> str:
    """Why an item can not have a request of this type, and what the shopper can do instead."""
    if item.remaining_quantity < 1:
        return _("Every unit of this item is already in a request.")
    if item.status == OrderStatus.CANCELLED:
        return _("This item was already cancelled.")
    if item.status == OrderStatus.REFUNDED:
        return _("This item was already refunded.")
    if kind == CancellationType.CANCEL:
        if item.status == OrderStatus.DELIVERED:
            return _("This item was delivered: return it instead.")
        if item.status in ON_ITS_WAY_STATUSES:
            return _("This item has already shipped: you can return it once it has been delivered.")
        return _("This item can not be cancelled.")
    if item.status in CANCELLABLE_STATUSES:
        return _("This item has not shipped yet: cancel it instead.")
    if item.status in ON_ITS_WAY_STATUSES:
        return _("This item is on its way: you can return it once it has been delivered.")
    deadline = refund_deadline(order, item, policy)
    if deadline is not None:
        return _(
            "The return window for this item closed on %(date)s.",
            date=format_date(store_day(deadline, policy), "long"),
        )
    return _("This item can not be refunded.")


class _FieldRules:
    """Collects every field error of one entry; of two coded errors, 100_8 wins over 100_5."""

    def __init__(self, order: OrderView, item: ItemView, entry: EntryInput, known: Known) -> None:
        self.order, self.item, self.entry, self.known = order, item, entry, known
        self.kind = entry.cancellation_type
        self.errors = {
            name: message
            for name, message in entry.errors.items()
            if name not in PICKUP_FIELDS or self.kind == CancellationType.REFUND
        }
        self.coded: dict[str, str] | None = None
        self.outranked = False  # a 100_5 hidden behind the 100_8 shown: not a 406

    def check(self) -> Checked:
        reason = self.reason()
        quantity = self.quantity()
        company = None
        if self.kind == CancellationType.CANCEL:
            for name in PICKUP_FIELDS:
                if name in self.entry.given:
                    self.errors[name] = _("Only a refund can have this field.")
        elif self.kind == CancellationType.REFUND:
            company = self.company()
            self.pickup_address()
            self.pickup_day_and_hours()
            self.pickup_needs()
        self.refund_destination()
        if self.coded:
            self.errors.update(self.coded)
        if self.errors or self.kind is None or reason is None:
            only_pickup_code = (
                self.errors.get("error_code") == codes.PICKUP_ADDRESS_REQUIRED
                and set(self.errors) == {"non_field_errors", "error_code"}
                and not self.outranked
            )
            return Checked(errors=self.errors, status=406 if only_pickup_code else 400)
        entry = self.entry
        return Checked(
            plan=Plan(
                order=self.order,
                item=self.item,
                cancellation_type=self.kind,
                reason_id=reason.id,
                quantity=quantity if quantity is not None else self.item.remaining_quantity,
                description=entry.description,
                iban=entry.iban,
                holder_name=entry.holder_name,
                fully_refund_as_loyalty_money=entry.fully_refund_as_loyalty_money,
                shipping_company=company,
                pickup_address_id=entry.pickup_address,
                pickup=entry.pickup,
            )
        )

    def reason(self) -> ReasonView | None:
        if "reason" in self.errors or self.entry.reason is None:
            return None
        reason = self.known.reasons.get(self.entry.reason)
        if reason is None or not reason.is_active:
            self.errors["reason"] = _("Select a valid reason.")
            return None
        if self.kind is not None and not reason_allows(reason.cancellation_type, self.kind):
            self.errors["reason"] = _("This reason can not be used for this request type.")
            return None
        if reason.extra_information_needed and not self.entry.description:
            self.errors.setdefault(
                "description", _("Tell us more: this reason needs a description.")
            )
        return reason

    def quantity(self) -> int | None:
        quantity = self.entry.quantity
        if quantity is not None and quantity > self.item.remaining_quantity:
            self.errors["quantity"] = _("Quantity can not be greater than order item quantity.")
            return None
        return quantity

    def company(self) -> CompanyView | None:
        company_id = self.entry.shipping_company
        if company_id is None:
            return None
        company = self.known.companies.get(company_id)
        if company is None:
            self.errors["shipping_company"] = _(
                "Choose a shipping company that offers easy return."
            )
        return company

    def pickup_address(self) -> None:
        address_id = self.entry.pickup_address
        if address_id is not None and address_id not in self.order.address_ids:
            self.errors["pickup_address"] = _("Choose one of this order's addresses.")

    def pickup_day_and_hours(self) -> None:
        pickup = self.entry.pickup
        if pickup is None:
            return
        policy = self.known.policy
        first, last = policy.pickup_window()
        if not first <= pickup.day <= last:
            self.errors["pickup_date"] = _(
                "Choose a pickup date from %(first)s to %(last)s.",
                first=format_date(first, "long"),
                last=format_date(last, "long"),
            )
        elif not (
            policy.earliest_pickup_hour <= pickup.start < pickup.end <= policy.latest_pickup_hour
        ):
            self.errors["pickup_date"] = _(
                "Choose an hour range between %(earliest)s and %(latest)s, start before end.",
                earliest=policy.earliest_pickup_hour,
                latest=policy.latest_pickup_hour,
            )

    def pickup_needs(self) -> None:
        """A pickup date needs an address (100_8), an address a date, both a company."""
        given = self.entry.given
        has_date, has_address = "pickup_date" in given, "pickup_address" in given
        if has_date and not has_address:
            self.coded = coded(_("Pickup address is required."), codes.PICKUP_ADDRESS_REQUIRED)
        if has_address and not has_date and "pickup_address" not in self.errors:
            self.errors.setdefault("pickup_date", _("A pickup address needs a pickup date."))
        if (has_date or has_address) and "shipping_company" not in given:
            self.errors.setdefault("shipping_company", _("A pickup needs a shipping company."))

    def refund_destination(self) -> None:
        entry = self.entry
        if entry.iban and not entry.holder_name and "holder_name" not in self.errors:
            self.errors["holder_name"] = _("Enter the name of the account holder.")
        if entry.fully_refund_as_loyalty_money or self.kind is None or "iban" in self.errors:
            return
        if needs_bank_account(self.order, self.kind) and not entry.iban:
            if self.coded is not None:
                self.outranked = True
                return
            self.coded = coded(
                _("An IBAN and the account holder's name are required for this refund."),
                codes.IBAN_REQUIRED,
            )
