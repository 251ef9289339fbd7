"""A soak test: many people using the product at once, and not one answer of 500.

    python -m shortbreaks.soak --base-url http://127.0.0.1:8000 --clients 16 --seconds 60

Each client is one person at a time with their own cookies: they sign in through the sign-in page
(the form's CSRF token, then the POST), take an API token, and then, until the time is up, read
pages and API lists, open records, and (in the roles that may) create and change records through
the API: a social worker adds a child, changes them and logs a referral; a commissioner adds a
provider and its service, and a draft contract; an auditor records a report and its
recommendations. Several clients change the same demo records too, with the values they already
hold, so colleagues in one council contend for the same rows. After a while a person signs out
and the next one signs in.

It needs the demo councils that `manage.py seed_demo` loads, and their password (DEMO_PASSWORD,
or the published default). Only the correct password is ever sent: one refused sign-in stops the
run, before the per-account lockout (5 failures) could lock the demo accounts.

`--double-submit` adds the same create sent twice at once, as a double click or a client's retry
after a timeout does. Expect one 201 and one 400; a 500 there is a race between the service's
uniqueness check and its insert.

The report counts requests by status class and action, lists every 5xx (method, path, status),
and gives the 50th and 95th percentile latency. Exit status: 0 when no request got a 5xx or no
answer at all; 1 otherwise; 2 when the run could not start (the server unreachable, the sign-in
refused). 4xx answers are fine: they are counted and shown.

Standard library only, so it runs from any Python 3.11 against any deployment. `run()` is what a
test calls (see tests/shortbreaks/test_soak.py).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import math
import os
import random
import re
import secrets
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

# The same published default as `manage.py seed_demo` (not imported: this module runs without
# Django).
DEFAULT_PASSWORD = "short-breaks-demo"  # noqa: S105 - the demo's published password
COUNCILS = ("shropshire", "warwickshire", "medway", "herefordshire", "birmingham")
# The order clients take roles in: the roles that write come first, so that even a few clients
# create and change records.
ROLES = (
    "social-worker",
    "commissioner",
    "team-manager",
    "contract-manager",
    "auditor",
    "finance-officer",
    "council-admin",
)

# The kinds of action, as the report names them.
SIGN_IN_FORM = "sign-in-form"
SIGN_IN = "sign-in"
TOKEN = "token"  # noqa: S105 - the name of an action, not a secret
PAGE = "page"
LIST = "list"
DETAIL = "detail"
CREATE = "create"
CHANGE = "change"
SIGN_OUT = "sign-out"
MISTAKE = "mistake"
DOUBLE_SUBMIT = "double-submit"
ACTIONS = (SIGN_IN_FORM, SIGN_IN, TOKEN, PAGE, LIST, DETAIL, CREATE, CHANGE, MISTAKE, SIGN_OUT)

API = "/api/v1/"

# Pages each role may read ({council} is the person's council), from the role permissions.
COMMON_PAGES = (
    "/home/",
    "/providers/",
    "/providers/services/",
    "/council/people/",
    "/accessibility/",
    "/statements/{council}/",
    "/statements/{council}/services/",
)
ROLE_PAGES = {
    "commissioner": (
        "/contracts/",
        "/contracts/dps/",
        "/contracts/spend/",
        "/aggregates/",
        "/statements/manage/",
        "/audits/",
    ),
    "contract-manager": (
        "/contracts/",
        "/contracts/dps/",
        "/contracts/spend/",
        "/statements/manage/",
        "/audits/",
    ),
    "social-worker": ("/children/", "/caseload/", "/referrals/", "/grants/", "/grants/schemes/"),
    "team-manager": (
        "/children/",
        "/caseload/",
        "/caseload/authorisations/",
        "/referrals/",
        "/grants/",
        "/access-log/",
        "/aggregates/",
        "/contracts/",
        "/statements/manage/",
    ),
    "finance-officer": ("/contracts/", "/contracts/dps/", "/contracts/spend/"),
    "auditor": (
        "/children/",
        "/caseload/",
        "/referrals/",
        "/contracts/",
        "/contracts/spend/",
        "/aggregates/",
        "/audits/",
        "/audits/packs/",
        "/statements/manage/",
    ),
    "council-admin": ("/access-log/", "/contracts/", "/statements/manage/", "/audits/packs/"),
}

# API lists (under /api/v1/) each role may read.
COMMON_LISTS = ("me", "teams", "providers", "services")
CHILDREN_LISTS = (
    "children",
    "caseload",
    "referrals",
    "grant-schemes",
    "grant-applications",
    "assessments",
    "panel-decisions",
    "packages",
    "reviews",
)
ROLE_LISTS = {
    "commissioner": (
        "contracts",
        "contracts/ocds",
        "dps",
        "spend",
        "aggregates",
        "audit-reports",
        "recommendations",
        "statements",
    ),
    "contract-manager": (
        "contracts",
        "dps",
        "spend",
        "audit-reports",
        "recommendations",
        "statements",
    ),
    "social-worker": CHILDREN_LISTS,
    "team-manager": (
        *CHILDREN_LISTS,
        "contracts",
        "dps",
        "aggregates",
        "access-log",
        "statements",
    ),
    "finance-officer": ("contracts", "dps", "spend"),
    "auditor": (
        *CHILDREN_LISTS,
        "contracts",
        "dps",
        "spend",
        "aggregates",
        "audit-reports",
        "recommendations",
        "statements",
        "evidence-packs",
    ),
    "council-admin": ("access-log", "contracts", "dps", "statements", "evidence-packs"),
}
# Query strings a person uses on a list now and then.
LIST_FILTERS = {
    # Searching children is a POST (no names in addresses); a search in the query string is a 400.
    "children": ("tier=targeted", "tier=specialist", "page=2"),
    "providers": ("search=a", "status=active"),
    "services": ("tier=targeted", "tier=specialist"),
    "referrals": ("status=received", "status=screening"),
    "recommendations": ("status=open", "priority=significant"),
}
# Where a record listed by an API list is read one at a time, in the API and on its page.
DETAILS = {
    "children": (
        "/api/v1/children/{id}/",
        "/children/{id}/",
        "/api/v1/children/{id}/timeline/",
        "/children/{id}/timeline/",
    ),
    "providers": (
        "/api/v1/providers/{id}/",
        "/providers/{id}/",
        "/api/v1/providers/{id}/services/",
    ),
    "services": ("/api/v1/services/{id}/", "/providers/services/{id}/"),
    "contracts": ("/api/v1/contracts/{id}/", "/contracts/{id}/"),
    "dps": ("/api/v1/dps/{id}/", "/contracts/dps/{id}/"),
    "referrals": ("/api/v1/referrals/{id}/", "/referrals/{id}/"),
    "assessments": ("/api/v1/assessments/{id}/", "/assessments/{id}/"),
    "packages": ("/api/v1/packages/{id}/", "/packages/{id}/"),
    "reviews": ("/api/v1/reviews/{id}/", "/reviews/{id}/"),
    "grant-applications": ("/api/v1/grant-applications/{id}/", "/grants/applications/{id}/"),
    "teams": ("/api/v1/teams/{id}/", "/council/teams/{id}/"),
    "audit-reports": ("/api/v1/audit-reports/{id}/", "/audits/{id}/"),
    "recommendations": ("/api/v1/recommendations/{id}/", "/audits/recommendations/{id}/"),
    "statements": ("/api/v1/statements/{id}/", "/statements/manage/{id}/"),
}

# The roles that change records, and how often each kind of action comes up for them.
WRITERS = {
    "social-worker",
    "team-manager",
    "commissioner",
    "contract-manager",
    "auditor",
    "finance-officer",
}
READ_WEIGHTS = {PAGE: 35, LIST: 38, DETAIL: 24, MISTAKE: 3}
WRITE_WEIGHTS = {PAGE: 25, LIST: 27, DETAIL: 19, CREATE: 12, CHANGE: 14, MISTAKE: 3}
DOUBLE_SUBMIT_WEIGHT = 4
SESSION_ACTIONS = (30, 80)  # a person does this many things between signing in and out

FIRST_NAMES = ("Amara", "Ben", "Chloe", "Dev", "Ellie", "Finn", "Grace", "Harvey", "Isla", "Jay")
DISABILITIES = ("MOB", "HAND", "PC", "INC", "AUT", "DDA", "CON")
POSTCODES = ("SY1 1AA", "CV34 4RL", "ME4 4TR", "HR4 0LE", "B1 1BB")
OUTCOMES = ("accepted_for_assessment", "signposted_universal", "referred_targeted")
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class SoakError(Exception):
    """The soak could not start: the server does not answer, or the sign-in is refused."""


class _TimeUp(Exception):
    pass


class _Stop(Exception):
    """This client stops: its sign-in was refused, and trying again could lock the account."""


class _SessionFailed(Exception):
    """The server failed this person's sign-in (already counted): the next person tries."""


