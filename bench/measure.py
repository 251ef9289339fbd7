"""Timing the served app over HTTP, as its people use it.

Each bench person signs in through the sign-in page (its form and CSRF token) for the pages, and
takes an API token at `/api/v1/auth/token/` for the API. Requests say they came through an HTTPS
proxy (`X-Forwarded-Proto`), as production's do, so production settings serve them as they are
(secure cookies, no redirect). Each page or list gets one request to warm up, then `requests`
timed ones, the two councils' people taking turns; the server's `X-Bench-Queries` header gives
each one's SQL count. Then `clients` people at once (half from each council) read the lists for
`seconds`.

Standard library only, and no Django: this is the client.
"""

from __future__ import annotations

import http.client
import json
import re
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

# (name, path). {slug} and the {record} ids come from bench.fixtures; a list is a page or an API
# list that grows with the council, a record is one child's or one document's page.
PAGES = (
    ("home", "/home/", "list"),
    ("children", "/children/", "list"),
    ("children, specialist tier", "/children/?tier=specialist", "list"),
    ("caseload", "/caseload/", "list"),
    ("authorisation queue", "/caseload/authorisations/", "list"),
    ("referrals", "/referrals/", "list"),
    ("grants waiting list", "/grants/", "list"),
    ("grant schemes", "/grants/schemes/", "list"),
    ("support in numbers", "/aggregates/", "list"),
    ("support in numbers CSV", "/aggregates/export.csv", "list"),
    ("access log", "/access-log/", "list"),
    ("providers", "/providers/", "list"),
    ("services", "/providers/services/", "list"),
    ("contracts register", "/contracts/", "list"),
    ("DPS", "/contracts/dps/", "list"),
    ("spend", "/contracts/spend/", "list"),
    ("audit reports", "/audits/", "list"),
    ("evidence packs", "/audits/packs/", "list"),
    ("statements", "/statements/manage/", "list"),
    ("statement preview", "/statements/manage/{statement}/preview/", "list"),
    ("people", "/council/people/", "list"),
    ("child", "/children/{child}/", "record"),
    ("child referrals", "/children/{child}/referrals/", "record"),
    ("child assessments", "/children/{child}/assessments/", "record"),
    ("child packages", "/children/{child}/packages/", "record"),
    ("child reviews", "/children/{child}/reviews/", "record"),
    ("child documents", "/children/{child}/documents/", "record"),
    ("child timeline", "/children/{child}/timeline/", "record"),
    ("overnight stays", "/children/{child}/overnights/", "record"),
    ("referral", "/referrals/{referral}/", "record"),
    ("assessment", "/assessments/{assessment}/", "record"),
    ("package", "/packages/{package}/", "record"),
    ("review", "/reviews/{review}/", "record"),
    ("decision letter", "/reviews/{review}/letter/", "record"),
    ("audit report", "/audits/{audit_report}/", "record"),
)
PUBLIC_PAGES = (
    ("public statement", "/statements/{slug}/", "list"),
    ("public directory", "/statements/{slug}/services/", "list"),
    ("Open Referral services", "/openreferral/{slug}/services", "list"),
)
API_LISTS = (
    "children",
    "caseload",
    "referrals",
    "assessments",
    "packages",
    "panel-decisions",
    "reviews",
    "grant-applications",
    "grant-schemes",
    "providers",
    "services",
    "contracts",
    "contracts/ocds",
    "dps",
    "spend",
    "aggregates",
    "access-log",
    "audit-reports",
    "recommendations",
    "statements",
    "evidence-packs",
    "teams",
)
API = "/api/v1/"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "page", "public" or "api"
    group: str  # "list" or "record"
    path: str
    method: str = "GET"
    body: dict | None = None


def targets() -> list[Target]:
    found = [Target(name, "page", group, path) for name, path, group in PAGES]
    found += [Target(name, "public", group, path) for name, path, group in PUBLIC_PAGES]
    found += [Target(f"API {name}", "api", "list", f"{API}{name}/") for name in API_LISTS]
    found.append(
        Target(
            "API children search",
            "api",
            "list",
            f"{API}children/search/",
            method="POST",
            body={"search": "smith"},
        )
    )
    return found


class BenchError(Exception):
    pass


@dataclass
class Answer:
    status: int
    seconds: float
    queries: int | None
    size: int
    body: bytes = b""
    location: str = ""


class Person:
    """One signed-in person: their cookies (the session) and their API token."""

    def __init__(self, port: int, username: str = "", password: str = ""):
        self.port, self.username, self.password = port, username, password
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def send(self, method: str, path: str, *, form=None, body=None, api=False) -> Answer:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "shortbreaks-bench/1",
            "Accept": "application/json" if api else "text/html",
        }
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if api and self.token:
            headers["Authorization"] = f"Token {self.token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection that sat idle (gunicorn's keepalive):
                # sent again on a new connection, as every HTTP client does.
                self.connection.close()
                if attempt == 2:
                    return Answer(0, time.perf_counter() - started, None, 0)
            except (OSError, http.client.HTTPException):
                self.connection.close()
                return Answer(0, time.perf_counter() - started, None, 0)
        seconds = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        if response.will_close:
            self.connection.close()
        queries = response.getheader("X-Bench-Queries")
        return Answer(
            response.status,
            seconds,
            int(queries) if queries is not None else None,
            len(payload),
            payload,
            response.getheader("Location", ""),
        )

    def sign_in(self) -> None:
        form = self.send("GET", "/sign-in/")
        match = CSRF_INPUT.search(form.body)
        if form.status != 200 or not match:
            raise BenchError(f"the sign-in page answered {form.status}")
        answer = self.send(
            "POST",
            "/sign-in/",
            form={
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": self.username,
                "password": self.password,
                "next": "",
            },
        )
        if answer.status != 302:
            raise BenchError(f"signing in as {self.username} answered {answer.status}")
        token = self.send(
            "POST",
            f"{API}auth/token/",
            body={"username": self.username, "password": self.password},
            api=True,
        )
        if token.status != 200:
            raise BenchError(f"the API token for {self.username} answered {token.status}")
        self.token = json.loads(token.body)["token"]

    def fetch(self, target: Target, ids: dict) -> Answer:
        path = target.path.format(**ids)
        return self.send(target.method, path, body=target.body, api=target.kind == "api")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 30 is the 29th fastest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


