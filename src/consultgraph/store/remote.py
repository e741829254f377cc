"""A remote SPARQL 1.1 store (Oxigraph server, Fuseki, GraphDB, Virtuoso, ...) behind the store interface.

The way past one machine: the same pipeline publishes into a server that speaks the SPARQL 1.1
Protocol (queries), SPARQL 1.1 Update and, when configured, the Graph Store HTTP Protocol.

- Writes send N-Triples only (never Turtle: Virtuoso 7.2 misreads escaped local names). A
  graph is replaced by one GSP PUT, or, without a GSP URL, by DROP + INSERT DATA pairs sent
  as one update request per chunk of a batch (one transaction on Oxigraph and Fuseki).
- The server may hold other data, and may or may not make its default graph the union of
  all graphs: our own reads never rely on either. They name graphs explicitly, and a query
  asked for "the union" (as pyoxigraph's use_default_graph_as_union) is rewritten to run
  `GRAPH ?g { ... }` over our graphs only (those under `{base}graph/`).
- Dumps stream one SELECT from the server into Oxigraph's serializers, and are checked
  against the server's own count (a server row limit must not truncate a dump silently).
- The local state directory keeps dumps/, reports/ and quarantine/ as for the embedded store.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from consultgraph import __version__
from consultgraph.config import RemoteSettings, base_iri
from consultgraph.sparqltext import blank as _blank
from consultgraph.sparqltext import query_form
from consultgraph.store.base import DUMP_FORMATS, GraphPayload, atomic_output, merged_shared
from consultgraph.store.embedded import _prefixes

MAX_UPDATE_BYTES = 4_000_000  # one update request carries at most this much N-Triples
UNION_VAR = "_cg_graph"
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
RDF_ACCEPT = "application/n-triples, text/plain;q=0.9, application/rdf+xml;q=0.5"
_FORM = re.compile(r"(?<![\w:?$\-])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)

class RemoteStoreError(RuntimeError):
    """The remote server could not be reached or refused a request (URL and status in the text)."""

    def __init__(self, message: str, status: int | None = None, detail: str = ""):
        super().__init__(message)
        self.status = status
        self.detail = detail  # what the server said (shown to SPARQL clients, unlike the URL)


def _group_end(text: str, start: int) -> int:
    """Index of the '}' closing the '{' at `start` (in blanked text)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced braces")


def over_graphs(query: str, graph_prefix: str) -> str:
    """The query with its WHERE group run inside `GRAPH ?_cg_graph { }` over our graphs.

    This gives the embedded store's union-default-graph reading (a triple is seen once per
    graph holding it) on any server, whatever its default graph is, and keeps other data on a
    shared server out. Patterns must sit in one graph (ours all do: each consultation graph
    carries the labels of the concepts it uses). Queries without a group are left as they are.
    """
    text = _blank(query)
    m = _FORM.search(text)
    if not m:
        return query
    form = m.group(1).upper()
    pos = text.find("{", m.end())
    if pos < 0:
        return query
    short_construct = False
    if form == "CONSTRUCT":
        between = text[m.end():pos]
        if re.search(r"\bWHERE\b", between, re.I):
            short_construct = True  # CONSTRUCT WHERE { triples }: the template is the pattern
        else:
            pos = text.find("{", _group_end(text, pos) + 1)
            if pos < 0:
                return query
    end = _group_end(text, pos)
    body = query[pos + 1:end]
    wrapped = (f"{{ GRAPH ?{UNION_VAR} {{ {body} }} "
               f"FILTER(STRSTARTS(STR(?{UNION_VAR}), \"{graph_prefix}\")) }}")
    if short_construct:
        head = query[:m.end()] + f" {{ {body} }} WHERE "
        return head + wrapped + query[end + 1:]
    return query[:pos] + wrapped + query[end + 1:]


def _media_type(resp: requests.Response) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


