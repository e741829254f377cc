"""Linked Data: IRIs under the base dereference at their path, by content negotiation."""

from __future__ import annotations

import re

import pytest
import rdflib
import requests

BASE = "https://w3id.org/consultgraph/"
CG = rdflib.Namespace(BASE + "ontology#")
SCHEMA = rdflib.Namespace("https://schema.org/")
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def select(url: str, query: str) -> list[dict[str, str]]:
    r = requests.get(f"{url}/sparql", params={"query": query, "format": "json"})
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


@pytest.fixture(scope="module")
def consultation_with_findings(web_url) -> str:
    """A consultation path whose graph holds at least one reportsSymptom finding."""
    rows = select(web_url, f"""SELECT ?c (COUNT(?m) AS ?n) WHERE {{
        ?c a <{CG}Consultation> . ?m <{CG}mentionOf> ?c }} GROUP BY ?c ORDER BY DESC(?n) LIMIT 1""")
    assert rows, "no findings in the store (extraction stage missing?)"
    return rows[0]["c"][len(BASE) - 1:]


def test_consultation_page_for_browsers(web_url, consultation_with_findings):
    path = consultation_with_findings
    r = requests.get(web_url + path, headers=HTML)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "Accept" in r.headers["Vary"]
    page = r.text
    headline = select(web_url, f"SELECT ?h WHERE {{ <{BASE}{path[1:]}> <{SCHEMA}headline> ?h }}")
    if headline:
        assert f"<h1 class=\"res-title\">{headline[0]['h']}" in page.replace("&#39;", "'")
    # hash resources are described on the document's page, anchored by their fragment
    assert 'id="question"' in page and 'id="answer"' in page
    # the evidence table: the finding, the concept, and the exact words
    assert "Findings and their evidence" in page
    oa = "http://www.w3.org/ns/oa#"
    exact = select(web_url, f"""SELECT ?e WHERE {{ GRAPH ?g {{ ?m <{CG}mentionOf> <{BASE}{path[1:]}> ;
        <{oa}hasTarget>/<{oa}hasSelector>/<{oa}exact> ?e }} }} LIMIT 1""")
    assert f"“{exact[0]['e']}”" in page
    # our own IRIs link to their path on this server, both ways
    assert re.search(r'href="/specialty/[^"]+"', page) or re.search(r'href="/physician/', page)
    assert "Also as" in page and f'href="{path}.ttl"' in page


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"),
                                        ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt")])
def test_consultation_as_rdf_by_accept(web_url, consultation_with_findings, accept, fmt):
    r = requests.get(web_url + consultation_with_findings, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
    assert "Accept" in r.headers["Vary"]
    g = rdflib.Graph().parse(data=r.text, format=fmt)
    page = rdflib.URIRef(BASE + consultation_with_findings[1:])
    question = rdflib.URIRef(f"{page}#question")
    assert (page, rdflib.RDF.type, CG.Consultation) in g
    assert (page, SCHEMA.mainEntity, question) in g
    assert g.value(question, SCHEMA.text) is not None  # the hash resource comes along


@pytest.mark.parametrize("suffix,fmt,media", [(".ttl", "turtle", "text/turtle"),
                                              (".jsonld", "json-ld", "application/ld+json"),
                                              (".nt", "nt", "application/n-triples")])
def test_suffix_picks_the_format_whatever_accept_says(web_url, consultation_with_findings,
                                                       suffix, fmt, media):
    r = requests.get(web_url + consultation_with_findings + suffix, headers=HTML)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media)
    assert len(rdflib.Graph().parse(data=r.text, format=fmt)) > 10


def test_concept_page_links_out_and_shows_evidence(web_url):
    rows = select(web_url, """SELECT ?c ?x WHERE {
        ?c <http://www.w3.org/2004/02/skos/core#exactMatch> ?x .
        ?m <http://www.w3.org/ns/oa#hasBody> ?c } LIMIT 1""")
    assert rows
    concept, external = rows[0]["c"], rows[0]["x"]
    r = requests.get(web_url + "/" + concept[len(BASE):], headers=HTML)
    assert r.status_code == 200
    assert f'href="{external}"' in r.text  # skos:exactMatch as an external link
    assert "Same concept elsewhere" in r.text
    assert "Findings and their evidence" in r.text and 'href="/consultation/' in r.text


def test_physician_and_specialty_pages_have_links_in(web_url):
    rows = select(web_url, f"SELECT ?p ?s WHERE {{ ?p a <{CG}Physician> ; "
                  f"<{SCHEMA}medicalSpecialty> ?s }} LIMIT 1")
    for iri in rows[0].values():
        r = requests.get(web_url + "/" + iri[len(BASE):], headers=HTML)
        assert r.status_code == 200
        assert "Links to this resource" in r.text


def test_named_graph_iri_dereferences(web_url, consultation_with_findings):
    cid = consultation_with_findings.rsplit("/", 1)[1]
    r = requests.get(f"{web_url}/graph/{cid}", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="nt")
    assert (rdflib.URIRef(f"{BASE}consultation/{cid}"), rdflib.RDF.type, CG.Consultation) in g


def test_unknown_iri_is_404(web_url):
    r = requests.get(f"{web_url}/consultation/does-not-exist", headers=HTML)
    assert r.status_code == 404 and "nothing is known" in r.text
    r = requests.get(f"{web_url}/concept/symptom/nope.ttl")
    assert r.status_code == 404


def test_hostile_path_cannot_break_out_of_the_iri(web_url):
    r = requests.get(f"{web_url}/consultation/x%3E%20%3Fp%20%3Fo%20%7D%20%23")
    assert r.status_code == 404
