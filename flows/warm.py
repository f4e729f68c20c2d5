"""A pre-loaded background process that runs nianbao commands, so a command skips Python start-up.

Importing Prefect and the extractors costs 2-4 s of CPU per process, more than the 3 s a one-file
`nianbao ingest` may take. So the command sends its arguments, working folder, environment and its
stdin/stdout/stderr (as file descriptors over a Unix socket) to a process that has imported all that
once, which forks a child to run the command exactly as it would have run in the caller: same output
on the same terminal, same exit status. The flow still runs through Prefect, against nianbao's local
server (flows/server.py) or PREFECT_API_URL.

Safety:
- the pre-loaded process is tied to the environment and code it loaded: its socket name is a hash of
  the Python executable and every PREFECT_/NIANBAO_/PYTHON variable (another setting gets another
  process), and before each command it compares the size and mtime of every project file it
  imported: if one was edited it answers "stale" and exits, and the caller starts a fresh one.
- the caller stays in charge: Ctrl-C is forwarded to the child, and the child kills itself (its
  worker processes follow, see flows/parallel.py) the moment the caller's connection drops, so
  `kill -9` of the command stops the work as it would without this.
- it forks only while single-threaded (nothing runs there but the accept loop), and exits after
  NIANBAO_WARM_IDLE_S (default 30 min) without a command.
- `NIANBAO_WARM=0` runs every command in the caller's own process instead; any failure to reach the
  pre-loaded process does the same.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from flows.settings import ENV_WARM_IDLE_S, state_dir

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("flows", "extractors", "ocr", "warehouse")
ENV_CHILD = "NIANBAO_WARM_CHILD"  # set in the forked child: a command there never goes warm again
DEFAULT_IDLE_S = 1800.0
START_TIMEOUT_S = 120.0
_ENV_PREFIXES = ("PREFECT_", "NIANBAO_", "PYTHON")
_ENV_IGNORED = {"NIANBAO_WARM", ENV_CHILD}

# modules a command needs, imported once in the pre-loaded process (OCR is left out: ONNX Runtime
# starts threads, and a scan is slow enough that its import does not matter)
PRELOAD = (
    "prefect", "prefect.flow_engine", "prefect.task_engine", "prefect.task_runners", "fastapi.encoders",
    "prefect.utilities.visualization", "anyio._backends._asyncio", "anyio.streams.memory", "anyio.streams.stapled",
    "anyio.streams.tls", "encodings.idna", "multiprocessing.popen_fork", "duckdb", "rich.progress",
    "flows.flows", "flows.launch", "flows.parallel", "flows.pipeline", "flows.writer", "extractors.checks", "extractors.dispatch",
    "extractors.pdf_text", "extractors.text_dump", "extractors.html", "extractors.docx", "pdfplumber",
    "pypdfium2",
)
# a few lines of a report: reading them once fills the extractors' and reconciliation's lazy caches
WARM_UP_TEXT = "某某县人民政府2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\n规章\t0\n"


def loaded_code() -> dict[str, tuple[int, int]]:
    """Size and mtime of every project file this process has imported (and the bundled data)."""
    files = [Path(f) for m in list(sys.modules.values()) if (f := getattr(m, "__file__", None))]
    files += list((ROOT / "extractors" / "data").glob("*.json"))
    out = {}
    for f in files:
        if f.is_relative_to(ROOT) and f.suffix in (".py", ".json"):
            try:
                st = f.stat()
            except OSError:
                continue
            out[str(f)] = (st.st_size, st.st_mtime_ns)
    return out


def _stale(snapshot: dict[str, tuple[int, int]]) -> bool:
    for name, (size, mtime) in snapshot.items():
        try:
            st = os.stat(name)
        except OSError:
            return True
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return True
    return False


def env_fingerprint(env: Mapping[str, str]) -> str:
    keep = sorted((k, v) for k, v in env.items() if k.startswith(_ENV_PREFIXES) and k not in _ENV_IGNORED)
    return hashlib.sha256(json.dumps([sys.executable, keep]).encode()).hexdigest()


def socket_path(env: Mapping[str, str]) -> Path:
    key = env_fingerprint(env)[:16]
    folder = state_dir()
    path = folder / f"warm-{key}.sock"
    if len(str(path)) > 100:  # AF_UNIX paths stop at 108 bytes
        path = Path(tempfile.gettempdir()) / f"nianbao-{os.getuid()}" / f"warm-{key}.sock"
    return path


# ---------------------------------------------------------------- the caller's side


def run(argv: list[str], env: Mapping[str, str], before_request: Callable[[], bool] | None = None) -> int | None:
    """Run `nianbao ARGV` in the pre-loaded process (started if none): its exit status, or None
    when it could not be reached (the caller then runs the command itself)."""
    path = socket_path(env)
    for _ in range(3):
        sock = _connect(path) or _start_and_connect(path, env)
        if sock is None:
            return None
        try:
            sock.settimeout(10)
            ready = _recv_exact(sock, 1) == b"R"
            sock.settimeout(None)
        except (OSError, EOFError):
            ready = False
        if ready:
            break
        sock.close()  # it loaded code that has changed since, and is exiting: start a fresh one
        _wait_gone(path)
    else:
        return None
    with sock:
        if before_request and before_request() is False:
            return None
        try:
            _send_request(sock, argv, env)
            pid = struct.unpack("!i", _recv_exact(sock, 4))[0]
        except (OSError, EOFError):
            return None  # the child never started: nothing ran
        return _wait_child(sock, pid)


def _wait_gone(path: Path, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def _connect(path: Path) -> socket.socket | None:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(str(path))
        return s
    except OSError:
        s.close()
        return None


def _start_and_connect(path: Path, env: Mapping[str, str]) -> socket.socket | None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two callers at once start one process
        sock = _connect(path)
        if sock is not None:
            return sock
        log = path.with_suffix(".log")
        child_env = {k: v for k, v in env.items() if k != ENV_CHILD}
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "flows.warm", "serve", "--socket", str(path)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=child_env,
                start_new_session=True, close_fds=True, cwd=str(ROOT))
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            sock = _connect(path)
            if sock is not None:
                return sock
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        return None


def _send_request(sock: socket.socket, argv: list[str], env: Mapping[str, str]) -> None:
    body = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(env)}).encode()
    socket.send_fds(sock, [struct.pack("!I", len(body))], [0, 1, 2])
    sock.sendall(body)


def _wait_child(sock: socket.socket, pid: int) -> int:
    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        while True:
            try:
                return struct.unpack("!i", _recv_exact(sock, 4))[0]
            except InterruptedError:
                continue
            except (OSError, EOFError):
                print("nianbao: the background process running the command died", file=sys.stderr)
                return 1
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


# ---------------------------------------------------------------- the pre-loaded process


def preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S110 - a missing extractor only costs its format the import later
            pass
    try:
        from extractors.template import load_template
        from flows.cli import build_parser
        from flows.pipeline import process

        build_parser()  # imports every subcommand module
        process(WARM_UP_TEXT.encode(), "warm-up.txt", load_template())
        process(_tiny_pdf(WARM_UP_TEXT.splitlines()[1].encode("utf-16-be")), "warm-up.pdf", load_template())
    except Exception:  # noqa: BLE001, S110
        pass


def _tiny_pdf(text: bytes) -> bytes:
    """A one-page PDF showing `text`: reading it once loads pdfplumber's and pdfminer's lazy parts."""
    content = b"BT /F1 12 Tf 72 720 Td <" + text.hex().encode() + b"> Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
                b" /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
                b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
                b" /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
                b" /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>"
                b" >>] >>"),
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R"
                b" /Resources << /Font << /F1 3 0 R >> >> >>"),
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def serve(path: Path, idle_s: float) -> None:
    from flows.settings import prefect_env

    prefect_env()
    preload()
    code = loaded_code()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o077)  # whoever can connect runs commands as this user: only this user
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_umask)
    listener.listen(16)
    listener.settimeout(5.0)
    inode = path.stat().st_ino
    last = time.monotonic()
    children: set[int] = set()
    try:
        while True:
            _reap(children)
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                idle = not children and time.monotonic() - last > idle_s
                if idle or _stale(code) or not _still_ours(path, inode):
                    return
                continue
            if _stale(code):
                if _still_ours(path, inode):
                    path.unlink(missing_ok=True)  # before answering: the caller starts a fresh one
                _send_quietly(conn, b"S")
                return
            last = time.monotonic()
            if not _send_quietly(conn, b"R"):
                continue
            request = _receive_request(conn)
            if request is None:  # a status probe, or a caller gone: nothing to run
                conn.close()
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                _child(conn, *request)  # never returns
            conn.close()
            for fd in request[1]:
                os.close(fd)
            children.add(pid)
    finally:
        if _still_ours(path, inode):
            path.unlink(missing_ok=True)


def _send_quietly(conn: socket.socket, msg: bytes) -> bool:
    try:
        conn.sendall(msg)
        return True
    except OSError:
        conn.close()
        return False


def _still_ours(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def _receive_request(conn: socket.socket) -> tuple[dict, list[int]] | None:
    """The caller's request and its stdin/stdout/stderr, read before forking (so a connection that
    sends nothing costs no child); None when none came within a few seconds."""
    fds: list[int] = []
    try:
        conn.settimeout(5.0)
        msg, fds, _flags, _addr = socket.recv_fds(conn, 4, 3)
        body = json.loads(_recv_exact(conn, struct.unpack("!I", msg)[0]))
        conn.settimeout(None)
        if len(fds) != 3:
            raise ValueError("expected three file descriptors")
        return body, fds
    except (OSError, EOFError, ValueError, struct.error):
        for fd in fds:
            os.close(fd)
        return None


def _child(conn: socket.socket, body: dict, fds: list[int]) -> None:
    rc = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(body["cwd"])
        os.environ.clear()
        os.environ.update(body["env"])
        os.environ[ENV_CHILD] = "1"
        sys.argv = ["nianbao", *body["argv"]]
        signal.signal(signal.SIGINT, signal.default_int_handler)
        conn.sendall(struct.pack("!i", os.getpid()))
        _watch_caller(conn)
        rc = _run_command(body["argv"])
    except BaseException as e:  # noqa: BLE001 - the caller must get a status whatever happens
        print(f"nianbao: {type(e).__name__}: {e}", file=sys.stderr)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110
                pass
        try:
            conn.sendall(struct.pack("!i", rc))
        finally:
            os._exit(rc)


def _run_command(argv: list[str]) -> int:
    from flows.cli import main

    try:
        rc = main(argv)
    except SystemExit as e:  # argparse's --help and usage errors
        rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    _drain_prefect()
    return rc


def _drain_prefect() -> None:
    """os._exit skips atexit: send Prefect's queued events and logs first."""
    try:
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        EventsWorker.drain_all(timeout=10)
        APILogWorker.drain_all(timeout=10)
    except Exception:  # noqa: BLE001, S110
        pass