def _fail_sign_in(what: str, status: int) -> Exception:
    """A 5xx or no answer is the server's fault: try again with the next person. Anything else
    (the form again, 4xx) means this password is refused: never send it again."""
    if status == 0 or status >= 500:
        return _SessionFailed(f"{what} answered {status or 'nothing'}")
    return _Stop(f"{what} answered {status}")


@dataclass(frozen=True)
class Hit:
    """One request: what it was for, what was asked, what came back and how long it took."""

    action: str
    method: str
    path: str
    status: int  # 0 when there was no answer (refused, reset, timed out)
    seconds: float
    error: str = ""

    @property
    def status_class(self) -> str:
        return f"{self.status // 100}xx" if self.status else "no answer"


def _percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Report:
    base_url: str
    clients: int
    seconds: float
    elapsed: float = 0.0
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)  # faults of the soak itself

    @property
    def total(self) -> int:
        return len(self.hits)

    @property
    def per_second(self) -> float:
        return self.total / self.elapsed if self.elapsed else 0.0

    @property
    def by_class(self) -> Counter:
        counts = Counter(dict.fromkeys(("2xx", "3xx", "4xx", "5xx", "no answer"), 0))
        counts.update(hit.status_class for hit in self.hits)
        return counts

    @property
    def by_status(self) -> Counter:
        return Counter(hit.status for hit in self.hits if hit.status)

    @property
    def by_action(self) -> dict[str, Counter]:
        actions: dict[str, Counter] = defaultdict(Counter)
        for hit in self.hits:
            actions[hit.action][hit.status_class] += 1
        return dict(actions)

    def succeeded(self, action: str) -> int:
        """How many requests of this kind answered 2xx or 3xx."""
        counts = self.by_action.get(action, Counter())
        return counts["2xx"] + counts["3xx"]

    @property
    def server_errors(self) -> list[Hit]:
        return [hit for hit in self.hits if hit.status >= 500]

    @property
    def unanswered(self) -> list[Hit]:
        return [hit for hit in self.hits if not hit.status]

    def latency(self, fraction: float, action: str | None = None) -> float:
        """Seconds: the given percentile of the answered requests (of one action, if given)."""
        return _percentile(
            [h.seconds for h in self.hits if h.status and action in (None, h.action)], fraction
        )

    @property
    def p50(self) -> float:
        return self.latency(0.50)

    @property
    def p95(self) -> float:
        return self.latency(0.95)

    @property
    def ok(self) -> bool:
        return not self.server_errors and not self.unanswered and not self.crashes

    def text(self) -> str:
        classes = self.by_class
        lines = [
            f"Soak: {self.clients} clients for {self.seconds:g} s against {self.base_url}",
            f"Requests: {self.total} in {self.elapsed:.1f} s, {self.per_second:.1f} per second",
            "By status class: " + ", ".join(f"{name} {count}" for name, count in classes.items()),
            "By status: "
            + ", ".join(f"{status} {count}" for status, count in sorted(self.by_status.items())),
            f"Latency: p50 {self.p50 * 1000:.0f} ms, p95 {self.p95 * 1000:.0f} ms, "
            f"max {max((h.seconds for h in self.hits), default=0) * 1000:.0f} ms",
            "",
            f"{'action':<14}{'requests':>9}{'2xx':>7}{'3xx':>7}{'4xx':>7}{'5xx':>6}"
            f"{'none':>6}{'p50 ms':>8}{'p95 ms':>8}",
        ]
        by_action = self.by_action
        for action in (*ACTIONS, DOUBLE_SUBMIT):
            counts = by_action.get(action)
            if not counts:
                continue
            lines.append(
                f"{action:<14}{sum(counts.values()):>9}{counts['2xx']:>7}{counts['3xx']:>7}"
                f"{counts['4xx']:>7}{counts['5xx']:>6}{counts['no answer']:>6}"
                f"{self.latency(0.50, action) * 1000:>8.0f}"
                f"{self.latency(0.95, action) * 1000:>8.0f}"
            )
        lines.append("")
        if self.server_errors:
            lines.append(f"Server errors (5xx): {len(self.server_errors)}")
            lines.extend(
                f"  {h.method} {h.path} -> {h.status} ({h.action})" for h in self.server_errors
            )
        else:
            lines.append("Server errors (5xx): none")
        if self.unanswered:
            lines.append(f"No answer: {len(self.unanswered)}")
            lines.extend(f"  {h.method} {h.path}: {h.error} ({h.action})" for h in self.unanswered)
        lines.extend(f"Note: {note}" for note in self.notes)
        lines.extend(f"The soak itself failed in {crash}" for crash in self.crashes)
        lines.append("Result: " + ("PASS" if self.ok else "FAIL"))
        return "\n".join(lines)

    __str__ = text


