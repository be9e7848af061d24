"""In-process timing (no server, no network) of the lookup, the order page and cancellations.

Run after ``make bench`` has seeded ``instance/bench/bench.sqlite3``::

    .venv/bin/python -m bench.inprocess --lookups 300 --pages 50 --cancels 200

Cancelling deletes the database's earlier cancellation requests first, as ``make bench`` does.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from bench.run import clear_requests
from bench.seed import CANCEL_REASON_ID, cancellable_item_id
from webapp import create_app

DATABASE = Path(__file__).resolve().parent.parent / "instance" / "bench" / "bench.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--cancels", type=int, default=0, help="cancellation POSTs to time")
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the database")
    args = parser.parse_args()
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{DATABASE}", "RATELIMIT_ENABLED": False,
         "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench-" + "x" * 40, "LOG_LEVEL": "WARNING"}
    )  # fmt: skip
    client = app.test_client()
    chosen = random.Random(1)

    started = time.perf_counter()
    for _ in range(args.lookups):
        i = chosen.randint(1, args.orders)
        response = client.post(
            "/users/orders/anonymous/",
            json={"email": f"guest{i}@bench.example", "order": f"{i:012d}"},
        )
        assert response.status_code == 200, response.status_code
    lookup_ms = (time.perf_counter() - started) / args.lookups * 1000

    page_seconds = 0.0
    for _ in range(args.pages):
        i = chosen.randint(1, args.orders)
        client.post(
            "/users/orders/anonymous/",
            json={"email": f"guest{i}@bench.example", "order": f"{i:012d}"},
        )
        started = time.perf_counter()
        assert client.get(f"/orders/{i}/").status_code == 200
        page_seconds += time.perf_counter() - started
    page_ms = page_seconds / args.pages * 1000
    print(f"lookup: {lookup_ms:.2f} ms per request; order page: {page_ms:.2f} ms per page")
    if args.cancels:
        print(f"cancellation: {time_cancellations(client, chosen, args):.2f} ms per request")


def time_cancellations(client, chosen: random.Random, args: argparse.Namespace) -> float:
    """Each POST cancels item 0 (preparing) of a different random order, proven in the body."""
    clear_requests(f"sqlite:///{DATABASE}")
    started = time.perf_counter()
    for i in chosen.sample(range(1, args.orders + 1), args.cancels):
        body = {"email": f"guest{i}@bench.example", "order": f"{i:012d}", "quantity": 1,
                "order_item": cancellable_item_id(i), "reason": CANCEL_REASON_ID,
                "cancellation_type": "cancel"}  # fmt: skip
        response = client.post("/users/orders/anonymous/cancellation_requests/", json=body)
        assert response.status_code == 200, response.get_json()
    return (time.perf_counter() - started) / args.cancels * 1000


if __name__ == "__main__":
    main()
