"""Fetching over HTTP: the one fetch path of `nianbao ingest URL` and of the crawler.

`fetch` sends one GET (conditional when the caller knows an ETag or Last-Modified), follows
redirects itself so that every hop passes the caller's gate (host allowed, robots.txt, politeness
delay), retries timeouts and 5xx answers with exponential backoff, and stops reading at a size
limit. It never raises for a network problem: the answer says what went wrong.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin, urlsplit

from flows.fetch import MAX_BYTES, Input

if TYPE_CHECKING:
    import httpx

USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao; annual-report research crawler)"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Answers worth asking again: the server or a proxy in front of it was busy or broken for a moment.
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class Policy:
    """How one fetch behaves; the crawler's settings and `ingest URL` both build one."""

    timeout: float = 30.0  # seconds to connect, and between two chunks of the body
    max_bytes: int = MAX_BYTES
    retries: int = 2  # further tries after a timeout, a dropped connection, a 5xx or 429 answer
    backoff: float = 1.0  # seconds before the first retry; doubled for each further one
    max_redirects: int = 5
    user_agent: str = USER_AGENT

    @property
    def max_seconds(self) -> float:
        """Wall-clock limit of one download: a server trickling bytes never trips `timeout`."""
        return 20 * self.timeout


@dataclass(frozen=True)
class Response:
    """What became of one GET. `data` is None unless the server sent a body that was read whole."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # the last HTTP status, None when no answer came
    data: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    error: str | None = None
    refused: bool = False  # the gate refused a hop: nothing was requested there

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.error is None

    @property
    def ok(self) -> bool:
        return self.data is not None and self.error is None


class Gate(Protocol):
    """The crawler's say on each request: `admit` waits for the host's turn and returns None, or
    returns why the URL must not be requested; `done` marks the end of a request to that host."""

    def admit(self, url: str) -> str | None: ...

    def done(self, url: str) -> None: ...


def make_client(policy: Policy) -> httpx.Client:
    import httpx

    return httpx.Client(follow_redirects=False, timeout=policy.timeout,
                        headers={"User-Agent": policy.user_agent})


def fetch(client: httpx.Client, url: str, policy: Policy, *, etag: str | None = None,
          last_modified: str | None = None, gate: Gate | None = None,
          sleep: Callable[[float], None] = time.sleep) -> Response:
    """GET `url`, retrying timeouts, dropped connections and 5xx answers; a 304 comes back with
    `not_modified` set. A refused connection or an unknown host is not retried: it will not heal
    in seconds."""
    attempt = 0
    while True:
        r, retry, retry_after = _fetch_once(client, url, policy, etag, last_modified, gate)
        if not retry or attempt >= policy.retries:
            if retry and attempt:
                return replace(r, error=f"{r.error} (after {attempt + 1} tries)")
            return r
        delay = policy.backoff * 2**attempt
        if retry_after is not None:
            delay = max(delay, min(retry_after, _MAX_RETRY_AFTER))
        sleep(delay)
        attempt += 1


def fetch_url(url: str, timeout: float = 30.0) -> Input:
    """One URL for `nianbao ingest URL`: the crawler's fetch without a gate (the user asked for it)."""
    policy = Policy(timeout=timeout)
    with make_client(policy) as client:
        r = fetch(client, url, policy)
    return Input(url, r.data if r.ok else None, None if r.ok else r.error, r.final_url, r.content_type)


def _fetch_once(client: httpx.Client, url: str, policy: Policy, etag: str | None, last_modified: str | None,
                gate: Gate | None) -> tuple[Response, bool, float | None]:
    """One try, redirects followed: the answer, whether another try may help, and the server's
    Retry-After."""
    import httpx

    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(policy.max_redirects + 1):
        try:
            scheme = urlsplit(current).scheme
        except ValueError:
            return Response(url, current, None, error=f"not a valid URL: {current}"), False, None
        if scheme not in ("http", "https"):
            return Response(url, current, None, error=f"not an http(s) URL: {current}", refused=True), False, None
        if gate is not None:
            refusal = gate.admit(current)
            if refusal:
                return Response(url, current, None, error=refusal, refused=True), False, None
        try:
            with client.stream("GET", current, headers=headers) as r:
                if r.status_code in _REDIRECTS and r.headers.get("location"):
                    current = urljoin(current, r.headers["location"].strip())
                    continue
                meta = {"etag": r.headers.get("etag"), "last_modified": r.headers.get("last-modified"),
                        "content_type": r.headers.get("content-type")}
                if r.status_code == 304:
                    return Response(url, current, 304, **meta), False, None
                if r.status_code >= 400 or r.status_code < 200:
                    return (Response(url, current, r.status_code, error=f"HTTP {r.status_code}", **meta),
                            r.status_code in _RETRY_STATUS, _retry_after(r.headers.get("retry-after")))
                return _read_body(r, url, current, policy, meta), False, None
        except httpx.TimeoutException:
            return Response(url, current, None, error=f"timed out ({policy.timeout:g} s)"), True, None
        except httpx.ConnectError as e:
            return Response(url, current, None, error=f"cannot connect: {e}"), False, None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as e:  # the connection dropped mid-answer
            return Response(url, current, None, error=f"connection lost: {type(e).__name__}: {e}"), True, None
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as e:  # ValueError: a URL httpx cannot encode
            return Response(url, current, None, error=f"fetch failed: {type(e).__name__}: {e}"), False, None
        finally:
            if gate is not None:
                gate.done(current)
    return Response(url, current, None, error=f"more than {policy.max_redirects} redirects"), False, None


def _read_body(r: httpx.Response, url: str, final: str, policy: Policy, meta: dict) -> Response:
    too_large = f"larger than {_mib(policy.max_bytes)}"
    declared = r.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        return Response(url, final, r.status_code, error=too_large, **meta)
    chunks: list[bytes] = []
    total = 0
    deadline = time.monotonic() + policy.max_seconds
    for chunk in r.iter_bytes():
        total += len(chunk)
        if total > policy.max_bytes:
            return Response(url, final, r.status_code, error=too_large, **meta)
        if time.monotonic() > deadline:
            return Response(url, final, r.status_code, error=f"download took over {policy.max_seconds:g} s", **meta)
        chunks.append(chunk)
    return Response(url, final, r.status_code, b"".join(chunks), **meta)


def _mib(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n} bytes"


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
