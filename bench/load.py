"""The load runner: requests against the real server, timed from the client's side.

Each scenario is a function from a request number to a request, so that successive requests
vary (another doctor, another patient, another free slot), run by a few client threads at
once. Gunicorn's sync workers close every connection, so each request opens its own, as a
client behind a proxy would make the proxy do.
"""

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.cookies import SimpleCookie
from typing import Any

# As a proxy that ends TLS would say; the production settings redirect plain HTTP.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    @classmethod
    def get(cls, path: str, **headers: str) -> "Request":
        return cls("GET", path, headers)

    @classmethod
    def post_json(cls, path: str, payload: dict[str, Any], **headers: str) -> "Request":
        headers = {"Content-Type": "application/json", **headers}
        return cls("POST", path, headers, json.dumps(payload).encode())


@dataclass(frozen=True)
class Response:
    status: int
    seconds: float
    body: bytes
    cookies: dict[str, str]


def parse_cookies(set_cookie_headers: list[str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in set_cookie_headers:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


class Server:
    """Where requests go: host and port of the gunicorn under test."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def send(self, request: Request) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", **PROXY_HEADERS, **request.headers}
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(request.method, request.path, request.body, headers)
            answer = connection.getresponse()
            body = answer.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        cookies = parse_cookies(answer.headers.get_all("Set-Cookie") or [])
        return Response(answer.status, seconds, body, cookies)


@dataclass
class Scenario:
    """Up to `requests` requests, or fewer when they take longer than `budget_seconds` in
    all (an endpoint that takes seconds would otherwise take the run's whole time)."""

    key: str
    title: str
    make_request: Callable[[int], Request]
    requests: int = 200
    expected: frozenset[int] = frozenset({200})
    warmup: int = 6
    budget_seconds: float = 8.0
    # A cheaper request that warms the same caches, sent instead of the measured ones to warm
    # the workers and this process (for a page that takes seconds).
    cheap_warmup: Request | None = None


@dataclass
class Measure:
    """What one scenario gave: every latency, and the answers by status."""

    key: str
    title: str
    seconds: list[float]
    statuses: Counter[int]
    unexpected: list[str]
    wall_seconds: float
    expected: frozenset[int]

    def percentile(self, share: float) -> float:
        return percentile(self.seconds, share)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "requests": len(self.seconds),
            "p50_ms": self.percentile(0.50) * 1000,
            "p95_ms": self.percentile(0.95) * 1000,
            "p99_ms": self.percentile(0.99) * 1000,
            "max_ms": max(self.seconds) * 1000,
            "statuses": dict(self.statuses),
            "expected_answers": sum(self.statuses[status] for status in self.expected),
            "unexpected": self.unexpected[:5],
            "throughput_rps": len(self.seconds) / self.wall_seconds if self.wall_seconds else 0,
        }


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceiling, at least the first
    return ordered[int(rank) - 1]


def tagged(request: Request, request_id: str) -> Request:
    """The request under an id of ours: the server logs it with its own timing."""
    return replace(request, headers={**request.headers, "X-Request-ID": request_id})


def run_scenario(server: Server, scenario: Scenario, *, concurrency: int, tag: str) -> Measure:
    """Warm the workers up on this endpoint, then send the requests from `concurrency`
    threads. Each measured request carries the id `<tag>-<scenario>-<number>`; at least one
    per thread is sent, however long it takes."""
    warm_until = time.perf_counter() + scenario.budget_seconds / 4
    for number in range(scenario.warmup):
        warming = scenario.cheap_warmup or scenario.make_request(scenario.requests + number)
        server.send(warming)
        if time.perf_counter() > warm_until:
            break
    seconds: list[float] = []
    statuses: Counter[int] = Counter()
    unexpected: list[str] = []
    lock = threading.Lock()
    started = time.perf_counter()
    minimum = min(scenario.requests, concurrency)
    next_number = 0

    def client() -> None:
        nonlocal next_number
        while True:
            with lock:
                over_budget = time.perf_counter() - started > scenario.budget_seconds
                if next_number >= scenario.requests or (over_budget and next_number >= minimum):
                    return
                number = next_number
                next_number += 1
            request_id = f"{tag}-{scenario.key}-{number}"
            response = server.send(tagged(scenario.make_request(number), request_id))
            with lock:
                seconds.append(response.seconds)
                statuses[response.status] += 1
                if response.status not in scenario.expected:
                    unexpected.append(f"{response.status}: {response.body[:200]!r}")

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Measure(
        key=scenario.key,
        title=scenario.title,
        seconds=seconds,
        statuses=statuses,
        unexpected=unexpected,
        wall_seconds=time.perf_counter() - started,
        expected=scenario.expected,
    )


def all_at_once(server: Server, requests: list[Request]) -> list[Response]:
    """Send every request from its own thread, released together."""
    barrier = threading.Barrier(len(requests))
    responses: list[Response | None] = [None] * len(requests)

    def client(index: int) -> None:
        barrier.wait()
        responses[index] = server.send(requests[index])

    threads = [threading.Thread(target=client, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [response for response in responses if response is not None]
