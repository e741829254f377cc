"""SPARQL execution in killable worker processes.

pyoxigraph cannot cancel a running query, so a query that outlives its timeout is ended by
killing the process running it (SIGKILL) and starting a fresh one. Each worker opens the
store read-only itself and serialises results itself, so the web process never holds a
runaway query; a worker also dies with its parent (PR_SET_PDEATHSIG) and never burns a core
for a server that is gone.
"""

from __future__ import annotations

import ctypes
import io
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox


class QueryFailed(Exception):
    """A query that could not be answered; `status` is the HTTP status to answer with."""

    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuerySyntaxError(QueryFailed):
    status = 400


class QueryTimeout(QueryFailed):
    status = 503


class ResultTooLarge(QueryFailed):
    status = 413


class Busy(QueryFailed):
    status = 503


class TooMuchMemory(QueryFailed):
    status = 413


@dataclass(slots=True)
class Job:
    """One query for a worker.

    mode: "serialize" (bytes in `fmt`, a pyoxigraph format name), "rows" (list of tuples of
    terms, for the site's own pages) or "triples" (list of ox.Triple).
    """

    query: str
    mode: str = "rows"
    fmt: str | None = None
    union: bool = True
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    max_bytes: int = 50_000_000
    max_rows: int = 100_000


@dataclass(slots=True)
class Answer:
    kind: str  # "solutions" | "boolean" | "triples"
    data: Any
    variables: list[str] = field(default_factory=list)


class _Capped(io.RawIOBase):
    """A write buffer that refuses to grow past `limit` bytes."""

    def __init__(self, limit: int):
        self.buf = bytearray()
        self.limit = limit
        self.overflow = False

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        if len(self.buf) + len(b) > self.limit:
            self.overflow = True
            raise OSError("result cap")
        self.buf += b
        return len(b)


def too_large(limit: int) -> ResultTooLarge:
    return ResultTooLarge(f"the result is larger than {limit:,} bytes; add a LIMIT "
                          "or download the dumps")


def _query_kwargs(job: Job) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if job.default_graph is not None:
        kw["default_graph"] = [ox.NamedNode(g) for g in job.default_graph] or ox.DefaultGraph()
    elif job.union:
        kw["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        kw["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    return kw


def execute(store: ox.Store, job: Job) -> Answer:
    """Run one job against an open store (in a worker, or in-process when workers=0)."""
    return answer(job, store.query(job.query, **_query_kwargs(job)))


def answer(job: Job, result: Any, hidden: tuple[str, ...] = ()) -> Answer:
    """A pyoxigraph result -> the Answer the job asked for (serialised bytes or rows).

    Shared by the embedded and the remote executors, so both answer alike. `hidden` names
    variables a backend added to the query (not shown to the client).
    """
    if isinstance(result, ox.QueryBoolean):
        kind = "boolean"
    elif isinstance(result, ox.QueryTriples | list):
        kind = "triples"
    else:
        kind = "solutions"
    variables = ([v.value for v in result.variables if v.value not in hidden]
                 if kind == "solutions" else [])
    if job.mode == "serialize":
        return Answer(kind, _serialize(job, kind, result), variables)
    if kind == "boolean":
        return Answer(kind, bool(result))
    rows: list[Any] = []
    for n, item in enumerate(result):
        if n >= job.max_rows:
            raise ResultTooLarge(f"more than {job.max_rows:,} results")
        rows.append(item if kind == "triples" else tuple(item[v] for v in variables))
    return Answer(kind, rows, variables)


def _serialize(job: Job, kind: str, result: Any) -> bytes:
    out = _Capped(job.max_bytes)
    try:
        if kind == "triples":
            rdf = ox.RdfFormat.from_media_type(job.fmt or "text/turtle")
            if rdf is None:
                raise QueryFailed(f"unknown RDF format {job.fmt}")
            prefixes = job.prefixes if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML,
                                               ox.RdfFormat.JSON_LD) else None
            # The union default graph yields a triple once per graph holding it: an RDF
            # graph is a set, so repeat each triple once (bounded by the size cap).
            unique: dict[ox.Triple, None] = {}
            for t in result:
                unique[t] = None
                if len(unique) > job.max_bytes // 40:
                    raise too_large(job.max_bytes)
            ox.serialize(unique, out, format=rdf, prefixes=prefixes)
        else:
            fmt = ox.QueryResultsFormat.from_media_type(job.fmt or "application/json")
            if fmt is None:
                raise QueryFailed(f"unknown results format {job.fmt}")
            result.serialize(out, format=fmt)
    except OSError as exc:  # pyoxigraph wraps what the writer raised
        if out.overflow:
            raise too_large(job.max_bytes) from None
        raise QueryFailed(f"could not write the result: {exc}") from None
    return bytes(out.buf)


