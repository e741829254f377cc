"""End-to-end ingest of generated pages: pages per second, peak RSS, seconds per stage.

    python benchmarks/ingest.py --sizes 1000 10000 100000 [--workers 2] [--work /tmp/cg-bench]

Each size is ingested into a fresh store by the real CLI in a subprocess; the peak RSS is the
largest sum of resident memory over the whole process tree (main process + workers), sampled
from /proc every 100 ms. Stage seconds come from the ingest report (worker CPU-seconds for
read/extract/map/validate/serialize; wall seconds for store and dumps in the main process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import tree_rss  # noqa: E402
from synth import generate  # noqa: E402


def run_ingest(pages_dir: Path, store: Path, workers: int, dumps: bool) -> dict[str, object]:
    cmd = [sys.executable, "-m", "consultgraph.cli", "ingest", str(pages_dir), "--store", str(store),
           "--workers", str(workers)] + ([] if dumps else ["--no-dumps"])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}):\n{stderr[-3000:]}")
    report = json.loads((store / "reports" / "ingest-latest.json").read_text())
    return {"wall_s": wall, "peak_rss_mib": peak / 2**20, "report": report}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--work", type=Path, default=Path("/tmp/cg-bench"))
    ap.add_argument("--no-dumps", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = ap.parse_args()

    rows = []
    for n in args.sizes:
        pages = args.work / f"pages-{n}"
        if not pages.exists() or len(list(pages.iterdir())) != n:
            shutil.rmtree(pages, ignore_errors=True)
            generate(pages, n, seed=7)
        store = args.work / f"store-{n}"
        shutil.rmtree(store, ignore_errors=True)
        res = run_ingest(pages, store, args.workers, dumps=not args.no_dumps)
        rep = res["report"]
        assert isinstance(rep, dict)
        row = {
            "pages": n,
            "published": rep["published"],
            "quarantined": rep["quarantined"],
            "wall_s": round(float(res["wall_s"]), 1),
            "pages_per_s": round(n / float(res["wall_s"]), 1),
            "peak_rss_mib": round(float(res["peak_rss_mib"])),
            "stage_s": rep.get("stage_seconds", {}),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)

    print(f"\nmachine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    print("| pages | wall s | pages/s | peak RSS MiB | read | extract | map | validate | serialize "
          "| store | optimize | dumps |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        s = r["stage_s"]
        assert isinstance(s, dict)
        stages = " | ".join(f"{s.get(k, 0):.1f}" for k in ("read", "extract", "map", "validate",
                                                             "serialize", "store", "optimize",
                                                             "dumps"))
        print(f"| {r['pages']} | {r['wall_s']} | {r['pages_per_s']} | {r['peak_rss_mib']} | {stages} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
