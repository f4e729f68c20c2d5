"""Defaults shared by the subcommands, and the environment variables that change them.

Only the standard library is imported here: every command reads these before deciding what heavy
modules it needs.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "data/nianbao.duckdb"
DEFAULT_TIMEOUT_S = 300.0  # per document; a scanned report OCRs in well under a minute on 2 cores
DEFAULT_WORKER_MEMORY_MB = 4096  # per worker process; a decompression bomb fails instead of swapping
MAX_PAGES = 500  # annual reports run 5-40 pages; a PDF claiming thousands is not one worth reading

# NIANBAO_PREFECT: "auto" (default) reuses or starts nianbao's local Prefect server unless
# PREFECT_API_URL is set; "ephemeral" leaves it to Prefect (a temporary server per run).
ENV_PREFECT = "NIANBAO_PREFECT"
# NIANBAO_WARM: "1" (default) runs commands in a pre-loaded background process; "0" in this process.
ENV_WARM = "NIANBAO_WARM"
ENV_SERVER_IDLE_S = "NIANBAO_SERVER_IDLE_S"  # the local server stops after this long unused (0: never)
ENV_WARM_IDLE_S = "NIANBAO_WARM_IDLE_S"  # the pre-loaded process exits after this long unused
ENV_WORKER_MEMORY_MB = "NIANBAO_WORKER_MEMORY_MB"  # 0: no limit
# NIANBAO_READ_COPY: "1" (default) an ingest publishes the read copy readers open while it writes
# (warehouse/read_copy.py); "0" does not (readers then wait for the ingest to end)
ENV_READ_COPY = "NIANBAO_READ_COPY"


def default_workers() -> int:
    return os.cpu_count() or 1


def worker_memory_mb() -> int | None:
    mb = int(os.environ.get(ENV_WORKER_MEMORY_MB, DEFAULT_WORKER_MEMORY_MB))
    return mb or None


def state_dir() -> Path:
    """Where nianbao keeps its background processes' state: beside Prefect's own (PREFECT_HOME)."""
    home = os.environ.get("PREFECT_HOME") or "~/.prefect"
    return Path(home).expanduser() / "nianbao"


def prefect_mode() -> str:
    return os.environ.get(ENV_PREFECT, "auto").strip().lower() or "auto"


def warm_enabled() -> bool:
    return os.environ.get(ENV_WARM, "1").strip().lower() not in ("0", "false", "no", "off")


def read_copy_enabled() -> bool:
    return os.environ.get(ENV_READ_COPY, "1").strip().lower() not in ("0", "false", "no", "off")


def prefect_env() -> None:
    """Quiet, offline-friendly Prefect defaults, set before Prefect is imported; the user's win.

    Prefect's console handler is silenced (a failed task logs a traceback there): the command prints
    one line per failed document itself, and the full story still goes to the Prefect API's logs.
    """
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
