"""The shared fetcher and the crawler's manners, against a small server on 127.0.0.1."""

from __future__ import annotations

import itertools

import pytest

from flows.crawl_politeness import HostGate
from flows.http import Policy, fetch, fetch_url, make_client
from tests.fixtures.portal.portal import Resource, Server, site_of

TXT = "text/plain"
FAST = Policy(timeout=0.3, retries=2, backoff=0.0)


def _get(resources: dict[str, Resource], path: str, policy: Policy = FAST, **kwargs):
    site = site_of(resources)
    with Server(site) as base, make_client(policy) as client:
        r = fetch(client, base + path, policy, **kwargs)
    return r, site


def test_a_file_is_fetched_with_its_validators_and_a_user_agent_naming_nianbao():
    r, site = _get({"/a.txt": Resource(b"hello", TXT, etag='"e1"', last_modified="Tue, 14 Nov 2023 22:13:20 GMT")},
                   "/a.txt")
    assert (r.ok, r.data, r.status, r.etag, r.last_modified) == (True, b"hello", 200, '"e1"',
                                                                "Tue, 14 Nov 2023 22:13:20 GMT")
    assert "nianbao" in site.requests[0].user_agent


def test_conditional_get_is_answered_not_modified():
    r, site = _get({"/a.txt": Resource(b"hello", TXT, etag='"e1"')}, "/a.txt", etag='"e1"')
    assert r.not_modified and r.data is None
    assert site.requests[0].if_none_match == '"e1"'


def test_server_errors_are_retried_until_an_answer_comes():
    r, site = _get({"/a.txt": Resource(b"hello", TXT, fail_first=2)}, "/a.txt")
    assert r.data == b"hello"
    assert [q.status for q in site.requests] == [503, 503, 200]


def test_retries_end_with_the_last_error():
    r, site = _get({"/a.txt": Resource(b"hello", TXT, fail_first=9)}, "/a.txt")
    assert not r.ok and r.error == "HTTP 503 (after 3 tries)"
    assert len(site.requests) == 3


def test_a_slow_server_times_out_and_is_tried_again():
    r, site = _get({"/slow.txt": Resource(b"late", TXT, delay=0.8)}, "/slow.txt", Policy(timeout=0.2, retries=1,
                                                                                          backoff=0.0))
    assert not r.ok and r.error.startswith("timed out")
    assert site.answered["/slow.txt"] == 2


def test_backoff_doubles_between_retries():
    pauses: list[float] = []
    _get({"/a.txt": Resource(b"x", TXT, fail_first=9)}, "/a.txt", Policy(timeout=0.3, retries=3, backoff=0.5),
         sleep=pauses.append)
    assert pauses == [0.5, 1.0, 2.0]


def test_not_found_is_not_retried():
    r, site = _get({}, "/missing.pdf")
    assert (r.ok, r.status, r.error, len(site.requests)) == (False, 404, "HTTP 404", 1)


@pytest.mark.parametrize("no_length", [False, True])
def test_files_over_the_size_limit_are_refused(no_length):
    r, _ = _get({"/big.pdf": Resource(b"%PDF" + b"0" * 5000, "application/pdf", no_length=no_length)}, "/big.pdf",
                Policy(timeout=1.0, max_bytes=1000, retries=0))
    assert not r.ok and r.error == "larger than 1000 bytes"


def test_redirects_are_followed_and_the_final_url_kept():
    r, _ = _get({"/old.txt": Resource(b"", TXT, status=301, location="/new.txt"), "/new.txt": Resource(b"x", TXT)},
                "/old.txt")
    assert r.data == b"x" and r.final_url.endswith("/new.txt") and r.url.endswith("/old.txt")


class _Refuse:
    """A gate that refuses one path and records what it was asked."""

    def __init__(self, path: str) -> None:
        self.path, self.asked = path, []

    def admit(self, url: str) -> str | None:
        self.asked.append(url)
        return "disallowed by robots.txt" if url.endswith(self.path) else None

    def done(self, url: str) -> None:
        pass


