"""`nianbao serve` registers one scheduled deployment per portal, and `nianbao crawl` runs the flow
with the promised exit status; both against Prefect's test harness (one server for this module:
the session's `prefect_api` server runs as an ephemeral one, and these tests are about what a full
server with its scheduler makes of the deployments)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main
from flows.crawl_config import load_portals
from flows.settings import prefect_env
from tests.fixtures.portal.portal import Resource, Server, article_page, build, listing_page, seed, site_of

EXAMPLE = Path(__file__).resolve().parents[1] / "portals.toml"


@pytest.fixture(scope="module")
def harness_api():
    prefect_env()
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=300):
        yield PREFECT_API_URL.value()


@pytest.fixture
def in_this_process(monkeypatch):
    """The command runs here, against the harness: no pre-loaded process, no local server."""
    monkeypatch.setenv("NIANBAO_WARM", "0")
    monkeypatch.setenv("NIANBAO_PREFECT", "ephemeral")


def test_a_portal_becomes_a_deployment_with_its_cron_schedule_and_parameters():
    from flows.crawl import portal_deployment

    portal = load_portals(EXAMPLE)[0]
    d = portal_deployment(portal)
    assert d.name == portal.name
    assert [(s.schedule.cron, s.schedule.timezone) for s in d.schedules] == [(portal.cron, portal.timezone)]
    assert d.parameters["start_urls"] == list(portal.start_urls)
    assert d.entrypoint == "flows.crawl.crawl_portal"


def test_serve_registers_every_portal_on_its_schedule(harness_api, monkeypatch, tmp_path):
    import prefect
    from prefect.client.orchestration import get_client

    served = []  # prefect.serve would block for ever: take what it is given, register it here
    monkeypatch.setattr(prefect, "serve", lambda *deployments, **kw: served.append((deployments, kw)))
    monkeypatch.setenv("PREFECT_API_URL", harness_api)
    db = str(tmp_path / "w.duckdb")
    assert main(["serve", "--config", str(EXAMPLE), "--db", db]) == 0
    [(deployments, kw)] = served
    assert kw["limit"] == 1  # one crawl at a time: DuckDB takes one writer
    for d in deployments:
        d.apply()
    portals = load_portals(EXAMPLE)
    with get_client(sync_client=True) as client:
        for p in portals:
            dep = client.read_deployment_by_name(f"crawl_portal/{p.name}")
            assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in dep.schedules] \
                == [(p.cron, p.timezone, True)]
            assert (dep.parameters["start_urls"], dep.parameters["db"]) == (list(p.start_urls), db)


def test_the_scheduler_plans_runs_at_each_portals_cron_times(harness_api):
    """The harness's server runs no scheduler service: run its loop once here, as `prefect server
    start` does every minute, and read back the runs it planned."""
    import asyncio
    from zoneinfo import ZoneInfo

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.server.services.scheduler import schedule_deployments

    from flows.crawl import portal_deployment

    portals = load_portals(EXAMPLE)
    for p in portals:
        portal_deployment(p).apply()
    asyncio.run(schedule_deployments())
    with get_client(sync_client=True) as client:
        for p in portals:
            runs = client.read_flow_runs(deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[p.name])))
            assert runs, f"no runs planned for {p.name}"
            minute, hour = (int(f) for f in p.cron.split()[:2])
            local = [r.expected_start_time.astimezone(ZoneInfo(p.timezone)) for r in runs]
            assert {(t.minute, t.hour) for t in local} == {(minute, hour)}


def test_crawl_command_exits_zero_when_every_report_was_processed(harness_api, in_this_process, tmp_path, capsys):
    text, gold = seed(1)
    title = f"{gold['agency']}{gold['year']}年政府信息公开工作年度报告"
    site = site_of({
        "/nb/index.html": Resource(listing_page([(title, "a.html")], ""), "text/html"),
        "/nb/a.html": Resource(article_page(title, '<a href="/f/report.txt">附件</a>'), "text/html", etag='"a"'),
        "/f/report.txt": Resource(text, "text/plain", etag='"r"'),
    })
    with Server(site) as base:
        rc = main(["crawl", base + "/nb/index.html", "--db", str(tmp_path / "w.duckdb"), "--delay", "0"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert f"{base}/f/report.txt: ok, {gold['agency']} {gold['year']}" in out
    assert err == ""


def test_crawl_command_names_each_failure_on_one_line_and_exits_non_zero(harness_api, in_this_process, tmp_path,
                                                                         capsys):
    site = build()
    with Server(site) as base:
        rc = main(["crawl", base + "/gkml/nb/index.html", "--db", str(tmp_path / "w.duckdb"), "--delay", "0",
                   "--timeout", "0.5", "--retries", "0", r"--exclude=report\.pdf$", r"--exclude=\.docx$"])
    _, err = capsys.readouterr()
    assert rc == 1
    lines = err.strip().splitlines()
    assert sorted(line.split(": ")[1] for line in lines) == sorted(base + p for p in site.failing)
    assert all(line.startswith("nianbao: ") for line in lines)
    assert "Traceback" not in err


def test_crawl_command_refuses_what_is_not_a_url(capsys):
    assert main(["crawl", "data/listing.html"]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err
