"""The portals file: portals with their schedules and crawl settings, and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.crawl_config import ConfigError, CrawlSettings, load_portals

EXAMPLE = Path(__file__).resolve().parents[1] / "portals.toml"


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "portals.toml"
    p.write_text(text, "utf-8")
    return p


def test_the_example_portals_file_loads():
    portals = load_portals(EXAMPLE)
    assert len(portals) >= 2
    assert all(p.start_urls and len(p.cron.split()) == 5 for p in portals)
    assert len({p.name for p in portals}) == len(portals)


def test_defaults_apply_unless_a_portal_sets_its_own(tmp_path):
    portals = load_portals(_write(tmp_path, """
[defaults]
delay = 3.0
timezone = "UTC"
[[portal]]
name = "a"
start_urls = ["http://a.gov.cn/nb/index.html"]
cron = "0 3 * * 1"
[[portal]]
name = "b"
start_urls = "http://b.gov.cn/nb/"
cron = "0 4 * * *"
delay = 0.5
include = "/nb/"
extra_hosts = ["files.b.gov.cn"]
"""))
    a, b = portals
    assert (a.settings.delay, a.timezone, b.settings.delay) == (3.0, "UTC", 0.5)
    assert b.start_urls == ("http://b.gov.cn/nb/",)
    assert (b.settings.include, b.settings.extra_hosts) == (("/nb/",), ("files.b.gov.cn",))


@pytest.mark.parametrize(("text", "reason"), [
    ("[[portal]]\nname='a'\ncron='0 3 * * 1'\n", "`start_urls` is required"),
    ("[[portal]]\nname='a'\nstart_urls=['ftp://x']\ncron='0 3 * * 1'\n", "must be http(s) URLs"),
    ("[[portal]]\nname='a'\nstart_urls=['http://x/']\ncron='daily'\n", "cron must have five fields"),
    ("[[portal]]\nname='a'\nstart_urls=['http://x/']\ncron='0 3 * * 1'\nexclude=['(']\n", "bad exclude pattern"),
    ("[[portal]]\nname='a'\nstart_urls=['http://x/']\ncron='0 3 * * 1'\ndelays=1\n", "unknown keys delays"),
    ("[defaults]\ndelay=1\n", "needs at least one [[portal]]"),
    ("[[portal]\n", "not valid TOML"),
])
def test_mistakes_are_named(tmp_path, text, reason):
    with pytest.raises(ConfigError, match=re.escape(reason)):
        load_portals(_write(tmp_path, text))


def test_include_and_exclude_patterns_decide_what_is_followed():
    s = CrawlSettings(include=(r"/nb/", r"/files/"), exclude=(r"\.mp4$",))
    assert s.follows("http://a.gov.cn/nb/1.html")
    assert not s.follows("http://a.gov.cn/news/1.html")
    assert not s.follows("http://a.gov.cn/files/v.mp4")
