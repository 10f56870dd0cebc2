"""``pacta app``: run the Streamlit app (``app/web/main.py``) on a store, wait until it answers, print its URL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from app.context import Settings
from ingest.errors import InputError

MAIN = Path(__file__).resolve().parent / "web" / "main.py"


def free_port(start: int = 8501, host: str = "127.0.0.1") -> int:
    """``start`` if nothing listens there, else the next port that is free."""
    for port in range(start, start + 100):
        with socket.socket() as s:
            if s.connect_ex((host, port)) != 0:
                return port
    raise InputError(f"no free port from {start} to {start + 99}; give one with --port")


def command(port: int, address: str) -> list[str]:
    """The Streamlit command line: headless, no telemetry, no error details in pages (each page shows its own
    one-sentence errors), no file watcher."""
    return [sys.executable, "-m", "streamlit", "run", str(MAIN), "--server.address", address,
            "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--client.showErrorDetails", "none", "--client.toolbarMode", "viewer",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false", "--logger.level", "warning",
            "--theme.base", "light", "--theme.primaryColor", "#1f4e79"]


def environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ, PACTA_HOME=str(Path(settings.store).resolve()), PACTA_GRAPH=settings.graph,
               NEO4J_URI=settings.neo4j_uri, HF_HUB_OFFLINE="1")
    if settings.model:
        env["PACTA_MODEL"] = settings.model
    return env


def wait_ready(url: str, proc: subprocess.Popen[bytes], seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def start(settings: Settings, port: int | None = None, address: str = "127.0.0.1") -> tuple[subprocess.Popen[bytes],
                                                                                           str]:
    """Start the app server in a child process; returns it and the URL once it answers."""
    if port is None:
        port = free_port(host="127.0.0.1" if address in ("0.0.0.0", "::") else address)
    url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '::') else address}:{port}"
    proc = subprocess.Popen(command(port, address), env=environment(settings), stdout=subprocess.DEVNULL)
    try:
        ready = wait_ready(url, proc)
    except BaseException:  # Ctrl-C while it starts: the server goes too
        stop(proc)
        raise
    if not ready:
        stop(proc)
        raise InputError(f"the app did not start on {address}:{port} (is the port taken? try --port)")
    return proc, url


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop; kill it if it has not within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(settings: Settings, port: int | None, address: str, say: Callable[[str], None]) -> int:
    """Run the app until Ctrl-C or SIGTERM, which stop its server too (a killed ``pacta app`` leaves none behind)."""
    signal.signal(signal.SIGTERM, _interrupt)
    proc, url = start(settings, port, address)
    try:
        say(f"Pacta is running at {url} on the store {settings.store} ({settings.graph}); Ctrl-C stops it.")
        sys.stdout.flush()
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if proc.poll() is None:
            stop(proc)
