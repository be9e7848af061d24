"""In-process timing (no server, no network) of the lookup and the order page.

Run after ``make bench`` has seeded ``instance/bench/bench.sqlite3``::

    .venv/bin/python -m bench.inprocess --lookups 300 --pages 50
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from webapp import create_app

DATABASE = Path(__file__).resolve().parent.parent / "instance" / "bench" / "bench.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the database")
    args = parser.parse_args()
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{DATABASE}", "RATELIMIT_ENABLED": False,
         "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench-" + "x" * 40}
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


if __name__ == "__main__":
    main()
