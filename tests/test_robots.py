"""robots.txt as RFC 9309 reads it: groups per crawler, `*` and `$` in patterns, the longest matching
rule wins (Allow on a tie), paths compared percent-encoded, and no input that makes it raise."""

from __future__ import annotations

import random
import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.http import USER_AGENT
from flows.robots import Robots, parse

UA = USER_AGENT  # "nianbao/0.1 (+https://...)": its product token is "nianbao"


def rules_for_all(*lines: str) -> Robots:
    return parse("User-agent: *\n" + "\n".join(lines) + "\n")


# --- patterns -------------------------------------------------------------------------------------

def test_a_plain_pattern_is_a_prefix_of_the_path():
    robots = rules_for_all("Disallow: /private")
    assert not robots.allowed(UA, "/private/a.html")
    assert not robots.allowed(UA, "/private-notes")
    assert robots.allowed(UA, "/public/private")


def test_a_wildcard_in_the_middle_matches_any_run_of_characters():
    robots = rules_for_all("Disallow: /a/*/secret")
    assert not robots.allowed(UA, "/a/b/c/secret.html")
    assert not robots.allowed(UA, "/a//secret")
    assert robots.allowed(UA, "/a/secret")


def test_a_trailing_wildcard_changes_nothing():
    robots = rules_for_all("Disallow: /search*")
    assert not robots.allowed(UA, "/search")
    assert not robots.allowed(UA, "/search/result?q=1")
    assert robots.allowed(UA, "/find")


def test_a_dollar_at_the_end_anchors_the_pattern():
    robots = rules_for_all("Disallow: /*.jsp$")
    assert not robots.allowed(UA, "/art/2023/list.jsp")
    assert robots.allowed(UA, "/art/2023/list.jsp?page=2")
    assert robots.allowed(UA, "/art/2023/list.jspx")


def test_the_text_around_a_wildcard_is_matched_by_distinct_characters():
    robots = rules_for_all("Disallow: /2023*023$")
    assert robots.allowed(UA, "/2023")
    assert not robots.allowed(UA, "/2023023")


def test_a_dollar_inside_the_pattern_is_an_ordinary_character():
    robots = rules_for_all("Disallow: /price$list")
    assert not robots.allowed(UA, "/price$list.html")
    assert robots.allowed(UA, "/price")


def test_the_query_string_is_part_of_what_is_matched():
    robots = rules_for_all("Disallow: /*?*sessionid=", "Disallow: /list?page=")
    assert not robots.allowed(UA, "https://www.gov.cn/col/a.html?x=1&sessionid=9")
    assert not robots.allowed(UA, "/list?page=3")
    assert robots.allowed(UA, "/list?sort=date")
    assert robots.allowed(UA, "/col/a.html")


def test_a_full_url_is_matched_by_its_path_and_query_without_fragment():
    robots = rules_for_all("Disallow: /a$")
    assert not robots.allowed(UA, "http://example.gov.cn/a#part")
    assert robots.allowed(UA, "http://example.gov.cn/a?b")


def test_a_pattern_missing_its_leading_slash_still_means_a_path():
    assert not rules_for_all("Disallow: search").allowed(UA, "/search/x")


def test_chinese_paths_match_whether_written_raw_or_percent_encoded():
    raw, encoded = "/政务公开/", "/%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80/"
    for pattern in (raw, encoded, encoded.lower()):
        robots = rules_for_all(f"Disallow: {pattern}")
        for path in (raw, encoded, encoded.lower()):
            assert not robots.allowed(UA, path + "2023年报.pdf"), (pattern, path)
        assert robots.allowed(UA, "/政务/")


# --- which rule wins --------------------------------------------------------------------------------

def test_the_longest_matching_rule_wins_whatever_its_place_in_the_file():
    for lines in (("Disallow: /xxgk/", "Allow: /xxgk/ndbg/"), ("Allow: /xxgk/ndbg/", "Disallow: /xxgk/")):
        robots = rules_for_all(*lines)
        assert robots.allowed(UA, "/xxgk/ndbg/2023.html"), lines
        assert not robots.allowed(UA, "/xxgk/other.html"), lines
    robots = rules_for_all("Allow: /xxgk/", "Disallow: /xxgk/ndbg/")
    assert not robots.allowed(UA, "/xxgk/ndbg/2023.html")


