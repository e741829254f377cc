"""SPARQL for the web layer against a remote store: QueryExecutor's `run(Job) -> Answer` contract.

The web process holds no runaway query here: the server runs it. What stays the same as the
embedded executor is what a client notices: the read-only checks (sparqltext.py, run by
/sparql before a job gets here), the timeout (one deadline over the whole request; past it
the connection is dropped and the client gets 503), the result-size cap, the row cap, and the
output (results are parsed and re-serialised by Oxigraph, so formats, prefixes and the
"each triple once" rule of CONSTRUCT match the embedded endpoint whatever the server is).

User queries (/sparql) are forwarded as written: their default graph is the server's. The
site's own union queries are rewritten to `GRAPH ?g { }` over our graphs (store/remote.py), so
pages work on a server whatever its default-graph setting.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import requests

from consultgraph.config import RemoteSettings
from consultgraph.store.remote import (
    RDF_ACCEPT,
    RESULTS_ACCEPT,
    UNION_VAR,
    RemoteStoreError,
    SparqlClient,
    over_graphs,
    parse_response,
    query_form,
)
from consultgraph.web.executor import (
    Answer,
    Busy,
    Job,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    answer,
    too_large,
)

log = logging.getLogger("consultgraph.web")
CHUNK = 1 << 16


class StoreUnavailable(QueryFailed):
    """The remote store could not be reached or failed (its URL goes to the log, not the client)."""

    status = 502


class RemoteExecutor:
    """Runs jobs on a remote SPARQL 1.1 endpoint, at most `workers` at a time."""

    def __init__(self, settings: RemoteSettings, *, base: str, workers: int = 2,
                 timeout: float = 30.0):
        self.settings = settings
        self.client = SparqlClient(settings)
        self.graph_prefix = f"{base}graph/"
        self.timeout = timeout
        self.workers = max(1, workers)
        self.killed = 0  # queries abandoned at their timeout (shown like the embedded kills)
        self._slots = threading.BoundedSemaphore(self.workers)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        """One HTTP session per server thread (requests.Session is not thread-safe)."""
        s = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = self.client.new_session()
            with self._lock:
                self._sessions.append(s)
        return s

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        timeout = self.timeout if timeout is None else timeout
        if not self._slots.acquire(timeout=3 * timeout + 5):
            raise Busy(f"all {self.workers} query slots stayed busy; try again later")
        try:
            return self._run(job, timeout)
        finally:
            self._slots.release()

    def _run(self, job: Job, timeout: float) -> Answer:
        query = job.query
        if job.mode != "serialize" and job.union and job.default_graph is None:
            query = over_graphs(query, self.graph_prefix)  # the site's own union queries
        form = query_form(query)
        accept = RDF_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT
        # Server formats are wordier than CSV/TSV: allow some slack on the way in, and cap
        # what we send exactly as the embedded executor does.
        cap_in = 4 * job.max_bytes + 1_000_000
        deadline = time.monotonic() + timeout
        try:
            resp = self.client.query_request(
                query, accept=accept, default_graphs=job.default_graph,
                named_graphs=job.named_graphs, session=self._session(),
                timeout=(min(10.0, timeout), timeout), stream=True, what="query")
        except RemoteStoreError as exc:
            raise self._failure(exc) from None
        try:
            data = bytearray()
            for chunk in resp.iter_content(CHUNK):
                data += chunk
                if len(data) > cap_in:
                    raise too_large(job.max_bytes)
                if time.monotonic() > deadline:
                    self.killed += 1
                    raise self._timeout(timeout)
        except requests.RequestException as exc:
            if isinstance(exc, requests.Timeout | requests.exceptions.ChunkedEncodingError) \
                    and time.monotonic() > deadline - 0.5:
                self.killed += 1
                raise self._timeout(timeout) from None
            log.warning("remote query failed while reading the answer from %s: %s",
                        self.client.query_url, exc)
            raise StoreUnavailable("the SPARQL store broke off its answer") from None
        finally:
            resp.close()
        try:
            result = parse_response(resp, bytes(data))
        except (SyntaxError, ValueError, RemoteStoreError) as exc:
            log.warning("unreadable answer from %s: %s", self.client.query_url, exc)
            raise StoreUnavailable(f"the SPARQL store sent an unreadable answer: {exc}") from None
        return self._answer(job, result)

    def _timeout(self, timeout: float) -> QueryTimeout:
        return QueryTimeout(f"the query ran longer than the {timeout:g} s limit and was "
                            "stopped; narrow it down or add a LIMIT")

    def _failure(self, exc: RemoteStoreError) -> QueryFailed:
        if exc.status == 400:
            return QuerySyntaxError(exc.detail or "the SPARQL store refused the query")
        if exc.status in (504, 408):
            self.killed += 1
            return self._timeout(self.timeout)
        log.warning("%s", exc)  # the URL and status, for the operator
        what = f"HTTP {exc.status}" if exc.status else "no answer"
        return StoreUnavailable(f"the SPARQL store is unavailable ({what})")

    def _answer(self, job: Job, result: Any) -> Answer:
        """The same Answer as executor.execute gives for the same result."""
        return answer(job, result, hidden=(UNION_VAR,))

    def probe(self) -> None:
        """Warn the operator when user queries without GRAPH would see none of our data."""
        try:
            ours = self.run(Job(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "
                                f"\"{self.graph_prefix}\")) }}", union=False), timeout=10)
            seen = self.run(Job("ASK { ?s ?p ?o }", mode="rows", union=False), timeout=10)
        except QueryFailed as exc:
            log.warning("SPARQL store %s: %s", self.settings.redacted(), exc.message)
            return
        if ours.data and not seen.data:
            log.warning("SPARQL store %s: its default graph is empty, so /sparql queries "
                        "without GRAPH see nothing; make it the union of all graphs "
                        "(oxigraph serve --union-default-graph; Fuseki tdb2:unionDefaultGraph)",
                        self.settings.redacted())

    def close(self) -> None:
        with self._lock:
            for s in self._sessions:
                s.close()
            self._sessions.clear()
        self.client.session.close()