class SparqlClient:
    """HTTP to one server: queries, updates, GSP PUT; clear errors naming URL and status."""

    def __init__(self, settings: RemoteSettings):
        self.settings = settings
        self.query_url = settings.query_url
        self.update_url = settings.update_url or settings.query_url
        self.gsp_url = settings.gsp_url
        self.session = self.new_session()

    def new_session(self) -> requests.Session:
        s = requests.Session()
        s.headers["User-Agent"] = f"consultgraph/{__version__}"
        if self.settings.user:
            s.auth = HTTPBasicAuth(self.settings.user, self.settings.password or "")
        return s

    def request(self, method: str, url: str, *, what: str, session: requests.Session | None = None,
                timeout: float | tuple[float, float] | None = None, stream: bool = False,
                **kwargs: Any) -> requests.Response:
        """One request; a 401 to Basic credentials switches the session to Digest (Virtuoso)."""
        session = session or self.session
        timeout = timeout if timeout is not None else (10.0, self.settings.http_timeout)
        try:
            resp = session.request(method, url, timeout=timeout, stream=stream, **kwargs)
            # Virtuoso answers Basic credentials with a bare 401 (no challenge): anything
            # but a Basic challenge means "try Digest".
            challenge = resp.headers.get("WWW-Authenticate", "").lower()
            if (resp.status_code == 401 and not challenge.startswith("basic")
                    and self.settings.user and isinstance(session.auth, HTTPBasicAuth)):
                resp.close()
                session.auth = HTTPDigestAuth(self.settings.user, self.settings.password or "")
                resp = session.request(method, url, timeout=timeout, stream=stream, **kwargs)
        except requests.Timeout as exc:
            raise RemoteStoreError(f"{what}: {method} {url} did not answer in time ({exc})",
                                   504) from exc
        except requests.RequestException as exc:
            raise RemoteStoreError(f"{what}: cannot reach the SPARQL server at {url}: {exc}") from exc
        if resp.status_code >= 400:
            body = resp.text[:500].strip()
            resp.close()
            hint = " (check CONSULTGRAPH_SPARQL_USER / _PASSWORD)" if resp.status_code in (401, 403) else ""
            raise RemoteStoreError(
                f"{what}: {method} {url} answered HTTP {resp.status_code} {resp.reason}{hint}"
                + (f": {body}" if body else ""), resp.status_code, body)
        partial = resp.headers.get("X-SQL-State")
        if partial:  # Virtuoso's "anytime" answer: a partial result past its time limit
            resp.close()
            raise RemoteStoreError(f"{what}: {url} sent a partial result (X-SQL-State {partial}); "
                                   "raise the server's query time limit", 504)
        return resp

    def query_request(self, query: str, *, accept: str, default_graphs: Iterable[str] | None = None,
                      named_graphs: Iterable[str] | None = None, what: str = "query",
                      session: requests.Session | None = None,
                      timeout: float | tuple[float, float] | None = None,
                      stream: bool = False) -> requests.Response:
        """SPARQL 1.1 Protocol query via POST (form-encoded: long queries, every server)."""
        data: list[tuple[str, str]] = [("query", query)]
        data += [("default-graph-uri", g) for g in default_graphs or ()]
        data += [("named-graph-uri", g) for g in named_graphs or ()]
        return self.request("POST", self.query_url, what=what, session=session, timeout=timeout,
                            stream=stream, data=data, headers={"Accept": accept})

    def update(self, sparql: str, *, what: str = "update") -> None:
        self.request("POST", self.update_url, what=what, data=sparql.encode("utf-8"),
                     headers={"Content-Type": "application/sparql-update; charset=utf-8"}).close()

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        assert self.gsp_url
        self.request("PUT", self.gsp_url, what=f"replace graph {graph}", params={"graph": graph},
                     data=ntriples, headers={"Content-Type": "application/n-triples"}).close()

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        """GSP POST: add statements to a graph (the shared graphs grow, never replaced)."""
        assert self.gsp_url
        self.request("POST", self.gsp_url, what=f"add to graph {graph}", params={"graph": graph},
                     data=ntriples, headers={"Content-Type": "application/n-triples"}).close()


