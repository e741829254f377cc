"""The SPARQL 1.1 Protocol endpoint, over real HTTP against `consultgraph serve`."""

from __future__ import annotations

import csv
import gzip
import io
import json
import time

import pytest
import rdflib
import requests
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.webserver import children

CG = "https://w3id.org/consultgraph/ontology#"
COUNT_CONSULTATIONS = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{CG}Consultation> }}"
PHYSICIANS = f"CONSTRUCT {{ ?p a <{CG}Physician> ; <https://schema.org/name> ?n }} " \
             f"WHERE {{ ?p a <{CG}Physician> ; <https://schema.org/name> ?n }}"


def wrapper(url: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(f"{url}/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_in_every_results_format(web_url, ingested_store, method):
    published = ingested_store[1].published
    res = wrapper(web_url, COUNT_CONSULTATIONS, JSON, method).query()
    assert res.response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert int(res.convert()["results"]["bindings"][0]["n"]["value"]) == published

    xml = wrapper(web_url, COUNT_CONSULTATIONS, XML, method).query().convert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == str(published)

    for fmt, delim in ((CSV, ","), (TSV, "\t")):
        res = wrapper(web_url, COUNT_CONSULTATIONS, fmt, method).query()
        rows = list(csv.reader(io.StringIO(res.convert().decode()), delimiter=delim))
        assert rows[0][0].lstrip("?") == "n"
        assert rows[1][0].split("^^")[0].strip('"') == str(published)


def test_ask_as_json_and_xml(web_url):
    assert wrapper(web_url, "ASK { ?s ?p ?o }", JSON).query().convert()["boolean"] is True
    doc = wrapper(web_url, "ASK { <urn:x:nothing> ?p ?o }", XML).query().convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_in_rdf_formats(web_url, fmt):
    g = wrapper(web_url, PHYSICIANS, fmt, "POST").query().convert()
    if not isinstance(g, rdflib.Graph):  # some SPARQLWrapper formats hand back bytes
        g = rdflib.Graph().parse(data=g, format={TURTLE: "turtle", N3: "n3"}[fmt])
    physicians = set(g.subjects(rdflib.RDF.type, rdflib.URIRef(CG + "Physician")))
    assert physicians and all(g.value(p, rdflib.URIRef("https://schema.org/name")) for p in physicians)


@pytest.mark.parametrize("accept,fmt", [("application/n-triples", "nt"),
                                        ("application/n-quads", "nquads"),
                                        ("text/turtle;q=0.2, application/ld+json", "json-ld")])
def test_construct_by_accept_with_q_values(web_url, accept, fmt):
    r = requests.post(f"{web_url}/sparql", data={"query": PHYSICIANS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(accept.split(",")[-1].strip())
    assert "Accept" in r.headers["Vary"]
    g = rdflib.Graph().parse(data=r.text, format=fmt) if fmt != "nquads" else \
        rdflib.Dataset().parse(data=r.text, format="nquads")
    assert len(g) > 0


def test_construct_repeats_no_triple(web_url):
    """The union default graph holds a specialty once per consultation; the RDF answer once."""
    q = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t ; ?p ?o }"
    r = requests.get(f"{web_url}/sparql", params={"query": q, "format": "nt"})
    lines = [ln for ln in r.text.splitlines() if ln.strip()]
    assert lines and len(lines) == len(set(lines))


def test_direct_post_and_format_parameter(web_url):
    r = requests.post(f"{web_url}/sparql?format=csv", data=COUNT_CONSULTATIONS.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.text.splitlines()[0] == "n"


def test_default_and_named_graph_parameters(web_url):
    """default-graph-uri narrows the default graph to one consultation's named graph."""
    graphs = requests.get(f"{web_url}/sparql", params={
        "query": f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?c a <{CG}Consultation> }} }} LIMIT 2",
        "format": "json"}).json()["results"]["bindings"]
    one, two = (b["g"]["value"] for b in graphs)
    q = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{CG}Consultation> }}"
    r = requests.get(f"{web_url}/sparql", params={"query": q, "default-graph-uri": one},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = requests.get(f"{web_url}/sparql", params={"query": q, "named-graph-uri": [one, two]},
                     headers={"Accept": "application/sparql-results+json"})
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == {one, two}


def test_from_clause_is_not_overridden_by_the_union(web_url):
    g = requests.get(f"{web_url}/sparql", params={
        "query": f"SELECT ?g WHERE {{ GRAPH ?g {{ ?c a <{CG}Consultation> }} }} LIMIT 1",
        "format": "json"}).json()["results"]["bindings"][0]["g"]["value"]
    q = f"SELECT (COUNT(DISTINCT ?c) AS ?n) FROM <{g}> WHERE {{ ?c a <{CG}Consultation> }}"
    r = requests.get(f"{web_url}/sparql", params={"query": q, "format": "json"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_syntax_error_is_400_with_the_parser_message(web_url):
    sw = wrapper(web_url, "SELECT ?s WHERE { ?s ?p }", JSON)
    with pytest.raises(QueryBadFormed) as exc:
        sw.query()
    assert "error at" in str(exc.value)
    r = requests.get(f"{web_url}/sparql", params={"query": "SELEC * WHERE {}"})
    assert r.status_code == 400 and "error at 1:" in r.text


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"data": {"query": "CLEAR DEFAULT"}},
    {"data": {"query": "LOAD <http://example.org/data.ttl>"}},
])
def test_updates_are_refused(web_url, request_kwargs):
    r = requests.post(f"{web_url}/sparql", **request_kwargs)
    assert r.status_code == 403
    assert "read-only" in r.text


