"""The crawler's manners, one `HostGate` per crawl: only allowed hosts, robots.txt obeyed, and one
request at a time per host with a pause between two requests.

robots.txt follows RFC 9309 (read and matched by `flows.robots`: `*` and `$` patterns, the longest
matching rule wins): a 4xx answer (no robots.txt) allows everything; a 5xx answer or no answer at
all means the site cannot say, so nothing is fetched from it. A Crawl-delay larger than the
configured delay is honoured (up to a minute).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flows import robots
from flows.http import Policy, fetch

if TYPE_CHECKING:
    import httpx

ROBOTS_MAX_BYTES = 512 * 1024
_MAX_CRAWL_DELAY = 60.0


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class HostGate:
    """Admits or refuses each request of one crawl. Requests are sequential, so waiting for a
    host's turn here is what keeps to one request at a time per host."""

    def __init__(self, client: httpx.Client, policy: Policy, *, delay: float, allowed_hosts: Iterable[str],
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._policy = policy
        self._delay = delay
        self._allowed = frozenset(h.lower() for h in allowed_hosts)
        self._clock = clock
        self.sleep = sleep
        self._robots: dict[str, robots.Robots] = {}
        self._last: dict[str, float] = {}  # origin -> end of its last request
        self.robots_errors: dict[str, str] = {}  # origin -> why its robots.txt could not be read

    def allowed_host(self, url: str) -> bool:
        return host_of(url) in self._allowed

    def robots_allow(self, url: str) -> bool:
        return self._rules(origin_of(url)).allowed(self._policy.user_agent, url)

    def admit(self, url: str) -> str | None:
        if not self.allowed_host(url):
            return f"host {host_of(url) or '?'} not allowed"
        if not self.robots_allow(url):
            origin = origin_of(url)
            if origin in self.robots_errors:
                return f"robots.txt unreadable ({self.robots_errors[origin]}): not fetching from {origin}"
            return "disallowed by robots.txt"
        self.wait_turn(url)
        return None

    def done(self, url: str) -> None:
        self._last[origin_of(url)] = self._clock()

    def wait_turn(self, url: str) -> None:
        origin = origin_of(url)
        last = self._last.get(origin)
        if last is None:
            return
        pause = self._pause(origin) - (self._clock() - last)
        if pause > 0:
            self.sleep(pause)

    def _pause(self, origin: str) -> float:
        rules = self._robots.get(origin)
        crawl_delay = rules.crawl_delay(self._policy.user_agent) if rules else None
        return max(self._delay, min(crawl_delay or 0.0, _MAX_CRAWL_DELAY))

    def _rules(self, origin: str) -> robots.Robots:
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        return self._robots[origin]

    def _read_robots(self, origin: str) -> robots.Robots:
        policy = Policy(timeout=self._policy.timeout, max_bytes=ROBOTS_MAX_BYTES, retries=self._policy.retries,
                        backoff=self._policy.backoff, user_agent=self._policy.user_agent)
        r = fetch(self._client, origin + "/robots.txt", policy, gate=_Pacing(self), sleep=self.sleep)
        if r.ok:
            return robots.parse((r.data or b"").decode("utf-8", "replace"))
        if r.status is not None and 400 <= r.status < 500:
            return robots.Robots.allow_all()  # no robots.txt: no rules
        self.robots_errors[origin] = r.error or f"HTTP {r.status}"
        return robots.Robots.disallow_all()


class _Pacing:
    """The gate for fetching robots.txt itself: only the pause between requests applies."""

    def __init__(self, gate: HostGate) -> None:
        self._gate = gate

    def admit(self, url: str) -> str | None:
        self._gate.wait_turn(url)
        return None

    def done(self, url: str) -> None:
        self._gate.done(url)
