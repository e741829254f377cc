"""The endpoint under hostile load: researchers keep getting answers, attackers get 4xx or a
timeout error, memory stays bounded, the server stays up."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from .webserver import running_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from loadgen import run_load, tree_rss  # noqa: E402

pytestmark = pytest.mark.slow

WORKER_MAX_MB = 500
WORKERS = 2


def test_normal_queries_survive_hostile_ones(ingested_store) -> None:
    directory, _ = ingested_store
    env = {"CONSULTGRAPH_SPARQL_TIMEOUT": "3", "CONSULTGRAPH_SPARQL_WORKERS": str(WORKERS),
           "CONSULTGRAPH_SPARQL_WORKER_MAX_MB": str(WORKER_MAX_MB)}
    with running_server(directory, env=env) as (url, proc):
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(proc.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            normal, hostile = run_load(f"{url}/sparql", clients=3, hostile_clients=3, seconds=20,
                                       max_requests=5000)
        finally:
            done.set()
            sampler.join()

        assert proc.poll() is None, "the server died"
        assert requests.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=30).ok
        # Researchers: every query answered.
        assert normal.latencies and set(normal.statuses) == {200}, (normal.statuses, normal.bodies)
        # Attackers: refused (4xx) or stopped at the time limit (503 saying so), never a crash.
        assert hostile.latencies
        for status, body in hostile.bodies.items():
            assert 400 <= status < 500 or (status == 503 and "limit" in body), (status, body)
        # Answering is right only where the request is valid after all (unknown parameters
        # are ignored, as the protocol says).
        answered = {name for name, st in hostile.by_name.items() if 200 in st}
        assert answered <= {"thousands of parameters"}, hostile.by_name
        # Memory: workers are killed past their limit; the whole tree stays bounded.
        assert peak[0] < (WORKERS * WORKER_MAX_MB + 700) * 2**20, peak[0] / 2**20
