"""Virtuoso 7 (opt-in: CONSULTGRAPH_TEST_VIRTUOSO=1): ingest over its Graph Store Protocol with
Digest credentials, then the site and the endpoint answering from it. The store contract runs
against it too (tests/test_store_contract.py, backend "virtuoso")."""

from __future__ import annotations

import json
from pathlib import Path

from consultgraph.pipeline import ingest
from consultgraph.store import open_store

CG = "https://w3id.org/consultgraph/ontology#"
HTML = {"Accept": "text/html"}


def test_publish_and_serve_from_virtuoso(virtuoso_settings, samples_dir: Path, tmp_path: Path,
                                         ingested_store) -> None:
    from consultgraph.web import create_app

    store = open_store(tmp_path / "state", remote=virtuoso_settings)
    store.clear()
    report = ingest([samples_dir], store, workers=2)
    reference = open_store(ingested_store[0], read_only=True, remote=None)
    assert report.published == 57 and store.triple_count() == reference.triple_count()
    manifest = json.loads((tmp_path / "state" / "dumps" / "manifest.json").read_text())
    assert manifest["_meta"]["quads"] == reference.quad_count()

    app = create_app(tmp_path / "state", remote=virtuoso_settings)
    client = app.test_client()
    assert "<b>57</b> consultations" in client.get("/", headers=HTML).get_data(as_text=True)
    page = client.get("/consultation/10136", headers=HTML)
    assert page.status_code == 200 and "heart rate is 57" in page.get_data(as_text=True)
    # Virtuoso's default graph is the union of its graphs: user queries need no GRAPH.
    r = client.get("/sparql", headers={"Accept": "application/sparql-results+json"},
                   query_string={"query": f"SELECT (COUNT(DISTINCT ?c) AS ?n) "
                                          f"WHERE {{ ?c a <{CG}Consultation> }}"})
    assert r.status_code == 200
    assert r.get_json()["results"]["bindings"][0]["n"]["value"] == "57"
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    app.extensions["executor"].close()
    store.clear()