def _watch_caller(conn: socket.socket) -> None:
    """The caller closing its end (killed, even by -9) kills this run at once, as it would kill an
    ordinary command."""
    import threading

    def watch() -> None:
        try:
            while conn.recv(1):
                pass
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="caller-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m flows.warm")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--socket", required=True)
    s.add_argument("--idle", type=float, default=float(os.environ.get(ENV_WARM_IDLE_S, DEFAULT_IDLE_S)))
    sub.add_parser("stop")
    args = p.parse_args(argv)
    if args.cmd == "serve":
        serve(Path(args.socket), args.idle)
    else:
        print(f"stopped {stop_all()} pre-loaded process(es)")
    return 0


def stop_all() -> int:
    """Stop every pre-loaded process of this state folder (their running commands finish)."""
    folders = (state_dir(), Path(tempfile.gettempdir()) / f"nianbao-{os.getuid()}")
    return sum(stop(sock) for folder in folders if folder.is_dir() for sock in folder.glob("warm-*.sock"))


def stop(sock: Path) -> bool:
    """Stop the pre-loaded process listening on `sock`; False when none was."""
    s = _connect(sock)
    stopped = False
    if s is not None:
        # the accept loop has no stop message: the listener's pid is the peer of a connection
        creds = s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        pid = struct.unpack("3i", creds)[0]
        s.close()
        try:
            os.kill(pid, signal.SIGTERM)
            stopped = True
        except ProcessLookupError:
            pass
    sock.unlink(missing_ok=True)
    return stopped


def _answers(sock: Path) -> bool:
    s = _connect(sock)
    if s is None:
        return False
    s.close()
    return True


def describe() -> str:
    socks = [p for f in (state_dir(), Path(tempfile.gettempdir()) / f"nianbao-{os.getuid()}") if f.is_dir()
             for p in f.glob("warm-*.sock")]
    live = [p for p in socks if _answers(p)]
    return f"pre-loaded processes: {len(live)} running" + (f" ({', '.join(p.name for p in live)})" if live else "")


if __name__ == "__main__":
    sys.exit(main())
