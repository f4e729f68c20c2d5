"""Where a command runs: which Prefect API it talks to, and whether the pre-loaded process runs it.

Standard library only: this runs before anything heavy is imported.
"""

from __future__ import annotations

import os
import sys

from flows import server, warm
from flows.settings import prefect_env, prefect_mode, warm_enabled


def settle_api() -> server.ServerState | None:
    """PREFECT_API_URL as set; else nianbao's local server (started if none answers; it may still
    be starting when this returns); None with NIANBAO_PREFECT=ephemeral (Prefect's temporary one)."""
    if prefect_mode() == "ephemeral" or os.environ.get("PREFECT_API_URL"):
        return None
    try:
        st = server.ensure(wait=False)
    except (OSError, server.ServerError) as e:
        print(f"nianbao: no local Prefect server ({e}); using a temporary one", file=sys.stderr)
        return None
    os.environ["PREFECT_API_URL"] = st.url
    return st


def api_ready(st: server.ServerState | None) -> bool:
    """Wait for a starting local server; on failure fall back to Prefect's temporary server."""
    if st is None:
        return True
    try:
        server.wait_healthy(st)
        return True
    except server.ServerError as e:
        print(f"nianbao: {e}; using a temporary Prefect server", file=sys.stderr)
        os.environ.pop("PREFECT_API_URL", None)
        return False


def delegate(argv: list[str]) -> int | None:
    """Run `nianbao ARGV` in the pre-loaded process: its exit status, or None when the caller is to
    run it itself (opted out, already the pre-loaded process's child, or it could not be reached);
    either way the Prefect API is settled in os.environ when this returns."""
    prefect_env()
    if os.environ.get(warm.ENV_CHILD):
        return None
    st = settle_api()
    if warm_enabled():
        rc = warm.run(argv, dict(os.environ), before_request=lambda: api_ready(st))
        if rc is not None:
            return rc
    api_ready(st)
    return None
