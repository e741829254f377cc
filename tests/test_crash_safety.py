"""SIGKILL in the middle of ingest or export: the store and the served dumps stay whole."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from consultgraph.rdf.namespaces import Iris
from consultgraph.rdf.partition import is_consultation_graph
from consultgraph.store import open_store

pytestmark = pytest.mark.slow


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "consultgraph.cli", *args]


def make_corpus(samples: Path, target: Path, copies: int) -> int:
    target.mkdir()
    n = 0
    for page in sorted(samples.glob("*.txt")):
        for k in range(copies):
            shutil.copy(page, target / f"{page.stem}-{k}.txt")
            n += 1
    return n


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains `text` (Linux /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                state = (entry / "stat").read_text().split(") ", 1)[1][:1]
            except OSError:
                continue
            if text in cmdline and state != "Z":
                pids.append(int(entry.name))
    return pids


def graph_sizes(directory: Path) -> dict[str, int]:
    store = open_store(directory, read_only=True)
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    sizes = {r["g"].value: int(r["n"].value) for r in store.query(q, use_default_graph_as_union=False)}
    iris = Iris()
    return {g: n for g, n in sizes.items() if is_consultation_graph(g, iris)}


def test_sigkill_during_ingest_leaves_whole_consultations(tmp_path: Path, samples_dir: Path) -> None:
    corpus = tmp_path / "pages"
    make_corpus(samples_dir, corpus, copies=12)
    reference = tmp_path / "reference"
    t0 = time.monotonic()
    small_loads = {**os.environ, "CONSULTGRAPH_LOAD_BATCH": "50"}
    subprocess.run(cli("ingest", str(corpus), "--store", str(reference), "--no-dumps"),
                   check=True, capture_output=True, env=small_loads)
    full_run = time.monotonic() - t0
    expected = graph_sizes(reference)
    assert len(expected) == 57 * 12

    # Kill part-way through the store writes: later and later until something was written
    # and something was not (a kill that proves nothing is retried).
    got: dict[str, int] = {}
    for share in (0.5, 0.6, 0.7, 0.8, 0.9, 0.4, 0.95):
        victim = tmp_path / f"victim-{share}"
        # Small store writes (50 consultations each), so that a kill can land between two.
        proc = subprocess.Popen(cli("ingest", str(corpus), "--store", str(victim), "--no-dumps"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=small_loads)
        time.sleep(full_run * share)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Its worker processes die with it: none is left holding memory.
        deadline = time.monotonic() + 10
        while processes_mentioning(str(victim)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_mentioning(str(victim)) == []
        got = graph_sizes(victim)
        if got and len(got) < len(expected):
            break
    assert got and len(got) < len(expected), "no kill landed in the middle of the writes"
    for graph, n in got.items():
        assert n == expected[graph], f"{graph} is half-written ({n} of {expected[graph]} triples)"

    res = subprocess.run(cli("ingest", str(corpus), "--store", str(victim)), capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    assert graph_sizes(victim) == expected


def test_sigkill_during_export_never_leaves_a_partial_dump(tmp_path: Path, samples_dir: Path) -> None:
    corpus = tmp_path / "pages"
    make_corpus(samples_dir, corpus, copies=6)
    store = tmp_path / "store"
    subprocess.run(cli("ingest", str(corpus), "--store", str(store), "--no-dumps"), check=True,
                   capture_output=True)
    out = tmp_path / "served" / "dump.nt.gz"
    subprocess.run(cli("export", "--format", "ntriples", "--out", str(out), "--store", str(store)),
                   check=True, capture_output=True)
    complete = ox.Store()
    complete.load(gzip.decompress(out.read_bytes()), format=ox.RdfFormat.N_TRIPLES)
    for delay in (0.3, 0.6, 0.9, 1.2):
        proc = subprocess.Popen(cli("export", "--format", "ntriples", "--out", str(out), "--store",
                                    str(store)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # The served path holds the old complete dump or the new complete dump, never a part.
        parsed = ox.Store()
        parsed.load(gzip.decompress(out.read_bytes()), format=ox.RdfFormat.N_TRIPLES)
        assert len(parsed) == len(complete)
