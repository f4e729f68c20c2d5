"""`nianbao crawl LISTING_URL... [--db FILE]`: a portal's annual-report column into the warehouse.

Runs the `crawl_portal` flow (flows/crawl.py) once. Like `ingest`, it settles the Prefect API first
and hands itself to the pre-loaded process where there is one (flows/launch.py). Exit status 0 when
every page and file it fetched was processed; 1 otherwise, each failure named on stderr.
"""

from __future__ import annotations

import argparse
import re
import sys

from flows.settings import DEFAULT_DB, prefect_env


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("crawl", help="crawl portal listings for annual reports (pagination, articles, attachments)")
    p.add_argument("urls", nargs="+", metavar="LISTING_URL")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one host (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a server (default 30)")
    p.add_argument("--retries", type=int, default=2, help="further tries after a timeout or 5xx (default 2)")
    p.add_argument("--max-mib", type=float, default=100.0, help="size limit of one file in MiB (default 100)")
    p.add_argument("--max-pages", type=int, default=200, help="listing pages followed per crawl (default 200)")
    p.add_argument("--include", action="append", default=[], metavar="REGEX",
                   help="follow only URLs matching one of these (repeatable)")
    p.add_argument("--exclude", action="append", default=[], metavar="REGEX",
                   help="never follow URLs matching these (repeatable)")
    p.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                   help="another host reports may be fetched from (repeatable)")
    p.set_defaults(func=run)


def argv_of(args: argparse.Namespace) -> list[str]:
    """The command line that parses back to args (for the pre-loaded process)."""
    out = ["crawl", *args.urls, "--db", args.db, "--delay", repr(args.delay), "--timeout", repr(args.timeout),
           "--retries", str(args.retries), "--max-mib", repr(args.max_mib), "--max-pages", str(args.max_pages)]
    for flag, values in (("--include", args.include), ("--exclude", args.exclude), ("--allow-host", args.allow_host)):
        out += [f"{flag}={v}" for v in values]  # one word each, so a pattern may start with "-"
    return out


def run(args: argparse.Namespace) -> int:
    bad = [u for u in args.urls if not u.startswith(("http://", "https://"))]
    if bad:
        print(f"nianbao: not an http(s) URL: {', '.join(bad)}", file=sys.stderr)
        return 2
    for pattern in args.include + args.exclude:
        try:
            re.compile(pattern)
        except re.error as e:
            print(f"nianbao: bad pattern {pattern!r}: {e}", file=sys.stderr)
            return 2
    from flows import launch

    rc = launch.delegate(argv_of(args))
    if rc is not None:
        return rc
    return crawl_here(args)


def crawl_here(args: argparse.Namespace) -> int:
    prefect_env()
    from flows.crawl import crawl_portal

    try:
        outcome = crawl_portal(
            start_urls=args.urls, db=args.db, portal=None, delay=args.delay, timeout=args.timeout,
            retries=args.retries, max_mib=args.max_mib, max_listing_pages=args.max_pages,
            include=args.include, exclude=args.exclude, extra_hosts=args.allow_host)
    except Exception as e:  # noqa: BLE001 - a broken warehouse file, a full disk: say so, no traceback
        print(f"nianbao: crawl failed: {type(e).__name__}: {str(e)[:300]}", file=sys.stderr)
        return 1
    for processed in outcome.documents:
        print(processed.summary())
    print(outcome.summary())
    for failure in outcome.failures:
        print(f"nianbao: {failure.line()}", file=sys.stderr)
    return 1 if outcome.failures else 0
