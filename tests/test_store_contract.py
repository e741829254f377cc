"""One contract, every store backend: embedded Oxigraph, a real Oxigraph server reached over
SPARQL 1.1 Update or over the Graph Store Protocol, and (opt-in: CONSULTGRAPH_TEST_VIRTUOSO=1)
a private Virtuoso 7 over its GSP with Digest credentials.

Each test publishes under its own base IRI, so the backends can share one server: a remote
store only ever reads, counts and dumps the graphs under its `{base}graph/`.
"""

from __future__ import annotations

import gzip
import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from consultgraph.config import RemoteSettings
from consultgraph.pipeline import ingest
from consultgraph.rdf.namespaces import Iris
from consultgraph.store import GraphPayload, open_store

BACKENDS = ["embedded", "remote-update", "remote-gsp", "virtuoso"]
CG = "https://w3id.org/consultgraph/ontology#"


def settings_for(kind: str, url: str, request: pytest.FixtureRequest) -> RemoteSettings | None:
    if kind == "embedded":
        return None
    if kind == "virtuoso":
        return request.getfixturevalue("virtuoso_settings")  # type: ignore[no-any-return]
    gsp = f"{url}/store" if kind == "remote-gsp" else None
    return RemoteSettings(f"{url}/query", f"{url}/update", gsp)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, oxigraph_url: str, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[object, RemoteSettings | None]]:
    """(store, remote settings) under a fresh base IRI; the remote graphs are dropped after."""
    monkeypatch.setenv("CONSULTGRAPH_BASE", f"https://example.org/{uuid.uuid4().hex[:8]}/")
    remote = settings_for(request.param, oxigraph_url, request)
    store = open_store(tmp_path / "state", remote=remote)
    yield store, remote
    if remote:
        store.clear()


@pytest.fixture(scope="module", params=BACKENDS)
def published(request: pytest.FixtureRequest, oxigraph_url: str, samples_dir: Path,
              tmp_path_factory: pytest.TempPathFactory):
    """Every sample page ingested (with dumps) into one backend: (store, report, remote, base)."""
    base = f"https://example.org/{uuid.uuid4().hex[:8]}/"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONSULTGRAPH_BASE", base)
        remote = settings_for(request.param, oxigraph_url, request)
        store = open_store(tmp_path_factory.mktemp(request.param), remote=remote)
        report = ingest([samples_dir], store, workers=2)
        yield store, report, remote, base
        if remote:
            store.clear()


def graph_content(store, graph: str) -> set[str]:
    """A graph's triples as N-Triples lines, read the same way from every backend."""
    triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                          use_default_graph_as_union=False)
    return {str(t) for t in triples}


def test_ingest_publishes_what_the_embedded_store_holds(published, ingested_store) -> None:
    store, report, _, _ = published
    reference = open_store(ingested_store[0], read_only=True, remote=None)
    assert (report.read, report.published, len(report.quarantined)) == (59, 57, 2)
    assert store.triple_count() == reference.triple_count()
    assert store.quad_count() == reference.quad_count()
    assert len(list(store.graphs())) == len(list(reference.graphs()))


def test_dumps_parse_back_to_the_store_counts(published) -> None:
    store, _, _, _ = published
    dumps = store.directory / "dumps"
    manifest = json.loads((dumps / "manifest.json").read_text())
    triples, quads = store.triple_count(), store.quad_count()
    assert manifest["_meta"]["triples"] == triples and manifest["_meta"]["quads"] == quads
    with gzip.open(dumps / "consultgraph.ttl.gz") as fh:
        assert len(rdflib.Graph().parse(fh, format="turtle")) == triples
    for name, fmt, expected in (("consultgraph.nt.gz", ox.RdfFormat.N_TRIPLES, triples),
                                ("consultgraph.nq.gz", ox.RdfFormat.N_QUADS, quads)):
        parsed = ox.Store()
        with gzip.open(dumps / name) as fh:
            parsed.load(fh, format=fmt)
        assert len(parsed) == expected


def test_export_trig_and_jsonld_hold_the_same_data(published, tmp_path: Path) -> None:
    store, _, _, _ = published
    trig = ox.Store()
    trig.load(path=str(store.dump(tmp_path / "all.trig", "trig")), format=ox.RdfFormat.TRIG)
    assert len(trig) == store.quad_count()
    ld = ox.Store()
    ld.load(path=str(store.dump(tmp_path / "all.jsonld", "jsonld")), format=ox.RdfFormat.JSON_LD)
    assert len(ld) == store.triple_count()