def parse_response(resp: requests.Response, data: bytes | None = None) -> Any:
    """Results or RDF by the response's media type: QuerySolutions, QueryBoolean or Triples."""
    mt = _media_type(resp)
    body: Any = data if data is not None else resp.content
    results = ox.QueryResultsFormat.from_media_type(mt) if mt else None
    if results is not None:
        return ox.parse_query_results(body, results)
    rdf = ox.RdfFormat.from_media_type(mt) if mt else None
    if rdf is None:
        raise RemoteStoreError(f"{resp.url} answered with an unexpected media type {mt or '(none)'}")
    return [q.triple for q in ox.parse(body, rdf)]


class RemoteStore:
    """Named graphs in a remote SPARQL 1.1 server; state files in the local `directory`."""

    kind = "remote"

    def __init__(self, settings: RemoteSettings, directory: str | os.PathLike[str], *,
                 read_only: bool = False, base: str | None = None):
        self.settings = settings
        self.directory = Path(directory)
        self.read_only = read_only
        if not read_only:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.client = SparqlClient(settings)
        self.graph_prefix = f"{base or base_iri()}graph/"

    def __repr__(self) -> str:
        return f"RemoteStore({self.settings.redacted()}, state in {self.directory})"

    def _writable(self) -> None:
        if self.read_only:
            raise RemoteStoreError(f"{self.settings.query_url}: opened read-only")

    # ------------------------------------------------------------------ writing
    def replace_graphs(self, payloads: Iterable[GraphPayload]) -> int:
        """Replace each payload's graph: a GSP PUT each, or DROP+INSERT DATA per update request."""
        self._writable()
        payloads = list(payloads)
        shared = merged_shared(payloads)
        if self.client.gsp_url:
            for p in payloads:
                self.client.put_graph(p.graph, p.ntriples.encode("utf-8"))
            for graph, nt in shared.items():
                self.client.post_graph(graph, nt.encode("utf-8"))
            return len(payloads)
        ops: list[str] = []
        size = 0
        for i, p in enumerate(payloads):
            op = f"DROP SILENT GRAPH <{p.graph}>"
            if p.ntriples.strip():  # an empty INSERT DATA is a syntax error to Virtuoso
                op += (f" ;\nINSERT DATA {{ GRAPH <{p.graph}> {{\n"
                       f"{_scoped_bnodes(p.ntriples, i)}\n}} }}")
            if ops and size + len(op) > MAX_UPDATE_BYTES:
                self._send_ops(ops)
                ops, size = [], 0
            ops.append(op)
            size += len(op)
        for j, (graph, nt) in enumerate(shared.items()):
            op = f"INSERT DATA {{ GRAPH <{graph}> {{\n{_scoped_bnodes(nt, len(payloads) + j)}\n}} }}"
            if ops and size + len(op) > MAX_UPDATE_BYTES:
                self._send_ops(ops)
                ops, size = [], 0
            ops.append(op)
            size += len(op)
        if ops:
            self._send_ops(ops)
        return len(payloads)

    def _send_ops(self, ops: list[str]) -> None:
        """One update request; a server that refuses a large one gets halves (Virtuoso caps the
        size of a compiled update). Each graph's DROP + INSERT always travel together."""
        try:
            self.client.update(" ;\n".join(ops), what=f"replace {len(ops)} graphs")
        except RemoteStoreError as exc:
            if len(ops) == 1 or exc.status not in (413, 500, 503):
                raise
            half = len(ops) // 2
            self._send_ops(ops[:half])
            self._send_ops(ops[half:])

    def drop_graph(self, graph: str) -> None:
        self._writable()
        self.client.update(f"DROP SILENT GRAPH <{graph}>", what=f"drop graph {graph}")

    def update(self, sparql: str) -> None:
        """Internal maintenance updates (links graph, run records); never user input."""
        self._writable()
        self.client.update(sparql)

    def flush(self) -> None:
        """Nothing to do: every request was committed by the server when it answered."""

    def optimize(self) -> None:
        """Nothing to do: the server organises its own storage."""

    def clear(self) -> None:
        """Drop every graph of ours (tests, and re-publishing from scratch)."""
        self._writable()
        for g in list(self.graphs()):
            self.drop_graph(g)

    # ------------------------------------------------------------------ reading
    def query(self, sparql: str, **kwargs: Any) -> Any:
        """Like EmbeddedStore.query: the union of our graphs unless a default graph is given.

        Returns pyoxigraph QuerySolutions / QueryBoolean, or a list of Triples for CONSTRUCT.
        """
        default = kwargs.get("default_graph")
        graphs: list[str] | None = None
        if default is not None:
            items = default if isinstance(default, list | tuple) else [default]
            graphs = [g.value if hasattr(g, "value") else str(g) for g in items]
        elif kwargs.get("use_default_graph_as_union", True):
            sparql = over_graphs(sparql, self.graph_prefix)
        named = kwargs.get("named_graphs")
        named_iris = [g.value if hasattr(g, "value") else str(g) for g in named] if named else None
        accept = RDF_ACCEPT if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT
        resp = self.client.query_request(sparql, accept=accept, default_graphs=graphs,
                                         named_graphs=named_iris)
        return parse_response(resp)

    def _scalar(self, sparql: str) -> int:
        rows = list(self.query(sparql, use_default_graph_as_union=False))
        return int(rows[0]["n"].value) if rows else 0

    def _ours(self, var: str = "?g") -> str:
        return f'FILTER(STRSTARTS(STR({var}), "{self.graph_prefix}"))'

    def graphs(self) -> Iterator[str]:
        q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        for row in self.query(q, use_default_graph_as_union=False):
            yield row["g"].value

    def has_graph(self, graph: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                               use_default_graph_as_union=False))

    def quad_count(self) -> int:
        return self._scalar(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")

    def triple_count(self) -> int:
        """Distinct triples in the union of our graphs (what the Turtle dump holds)."""
        return self._scalar("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                            f"GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }} }}")

    # ------------------------------------------------------------------ dumps
    def dump(self, path: str | os.PathLike[str], fmt: str) -> Path:
        """Stream our graphs from the server into a dump file, atomically; gzip for .gz."""
        path = Path(path)
        spec = DUMP_FORMATS[fmt]
        if spec.quads:
            q = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        else:
            q = (f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")
        counted = [0]
        with atomic_output(path) as out:
            resp = self.client.query_request(q, accept=RESULTS_ACCEPT, stream=True,
                                             what=f"{fmt} dump")
            try:
                resp.raw.decode_content = True
                fmt_in = ox.QueryResultsFormat.from_media_type(_media_type(resp))
                if fmt_in is None:
                    raise RemoteStoreError(f"{self.settings.query_url} answered the dump query with "
                                           f"{_media_type(resp) or 'no media type'}")
                solutions = ox.parse_query_results(resp.raw, fmt_in)
                items = _quads(solutions, counted) if spec.quads else _triples(solutions, counted)
                ox.serialize(items, out, format=spec.oxigraph, prefixes=_prefixes(spec))
            finally:
                resp.close()
            expected = self.quad_count() if spec.quads else self.triple_count()
            if counted[0] != expected:
                raise RemoteStoreError(
                    f"{fmt} dump: {self.settings.query_url} sent {counted[0]} of {expected} "
                    f"{'quads' if spec.quads else 'triples'}; raise the server's result row "
                    "limit (Virtuoso: ResultSetMaxRows) or stop writers during the dump")
        return path

    def close(self) -> None:
        self.client.session.close()


def _triples(solutions: Any, counted: list[int]) -> Iterator[ox.Triple]:
    for row in solutions:
        counted[0] += 1
        yield ox.Triple(row["s"], row["p"], row["o"])


def _quads(solutions: Any, counted: list[int]) -> Iterator[ox.Quad]:
    for row in solutions:
        counted[0] += 1
        yield ox.Quad(row["s"], row["p"], row["o"], row["g"])


def _scoped_bnodes(ntriples: str, index: int) -> str:
    """Blank node labels made unique per graph: one update request shares label scope."""
    if "_:" not in ntriples:
        return ntriples
    triples = [q.triple for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]

    def term(t: Any) -> Any:
        return ox.BlankNode(f"g{index}x{t.value}") if isinstance(t, ox.BlankNode) else t

    renamed = [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]
    return ox.serialize(renamed, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")

