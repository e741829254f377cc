"""Home, dumps, VoID/DCAT, ontology, shapes, validation report and the query page, over HTTP."""

from __future__ import annotations

import hashlib
import html
import json

import pytest
import rdflib
import requests

from consultgraph.web.query_page import examples

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
CG = rdflib.Namespace("https://w3id.org/consultgraph/ontology#")
BASE = "https://w3id.org/consultgraph/"


def test_home_page(web_url, ingested_store):
    report = ingested_store[1]
    r = requests.get(web_url + "/", headers=HTML)
    assert r.status_code == 200
    page = r.text
    assert "Medical Q&amp;A consultations as linked data" in page
    assert f"<b>{report.published}</b> consultations" in page
    assert f"<b>{report.read}</b> records read" in page
    assert "cg:Consultation" in page  # counts per class
    assert page.count('<svg class="chart"') == 3  # specialties, symptoms, tests
    for link in ('href="/query"', 'href="/dumps/"', 'href="/void"', 'href="/ontology"',
                 'href="/shapes"', 'href="/validation"'):
        assert link in page
    assert "cdn" not in page.lower() and "https://unpkg" not in page


def test_dumps_with_checksum_etag_range_and_head(web_url, ingested_store):
    manifest = requests.get(f"{web_url}/dumps/manifest.json").json()
    listing = requests.get(f"{web_url}/dumps/", headers=HTML).text
    for name in ("turtle", "ntriples", "nquads"):
        entry = manifest[name]
        url = f"{web_url}/dumps/{entry['file']}"
        assert entry["file"] in listing and entry["sha256"] in listing
        r = requests.get(url)
        assert r.status_code == 200 and len(r.content) == entry["bytes"]
        assert hashlib.sha256(r.content).hexdigest() == entry["sha256"]
        assert r.headers["ETag"] and r.headers["Last-Modified"]
        assert r.headers["Content-Type"] == "application/gzip"
        head = requests.head(url)
        assert head.status_code == 200 and int(head.headers["Content-Length"]) == entry["bytes"]
        assert head.content == b""
        part = requests.get(url, headers={"Range": "bytes=10-19"})
        assert part.status_code == 206 and part.content == r.content[10:20]
        again = requests.get(url, headers={"If-None-Match": r.headers["ETag"]})
        assert again.status_code == 304
    assert requests.get(f"{web_url}/dumps/../oxigraph/CURRENT").status_code == 404
    assert requests.get(f"{web_url}/dumps/nothing.ttl.gz").status_code == 404


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
def test_void_and_dcat(web_url, ingested_store, path):
    report = ingested_store[1]
    r = requests.get(web_url + path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    ds = rdflib.URIRef(BASE + "dataset")
    assert (ds, rdflib.RDF.type, VOID.Dataset) in g and (ds, rdflib.RDF.type, DCAT.Dataset) in g
    assert g.value(ds, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    assert g.value(ds, VOID.sparqlEndpoint) == rdflib.URIRef(f"{web_url}/sparql")
    # count in = published + quarantined, from the ingest report
    read, pub, quar = (int(g.value(ds, p)) for p in
                       (CG.recordsRead, CG.recordsPublished, CG.recordsQuarantined))
    assert (read, pub, quar) == (report.read, report.published, len(report.quarantined))
    assert read == pub + quar
    partitions = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities))
                  for p in g.objects(ds, VOID.classPartition)}
    assert partitions[CG.Consultation] == report.published
    dumps = set(g.objects(ds, VOID.dataDump))
    assert rdflib.URIRef(f"{web_url}/dumps/consultgraph.nq.gz") in dumps
    for dist in g.objects(ds, DCAT.distribution):
        if g.value(dist, DCAT.downloadURL):
            assert int(g.value(dist, DCAT.byteSize)) > 0
    linksets = [s for s in g.objects(ds, VOID.subset) if (s, rdflib.RDF.type, VOID.Linkset) in g]
    assert linksets, "no linksets to external vocabularies"
    assert all(int(g.value(ls, VOID.triples)) > 0 for ls in linksets)


def test_ontology_html_and_turtle(web_url):
    page = requests.get(f"{web_url}/ontology", headers=HTML)
    assert page.status_code == 200
    assert 'id="Consultation"' in page.text and 'id="reportsSymptom"' in page.text
    assert "subclass of schema:QAPage" in page.text
    ttl = requests.get(f"{web_url}/ontology", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert (CG.Consultation, rdflib.RDF.type, rdflib.OWL.Class) in g
    assert "Accept" in ttl.headers["Vary"]


def test_shapes(web_url):
    ttl = requests.get(f"{web_url}/shapes", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert any(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    assert "SHACL shapes" in requests.get(f"{web_url}/shapes", headers=HTML).text


def test_validation_report_lists_quarantined_records(web_url, ingested_store):
    report = ingested_store[1]
    page = requests.get(f"{web_url}/validation", headers=HTML).text
    assert f"<b>{report.read}</b> read" in page
    data = requests.get(f"{web_url}/validation?format=json").json()
    assert data["quarantined"] == len(report.quarantined)
    for q in report.quarantined:
        public_name = q.name.replace("\\", "/").rsplit("/", 1)[-1]
        assert public_name in page
        assert q.reason.split(":")[0] in html.unescape(page)
    # the operator's directories are not published
    assert all("/" not in q["name"] for q in data["quarantine"])
    tsv = requests.get(f"{web_url}/validation/quarantine.tsv")
    assert tsv.text.splitlines()[0].startswith("file\t")


def test_query_page_vendors_yasgui_and_lists_examples(web_url):
    page = requests.get(f"{web_url}/query", headers=HTML).text
    assert "/static/vendor/yasgui/yasgui.min.js" in page and "//cdn" not in page
    for e in examples():
        assert e.title.replace("&", "&amp;") in page
    js = requests.get(f"{web_url}/static/vendor/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    lic = requests.get(f"{web_url}/static/vendor/yasgui/LICENSE")
    assert "MIT License" in lic.text


def test_there_are_enough_documented_examples():
    found = examples()
    assert len(found) >= 8
    for e in found:
        assert e.title != e.name and len(e.description) > 20, e.name


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.name)
def test_every_example_runs_and_returns_rows(web_url, example):
    r = requests.post(f"{web_url}/sparql", data={"query": example.query},
                      headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    rows = json.loads(r.text)["results"]["bindings"]
    assert rows, f"{example.name} returned no rows on the sample data"