@dataclass
class Timing:
    statuses: Counter = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    size: int = 0

    def summary(self) -> dict:
        ms = [s * 1000 for s in self.seconds]
        return {
            "requests": len(ms),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p95_ms": round(percentile(ms, 0.95), 1) if ms else None,
            "max_ms": round(max(ms), 1) if ms else None,
            # The usual count, and every count seen: a session or token touched once a minute
            # adds one write now and then (SessionLimitsMiddleware, knox's refresh).
            "queries_usual": Counter(self.queries).most_common(1)[0][0] if self.queries else None,
            "queries": sorted(set(self.queries)),
            "bytes": self.size,
        }


def _everything(name: str) -> bool:
    return True


def single_client(
    port: int, councils: dict, password: str, requests: int, log, chosen=_everything
) -> dict:
    """Every target (or those `chosen` by name), for each council's person: a warm-up, then
    `requests` timed requests, the councils taking turns."""
    people = {}
    for name, info in councils.items():
        person = Person(port, info["username"], password)
        person.sign_in()
        people[name] = person
    results: dict[str, dict] = {}
    for target in (t for t in targets() if chosen(t.name)):
        results[target.name] = {"kind": target.kind, "group": target.group, "path": target.path}
        readers = {
            name: people[name] if target.kind != "public" else Person(port) for name in councils
        }
        timings = {name: Timing() for name in councils}
        warm = {name: readers[name].fetch(target, info) for name, info in councils.items()}
        # The councils take turns, request by request: a moment when the machine is busy
        # elsewhere slows both councils' lines alike, not one council's alone.
        for _ in range(requests):
            for name, info in councils.items():
                answer = readers[name].fetch(target, info)
                timing = timings[name]
                timing.statuses[answer.status] += 1
                timing.seconds.append(answer.seconds)
                if answer.queries is not None:
                    timing.queries.append(answer.queries)
                timing.size = answer.size
        for name in councils:
            summary = timings[name].summary()
            summary["warm_up_ms"] = round(warm[name].seconds * 1000, 1)
            results[target.name][name] = summary
        big, small = results[target.name].get("big", {}), results[target.name].get("small", {})
        log(
            f"  {target.name:32} big p95 {big.get('p95_ms')!s:>8} ms  "
            f"small p95 {small.get('p95_ms')!s:>8} ms  queries {big.get('queries')} / "
            f"{small.get('queries')}"
        )
    return results


def throughput_mix(chosen=_everything) -> list[Target]:
    """What the clients at once read in turn: the signed-in lists (those `chosen` by name)."""
    return [t for t in targets() if t.group == "list" and t.kind != "public" and chosen(t.name)]


def many_clients(
    port: int, councils: dict, password: str, clients: int, seconds: int, chosen=_everything
) -> dict:
    """`clients` people at once, alternating councils, each reading the lists in turn."""
    mix = throughput_mix(chosen)
    names = list(councils)
    people = []
    for index in range(clients):
        council = names[index % len(names)]
        person = Person(port, councils[council]["username"], password)
        person.sign_in()
        people.append((council, person))
    hits: list[tuple[str, str, int, float]] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def work(index: int, council: str, person: Person):
        own = []
        start.wait()
        turn = index * 5
        while time.monotonic() < deadline[0]:
            target = mix[turn % len(mix)]
            turn += 1
            answer = person.fetch(target, councils[council])
            own.append((council, target.name, answer.status, answer.seconds))
        with lock:
            hits.extend(own)

    threads = [
        threading.Thread(target=work, args=(i, council, person))
        for i, (council, person) in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ms = [h[3] * 1000 for h in hits]
    statuses = Counter(h[2] for h in hits)
    by_council = {}
    for name in names:
        own = [h[3] * 1000 for h in hits if h[0] == name]
        by_council[name] = {
            "requests": len(own),
            "p50_ms": round(statistics.median(own), 1) if own else None,
            "p95_ms": round(percentile(own, 0.95), 1) if own else None,
        }
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(hits),
        "requests_per_second": round(len(hits) / elapsed, 1) if elapsed else None,
        "p50_ms": round(statistics.median(ms), 1) if ms else None,
        "p95_ms": round(percentile(ms, 0.95), 1) if ms else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": sum(v for k, v in statuses.items() if k == 0 or k >= 400),
        "by_council": by_council,
        "mix": [t.name for t in mix],
    }
