"""The endpoint under hostile load: figures for benchmarks/README.md.

    python benchmarks/hostile.py --store DIR [--seconds 60] [--clients 4] [--hostile 4]

Starts `consultgraph serve` over the store (query timeout 3 s, 2 workers of at most 500 MB),
runs researcher clients and hostile clients against it at the same time (see loadgen.py for
the hostile requests: cartesian products, 1 MB queries, deep nesting, UPDATE, SERVICE,
malformed Accept, invalid UTF-8, thousands of parameters), samples the memory of the
server's process tree, and prints requests, responses by class and latency of the normal
queries.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import run_load, tree_rss  # noqa: E402
from query import BIN, answers, free_port, server  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--hostile", type=int, default=4)
    args = ap.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    os.environ.update({"CONSULTGRAPH_SPARQL_TIMEOUT": "3", "CONSULTGRAPH_SPARQL_WORKERS": "2",
                       "CONSULTGRAPH_SPARQL_WORKER_MAX_MB": "500"})
    log = args.store.parent / "hostile-server.log"
    with server([str(BIN / "consultgraph"), "serve", "--store", str(args.store), "--port",
                 str(port)], url, answers, log):
        pid = int(next(p for p in os.listdir("/proc") if p.isdigit() and _is_server(p, port)))
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(pid))
                time.sleep(0.1)

        t = threading.Thread(target=sample)
        t.start()
        normal, hostile = run_load(url, clients=args.clients, hostile_clients=args.hostile,
                                   seconds=args.seconds)
        done.set()
        t.join()
        alive = answers(url)
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d')}; {args.clients} researcher + {args.hostile} hostile "
          f"clients for {args.seconds:g} s; server alive after: {alive}; "
          f"peak RSS of the server tree: {peak[0] / 2**20:.0f} MiB")
    print("normal:", json.dumps(normal.summary()))
    print("hostile:", json.dumps(hostile.summary()))
    print("| hostile request | responses |")
    print("|---|---|")
    for name, statuses in sorted(hostile.by_name.items()):
        print(f"| {name} | " + ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items())) + " |")


def _is_server(pid: str, port: int) -> bool:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"serve" in cmd and str(port).encode() in cmd


if __name__ == "__main__":
    main()