@dataclass
class _Answer:
    status: int
    body: bytes = b""
    location: str = ""

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Every redirect is counted as its own answer; the client follows it if it wants to."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _nhs_number() -> str:
    """A valid NHS number (modulus 11), new in every run even with --seed, so that it is
    unlikely to be one already recorded."""
    while True:
        digits = [secrets.randbelow(10) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _yesterday() -> date:
    """A date the server (in Europe/London) never takes for one in the future."""
    return datetime.now(UTC).date() - timedelta(days=1)


def _unique() -> str:
    return uuid.uuid4().hex[:10]


class _Session:
    """One person, signed in once: their cookies, their API token and what they have seen."""

    def __init__(self, client: _Client, role: str, council: str):
        self.client = client
        self.rng = client.rng
        self.role, self.council = role, council
        self.username = f"{role}@{council}.example"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self.token = ""
        self.seen: dict[str, set[int]] = defaultdict(set)  # list name -> ids read in it
        self.mine: dict[str, list[int]] = defaultdict(list)  # what this person created
        self.referral_status: dict[int, str] = {}
        self.pages = tuple(p.format(council=council) for p in COMMON_PAGES + ROLE_PAGES[role])
        self.lists = COMMON_LISTS + ROLE_LISTS[role]

    # ---------------------------------------------------------------------------------------
    # HTTP

    def send(self, action, method, path, *, body=None, form=None, api=None) -> _Answer:
        return self.client.send(self, action, method, path, body=body, form=form, api=api)

    def csrf_cookie(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    # ---------------------------------------------------------------------------------------
    # Signing in and out

    def sign_in(self) -> None:
        form = self.send(SIGN_IN_FORM, "GET", "/sign-in/")
        if form.status != 200:
            raise _fail_sign_in("GET /sign-in/", form.status)
        match = CSRF_INPUT.search(form.body)
        csrf = match.group(1).decode() if match else self.csrf_cookie()
        answer = self.send(
            SIGN_IN,
            "POST",
            "/sign-in/",
            form={
                "csrfmiddlewaretoken": csrf,
                "username": self.username,
                "password": self.client.password,
                "next": "",
            },
        )
        if answer.status != 302:  # 200 is the form again, with the password refused
            raise _fail_sign_in(f"signing in as {self.username}", answer.status)
        self.send(PAGE, "GET", urllib.parse.urlsplit(answer.location).path or "/home/")
        token = self.send(
            TOKEN,
            "POST",
            API + "auth/token/",
            body={"username": self.username, "password": self.client.password},
            api=False,
        )
        data = token.json() if token.status == 200 else None
        if not isinstance(data, dict) or "token" not in data:
            raise _fail_sign_in(f"the token for {self.username}", token.status)
        self.token = data["token"]

    def sign_out(self) -> None:
        self.send(SIGN_OUT, "POST", "/sign-out/", form={"csrfmiddlewaretoken": self.csrf_cookie()})

    # ---------------------------------------------------------------------------------------
    # Reading

    def read_page(self) -> None:
        self.send(PAGE, "GET", self.rng.choice(self.pages))

    def read_list(self, name: str | None = None) -> None:
        name = name or self.rng.choice(self.lists)
        query = []
        if name in LIST_FILTERS and self.rng.random() < 0.3:
            query.append(self.rng.choice(LIST_FILTERS[name]))
        if self.rng.random() < 0.3:
            query.append("page_size=5")
        path = f"{API}{name}/" + ("?" + "&".join(query) if query else "")
        while True:
            answer = self.send(LIST, "GET", path)
            data = answer.json() if answer.status == 200 else None
            if not isinstance(data, dict):
                return
            for row in data.get("results") or ():
                if isinstance(row, dict) and isinstance(row.get("id"), int):
                    self.seen[name].add(row["id"])
            following = data.get("next")
            if not following or self.rng.random() < 0.5:
                return
            parts = urllib.parse.urlsplit(following)
            path = parts.path + ("?" + parts.query if parts.query else "")

    def read_detail(self) -> None:
        known = [name for name in self.seen if name in DETAILS and self.seen[name]]
        if not known:
            self.read_list()
            return
        name = self.rng.choice(known)
        record = self.rng.choice(sorted(self.seen[name]))
        self.send(DETAIL, "GET", self.rng.choice(DETAILS[name]).format(id=record))

    def _record(self, name: str) -> dict | None:
        """A record of the council's list `name`, as its API detail gives it, or None."""
        if not self.seen[name]:
            self.read_list(name)
        if not self.seen[name]:
            return None
        record = self.rng.choice(sorted(self.seen[name]))
        answer = self.send(DETAIL, "GET", f"{API}{name}/{record}/")
        data = answer.json() if answer.status == 200 else None
        return data if isinstance(data, dict) else None

    # ---------------------------------------------------------------------------------------
    # Creating

    def create(self) -> None:
        choices = {
            "social-worker": (self.create_child, self.create_referral),
            "team-manager": (self.create_child, self.create_referral),
            "commissioner": (self.create_provider, self.create_service, self.create_contract),
            "contract-manager": (self.create_provider, self.create_service, self.create_contract),
            "auditor": (self.create_audit_report, self.create_recommendation),
        }.get(self.role)
        if choices:
            self.rng.choice(choices)()
        else:
            self.change()

    def _created(self, answer: _Answer, name: str) -> int | None:
        data = answer.json() if answer.status == 201 else None
        if isinstance(data, dict) and isinstance(data.get("id"), int):
            self.mine[name].append(data["id"])
            return data["id"]
        return None

    def child_body(self) -> dict:
        born = date(2008, 1, 1) + timedelta(days=self.rng.randint(0, 15 * 365))
        body = {
            "first_name": self.rng.choice(FIRST_NAMES),
            "last_name": f"Soak-{_unique()}",
            "date_of_birth": born.isoformat(),
            "postcode": self.rng.choice(POSTCODES),
            "disabilities": self.rng.sample(DISABILITIES, self.rng.randint(1, 2)),
            "school": "Soak Test Primary School",
        }
        if self.rng.random() < 0.5:
            body["nhs_number"] = _nhs_number()
        return body

    def create_child(self) -> None:
        self._created(self.send(CREATE, "POST", API + "children/", body=self.child_body()), "child")

    def create_referral(self) -> None:
        children = self.mine["child"] or sorted(self.seen["children"])
        if not children:
            self.create_child()
            return
        body = {
            "child": self.rng.choice(children),
            "received_on": _yesterday().isoformat(),
            "source": self.rng.choice(("1A", "2A", "3A")),
            "primary_need": "N2",
            "request": "Short breaks at weekends so the family has some rest.",
            "referrer": "Soak test",
        }
        referral = self._created(self.send(CREATE, "POST", API + "referrals/", body=body), "ref")
        if referral:
            self.referral_status[referral] = "received"

    def provider_body(self) -> dict:
        return {
            "name": f"Soak provider {_unique()}",
            "contact_name": "Sam Soak",
            "contact_email": "soak@provider.example",
            "postcode": self.rng.choice(POSTCODES),
        }

    def create_provider(self) -> None:
        answer = self.send(CREATE, "POST", API + "providers/", body=self.provider_body())
        self._created(answer, "provider")

    def create_service(self) -> None:
        if not self.mine["provider"]:
            self.create_provider()
            return
        provider = self.rng.choice(self.mine["provider"])
        body = {
            "title": f"Soak club {_unique()}",
            "tier": self.rng.choice(("universal", "targeted", "specialist")),
            "categories": ["educational_leisure"],
            "setting": "community",
            "when": ["weekends"],
            "capacity_maximum": 12,
            "capacity_available": self.rng.randint(0, 12),
        }
        answer = self.send(CREATE, "POST", f"{API}providers/{provider}/services/", body=body)
        self._created(answer, "service")

    def create_contract(self) -> None:
        start = _yesterday() - timedelta(days=self.rng.randint(0, 60))
        body = {
            "reference": f"SOAK-{_unique()}",
            "title": "Soak test short breaks contract",
            "kind": self.rng.choice(("block", "framework", "spot_purchase")),
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=730)).isoformat(),
            "annual_value": "25000.00",
        }
        self._created(self.send(CREATE, "POST", API + "contracts/", body=body), "contract")

    def create_audit_report(self) -> None:
        yesterday = _yesterday()
        body = {
            "title": f"Soak audit {_unique()}",
            "period_start": (yesterday - timedelta(days=365)).isoformat(),
            "period_end": (yesterday - timedelta(days=30)).isoformat(),
            "auditor": "Soak Internal Audit",
            "report_date": yesterday.isoformat(),
            "rating": self.rng.choice(("substantial", "reasonable", "limited")),
        }
        self._created(self.send(CREATE, "POST", API + "audit-reports/", body=body), "report")

    def create_recommendation(self) -> None:
        if not self.mine["report"]:
            self.create_audit_report()
            return
        body = {
            "report": self.rng.choice(self.mine["report"]),
            "reference": f"R{_unique()[:8]}",
            "text": "Check each provider's registration before a placement.",
            "priority": self.rng.choice(("fundamental", "significant", "merits_attention")),
        }
        answer = self.send(CREATE, "POST", API + "recommendations/", body=body)
        self._created(answer, "recommendation")

    # ---------------------------------------------------------------------------------------
    # Changing

    def change(self) -> None:
        choices = {
            "social-worker": (self.change_child, self.move_referral, self.change_shared_child),
            "team-manager": (self.change_child, self.move_referral, self.change_shared_child),
            "commissioner": (
                self.change_provider,
                self.change_service,
                self.change_contract,
                self.change_shared_provider,
                self.change_shared_recommendation,
            ),
            "contract-manager": (
                self.change_provider,
                self.change_service,
                self.change_contract,
                self.change_shared_provider,
            ),
            "auditor": (self.change_recommendation, self.change_shared_recommendation),
            "finance-officer": (self.change_spend,),
        }.get(self.role)
        if choices:
            self.rng.choice(choices)()

    def _patch(self, path: str, body: dict) -> None:
        self.send(CHANGE, "PATCH", path, body=body)

    def change_child(self) -> None:
        if not self.mine["child"]:
            self.create_child()
            return
        child = self.rng.choice(self.mine["child"])
        self._patch(
            f"{API}children/{child}/",
            {
                "communication_needs": f"Uses Makaton signs; noted {_unique()}.",
                "school": self.rng.choice(("Soak Test Primary School", "Soak Academy")),
            },
        )

    def change_shared_child(self) -> None:
        """A demo child that colleagues in the council open and save too: saved unchanged."""
        child = self._record("children")
        if child:
            body = {"communication_needs": child.get("communication_needs", "")}
            self._patch(f"{API}children/{child['id']}/", body)

    def move_referral(self) -> None:
        waiting = [r for r, s in self.referral_status.items() if s in ("received", "screening")]
        if not waiting:
            self.create_referral()
            return
        referral = self.rng.choice(waiting)
        if self.referral_status[referral] == "received":
            body = {"status": "screening"}
        else:
            body = {"status": self.rng.choice(OUTCOMES), "reason": "Decided after screening."}
        answer = self.send(CHANGE, "POST", f"{API}referrals/{referral}/transition/", body=body)
        if answer.status == 200:
            self.referral_status[referral] = body["status"]

    def change_provider(self) -> None:
        if not self.mine["provider"]:
            self.create_provider()
            return
        provider = self.rng.choice(self.mine["provider"])
        body = {"contact_name": self.rng.choice(("Sam Soak", "Alex Soak")), "website": ""}
        self._patch(f"{API}providers/{provider}/", body)

    def change_shared_provider(self) -> None:
        provider = self._record("providers")
        if provider:
            body = {"contact_phone": provider.get("contact_phone", "")}
            self._patch(f"{API}providers/{provider['id']}/", body)

    def change_service(self) -> None:
        if not self.mine["service"]:
            self.create_service()
            return
        service = self.rng.choice(self.mine["service"])
        self._patch(f"{API}services/{service}/", {"capacity_available": self.rng.randint(0, 12)})

    def change_contract(self) -> None:
        if not self.mine["contract"]:
            self.create_contract()
            return
        contract = self.rng.choice(self.mine["contract"])
        body = {"title": f"Soak test short breaks contract ({_unique()})"}
        self._patch(f"{API}contracts/{contract}/", body)

    def change_recommendation(self) -> None:
        if not self.mine["recommendation"]:
            self.create_recommendation()
            return
        recommendation = self.rng.choice(self.mine["recommendation"])
        body = {"management_action": f"Checks added to the placement form ({_unique()})."}
        self._patch(f"{API}recommendations/{recommendation}/", body)

    def change_shared_recommendation(self) -> None:
        recommendation = self._record("recommendations")
        if recommendation:
            body = {"management_action": recommendation.get("management_action", "")}
            self._patch(f"{API}recommendations/{recommendation['id']}/", body)

    def change_spend(self) -> None:
        """A finance officer saves a budget line again, as it is."""
        answer = self.send(LIST, "GET", API + "spend/")
        data = answer.json() if answer.status == 200 else None
        lines = [r for r in (data or {}).get("results") or () if isinstance(r, dict)]
        if not lines:
            return
        line = self.rng.choice(lines)
        body = {k: line.get(k) for k in ("financial_year", "package_type", "budget", "outturn")}
        self.send(CHANGE, "PUT", API + "spend/", body=body)

    # ---------------------------------------------------------------------------------------
    # What people get wrong now and then: each answers 4xx, through the error paths

    def mistake(self) -> None:
        missing = 2**31 - 7
        choices = [
            lambda: self.send(MISTAKE, "GET", f"{API}providers/{missing}/"),
            lambda: self.send(MISTAKE, "GET", f"/providers/{missing}/"),
            lambda: self.send(MISTAKE, "GET", f"{API}teams/{missing}/"),
        ]
        if self.role in ("social-worker", "team-manager"):
            future = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
            choices += [
                lambda: self.send(
                    MISTAKE,
                    "POST",
                    API + "children/",
                    body={**self.child_body(), "date_of_birth": future},
                ),
                lambda: self.send(
                    MISTAKE,
                    "POST",
                    API + "children/",
                    body={**self.child_body(), "nhs_number": "1234567890"},
                ),
                lambda: self.send(MISTAKE, "GET", f"{API}children/{missing}/"),
                lambda: self.send(MISTAKE, "GET", f"{API}referrals/?child=abc"),
            ]
            if self.mine["child"]:
                child = self.mine["child"][-1]
                choices.append(
                    lambda: self.send(
                        MISTAKE, "PATCH", f"{API}children/{child}/", body={"tier": "specialist"}
                    )
                )
            received = [r for r, s in self.referral_status.items() if s == "received"]
            if received:
                choices.append(
                    lambda: self.send(
                        MISTAKE,
                        "POST",
                        f"{API}referrals/{received[-1]}/transition/",
                        body={"status": "no_further_action", "reason": "Too early."},
                    )
                )
        elif self.role in ("commissioner", "contract-manager"):
            choices += [
                lambda: self.send(MISTAKE, "POST", API + "providers/", body={"name": ""}),
                lambda: self.send(
                    MISTAKE,
                    "POST",
                    API + "contracts/",
                    body={
                        "reference": f"SOAK-{_unique()}",
                        "title": "Ends before it starts",
                        "kind": "block",
                        "start_date": "2025-04-01",
                        "end_date": "2024-03-31",
                    },
                ),
                lambda: self.send(MISTAKE, "GET", f"{API}contracts/?status=nonsense"),
            ]
        elif self.role == "auditor":
            choices.append(
                lambda: self.send(
                    MISTAKE,
                    "POST",
                    API + "audit-reports/",
                    body={"title": "No dates", "auditor": "Soak", "rating": "limited"},
                )
            )
        elif self.role == "finance-officer":
            choices.append(
                lambda: self.send(
                    MISTAKE,
                    "PUT",
                    API + "spend/",
                    body={
                        "financial_year": "2024/25",
                        "package_type": "home_care",
                        "budget": "-1.00",
                        "outturn": None,
                    },
                )
            )
        else:  # a page of another role
            choices.append(lambda: self.send(MISTAKE, "GET", "/children/"))
        self.rng.choice(choices)()

    # ---------------------------------------------------------------------------------------
    # The same create twice at once

    def double_submit(self) -> None:
        if self.role in ("social-worker", "team-manager"):
            path, body = (
                API + "children/",
                {**self.child_body(), "nhs_number": _nhs_number()},
            )
        elif self.role in ("commissioner", "contract-manager"):
            path, body = API + "providers/", self.provider_body()
        else:
            self.read_list()
            return
        barrier = threading.Barrier(2)

        def once():
            barrier.wait(timeout=5)
            self.send(DOUBLE_SUBMIT, "POST", path, body=body)

        def other_click():
            try:
                once()
            except (_TimeUp, threading.BrokenBarrierError):
                pass

        other = threading.Thread(target=other_click, daemon=True)
        other.start()
        try:
            once()
        finally:
            other.join()

    # ---------------------------------------------------------------------------------------

    def run(self, actions: int) -> None:
        self.sign_in()
        weights = dict(WRITE_WEIGHTS if self.role in WRITERS else READ_WEIGHTS)
        if self.client.double_submit and self.role in WRITERS:
            weights[DOUBLE_SUBMIT] = DOUBLE_SUBMIT_WEIGHT
        do = {
            PAGE: self.read_page,
            LIST: self.read_list,
            DETAIL: self.read_detail,
            CREATE: self.create,
            CHANGE: self.change,
            MISTAKE: self.mistake,
            DOUBLE_SUBMIT: self.double_submit,
        }
        names, chances = list(weights), list(weights.values())
        for _ in range(actions):
            do[self.rng.choices(names, chances)[0]]()
        self.sign_out()


