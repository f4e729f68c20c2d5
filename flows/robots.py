"""robots.txt read and matched as RFC 9309 says, which `urllib.robotparser` does not: `*` and `$`
in patterns, the longest matching rule wins whatever its place in the file (Allow wins a tie), and
several groups naming one crawler are merged.

Paths are compared percent-encoded: non-ASCII characters become UTF-8 escapes and existing escapes
are upper-cased, on both sides, so `/政务公开/` in robots.txt matches a link written
`/%e6%94%bf%e5%8a%a1%e5%85%ac%e5%bc%80/` and the other way round.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_CHARS = 512 * 1024  # what RFC 9309 asks crawlers to read at least; the rest is ignored

_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_TOKEN = re.compile(r"[A-Za-z_-]+")
_SEPARATORS = re.compile(r"[-_\s]")  # `User-agent`, `User agent`, `Crawl_delay` all read alike
_FIELDS = {"useragent", "allow", "disallow", "crawldelay"}


@dataclass(frozen=True)
class Rule:
    allow: bool
    pieces: tuple[str, ...]  # the normalised pattern split at `*`
    anchored: bool  # the pattern ended in `$`
    length: int  # octets of the normalised pattern, `$` included: its specificity

    def matches(self, path: str) -> bool:
        # Matched piece by piece, each at its leftmost place: for `*`-only patterns that is exact,
        # and unlike a regex it cannot backtrack for ever on a hostile `/*a*a*a*a*b`.
        first, *rest = self.pieces
        if not path.startswith(first):
            return False
        pos = len(first)
        if not rest:
            return not self.anchored or pos == len(path)
        *middle, last = rest
        for piece in middle:
            found = path.find(piece, pos)
            if found < 0:
                return False
            pos = found + len(piece)
        if self.anchored:
            return path.endswith(last) and len(path) - len(last) >= pos
        return path.find(last, pos) >= 0


@dataclass(frozen=True)
class Group:
    agent: str  # a product token, lower case, or "*"
    rules: tuple[Rule, ...]  # most specific first, so the first match decides
    crawl_delay: float | None


@dataclass(frozen=True)
class Robots:
    groups: tuple[Group, ...] = ()  # one per agent, its groups in the file merged

    @classmethod
    def allow_all(cls) -> Robots:
        return cls()

    @classmethod
    def disallow_all(cls) -> Robots:
        return cls((Group("*", (_rule(False, "/"),), None),))

    def allowed(self, user_agent: str, url_or_path: str) -> bool:
        if url_or_path.startswith("/"):  # a path: even `//a` is not a host here
            path, _, query = url_or_path.partition("#")[0].partition("?")
        else:
            try:
                parts = urlsplit(url_or_path)
            except ValueError:  # e.g. a broken IPv6 host: not a URL one could fetch anyway
                return False
            path, query = parts.path, parts.query
        if path == "/robots.txt":
            return True
        group = self._group(user_agent)
        if group is None:
            return True
        path = _normalise((path or "/") + (f"?{query}" if query else ""))
        return next((rule.allow for rule in group.rules if rule.matches(path)), True)

    def crawl_delay(self, user_agent: str) -> float | None:
        group = self._group(user_agent)
        return group.crawl_delay if group else None

    def _group(self, user_agent: str) -> Group | None:
        by_agent = {g.agent: g for g in self.groups}
        token = _product_token(user_agent)
        return (by_agent.get(token) if token else None) or by_agent.get("*")


def parse(text: str) -> Robots:
    """Never raises: lines it cannot read are skipped, as RFC 9309 asks."""
    rules: dict[str, list[Rule]] = {}
    delays: dict[str, float] = {}
    agents: list[str] = []  # the group being read
    in_rules = False  # a rule came since the last User-agent line: the next one starts a new group
    for line in text[:MAX_CHARS].removeprefix("\ufeff").splitlines():
        key, colon, value = line.split("#", 1)[0].partition(":")
        field = _SEPARATORS.sub("", key).lower()
        value = value.strip()
        if not colon or field not in _FIELDS:
            continue
        if field == "useragent":
            if in_rules:
                agents, in_rules = [], False
            agent = "*" if value.startswith("*") else _product_token(value)
            agents.append(agent)
            rules.setdefault(agent, [])
            continue
        if not agents:  # before any User-agent line: belongs to no group
            continue
        in_rules = True
        if field == "crawldelay":
            delay = _seconds(value)
            if delay is not None:
                for agent in agents:
                    delays[agent] = max(delay, delays.get(agent, 0.0))  # merged groups: the politest
        elif value:  # an empty Disallow (or Allow) says nothing
            rule = _rule(field == "allow", value)
            for agent in agents:
                rules[agent].append(rule)
    return Robots(tuple(
        Group(agent, tuple(sorted(found, key=lambda r: (r.length, r.allow), reverse=True)), delays.get(agent))
        for agent, found in rules.items()
    ))


def _rule(allow: bool, pattern: str) -> Rule:
    if not pattern.startswith(("/", "*")):
        pattern = "/" + pattern  # `Disallow: search` can only mean /search
    normalised = _normalise(pattern)
    anchored = normalised.endswith("$")
    pieces = tuple((normalised[:-1] if anchored else normalised).split("*"))
    return Rule(allow, pieces, anchored, len(normalised))


def _normalise(path: str) -> str:
    path = _ESCAPE.sub(lambda m: m[0].upper(), path)
    if path.isascii():
        return path
    return "".join(c if c.isascii() else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
                   for c in path)


def _product_token(user_agent: str) -> str:
    """`nianbao/0.1 (+https://...)` -> `nianbao`: what a User-agent line names a crawler by."""
    m = _TOKEN.match(user_agent.strip())
    return m[0].lower() if m else ""


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
