"""The Prefect side of crawling: the `crawl_portal` flow and the scheduled deployments of portals.

The crawl itself is `flows.crawl_engine.crawl` (plain functions; see its docstring for what a crawl
does). `nianbao crawl` runs `crawl_portal` once; `nianbao serve` (flows/cmd_serve.py) serves one
deployment of it per portal of the portals file, each on its cron schedule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from prefect import flow, get_run_logger
from prefect.types.entrypoint import EntrypointType

from flows.crawl_config import CrawlSettings, Portal
from flows.crawl_engine import CrawlOutcome, crawl
from flows.settings import DEFAULT_DB

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

TAGS = ["nianbao", "crawl"]


@flow(name="crawl_portal", log_prints=False, persist_result=False)
def crawl_portal(start_urls: list[str], db: str = DEFAULT_DB, portal: str | None = None, delay: float = 1.0,
                 timeout: float = 30.0, retries: int = 2, max_mib: float = 100.0, max_listing_pages: int = 200,
                 include: list[str] | None = None, exclude: list[str] | None = None,
                 extra_hosts: list[str] | None = None) -> CrawlOutcome:
    """Crawl one portal's annual-report listings into the warehouse (see `flows.crawl_engine`)."""
    settings = CrawlSettings(delay=delay, timeout=timeout, retries=retries, max_mib=max_mib,
                             max_listing_pages=max_listing_pages, include=tuple(include or ()),
                             exclude=tuple(exclude or ()), extra_hosts=tuple(extra_hosts or ()))
    logger = get_run_logger()
    outcome = crawl(list(start_urls), db, settings, portal=portal, on_document=lambda p: logger.info(p.summary()))
    for f in outcome.failures:
        logger.warning(f.line())
    logger.info(outcome.summary())
    return outcome


def flow_parameters(start_urls: list[str] | tuple[str, ...], db: str, settings: CrawlSettings,
                    portal: str | None) -> dict[str, object]:
    """`crawl_portal`'s parameters for these settings (JSON-able, as a deployment stores them)."""
    return {"start_urls": list(start_urls), "db": db, "portal": portal, "delay": settings.delay,
            "timeout": settings.timeout, "retries": settings.retries, "max_mib": settings.max_mib,
            "max_listing_pages": settings.max_listing_pages, "include": list(settings.include),
            "exclude": list(settings.exclude), "extra_hosts": list(settings.extra_hosts)}


def portal_deployment(portal: Portal, db: str | None = None) -> RunnerDeployment:
    """One portal as a deployment of `crawl_portal` on its cron schedule (in the portal's time zone)."""
    from prefect.schedules import Cron

    deployment = crawl_portal.to_deployment(
        name=portal.name,
        schedules=[Cron(portal.cron, timezone=portal.timezone)],
        parameters=flow_parameters(portal.start_urls, db or portal.db, portal.settings, portal.name),
        description=f"Crawl {', '.join(portal.start_urls)} for annual reports",
        tags=TAGS,
        # by module, so a run finds the flow wherever nianbao is installed, whatever the directory
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return cast("RunnerDeployment", deployment)  # to_deployment is awaitable only in async code
