"""Load against a running endpoint: researcher queries, optionally mixed with hostile requests.

Used by benchmarks/hostile.py and benchmarks/query.py (figures for benchmarks/README.md) and
by tests/test_hostile_load.py (behaviour: no 5xx for normal queries, 4xx or a timeout error
for hostile ones, the server stays up). Loops are bounded in count and time and target
loopback only.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

QUERIES = Path(__file__).resolve().parents[1] / "data" / "queries"


def researcher_queries() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}


def hostile_requests(url: str) -> list[tuple[str, Callable[[requests.Session], requests.Response]]]:
    """Named hostile requests against `url` (the /sparql endpoint)."""
    nested = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000
    many = "&".join(f"p{i}=x" for i in range(5000))
    return [
        ("cartesian product", lambda s: s.post(url, data={
            "query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"})),
        ("cartesian count", lambda s: s.post(url, data={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})),
        ("1 MB query string", lambda s: s.get(url, params={"query": "ASK {} #" + "x" * 1_000_000})),
        ("1 MB query body", lambda s: s.post(url, data=("ASK {} #" + "x" * 1_000_000).encode(),
                                             headers={"Content-Type": "application/sparql-query"})),
        ("deeply nested groups", lambda s: s.post(url, data={"query": nested})),
        ("UPDATE", lambda s: s.post(url, data={"update": "DROP ALL"})),
        ("INSERT as query", lambda s: s.post(url, data={
            "query": "INSERT DATA { <http://x> <http://y> <http://z> }"})),
        ("SERVICE to loopback", lambda s: s.post(url, data={
            "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})),
        ("malformed Accept", lambda s: s.get(url, params={"query": "ASK {}"},
                                             headers={"Accept": ";;q=x,,/*;q=-1, text/"})),
        ("invalid UTF-8", lambda s: s.post(url, data=b"ASK { ?s ?p \xff\xfe }",
                                           headers={"Content-Type": "application/sparql-query"})),
        ("thousands of parameters", lambda s: s.get(f"{url}?query=ASK%7B%7D&{many}")),
        ("syntax error", lambda s: s.get(url, params={"query": "SELECT WHERE {{{"})),
    ]


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    total = 0
    stack = [pid]
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    bodies: dict[int, str] = field(default_factory=dict)
    by_name: dict[str, Counter[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, seconds: float, body: str = "", name: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            self.by_name.setdefault(name, Counter())[status] += 1
            if status >= 400:
                self.errors[f"{status} {name}".strip()] += 1
                self.bodies.setdefault(status, body[:300])

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

    def summary(self) -> dict[str, object]:
        return {
            "requests": len(self.latencies),
            "by_status": dict(sorted(self.statuses.items())),
            "median_ms": round(statistics.median(self.latencies) * 1000, 1) if self.latencies else None,
            "p95_ms": round(self.pct(0.95) * 1000, 1),
            "p99_ms": round(self.pct(0.99) * 1000, 1),
        }


def run_load(url: str, *, clients: int, seconds: float, hostile_clients: int = 0,
             max_requests: int = 100_000, accept: str = "application/sparql-results+json",
             ) -> tuple[Stats, Stats]:
    """`clients` threads loop over the researcher queries and `hostile_clients` threads over
    the hostile requests, for `seconds`; returns (normal stats, hostile stats)."""
    normal, hostile = Stats(), Stats()
    queries = list(researcher_queries().items())
    attacks = hostile_requests(url)
    stop = time.monotonic() + seconds
    budget = [max_requests]
    budget_lock = threading.Lock()

    def take() -> bool:
        with budget_lock:
            budget[0] -= 1
            return budget[0] >= 0 and time.monotonic() < stop

    def researcher(k: int) -> None:
        with requests.Session() as s:
            i = k
            while take():
                name, q = queries[i % len(queries)]
                i += 1
                t0 = time.perf_counter()
                try:
                    r = s.post(url, data={"query": q}, headers={"Accept": accept}, timeout=120)
                    normal.record(r.status_code, time.perf_counter() - t0, r.text, name)
                except requests.RequestException as exc:
                    normal.record(599, time.perf_counter() - t0, repr(exc), name)

    def attacker(k: int) -> None:
        with requests.Session() as s:
            i = k
            while take():
                name, send = attacks[i % len(attacks)]
                i += 1
                t0 = time.perf_counter()
                try:
                    r = send(s)
                    hostile.record(r.status_code, time.perf_counter() - t0, r.text, name)
                except requests.RequestException as exc:
                    hostile.record(599, time.perf_counter() - t0, repr(exc), name)

    threads = [threading.Thread(target=researcher, args=(k,)) for k in range(clients)]
    threads += [threading.Thread(target=attacker, args=(k,)) for k in range(hostile_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return normal, hostile
