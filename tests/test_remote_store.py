"""What only a remote store can get wrong: a server whose default graph is not the union of its
graphs, data of others on the same server, and servers that refuse or are not there."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest

from consultgraph.config import RemoteSettings
from consultgraph.pipeline import ingest
from consultgraph.store import GraphPayload, RemoteStoreError, open_store
from tests.oxigraph_server import oxigraph_binary, running_oxigraph
from tests.webserver import free_port

CG = "https://w3id.org/consultgraph/ontology#"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory) -> str:
    """An Oxigraph server left at its default: the default graph is only the default graph."""
    if oxigraph_binary() is None:
        pytest.fail("the oxigraph CLI is missing: pip install oxigraph (test extra)")
    location = tmp_path_factory.mktemp("plain-oxigraph") / "db"
    location.mkdir()
    with running_oxigraph(location, union_default_graph=False) as url:
        yield url


def test_site_works_without_a_union_default_graph(plain_server: str, samples_dir: Path,
                                                  tmp_path: Path, caplog) -> None:
    from consultgraph.web import create_app

    settings = RemoteSettings(f"{plain_server}/query", f"{plain_server}/update",
                              f"{plain_server}/store")
    # Someone else's data on the same server stays out of our counts, dumps and pages.
    other = open_store(tmp_path / "other", remote=settings)
    other.graph_prefix = "https://example.net/other/graph/"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    other.replace_graphs([GraphPayload("https://example.net/other/graph/1",
                                       f"<https://example.net/x> {rdf_type} <{CG}Consultation> .", 1)])
    store = open_store(tmp_path / "state", remote=settings)
    report = ingest([samples_dir], store, workers=2)
    assert report.published == 57
    assert not any("example.net" in g for g in store.graphs())
    from consultgraph.stats import store_stats

    assert store_stats(store)["consultations"] == 57
    with caplog.at_level(logging.WARNING, logger="consultgraph.web"):
        app = create_app(tmp_path / "state", remote=settings)
    assert any("--union-default-graph" in r.getMessage() for r in caplog.records)
    client = app.test_client()
    assert "<b>57</b> consultations" in client.get("/", headers=HTML).get_data(as_text=True)
    page = client.get("/consultation/10136", headers=HTML)
    assert page.status_code == 200 and "heart rate is 57" in page.get_data(as_text=True)
    # User queries see the server's own default graph (here: empty), as documented.
    r = client.get("/sparql", query_string={"query": f"ASK {{ ?c a <{CG}Consultation> }}"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.get_json()["boolean"] is False
    r = client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?c a <{CG}Consultation> }} }}"},
        headers={"Accept": "text/csv"})
    assert r.get_data(as_text=True).split()[-1] == "58"  # ours and the other one, as asked
    app.extensions["executor"].close()


def test_unreachable_server_is_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    store = open_store(tmp_path, remote=RemoteSettings(url))
    with pytest.raises(RemoteStoreError, match=f"cannot reach the SPARQL server at {url}"):
        store.triple_count()


def test_refusals_name_url_and_status(oxigraph_url: str, tmp_path: Path) -> None:
    settings = RemoteSettings(f"{oxigraph_url}/query", f"{oxigraph_url}/nowhere")
    store = open_store(tmp_path, remote=settings)
    with pytest.raises(RemoteStoreError) as info:
        store.drop_graph(f"https://example.org/{uuid.uuid4().hex}/graph/1")
    assert f"{oxigraph_url}/nowhere" in str(info.value) and info.value.status == 404
    read_only = open_store(tmp_path, read_only=True, remote=settings)
    with pytest.raises(RemoteStoreError, match="read-only"):
        read_only.replace_graphs([])
