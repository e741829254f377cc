"""End to end on a real Oxigraph server: `consultgraph ingest` publishes the samples into it,
`consultgraph serve` answers from it, and a SPARQL client, a browser-like client and a VoID
reader see what they see on the embedded store.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from tests.webserver import running_server

CG = "https://w3id.org/consultgraph/ontology#"
BASE = "https://w3id.org/consultgraph/"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
COUNT_CONSULTATIONS = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{CG}Consultation> }}"


def cg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "consultgraph.cli", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


def remote_flags(url: str) -> list[str]:
    return ["--sparql-url", f"{url}/query", "--sparql-update-url", f"{url}/update"]


@pytest.fixture(scope="module")
def remote_published(oxigraph_url: str, samples_dir: Path, tmp_path_factory) -> Path:
    """The samples ingested into the (emptied) server with the CLI; returns the state dir."""
    requests.post(f"{oxigraph_url}/update", data="DROP ALL",
                  headers={"Content-Type": "application/sparql-update"}, timeout=30).raise_for_status()
    state = tmp_path_factory.mktemp("remote-state")
    res = cg("ingest", str(samples_dir), "--store", str(state), *remote_flags(oxigraph_url))
    assert res.returncode == 0, res.stderr
    assert "count in = published + quarantined: 59 = 57 + 2" in res.stderr
    return state


@pytest.fixture(scope="module")
def remote_web(remote_published: Path, oxigraph_url: str):
    """`consultgraph serve` over the remote store, configured by the environment."""
    env = {"CONSULTGRAPH_SPARQL_URL": f"{oxigraph_url}/query",
           "CONSULTGRAPH_SPARQL_TIMEOUT": "2", "CONSULTGRAPH_SPARQL_MAX_RESULT_BYTES": "300000"}
    with running_server(remote_published, env=env) as (url, _proc):
        yield url


def test_ingest_keeps_state_locally_and_graphs_remotely(remote_published: Path,
                                                        oxigraph_url: str) -> None:
    assert not (remote_published / "oxigraph").exists()  # no embedded store was made
    report = json.loads((remote_published / "reports" / "ingest-latest.json").read_text())
    assert report["published"] == 57 and report["quarantined"] == 2
    tsv = (remote_published / "quarantine" / "quarantine-latest.tsv").read_text()
    assert "45371.txt" in tsv and "136121.txt" in tsv
    manifest = json.loads((remote_published / "dumps" / "manifest.json").read_text())
    nq = ox.Store()
    with gzip.open(remote_published / "dumps" / "consultgraph.nq.gz") as fh:
        nq.load(fh, format=ox.RdfFormat.N_QUADS)
    assert len(nq) == manifest["_meta"]["quads"]
    # The server holds the graphs: asked directly, it has every consultation.
    r = requests.get(f"{oxigraph_url}/query", params={"query": COUNT_CONSULTATIONS},
                     headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "57"


def test_stats_export_and_validate_read_the_remote_store(remote_published: Path,
                                                         oxigraph_url: str, tmp_path: Path) -> None:
    flags = ["--store", str(remote_published), *remote_flags(oxigraph_url)]
    stats = json.loads(cg("stats", "--json", *flags).stdout)
    assert stats["consultations"] == 57 and stats["last_run"]["published"] == 57
    out = tmp_path / "export.ttl"
    res = cg("export", "--format", "turtle", "--out", str(out), *flags)
    assert res.returncode == 0, res.stderr
    assert len(rdflib.Graph().parse(out, format="turtle")) == stats["triples"]
    res = cg("validate", *flags)
    assert res.returncode == 0 and "57 conform, 0 do not" in res.stderr


def test_sparql_client_queries_through_our_endpoint(remote_web: str) -> None:
    sw = SPARQLWrapper(f"{remote_web}/sparql")
    sw.setQuery(COUNT_CONSULTATIONS)
    sw.setReturnFormat(JSON)
    res = sw.query()
    assert res.response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert res.convert()["results"]["bindings"][0]["n"]["value"] == "57"
    sw.setQuery(f"CONSTRUCT {{ ?p a <{CG}Physician> ; <https://schema.org/name> ?n }} "
                f"WHERE {{ ?p a <{CG}Physician> ; <https://schema.org/name> ?n }}")
    sw.setReturnFormat(TURTLE)
    sw.setMethod("POST")
    data = sw.query().convert()
    text = data.decode() if isinstance(data, bytes) else data.serialize(format="turtle")
    assert "@prefix schema:" in text or "schema:" in text  # our prefixes, as on the embedded store
    g = rdflib.Graph().parse(data=text, format="turtle")
    physicians = set(g.subjects(rdflib.RDF.type, rdflib.URIRef(f"{CG}Physician")))
    assert len(physicians) >= 10 and len(g) == 2 * len(physicians)


def test_endpoint_keeps_its_rules_in_front_of_the_server(remote_web: str) -> None:
    r = requests.post(f"{remote_web}/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403 and "read-only" in r.text
    r = requests.get(f"{remote_web}/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert r.status_code == 403
    r = requests.get(f"{remote_web}/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and "QuerySyntaxError" in r.text
    assert "127.0.0.1" not in r.text.split(":", 1)[1]  # the store's address stays private
    r = requests.get(f"{remote_web}/sparql",
                     params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 413 and "LIMIT" in r.text
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = requests.get(f"{remote_web}/sparql", params={"query": slow},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 503 and "limit" in r.text
    # Data untouched, endpoint still answering.
    r = requests.get(f"{remote_web}/sparql", params={"query": COUNT_CONSULTATIONS},
                     headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.text.split()[-1] == "57"


def test_resource_page_and_its_data(remote_web: str) -> None:
    r = requests.get(f"{remote_web}/consultation/10136", headers=HTML)
    assert r.status_code == 200 and "text/html" in r.headers["Content-Type"]
    page = r.text
    # The question, the answer and the evidence behind findings (read from its named graph).
    assert 'id="question"' in page and 'id="answer"' in page and "heart rate is 57" in page
    assert "Findings and their evidence" in page
    r = requests.get(f"{remote_web}/consultation/10136", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (rdflib.URIRef(f"{BASE}consultation/10136"), rdflib.RDF.type,
            rdflib.URIRef(f"{CG}Consultation")) in g
    assert requests.get(f"{remote_web}/consultation/nope", headers=HTML).status_code == 404


def test_home_and_void_describe_the_remote_data(remote_web: str, remote_published: Path) -> None:
    assert "<b>57</b> consultations" in requests.get(f"{remote_web}/", headers=HTML).text
    r = requests.get(f"{remote_web}/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    ds = rdflib.URIRef(f"{BASE}dataset")
    manifest = json.loads((remote_published / "dumps" / "manifest.json").read_text())
    assert int(g.value(ds, VOID.triples)) == manifest["_meta"]["triples"]
    partitions = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities))
                  for p in g.objects(ds, VOID.classPartition)}
    assert partitions[rdflib.URIRef(f"{CG}Consultation")] == 57
    # Dumps are served from the local state directory, written from the remote store.
    listing = requests.get(f"{remote_web}/dumps/manifest.json").json()
    assert listing["nquads"]["sha256"] == manifest["nquads"]["sha256"]


def test_a_refusing_server_is_named_with_its_status(oxigraph_url: str, samples_dir: Path,
                                                    tmp_path: Path) -> None:
    res = cg("ingest", str(samples_dir / "10136.txt"), "--store", str(tmp_path),
             "--sparql-url", f"{oxigraph_url}/no-such-endpoint")
    assert res.returncode == 1
    assert f"{oxigraph_url}/no-such-endpoint" in res.stderr and "HTTP 404" in res.stderr
    assert "Traceback" not in res.stderr