def test_stats_and_validation_read_the_store(published) -> None:
    from consultgraph.stats import store_stats
    from consultgraph.validation_run import validate_store

    store, _, remote, base = published
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONSULTGRAPH_BASE", base)
        stats = store_stats(store)
        assert stats["consultations"] == 57 and stats["last_run"]["quarantined"] == 2
        assert sum(stats["findings"].values()) == published[1].findings
        results = validate_store(store.directory, remote)
    assert len(results) == 57 and all(ok for _, ok, _ in results)


def test_reingest_replaces_the_graph_and_withdraws_bad_pages(backend, tmp_path: Path,
                                                             samples_dir: Path) -> None:
    store, _ = backend
    graph = str(Iris().graph("10136"))
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(samples_dir / "10136.txt", pages)
    ingest([pages], store, workers=1, dumps=False)
    first = graph_content(store, graph)
    ingest([pages], store, workers=1, dumps=False)
    again = graph_content(store, graph)
    # Same page, same graph (but for the provenance naming the new run).
    assert len(again) == len(first) and {t for t in first if "/run/" not in t} <= again
    page = pages / "10136.txt"
    page.write_text(page.read_text().replace("heart rate is 57", "heart rate is 58"))
    ingest([pages], store, workers=1, dumps=False)
    text = "\n".join(graph_content(store, graph))
    assert "heart rate is 58" in text and "heart rate is 57" not in text
    page.write_text(page.read_text().replace("Ask Date: 2002/08/21", "Ask Date: 2002/08/99"))
    report = ingest([pages], store, workers=1, dumps=False)
    assert report.published == 0 and not store.has_graph(graph)
    assert graph not in set(store.graphs())


def test_replace_graphs_keeps_every_term_intact(backend) -> None:
    """Literals with quotes, newlines, non-ASCII and datatypes, odd IRIs, blank nodes."""
    store, _ = backend
    base = Iris().base
    g1, g2 = f"{base}graph/t1", f"{base}graph/t2"
    nt = ('<https://example.org/a%20b> <https://example.org/p> "say \\"hi\\"\\nthen é 痛 🙂" .\n'
          '<https://example.org/a%20b> <https://example.org/n> '
          '"5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
          '<https://example.org/x-y.z_(1)> <https://example.org/p> "tête"@fr .\n'
          '_:b0 <https://example.org/p> "blank" .\n')
    # rdflib labels blank nodes uniquely per graph; so do these.
    nt2 = nt.replace("_:b0", "_:c0")
    assert store.replace_graphs([GraphPayload(g1, nt, 4), GraphPayload(g2, nt2, 4)]) == 2
    expected = {str(q.triple) for q in ox.parse(nt, ox.RdfFormat.N_TRIPLES)
                if not isinstance(q.subject, ox.BlankNode)}
    for g in (g1, g2):
        named = {t for t in graph_content(store, g) if not t.startswith("<BlankNode")}
        assert {t for t in named if "_:" not in t} >= expected
    rows = list(store.query('SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?g { ?b ?p "blank" } '
                            f'FILTER(STRSTARTS(STR(?g), "{base}")) }}',
                            use_default_graph_as_union=False))
    assert int(rows[0]["n"].value) == 2
    assert store.quad_count() == 8 and store.triple_count() == 5
    # Replacing is replacing: the old content is gone, the other graph untouched.
    store.replace_graphs([GraphPayload(g1, '<https://example.org/new> <https://example.org/p> "2" .', 1)])
    assert len(graph_content(store, g1)) == 1 and len(graph_content(store, g2)) == 4
    store.drop_graph(g2)
    assert not store.has_graph(g2) and set(store.graphs()) == {g1}


def test_similar_qa_links_to_the_full_consultation(backend, tmp_path: Path,
                                                   samples_dir: Path) -> None:
    store, _ = backend
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(samples_dir / "000_0da881fe6b3e399c.txt", pages)
    other = (samples_dir / "111343.txt").read_text().split("\n", 1)[1]
    (pages / "other.txt").write_text(
        "Exploring Treatment Options for Facial Tremors: Beyond Botox - Neurology\n" + other)
    ingest([pages], store, workers=1, dumps=False)
    links = graph_content(store, str(Iris().links_graph))
    assert len(links) == 1
    (line,) = links
    assert "#similar-1>" in line and f"<{CG}fullConsultation>" in line and "/other>" in line