def test_service_is_refused_but_the_word_in_a_literal_is_fine(web_url):
    r = requests.post(f"{web_url}/sparql", data={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.text and "outbound" in r.text
    r = requests.post(f"{web_url}/sparql", data={
        "query": 'SELECT ("SERVICE <x>" AS ?v) WHERE {} # SERVICE in a comment'},
        headers={"Accept": "text/csv"})
    assert r.status_code == 200 and "SERVICE <x>" in r.text


def test_result_size_cap(web_url):
    q = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 200000"
    r = requests.post(f"{web_url}/sparql", data={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 413
    assert "LIMIT" in r.text


def test_runaway_query_is_stopped_and_its_worker_killed(web_server):
    url, proc = web_server
    before = children(proc.pid)
    assert len(before) >= 2
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = requests.post(f"{url}/sparql", data={"query": q}, timeout=60)
    assert r.status_code == 503
    assert "limit" in r.text and "stopped" in r.text
    # the process that ran it is gone (not left burning a core) ...
    assert len(before & children(proc.pid)) == len(before) - 1
    # ... and a fresh worker answers the next queries
    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < len(before) and time.monotonic() < deadline:
        time.sleep(0.2)
    for _ in range(4):
        r = requests.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "json"})
        assert r.json()["boolean"] is True


def test_service_description_without_a_query(web_url):
    r = requests.get(f"{web_url}/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    svc = g.value(None, rdflib.RDF.type, sd.Service)
    assert (svc, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (svc, sd.feature, sd.UnionDefaultGraph) in g
    formats = set(g.objects(svc, sd.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in formats
    html = requests.get(f"{web_url}/sparql", headers={"Accept": "text/html"})
    assert "SPARQL 1.1 endpoint" in html.text and "<form" in html.text


def test_a_browser_following_a_query_link_lands_on_the_query_page(web_url):
    r = requests.get(f"{web_url}/sparql", params={"query": "ASK {}"},
                     headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                     allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].startswith("/query?query=ASK")


def test_not_acceptable(web_url):
    r = requests.get(f"{web_url}/sparql", params={"query": "ASK {}"},
                     headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = requests.get(f"{web_url}/sparql", params={"query": "ASK {}", "format": "yaml"})
    assert r.status_code == 406 and "json" in r.text


def test_cors_preflight_and_header(web_url):
    r = requests.options(f"{web_url}/sparql", headers={
        "Origin": "https://notebook.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    r = requests.get(f"{web_url}/sparql", params={"query": "ASK {}", "format": "json"},
                     headers={"Origin": "https://notebook.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_gzip_when_asked(web_url):
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500"
    r = requests.get(f"{web_url}/sparql", params={"query": q, "format": "json"},
                     headers={"Accept-Encoding": "gzip"}, stream=True)
    assert r.headers["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(r.raw.read()))
    assert len(body["results"]["bindings"]) == 500
    plain = requests.get(f"{web_url}/sparql", params={"query": q, "format": "json"},
                         headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
