"""Session-wide test set-up.

- Commands run in the test process (NIANBAO_WARM=0) for every test: a test must exercise the code
  on disk, and must not leave a pre-loaded background process behind (flows/warm.py). Nor a local
  Prefect server in the user's PREFECT_HOME: a test that runs a flow without `prefect_api` gets
  Prefect's temporary server (NIANBAO_PREFECT=ephemeral), slow, so ask for `prefect_api`.
- `prefect_api`: one Prefect server for the whole session, for any test that runs a flow or task.
  It is nianbao's own local server (flows/server.py) in a test-only PREFECT_HOME in the system temp
  folder: its database is migrated once per machine, and a later session reuses the server while it
  runs (it stops itself 10 minutes after its last request). PREFECT_API_URL points at it for the
  session. Prefect's own `prefect_test_harness` would start and migrate a fresh server per use.
- Modules with `background_tasks` (their OCR-heavy fixtures) start them once the session's tests
  are collected, in worker processes beside the serial tests (tests/background.py), and run last,
  so that the background has the whole session to get ahead; stopped at the end.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import background
import pytest

# Modules whose fixtures are built from ../shared (seeds, real reports); every other test that reads
# ../shared skips itself when it is absent.
_SHARED = Path(__file__).resolve().parents[2] / "shared"
collect_ignore = [] if (_SHARED / "seeds").is_dir() else [
    "test_crawl.py", "test_crawl_serve.py", "test_ingest_warm.py", "test_bad_input.py", "test_ingest.py",
    "test_ingest_crash.py"]

TEST_HOME = Path(tempfile.gettempdir()) / f"nianbao-pytest-{os.getuid()}" / "prefect"


@pytest.fixture(scope="session", autouse=True)
def _commands_run_in_process() -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("NIANBAO_WARM", "0")
    mp.setenv("NIANBAO_PREFECT", "ephemeral")
    yield
    mp.undo()


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    from flows import server
    from flows.settings import ENV_SERVER_IDLE_S, prefect_env

    mp = pytest.MonkeyPatch()
    mp.setenv("PREFECT_HOME", str(TEST_HOME))
    mp.setenv(ENV_SERVER_IDLE_S, "600")
    mp.delenv("PREFECT_API_URL", raising=False)
    prefect_env()
    st = server.ensure(TEST_HOME / "nianbao")
    mp.setenv("PREFECT_API_URL", st.url)
    _refresh_prefect_settings()
    yield st.url
    mp.undo()
    _refresh_prefect_settings()


def _refresh_prefect_settings() -> None:
    """Prefect reads its settings from the environment when first imported: tell it they changed."""
    if "prefect.context" in sys.modules:
        sys.modules["prefect.context"].refresh_global_settings_context()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=background.runs_last)  # stable: the order within each part is kept


def pytest_collection_finish(session: pytest.Session) -> None:
    if not session.config.option.collectonly:
        background.start(session.config, list(background.selected(session.items)))


def pytest_unconfigure(config: pytest.Config) -> None:
    background.stop(config)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from goldcheck import SCAN_REPORT

    lines = config.stash.get(SCAN_REPORT, [])
    if lines:
        terminalreporter.section("scan corpus, per condition group")
        for line in lines:
            terminalreporter.write_line(line)
