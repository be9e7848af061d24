"""Every kind of miss looks the same from outside: status, body, headers and time."""

import statistics
import time

TRIES = 200


def miss_cases(build) -> dict[str, tuple[str, str]]:
    build.order(email="guest@example.com", number="500000000001")
    build.order(email="member@example.com", number="500000000002", user_type="registered")
    return {
        "unknown number": ("guest@example.com", "599999999999"),
        "wrong email": ("someone@example.com", "500000000001"),
        "registered user's order": ("member@example.com", "500000000002"),
    }


def comparable_headers(response) -> dict[str, str]:
    return {key: value for key, value in response.headers.items() if key != "Set-Cookie"}


def test_every_kind_of_miss_has_the_same_status_body_and_headers(api, build):
    responses = {name: api.lookup(*proof) for name, proof in miss_cases(build).items()}
    first = next(iter(responses.values()))
    for response in responses.values():
        assert response.status_code == 404
        assert response.data == first.data
        assert comparable_headers(response) == comparable_headers(first)


def test_every_kind_of_miss_takes_the_same_time_within_noise(api, build):
    cases = miss_cases(build)
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(TRIES):
        for name, proof in cases.items():
            started = time.perf_counter()
            response = api.lookup(*proof)
            timings[name].append(time.perf_counter() - started)
            assert response.status_code == 404
    medians = {name: statistics.median(values) for name, values in timings.items()}
    spread = max(medians.values()) - min(medians.values())
    noise = max(statistics.quantiles(values, n=4)[2] - statistics.quantiles(values, n=4)[0]
                for values in timings.values())  # fmt: skip
    assert spread <= max(noise, 0.0002), (medians, noise)
