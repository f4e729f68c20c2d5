"""Defaults shared by the subcommands."""

from __future__ import annotations

import os

DEFAULT_DB = "data/nianbao.duckdb"


def prefect_env() -> None:
    """Quiet, offline-friendly Prefect defaults, set before Prefect is imported; the user's win."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