def test_every_redirect_hop_passes_the_gate():
    gate = _Refuse("/private/a.txt")
    r, site = _get({"/a.txt": Resource(b"", TXT, status=302, location="/private/a.txt"),
                    "/private/a.txt": Resource(b"x", TXT)}, "/a.txt", gate=gate)
    assert r.refused and r.error == "disallowed by robots.txt"
    assert [q.path for q in site.requests] == ["/a.txt"]
    assert len(gate.asked) == 2


def test_ingest_fetch_url_gives_bytes_or_the_reason():
    site = site_of({"/a.txt": Resource(b"hello", TXT)})
    with Server(site) as base:
        ok, missing = fetch_url(base + "/a.txt", timeout=2), fetch_url(base + "/nope", timeout=2)
    assert (ok.source, ok.data, ok.error) == (base + "/a.txt", b"hello", None)
    assert (missing.data, missing.error) == (None, "HTTP 404")


# --- the crawler's manners ----------------------------------------------------------------------

ROBOTS = "User-agent: *\nDisallow: /private/\n\nUser-agent: nianbao\nDisallow: /no-nianbao/\n"


def _gate(base: str, client, delay: float = 0.0, **kw) -> HostGate:
    return HostGate(client, FAST, delay=delay, allowed_hosts=["127.0.0.1"], **kw)


def test_robots_txt_rules_for_nianbao_are_obeyed():
    site = site_of({"/robots.txt": Resource(ROBOTS.encode(), TXT)})
    with Server(site) as base, make_client(FAST) as client:
        gate = _gate(base, client)
        assert gate.admit(base + "/a.html") is None
        assert gate.admit(base + "/no-nianbao/a.html") == "disallowed by robots.txt"
        assert gate.admit(base + "/private/a.html") is None  # that group is not nianbao's
    assert [q.path for q in site.requests] == ["/robots.txt"]  # read once per host


def test_missing_robots_txt_allows_everything():
    with Server(site_of({})) as base, make_client(FAST) as client:
        assert _gate(base, client).admit(base + "/private/a.html") is None


def test_unreachable_robots_txt_allows_nothing():
    site = site_of({"/robots.txt": Resource(b"oops", TXT, status=500)})
    with Server(site) as base, make_client(FAST) as client:
        refusal = _gate(base, client).admit(base + "/a.html")
    assert refusal and refusal.startswith("robots.txt unreadable (HTTP 500")


def test_other_hosts_are_refused():
    with Server(site_of({})) as base, make_client(FAST) as client:
        refusal = _gate(base, client).admit(base.replace("127.0.0.1", "localhost") + "/a.html")
    assert refusal == "host localhost not allowed"


def test_requests_to_one_host_keep_the_delay_between_them():
    site = site_of({"/robots.txt": Resource(b"", TXT), **{f"/{i}.txt": Resource(b"x", TXT) for i in range(3)}})
    with Server(site) as base, make_client(FAST) as client:
        gate = _gate(base, client, delay=0.15)
        for i in range(3):
            assert fetch(client, f"{base}/{i}.txt", FAST, gate=gate).ok
    gaps = [b.started - a.ended for a, b in itertools.pairwise(site.requests)]
    assert len(gaps) == 3 and min(gaps) >= 0.14


def test_crawl_delay_of_robots_txt_wins_over_a_shorter_delay():
    site = site_of({"/robots.txt": Resource(b"User-agent: *\nCrawl-delay: 5\n", TXT), "/a": Resource(b"x", TXT)})
    pauses: list[float] = []
    with Server(site) as base, make_client(FAST) as client:
        gate = _gate(base, client, delay=0.0, sleep=pauses.append)
        fetch(client, base + "/a", FAST, gate=gate)
        fetch(client, base + "/a", FAST, gate=gate)
    # after robots.txt itself, before each of the two requests
    assert len(pauses) == 2 and all(4.0 < p <= 5.0 for p in pauses)