class _Client:
    """One thread: people of one council after another, until the time is up."""

    def __init__(
        self, index, *, clients, base_url, password, logins, deadline, timeout, double_submit, rng
    ):
        self.index = index
        self.clients = clients
        self.base_url = base_url
        self.password = password
        self.logins = logins
        self.deadline = deadline
        self.timeout = timeout
        self.double_submit = double_submit
        self.rng = rng
        self.hits: list[Hit] = []
        self.notes: list[str] = []
        self.crashes: list[str] = []
        self._lock = threading.Lock()

    def send(self, session, action, method, path, *, body=None, form=None, api=None) -> _Answer:
        if time.monotonic() >= self.deadline:
            raise _TimeUp
        headers = {"User-Agent": "shortbreaks-soak/1"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base_url + path  # Django checks it over HTTPS
        is_api = path.startswith(API) if api is None else api
        if is_api and session.token:
            headers["Authorization"] = f"Token {session.token}"
        headers["Accept"] = "application/json" if path.startswith(API) else "text/html"
        request = urllib.request.Request(  # noqa: S310 - the base URL is checked to be http(s)
            self.base_url + path, data=data, method=method, headers=headers
        )
        error = ""
        started = time.perf_counter()
        try:
            with session.opener.open(request, timeout=self.timeout) as response:
                answer = _Answer(response.status, response.read())
        except urllib.error.HTTPError as refusal:  # 3xx (redirects are not followed), 4xx, 5xx
            try:
                payload = refusal.read()
            except (OSError, http.client.HTTPException):
                payload = b""
            answer = _Answer(refusal.code, payload, refusal.headers.get("Location", ""))
        except (OSError, http.client.HTTPException) as failure:
            answer, error = _Answer(0), f"{type(failure).__name__}: {failure}"
        seconds = time.perf_counter() - started
        with self._lock:  # a double submit sends from two threads
            self.hits.append(Hit(action, method, path, answer.status, seconds, error))
        return answer

    def run(self) -> None:
        turn = 0
        while time.monotonic() < self.deadline:
            # Client i starts as login i; each next person is the login `clients` further on.
            role, council = self.logins[(self.index + turn * self.clients) % len(self.logins)]
            turn += 1
            try:
                _Session(self, role, council).run(self.rng.randint(*SESSION_ACTIONS))
            except _TimeUp:
                return
            except _SessionFailed:
                continue
            except _Stop as stop:
                self.notes.append(f"client {self.index} stopped: {stop}")
                return
            except Exception:  # noqa: BLE001 - a fault of the soak itself: shown, and a failure
                self.crashes.append(f"client {self.index}:\n{traceback.format_exc()}")
                return


def _logins(councils) -> list[tuple[str, str]]:
    """Every (role, council) pair, in the order that gives login i role i % 7 in council i % n,
    so that a few clients already cover several roles and councils."""
    logins: list[tuple[str, str]] = []
    for i in range(len(ROLES) * len(councils)):
        pair = (ROLES[i % len(ROLES)], councils[i % len(councils)])
        if pair not in logins:
            logins.append(pair)
    logins += [(r, c) for r in ROLES for c in councils if (r, c) not in logins]
    return logins


def _preflight(base_url: str, password: str, role: str, council: str, timeout: float) -> None:
    """One token request before any client starts, so a wrong password fails once, not 5 times
    per account (which would lock the demo accounts for everyone)."""
    username = f"{role}@{council}.example"
    request = urllib.request.Request(  # noqa: S310 - the base URL is checked to be http(s)
        base_url + API + "auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout):  # noqa: S310
            return
    except urllib.error.HTTPError as refusal:
        if refusal.code == 400:
            raise SoakError(
                f"{username} was refused with this password: set DEMO_PASSWORD (or --password) "
                "to the one seed_demo used, and check that seed_demo has run"
            ) from None
        if refusal.code == 429:
            raise SoakError(f"{username} is locked out; try again in 30 minutes") from None
        raise SoakError(f"the token endpoint answered {refusal.code}") from None
    except (OSError, http.client.HTTPException) as failure:
        raise SoakError(f"{base_url} does not answer: {failure}") from None


def run(
    base_url: str,
    clients: int,
    seconds: float,
    password: str,
    councils=None,
    *,
    double_submit: bool = False,
    timeout: float = 30.0,
    seed: int | None = None,
) -> Report:
    """Run `clients` people at once against `base_url` for `seconds`, and report.

    Raises SoakError when it cannot start (no answer, or the password refused).
    """
    base_url = base_url.rstrip("/")
    if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
        raise SoakError(f"the base URL must start with http:// or https://, not {base_url!r}")
    if clients < 1 or seconds <= 0:
        raise SoakError("give at least one client and some seconds")
    councils = tuple(councils or COUNCILS)
    unknown = set(councils) - set(COUNCILS)
    if unknown:
        raise SoakError(f"not a demo council: {', '.join(sorted(unknown))}")
    logins = _logins(councils)
    _preflight(base_url, password, *logins[0], timeout)
    master = random.Random(seed)  # noqa: S311 - a load mix, not cryptography
    started = time.monotonic()
    deadline = started + seconds
    workers = [
        _Client(
            index,
            clients=clients,
            base_url=base_url,
            password=password,
            logins=logins,
            deadline=deadline,
            timeout=timeout,
            double_submit=double_submit,
            rng=random.Random(master.random()),  # noqa: S311
        )
        for index in range(clients)
    ]
    with ThreadPoolExecutor(max_workers=clients, thread_name_prefix="soak") as pool:
        for future in [pool.submit(worker.run) for worker in workers]:
            future.result()
    report = Report(base_url=base_url, clients=clients, seconds=seconds)
    report.elapsed = time.monotonic() - started
    for worker in workers:
        report.hits.extend(worker.hits)
        report.notes.extend(worker.notes)
        report.crashes.extend(worker.crashes)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shortbreaks.soak",
        description="Many people at once against a running server with the demo data; "
        "fails when any request answers 5xx.",
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--password",
        default=os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD,
        help="the demo logins' password (default: DEMO_PASSWORD, or the published default)",
    )
    parser.add_argument(
        "--councils", default=",".join(COUNCILS), help="comma-separated demo council slugs"
    )
    parser.add_argument(
        "--double-submit",
        action="store_true",
        help="also send the same create twice at once, as a double click or a retry does",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--seed", type=int, default=None, help="repeat a run's choices")
    args = parser.parse_args(argv)
    councils = [c.strip() for c in args.councils.split(",") if c.strip()]
    try:
        report = run(
            args.base_url,
            args.clients,
            args.seconds,
            args.password,
            councils,
            double_submit=args.double_submit,
            timeout=args.timeout,
            seed=args.seed,
        )
    except SoakError as error:
        print(f"soak: {error}", file=sys.stderr)
        return 2
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