def test_allow_wins_a_tie_of_equal_length_patterns():
    for lines in (("Disallow: /page", "Allow: /page"), ("Allow: /page", "Disallow: /page")):
        assert rules_for_all(*lines).allowed(UA, "/page.html"), lines
    assert rules_for_all("Disallow: /*.pdf", "Allow: /a*pdf").allowed(UA, "/a/b.pdf")


def test_an_empty_disallow_allows_everything():
    assert rules_for_all("Disallow:").allowed(UA, "/anything")


def test_with_no_matching_rule_the_path_is_allowed():
    assert rules_for_all("Disallow: /private/").allowed(UA, "/public/")


def test_robots_txt_itself_is_always_allowed():
    assert rules_for_all("Disallow: /").allowed(UA, "/robots.txt")
    assert not rules_for_all("Disallow: /").allowed(UA, "/robots.txt.bak")


# --- groups -----------------------------------------------------------------------------------------

def test_the_group_naming_our_crawler_beats_the_star_group():
    robots = parse("User-agent: *\nDisallow: /\n\nUser-agent: nianbao\nDisallow: /private/\n")
    assert robots.allowed(UA, "/public/")
    assert not robots.allowed(UA, "/private/")
    assert not robots.allowed("otherbot/1.0", "/public/")


def test_user_agent_names_are_compared_case_insensitively_by_product_token():
    robots = parse("User-agent: NianBao/2.0\nDisallow: /x/\n")
    assert not robots.allowed(UA, "/x/")
    assert robots.allowed("nianbao-news/1.0", "/x/")  # another product, so no group applies


def test_groups_naming_the_same_crawler_are_merged():
    robots = parse("User-agent: nianbao\nDisallow: /a/\n\nUser-agent: other\nDisallow: /\n\n"
                   "User-agent: nianbao\nDisallow: /b/\n")
    assert not robots.allowed(UA, "/a/")
    assert not robots.allowed(UA, "/b/")
    assert robots.allowed(UA, "/c/")


def test_consecutive_user_agent_lines_share_the_rules_that_follow():
    robots = parse("User-agent: baiduspider\nUser-agent: nianbao\n# a comment\n\nDisallow: /tmp/\n"
                   "User-agent: other\nDisallow: /\n")
    assert not robots.allowed(UA, "/tmp/a")
    assert not robots.allowed("Baiduspider/2.0", "/tmp/a")
    assert robots.allowed(UA, "/elsewhere")


def test_blank_lines_and_comments_do_not_end_a_group():
    robots = parse("User-agent: *\n\n# keep out\nDisallow: /a/  # trailing comment\n\nDisallow: /b/\n")
    assert not robots.allowed(UA, "/a/")
    assert not robots.allowed(UA, "/b/")


def test_user_agent_lines_apart_by_a_blank_line_still_share_the_rules_that_follow():
    robots = parse("User-agent: nianbao\n\nUser-agent: *\nDisallow: /\n")
    assert not robots.allowed(UA, "/anything")


def test_a_group_naming_our_crawler_without_rules_allows_everything():
    robots = parse("User-agent: *\nDisallow: /\n\nUser-agent: nianbao\n")
    assert robots.allowed(UA, "/anything")


def test_with_no_group_that_applies_everything_is_allowed():
    assert parse("User-agent: googlebot\nDisallow: /\n").allowed(UA, "/a")
    assert parse("").allowed(UA, "/a")


def test_rules_before_any_user_agent_line_are_ignored():
    assert parse("Disallow: /\nUser-agent: *\nDisallow: /x/\n").allowed(UA, "/a")


def test_field_names_are_case_insensitive_and_odd_lines_are_skipped():
    robots = parse("\ufeffUSER-AGENT: *\nno colon on this line\nSitemap: https://x.gov.cn/s.xml\n"
                   "Host: x.gov.cn\nDISALLOW: /a/\n")
    assert not robots.allowed(UA, "/a/")
    assert robots.allowed(UA, "/b/")


