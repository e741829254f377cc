"""Start `consultgraph serve` on a free loopback port in a subprocess, for tests over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(store: Path, *, env: dict[str, str] | None = None,
                   ready_within: float = 60.0) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Yield (base URL, process) of a server over `store`; stop it (and its workers) after."""
    port = free_port()
    log = open(store.parent / f"server-{port}.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "consultgraph.cli", "serve", "--store", str(store),
         "--port", str(port)],
        env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_within
        while True:
            if proc.poll() is not None:
                log.flush()
                raise RuntimeError("server exited: "
                                   + (store.parent / f"server-{port}.log").read_text()[-2000:])
            try:
                if requests.get(f"{url}/sparql?query=ASK%7B%7D", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server on port {port} not ready")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def children(pid: int) -> set[int]:
    """Child process ids of `pid` (Linux /proc)."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out.update(int(x) for x in (task / "children").read_text().split())
        except OSError:
            continue
    return out
