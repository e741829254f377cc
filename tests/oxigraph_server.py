"""Start a real Oxigraph server (`oxigraph serve`, PyPI package `oxigraph`) on a free loopback port."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.webserver import free_port


def oxigraph_binary() -> str | None:
    """The `oxigraph` CLI next to this Python (the venv), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


@contextmanager
def running_oxigraph(location: Path, *, union_default_graph: bool = True, query_timeout: int = 20,
                     ready_within: float = 30.0) -> Iterator[str]:
    """Yield the base URL (http://127.0.0.1:PORT) of an Oxigraph server over `location`.

    `--union-default-graph` is how a deployment lets user queries without GRAPH see every
    consultation (as the embedded endpoint does); consultgraph's own reads do not need it.
    `--timeout-s` ends queries our endpoint has given up on (the server would run them on).
    """
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph CLI is not installed (pip install oxigraph)")
    port = free_port()
    cmd = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
           "--timeout-s", str(query_timeout)]
    if union_default_graph:
        cmd.append("--union-default-graph")
    log_path = location.parent / f"oxigraph-{port}.log"
    log = open(log_path, "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_within
        while True:
            if proc.poll() is not None:
                log.flush()
                raise RuntimeError(f"oxigraph exited: {log_path.read_text()[-2000:]}")
            try:
                if requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph on port {port} not ready")
            time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
