"""Property tests: random sequences of requests and status changes never break the invariants."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.models import CancellationRequest, OrderItem
from webapp.services.cancellations import (
    create_bulk_cancellation_requests,
    create_cancellation_request,
)
from webapp.vocabulary import ACTIVE_REQUEST_STATUSES

quantities = st.one_of(st.none(), st.integers(min_value=-2, max_value=7))
items = st.integers(min_value=0, max_value=2)
decisions = st.sampled_from(["rejected", "completed", "approved"])
steps = st.lists(
    st.one_of(
        st.tuples(st.just("single"), items, quantities),
        st.tuples(st.just("bulk"), st.lists(st.tuples(items, quantities), min_size=1, max_size=4)),
        st.tuples(st.just("decide"), items, decisions),
    ),
    min_size=1,
    max_size=12,
)


def assert_invariants(item_ids: list[int]) -> None:
    for item_id in item_ids:
        item = db.session.get(OrderItem, item_id)
        reserved = db.session.scalar(
            select(func.coalesce(func.sum(CancellationRequest.quantity), 0)).where(
                CancellationRequest.order_item_id == item_id,
                CancellationRequest.status != "rejected",
            )
        )
        active = db.session.scalar(
            select(func.count()).where(
                CancellationRequest.order_item_id == item_id,
                CancellationRequest.status.in_(ACTIVE_REQUEST_STATUSES),
            )
        )
        assert reserved <= item.quantity
        assert active <= 1


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_random_request_sequences_never_oversell_an_item_nor_stack_active_requests(build, plan):
    order = build.order(items=[(450, 3), (450, 1), (400, 5)])
    reason = build.reason("cancel")
    item_ids = [item.id for item in order.items]
    proven = {order.id}

    def entry(index: int, quantity) -> dict:
        body = {"order_item": item_ids[index], "reason": reason.id, "cancellation_type": "cancel"}
        if quantity is not None:
            body["quantity"] = quantity
        return body

    for step in plan:
        try:
            if step[0] == "single":
                create_cancellation_request(entry(step[1], step[2]), proven)
            elif step[0] == "bulk":
                entries = [entry(index, quantity) for index, quantity in step[1]]
                create_bulk_cancellation_requests({"cancel_order_items": entries}, proven)
            else:
                active = db.session.scalars(
                    select(CancellationRequest).where(
                        CancellationRequest.order_item_id == item_ids[step[1]],
                        CancellationRequest.status.in_(ACTIVE_REQUEST_STATUSES),
                    )
                ).first()
                if active is not None:
                    active.status = step[2]
                    db.session.commit()
        except DomainError as error:
            assert error.status in (400, 404, 406)
        assert_invariants(item_ids)