def _rss(pid: int | None) -> int:
    """Resident bytes of a process (Linux /proc; 0 where unknown)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the worker still exits when its pipe closes
        pass


def _worker_main(conn: Connection, db: str) -> None:
    """A worker: open the store read-only, then answer jobs until the pipe closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = ox.Store.read_only(db)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", execute(store, job)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except QueryFailed as exc:
            conn.send(("failed", (type(exc).__name__, exc.message)))
        except Exception as exc:  # a store error: report it, keep serving
            conn.send(("failed", ("QueryFailed", f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx: Any, db: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, db), daemon=True,
                                name="consultgraph-sparql")
        self.proc.start()
        child.close()

    def kill(self) -> None:
        if self.proc.is_alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join(timeout=5)
        self.conn.close()


class QueryExecutor:
    """A pool of worker processes with a per-query timeout (workers=0: in-process, no kill)."""

    def __init__(self, store_dir: Path, *, workers: int = 2, timeout: float = 30.0,
                 max_rss: int = 2 * 2**30):
        self.db = str(Path(store_dir) / "oxigraph")
        self.max_rss = max_rss
        if not Path(self.db).exists():
            raise FileNotFoundError(f"{self.db}: no store here (run 'consultgraph ingest' first)")
        self.timeout = timeout
        self.workers = workers
        self.killed = 0  # how many runaway queries were ended (shown in /status)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._ctx = mp.get_context("spawn")
        self._local_store: ox.Store | None = None
        self._local_lock = threading.Lock()
        self._all: list[_Worker] = []
        if workers <= 0:
            self._local_store = ox.Store.read_only(self.db)
        for _ in range(max(0, workers)):
            self._add_worker()

    def _add_worker(self) -> None:
        w = _Worker(self._ctx, self.db)
        self._all.append(w)
        self._idle.put(w)

    def _replace(self, w: _Worker) -> None:
        w.kill()
        if w in self._all:
            self._all.remove(w)
        threading.Thread(target=self._add_worker, daemon=True).start()

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        timeout = self.timeout if timeout is None else timeout
        if self._local_store is not None:
            with self._local_lock:
                try:
                    return execute(self._local_store, job)
                except SyntaxError as exc:
                    raise QuerySyntaxError(str(exc)) from None
        # Wait for a worker longer than one query may run: a worker held by a runaway
        # query is freed (killed) at its timeout, and the queries queued behind it must
        # then run, not fail.
        try:
            w = self._idle.get(timeout=3 * timeout + 5)
        except queue.Empty:
            raise Busy(f"all {self.workers} query workers stayed busy; try again later") from None
        try:
            w.conn.send(job)
            self._wait(w, timeout)
            status, payload = w.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(w)
            raise QueryFailed("the query worker died (out of memory?); it has been restarted") from exc
        self._idle.put(w)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        name, message = payload
        cls = {"ResultTooLarge": ResultTooLarge, "QuerySyntaxError": QuerySyntaxError,
               "TooMuchMemory": TooMuchMemory}.get(
            name, QueryFailed)
        raise cls(message)

    def _wait(self, w: _Worker, timeout: float) -> None:
        """Wait for the worker's answer; kill it past the timeout or the memory limit."""
        deadline = time.monotonic() + timeout
        while not w.conn.poll(0.05):
            if time.monotonic() > deadline:
                self.killed += 1
                self._replace(w)
                raise QueryTimeout(f"the query ran longer than the {timeout:g} s limit and was "
                                   "stopped; narrow it down or add a LIMIT")
            if _rss(w.proc.pid) > self.max_rss:
                self.killed += 1
                self._replace(w)
                raise TooMuchMemory(f"the query needed more than {self.max_rss // 2**20} MB of "
                                    "memory and was stopped; narrow it down or add a LIMIT")

    def close(self) -> None:
        for w in list(self._all):
            w.kill()
        self._all.clear()
