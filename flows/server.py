"""nianbao's local Prefect server: started once in the background, reused by every later command.

Prefect with no server configured starts a temporary one per process (8-14 s here); a running server
costs a command nothing to reach. So, unless `PREFECT_API_URL` is set or `NIANBAO_PREFECT=ephemeral`,
`nianbao ingest` looks for the server it started earlier (state file `$PREFECT_HOME/nianbao/server.json`:
URL and pid, confirmed by `/api/health`), and starts one detached if none answers. The first command
pays the start; `nianbao server stop` ends it, and it stops by itself after `NIANBAO_SERVER_IDLE_S`
(default an hour) without a request.

The server is Prefect's own app run the way Prefect runs its temporary server (no UI, only the
services a run needs: an idle full server burns a sixth of a core here, this one about 2%), with the
same database under PREFECT_HOME, so `prefect server start` shows everything it recorded.

Standard library only at import: the client side runs before Prefect is imported.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from flows.settings import ENV_SERVER_IDLE_S, state_dir

DEFAULT_IDLE_S = 3600.0
START_TIMEOUT_S = 180.0


class ServerError(Exception):
    """The local server could not be started or reached."""


@dataclass(frozen=True)
class ServerState:
    url: str  # the API URL, as PREFECT_API_URL takes it
    pid: int
    port: int
    started: float
    log: str


def state_path(folder: Path | None = None) -> Path:
    return (folder or state_dir()) / "server.json"


def read_state(folder: Path | None = None) -> ServerState | None:
    try:
        return ServerState(**json.loads(state_path(folder).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def healthy(url: str, timeout: float = 0.5) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (our own exited child) still answers kill(0)
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return True


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One client at a time decides whether to start a server (two would start two)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "server.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder: Path | None = None) -> ServerState:
    """Start a server detached from this process (its own session: it outlives the command)."""
    folder = folder or state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = folder / "server.log"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_LOGGING_LEVEL": os.environ.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")}
    env.pop("PREFECT_API_URL", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.server", "serve", "--port", str(port)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, close_fds=True)
    st = ServerState(f"http://127.0.0.1:{port}/api", proc.pid, port, time.time(), str(log))
    tmp = state_path(folder).with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(st)), "utf-8")
    tmp.replace(state_path(folder))
    return st


def wait_healthy(st: ServerState, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(st.url):
            return
        if not alive(st.pid):
            raise ServerError(f"the local Prefect server exited while starting: {_tail(st.log)}")
        time.sleep(0.1)
    raise ServerError(f"the local Prefect server did not answer within {timeout:g} s (log: {st.log})")


def ensure(folder: Path | None = None, wait: bool = True) -> ServerState:
    """The running local server, started if none answers. With wait=False the caller gets a state
    whose server may still be starting (call wait_healthy before using it)."""
    folder = folder or state_dir()
    with _locked(folder):
        st = read_state(folder)
        if st is None or not alive(st.pid):
            st = start(folder)
        elif not healthy(st.url) and time.time() - st.started > START_TIMEOUT_S:
            stop(folder)  # alive but deaf long after its start: wedged
            st = start(folder)
        if wait:
            wait_healthy(st)
    return st


def stop(folder: Path | None = None, timeout: float = 10.0) -> bool:
    """Stop the local server; False when none was running."""
    folder = folder or state_dir()
    st = read_state(folder)
    state_path(folder).unlink(missing_ok=True)
    if st is None or not alive(st.pid):
        return False
    os.kill(st.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(st.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(st.pid):
        os.kill(st.pid, signal.SIGKILL)
    return True


def describe(folder: Path | None = None) -> str:
    st = read_state(folder)
    if st is None or not alive(st.pid):
        return "local Prefect server: not running"
    state = "running" if healthy(st.url) else "starting (or not answering)"
    return f"local Prefect server: {state} at {st.url} (pid {st.pid}, log {st.log})"


def _tail(path: str, n: int = 400) -> str:
    try:
        text = Path(path).read_text("utf-8", errors="replace").strip()
    except OSError:
        return "(no log)"
    return " ".join(text[-n:].split()) or "(empty log)"


# ---------------------------------------------------------------- the server process itself


def serve(port: int, idle_s: float) -> None:
    """Run Prefect's API app (as its temporary server does) until idle for idle_s seconds."""
    os.environ.update({"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
    import threading

    import uvicorn
    from prefect.server.api.server import create_app

    app = create_app()
    last = [time.monotonic()]
    open_connections = [0]

    async def watched(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "lifespan" or scope.get("path", "").endswith("/health"):
            return await app(scope, receive, send)
        open_connections[0] += 1
        last[0] = time.monotonic()
        try:
            return await app(scope, receive, send)
        finally:
            open_connections[0] -= 1
            last[0] = time.monotonic()

    server = uvicorn.Server(uvicorn.Config(watched, host="127.0.0.1", port=port, log_level="error",
                                           lifespan="on"))

    def watchdog() -> None:
        while not server.should_exit:
            time.sleep(min(30.0, idle_s / 4))
            if open_connections[0] == 0 and time.monotonic() - last[0] > idle_s:
                server.should_exit = True

    if idle_s > 0:
        threading.Thread(target=watchdog, name="idle-watchdog", daemon=True).start()
    server.run()


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m flows.server")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--idle", type=float, default=float(os.environ.get(ENV_SERVER_IDLE_S, DEFAULT_IDLE_S)))
    sub.add_parser("start")
    sub.add_parser("stop")
    sub.add_parser("status")
    args = p.parse_args(argv)
    if args.cmd == "serve":
        serve(args.port, args.idle)
    elif args.cmd == "start":
        print(f"local Prefect server at {ensure().url}")
    elif args.cmd == "stop":
        print("stopped" if stop() else "not running")
    else:
        print(describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
