"""Crawl settings, and the portals file (TOML) that `nianbao serve` runs on schedules.

    [defaults]                      # optional; every key may also be set per portal
    db = "data/nianbao.duckdb"
    delay = 1.0                     # seconds between two requests to one host
    timezone = "Asia/Shanghai"      # of the cron schedules

    [[portal]]
    name = "jiaxiang"
    start_urls = ["http://www.jiaxiang.gov.cn/col/col28000/index.html"]
    cron = "0 3 * * 1"              # Mondays 03:00
    include = ["/col/col28000/", "/art/"]   # regexes a followed URL must match (one of them)
    exclude = ["/video/"]                   # regexes no followed URL may match
    extra_hosts = ["files.jiaxiang.gov.cn"] # hosts besides the start URLs' that may be fetched
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from flows.http import Policy
from flows.settings import DEFAULT_DB

DEFAULT_TIMEZONE = "Asia/Shanghai"


class ConfigError(ValueError):
    """A portals file that cannot be used, with the reason in words."""


@dataclass(frozen=True)
class CrawlSettings:
    delay: float = 1.0  # seconds between two requests to one host (robots.txt may ask for more)
    timeout: float = 30.0  # seconds to connect, and between two chunks of an answer
    retries: int = 2  # further tries after a timeout or a 5xx answer
    backoff: float = 1.0  # seconds before the first retry, doubled for each further one
    max_mib: float = 100.0  # size limit of one downloaded file (and of one file unpacked from a ZIP)
    max_listing_pages: int = 200  # pages of a listing followed in one crawl
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extra_hosts: tuple[str, ...] = ()

    @property
    def max_bytes(self) -> int:
        return int(self.max_mib * 2**20)

    def policy(self) -> Policy:
        return Policy(timeout=self.timeout, max_bytes=self.max_bytes, retries=self.retries, backoff=self.backoff)

    def follows(self, url: str) -> bool:
        """Whether the include/exclude patterns let the crawler follow `url`."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)


@dataclass(frozen=True)
class Portal:
    name: str
    start_urls: tuple[str, ...]
    cron: str
    db: str = DEFAULT_DB
    timezone: str = DEFAULT_TIMEZONE
    settings: CrawlSettings = field(default_factory=CrawlSettings)


_SETTING_KEYS = {f.name for f in fields(CrawlSettings)}
_PORTAL_KEYS = {"name", "start_urls", "cron", "db", "timezone"}


def load_portals(path: str | Path) -> list[Portal]:
    try:
        doc = tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from None
    defaults = doc.get("defaults", {})
    portals = doc.get("portal", [])
    if not isinstance(defaults, dict) or not isinstance(portals, list) or not portals:
        raise ConfigError(f"{path}: needs at least one [[portal]] table")
    out = [_portal({**defaults, **p}, f"{path}: portal {i + 1}") for i, p in enumerate(portals)]
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: portal names must be unique")
    return out


def _portal(raw: dict[str, Any], where: str) -> Portal:
    unknown = set(raw) - _SETTING_KEYS - _PORTAL_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("name", "start_urls", "cron"):
        if not raw.get(key):
            raise ConfigError(f"{where}: `{key}` is required")
    urls = raw["start_urls"]
    if isinstance(urls, str):
        urls = [urls]
    if not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls):
        raise ConfigError(f"{where}: start_urls must be http(s) URLs")
    if len(str(raw["cron"]).split()) != 5:
        raise ConfigError(f"{where}: cron must have five fields (minute hour day month weekday)")
    settings = CrawlSettings()
    for key in _SETTING_KEYS & set(raw):
        value = raw[key]
        if key in ("include", "exclude", "extra_hosts"):
            value = (value,) if isinstance(value, str) else tuple(value)
            if key != "extra_hosts":
                for pattern in value:
                    try:
                        re.compile(pattern)
                    except re.error as e:
                        raise ConfigError(f"{where}: bad {key} pattern {pattern!r} ({e})") from None
        settings = replace(settings, **{key: value})
    return Portal(str(raw["name"]), tuple(urls), str(raw["cron"]), str(raw.get("db", DEFAULT_DB)),
                  str(raw.get("timezone", DEFAULT_TIMEZONE)), settings)
