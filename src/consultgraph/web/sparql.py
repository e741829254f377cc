"""/sparql: the SPARQL 1.1 Protocol, read-only, with a timeout and a result-size cap."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, render_template, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD

from consultgraph.rdf.namespaces import PREFIXES
from consultgraph.sparqltext import (
    UPDATES,
    has_dataset_clause,
    nesting_depth,
    query_form,
    uses,
)
from consultgraph.web import base, cached, executor
from consultgraph.web.errors import error
from consultgraph.web.executor import Job, QueryFailed
from consultgraph.web.formats import Format, NotAcceptable, choose, formats_of

bp = Blueprint("sparql", __name__)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
READ_ONLY = ("this endpoint is read-only: SPARQL Update ({}) is not accepted; "
             "download the dumps to work on a copy")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    params = request.args
    if request.method == "POST":
        mt = request.mimetype
        if mt == "application/x-www-form-urlencoded" or mt == "multipart/form-data":
            params = request.form
            if "update" in params:
                return error(403, READ_ONLY.format("update="))
            query = params.get("query")
        elif mt == "application/sparql-query":
            query = request.get_data(as_text=True)
        elif mt == "application/sparql-update":
            return error(403, READ_ONLY.format("application/sparql-update"))
        else:
            return error(415, f"unsupported Content-Type {mt or '(none)'}: send "
                         "application/x-www-form-urlencoded or application/sparql-query")
        if not query:
            return error(400, "no query: send a SPARQL query in the 'query' parameter")
    else:
        if "update" in params:
            return error(403, READ_ONLY.format("update="))
        query = params.get("query")
        if query is None:
            return service_description()
    return run_query(query, params.getlist("default-graph-uri"),
                     params.getlist("named-graph-uri"))


def run_query(query: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    max_chars = int(_config("SPARQL_MAX_QUERY_CHARS"))
    if len(query) > max_chars:
        return error(413, f"the query is {len(query):,} characters long; the limit is {max_chars:,}")
    if len(default_graphs) + len(named_graphs) > int(_config("SPARQL_MAX_GRAPH_PARAMS")):
        return error(400, "too many default-graph-uri / named-graph-uri parameters "
                     f"(at most {_config('SPARQL_MAX_GRAPH_PARAMS')})")
    if (depth := nesting_depth(query)) > int(_config("SPARQL_MAX_NESTING")):
        return error(400, f"the query nests groups {depth} deep; the limit is "
                     f"{_config('SPARQL_MAX_NESTING')}")
    form = query_form(query)
    if form in UPDATES:
        return error(403, READ_ONLY.format(form))
    if uses(query, "SERVICE"):
        return error(403, "SERVICE is not allowed here: this endpoint makes no outbound "
                     "requests (federate from your own client or endpoint instead)")
    kind = "rdf" if form in ("CONSTRUCT", "DESCRIBE") else "results"
    try:
        fmt = choose(kind, request, html=request.method == "GET")
    except NotAcceptable as exc:
        return error(406, str(exc))
    if fmt is None:  # a browser following a link: show the query in the query page
        return redirect(url_for("query_page.page") + "?" + urlencode({"query": query}), 303)
    job = Job(query, mode="serialize", fmt=fmt.media_type,
              union=not default_graphs and not has_dataset_clause(query),
              default_graph=default_graphs or None, named_graphs=named_graphs or None,
              prefixes=dict(PREFIXES),
              max_bytes=int(_config("SPARQL_MAX_RESULT_BYTES")))
    if named_graphs and not default_graphs:
        job.default_graph = []  # protocol: the dataset is exactly what the request names
        job.union = False
    try:
        answer = executor().run(job)
    except QueryFailed as exc:
        return error(exc.status, f"{type(exc).__name__}: {exc.message}")
    if answer.kind == "triples" and kind != "rdf" or answer.kind != "triples" and kind == "rdf":
        # the lexical guess was wrong (an odd query): negotiate again for what came back
        return error(400, "could not tell the query form; start it with SELECT, ASK, "
                     "CONSTRUCT or DESCRIBE after the prologue")
    resp = Response(answer.data, content_type=fmt.content_type)
    resp.vary.add("Accept")
    resp.headers["Cache-Control"] = "public, max-age=60"
    return resp


def _config(key: str) -> object:
    from flask import current_app

    return current_app.config[key]


def service_description() -> Response:
    """SPARQL 1.1 Service Description (RDF by negotiation, HTML for browsers)."""
    try:
        fmt = choose("rdf", request, html=True)
    except NotAcceptable as exc:
        return error(406, str(exc))
    endpoint_iri = request.base_url
    if fmt is None:
        return Response(render_template(
            "sparql.html", endpoint=endpoint_iri,
            results=formats_of("results"), rdf=formats_of("rdf"),
            timeout=_config("SPARQL_TIMEOUT"), max_bytes=_config("SPARQL_MAX_RESULT_BYTES")))
    g = _sd_graph(endpoint_iri)
    return _rdf_response(g, fmt)


def _sd_graph(endpoint_iri: str) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    svc = URIRef(endpoint_iri)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    for f in formats_of("results") + formats_of("rdf"):
        if f.w3c:
            g.add((svc, SD.resultFormat, URIRef(f.w3c)))
    ds = BNode()
    dg = BNode()
    g.add((svc, SD.defaultDataset, ds))
    g.add((ds, RDF.type, SD.Dataset))
    g.add((ds, SD.defaultGraph, dg))
    g.add((dg, RDF.type, SD.Graph))
    dataset = URIRef(f"{base()}dataset")
    g.add((dg, VOID.inDataset, dataset))
    triples = cached("triples", _triple_count)
    if triples is not None:
        g.add((dg, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return g


def _triple_count() -> int | None:
    from consultgraph.web import read_json, store_path

    meta = read_json(store_path() / "dumps" / "manifest.json").get("_meta", {})
    value = meta.get("triples") if isinstance(meta, dict) else None
    return int(value) if value is not None else None


def _rdf_response(g: Graph, fmt: Format) -> Response:
    names = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml",
             "nquads": "nquads"}
    data = g.serialize(format=names[fmt.name], encoding="utf-8")
    resp = Response(data, content_type=fmt.content_type)
    resp.vary.add("Accept")
    return resp
