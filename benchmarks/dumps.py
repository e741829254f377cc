"""Dump generation: our published dumps against the store's own serializer, on one store.

    python benchmarks/dumps.py --store /tmp/cg-bench/store-100000 [--formats turtle ntriples nquads]

Ours: `EmbeddedStore.dump` as `ingest` runs it (gzip, written beside the target and renamed).
The reference: pyoxigraph's `Store.dump` of the whole dataset as N-Quads to a plain file (no
compression, no rename): the fastest the store itself writes. Both run in this process,
one after the other, against the same read-only store; the files are written to a scratch
directory next to the store and deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from consultgraph.store import DUMP_FORMATS, open_store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--formats", nargs="*", default=["turtle", "ntriples", "nquads"])
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    scratch = args.store.parent / f"{args.store.name}-dumpbench"
    scratch.mkdir(exist_ok=True)
    store = open_store(args.store, read_only=True)
    quads = store.quad_count()
    rows = []
    try:
        raw = ox.Store.read_only(str(args.store / "oxigraph"))
        t0 = time.perf_counter()
        raw.dump(str(scratch / "reference.nq"), format=ox.RdfFormat.N_QUADS)
        ref_s = time.perf_counter() - t0
        rows.append({"dump": "Store.dump N-Quads (reference, uncompressed)", "seconds": ref_s,
                     "bytes": (scratch / "reference.nq").stat().st_size})
        del raw
        for fmt in args.formats:
            spec = DUMP_FORMATS[fmt]
            target = scratch / f"consultgraph{spec.suffix}.gz"
            t0 = time.perf_counter()
            store.dump(target, fmt)
            rows.append({"dump": f"ours: {fmt} (gzip)", "seconds": time.perf_counter() - t0,
                         "bytes": target.stat().st_size})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, pyoxigraph {ox.__version__}, {time.strftime('%Y-%m-%d')};"
          f" store: {quads:,} quads")
    print("| dump | seconds | MB | × reference |\n|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['dump']} | {r['seconds']:.1f} | {r['bytes'] / 1e6:.0f} | "
              f"{r['seconds'] / ref_s:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"quads": quads, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
