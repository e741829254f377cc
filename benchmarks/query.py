"""Researcher queries side by side: in-process pyoxigraph, our endpoint, the oxigraph server,
rdflib-endpoint — all over the same data; plus concurrent clients and dump generation.

    python benchmarks/query.py --store /tmp/cg-bench/store-10000 [--repeat 20]
        [--skip-rdflib] [--skip-oxigraph-server] [--skip-ours] [--queries 01 04 ...]
        [--timeout 30] [--rdflib-repeat 3] [--rdflib-one-process]
        [--concurrency 1 8 32 --seconds 30]

The store must have been written by `consultgraph ingest` (its dumps/ are used to load the
other servers: N-Quads into the oxigraph server with --union-default-graph, Turtle into
rdflib-endpoint, as the issue asks). Every server runs on a free loopback port, started here
and stopped at the end. Times are wall-clock per query, end to end (for HTTP: until the whole
response body is read; in-process: until every solution is materialised).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import researcher_queries, run_load  # noqa: E402

BIN = Path(sys.executable).parent
ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(cmd: list[str], url: str, ready: Callable[[str], bool], log: Path,
           wait_s: float = 3600) -> Iterator[str]:
    """Start a server process; yield its URL once `ready(url)`; stop it afterwards."""
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + wait_s
            while not ready(url):
                if proc.poll() is not None:
                    raise RuntimeError(f"{cmd[0]} exited: {log.read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{cmd[0]} not ready after {wait_s} s")
                time.sleep(0.5)
            yield url
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def answers(url: str) -> bool:
    try:
        return requests.post(url, data={"query": "ASK {}"}, headers={"Accept": ACCEPT},
                             timeout=5).ok
    except requests.RequestException:
        return False


def time_http(url: str, queries: dict[str, str], repeat: int,
              timeout: float = 600) -> dict[str, list[float]]:
    """Seconds per run of each query; NaN for a query that failed or ran past `timeout`."""
    out: dict[str, list[float]] = {}
    with requests.Session() as s:
        for name, q in queries.items():
            times = []
            for _ in range(repeat + 1):  # the first run warms caches and is not counted
                t0 = time.perf_counter()
                try:
                    r = s.post(url, data={"query": q}, headers={"Accept": ACCEPT},
                               timeout=timeout)
                    _ = r.content
                except requests.Timeout:
                    print(f"{url} {name}: no answer within {timeout} s", flush=True)
                    times = [float("nan")] * (repeat + 1)
                    break
                times.append(time.perf_counter() - t0)
                if not r.ok:  # recorded, not fatal: the table says which query failed
                    print(f"{url} {name}: {r.status_code} {r.text[:200]}", flush=True)
                    times = [float("nan")] * (repeat + 1)
                    break
            out[name] = times[1:]
            print(f"{url} {name}: median {statistics.median(out[name]) * 1000:.1f} ms",
                  flush=True)
    return out


def time_inprocess(store_dir: Path, queries: dict[str, str], repeat: int) -> dict[str, list[float]]:
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    out: dict[str, list[float]] = {}
    for name, q in queries.items():
        times = []
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            res = store.query(q, use_default_graph_as_union=True)
            if isinstance(res, ox.QuerySolutions):
                variables = res.variables
                _ = [[row[v] for v in variables] for row in res]
            else:
                _ = bool(res) if isinstance(res, ox.QueryBoolean) else list(res)
            times.append(time.perf_counter() - t0)
        out[name] = times[1:]
        print(f"in-process {name}: median {statistics.median(out[name]) * 1000:.1f} ms",
              flush=True)
    return out


def time_rdflib(ttl: Path, queries: dict[str, str], repeat: int, timeout: float,
                work: Path, one_process: bool = False) -> dict[str, list[float]]:
    """rdflib-endpoint, one fresh server per query (or one for all: `one_process`).

    rdflib-endpoint goes on computing a query whose client has given up, so after one
    timeout every later query would queue behind it. A new process per query keeps each
    measurement to itself; a query past `timeout` counts as +inf (a lower bound, shown as
    "> timeout" in the table). One process for all saves the load time on a big dump when
    no query is expected to time out.
    """
    out: dict[str, list[float]] = {}
    groups = [queries] if one_process else [{n: q} for n, q in queries.items()]
    for group in groups:
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        t0 = time.perf_counter()
        with server([str(BIN / "rdflib-endpoint"), "serve", str(ttl), "--host", "127.0.0.1",
                     "--port", str(port)], url, answers, work / "rdflib.log"):
            print(f"rdflib-endpoint ready after {time.perf_counter() - t0:.1f} s", flush=True)
            for name, times in time_http(url, group, repeat, timeout).items():
                out[name] = [float("inf") if t != t else t for t in times]  # NaN: no answer
    return out


def rows_of(url: str, q: str, timeout: float = 600) -> int:
    try:
        r = requests.post(url, data={"query": q}, headers={"Accept": ACCEPT}, timeout=timeout)
    except requests.Timeout:
        return -1
    return len(r.json().get("results", {}).get("bindings", [])) if r.ok else -1


def ms(seconds: float, timeout: float) -> str:
    """Milliseconds for the table; a timed-out query reads "> timeout"."""
    return f"> {timeout * 1000:.0f}" if seconds == float("inf") else f"{seconds * 1000:.1f}"


def p(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))]


def decompress(src: Path, dst: Path) -> Path:
    if not dst.exists():
        with gzip.open(src) as fin, open(dst, "wb") as fout:
            shutil.copyfileobj(fin, fout)
    return dst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--skip-oxigraph-server", action="store_true")
    ap.add_argument("--skip-ours", action="store_true", help="Neither in-process nor endpoint.")
    ap.add_argument("--skip-inprocess", action="store_true")
    ap.add_argument("--timeout", type=float, default=600,
                    help="Seconds a server may take for one query before it counts as failed.")
    ap.add_argument("--rdflib-repeat", type=int, default=3,
                    help="Timed runs per query on rdflib-endpoint (after one warm-up run).")
    ap.add_argument("--rdflib-one-process", action="store_true",
                    help="One rdflib-endpoint process for all queries (big dumps load slowly).")
    ap.add_argument("--queries", nargs="*", default=None,
                    help="Only the examples whose names start with these (e.g. 01 04).")
    ap.add_argument("--concurrency", type=int, nargs="*", default=[1, 8, 32])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    # Our endpoint stops a query at its own limit (30 s by default); here every server gets
    # the same budget, the client's --timeout.
    os.environ["CONSULTGRAPH_SPARQL_TIMEOUT"] = str(args.timeout)
    work = args.store.parent / f"{args.store.name}-querybench"
    work.mkdir(exist_ok=True)
    queries = researcher_queries()
    if args.queries:
        queries = {n: q for n, q in queries.items() if n.startswith(tuple(args.queries))}
    results: dict[str, dict[str, list[float]]] = {}
    rows: dict[str, dict[str, int]] = {}
    manifest = args.store / "dumps" / "manifest.json"
    if manifest.exists():
        meta = json.loads(manifest.read_text())["_meta"]
    else:  # ingested with --no-dumps: the other servers need dumps already made in `work`
        size = len(ox.Store.read_only(str(args.store / "oxigraph")))
        meta = {"triples": size, "quads": size}

    concurrency = {}
    if not (args.skip_ours or args.skip_inprocess):
        results["in-process"] = time_inprocess(args.store, queries, args.repeat)
    port = free_port()
    ours = f"http://127.0.0.1:{port}/sparql"
    if not args.skip_ours:
        with server([str(BIN / "consultgraph"), "serve", "--store", str(args.store), "--port",
                     str(port)], ours, answers, work / "ours.log"):
            results["endpoint"] = time_http(ours, queries, args.repeat)
            rows["endpoint"] = {n: rows_of(ours, q) for n, q in queries.items()}
            for c in args.concurrency:
                normal, _ = run_load(ours, clients=c, seconds=args.seconds, accept=ACCEPT)
                concurrency[c] = {**normal.summary(),
                                  "throughput_qps": round(len(normal.latencies) / args.seconds, 1)}
                print("concurrency", c, concurrency[c], flush=True)

    if not args.skip_oxigraph_server:
        db = work / "oxigraph-server-db"
        if not db.exists():
            nq = decompress(args.store / "dumps" / "consultgraph.nq.gz", work / "dump.nq")
            t0 = time.perf_counter()
            subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(db), "--file",
                            str(nq)], check=True, capture_output=True)
            print(f"oxigraph load: {time.perf_counter() - t0:.1f} s", flush=True)
        # `oxigraph load` leaves the bulk loader's many overlapping files in place; a read
        # merges across all of them until they are compacted (example 02 at 100k: 157-192 s
        # uncompacted). Our own ingest compacts at the end, so this compares like with like.
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "oxigraph"), "optimize", "--location", str(db)],
                       check=True, capture_output=True)
        print(f"oxigraph optimize: {time.perf_counter() - t0:.1f} s", flush=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}/query"
        with server([str(BIN / "oxigraph"), "serve-read-only", "--location", str(db), "--bind",
                     f"127.0.0.1:{port}", "--union-default-graph"], url, answers,
                    work / "oxigraph.log"):
            results["oxigraph server"] = time_http(url, queries, args.repeat, args.timeout)
            rows["oxigraph server"] = {n: rows_of(url, q, args.timeout)
                                       for n, q in queries.items()}

    if not args.skip_rdflib:
        ttl = decompress(args.store / "dumps" / "consultgraph.ttl.gz", work / "dump.ttl")
        results["rdflib-endpoint"] = time_rdflib(ttl, queries, args.rdflib_repeat,
                                                 args.timeout, work, args.rdflib_one_process)

    backends = list(results)
    print(f"\nmachine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, pyoxigraph {ox.__version__}, "
          f"{time.strftime('%Y-%m-%d')}; store: {meta['triples']:,} triples, "
          f"{meta['quads']:,} quads; repeat {args.repeat}")
    print("| query | " + " | ".join(f"{b} median / p95 ms" for b in backends)
          + " | endpoint ÷ in-process | rdflib ÷ endpoint |")
    print("|---|" + "---:|" * (len(backends) + 2))
    for name in queries:
        cells = []
        for b in backends:
            xs = results[b][name]
            cells.append(f"{ms(statistics.median(xs), args.timeout)} / "
                         f"{ms(p(xs, 0.95), args.timeout)}")
        med = {b: statistics.median(results[b][name]) for b in backends}
        nan = float("nan")
        r1 = med["endpoint"] / med["in-process"] if {"endpoint", "in-process"} <= set(med) else nan
        r2 = (med["rdflib-endpoint"] / med["endpoint"]
              if "rdflib-endpoint" in med and "endpoint" in med else nan)
        r2_text = f"> {args.timeout / med['endpoint']:.0f}" if r2 == float("inf") else f"{r2:.1f}"
        print(f"| {name} | " + " | ".join(cells) + f" | {r1:.2f} | {r2_text} |")
    print("\nrows per query:", json.dumps(rows))
    if args.json:
        args.json.write_text(json.dumps({"results": results, "rows": rows,
                                         "concurrency": concurrency, "meta": meta}, indent=1))


if __name__ == "__main__":
    main()