def test_windows_line_endings_are_read():
    assert not parse("User-agent: *\r\nDisallow: /a/\r\n").allowed(UA, "/a/")


# --- crawl-delay ------------------------------------------------------------------------------------

def test_crawl_delay_comes_from_the_group_that_applies():
    robots = parse("User-agent: *\nCrawl-delay: 10\n\nUser-agent: nianbao\nCrawl-delay: 2.5\n")
    assert robots.crawl_delay(UA) == 2.5
    assert robots.crawl_delay("otherbot") == 10.0


def test_a_group_without_crawl_delay_has_none_even_when_the_star_group_has_one():
    robots = parse("User-agent: *\nCrawl-delay: 10\n\nUser-agent: nianbao\nDisallow: /x/\n")
    assert robots.crawl_delay(UA) is None


def test_an_unreadable_crawl_delay_is_ignored():
    for value in ("soon", "-3", "nan", "inf", ""):
        assert rules_for_all(f"Crawl-delay: {value}").crawl_delay(UA) is None, value


# --- the crawler's fallbacks ------------------------------------------------------------------------

def test_allow_all_and_disallow_all():
    assert Robots.allow_all().allowed(UA, "/a") and Robots.allow_all().crawl_delay(UA) is None
    assert not Robots.disallow_all().allowed(UA, "/a")
    assert not Robots.disallow_all().allowed(UA, "https://x.gov.cn/")


# --- bad input --------------------------------------------------------------------------------------

def test_random_bytes_decoded_never_raise():
    rng = random.Random(9309)
    for _ in range(200):
        text = rng.randbytes(rng.randrange(400)).decode("utf-8", "replace")
        robots = parse("User-agent: *\n" + text)
        robots.allowed(UA, "/" + text[:50])
        robots.crawl_delay(UA)


def test_huge_lines_and_files_are_read_quickly():
    huge = "User-agent: *\nDisallow: /" + "a" * 2_000_000 + "\n" + "Disallow: /b/\n" * 50_000
    started = time.perf_counter()
    robots = parse(huge)
    assert robots.allowed(UA, "/c/")
    assert time.perf_counter() - started < 2.0


def test_a_hostile_pattern_cannot_make_matching_slow():
    robots = rules_for_all("Disallow: /" + "*a" * 40 + "*b$")
    started = time.perf_counter()
    assert robots.allowed(UA, "/" + "a" * 5000)
    assert time.perf_counter() - started < 0.5


def test_a_url_that_cannot_be_parsed_is_refused_not_raised():
    assert not rules_for_all("Disallow: /x/").allowed(UA, "http://[broken/a")


ROBOTS_CHARS = "Uu-ser agent:Disallow:Crawl-delay*$/#?%2Fé政\n\r\t 0123456789.nianbao"
FUZZ = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(alphabet=st.sampled_from(ROBOTS_CHARS), max_size=200) | st.text(max_size=200),
       st.text(max_size=60))
def test_parse_and_allowed_never_raise(text: str, url: str) -> None:
    robots = parse(text)
    assert isinstance(robots.allowed(UA, url), bool)
    delay = robots.crawl_delay(UA)
    assert delay is None or delay >= 0


def _reference(pattern: str, path: str) -> bool:
    """RFC 9309 matching spelled out as a regex, to check the piece-by-piece matcher against."""
    anchored = pattern.endswith("$")
    body = ".*".join(re.escape(p) for p in (pattern[:-1] if anchored else pattern).split("*"))
    return re.match(body + ("\\Z" if anchored else ""), path, re.DOTALL) is not None


@FUZZ
@given(st.text(alphabet="ab/*", max_size=8).map(lambda s: "/" + s) | st.just("/"), st.booleans(),
       st.text(alphabet="ab/", max_size=10).map(lambda s: "/" + s))
def test_matching_agrees_with_the_wildcards_read_as_a_regex(pattern: str, anchored: bool, path: str) -> None:
    pattern += "$" if anchored else ""
    assert rules_for_all(f"Disallow: {pattern}").allowed(UA, path) is not _reference(pattern, path)
