"""Ingest into the embedded store: counts, quarantine report, idempotence, dumps."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from consultgraph.pipeline import ingest
from consultgraph.rdf.namespaces import Iris
from consultgraph.rdf.partition import is_consultation_graph
from consultgraph.store import open_store


def test_count_in_equals_published_plus_quarantined(ingested_store) -> None:
    directory, report = ingested_store
    assert report.read == 59 and report.published == 57 and len(report.quarantined) == 2
    assert report.unexpected == 0
    tsv = (directory / "quarantine" / "quarantine-latest.tsv").read_text().splitlines()
    assert tsv[0] == "file\tline\tfield\treason"
    rows = {Path(r.split("\t")[0]).name: r.split("\t") for r in tsv[1:]}
    assert set(rows) == {"45371.txt", "136121.txt"}
    assert all(r[1].isdigit() and "no asker line" in r[3] for r in rows.values())
    latest = json.loads((directory / "reports" / "ingest-latest.json").read_text())
    assert latest["read"] == latest["published"] + latest["quarantined"] == 59


def test_dumps_parse_back_to_the_store_triple_count(ingested_store) -> None:
    directory, _ = ingested_store
    store = open_store(directory, read_only=True)
    triples, quads = store.triple_count(), store.quad_count()
    dumps = directory / "dumps"
    manifest = json.loads((dumps / "manifest.json").read_text())
    assert manifest["_meta"]["triples"] == triples
    for name, fmt in (("consultgraph.ttl.gz", "turtle"), ("consultgraph.nt.gz", "nt")):
        with gzip.open(dumps / name) as fh:
            assert len(rdflib.Graph().parse(fh, format=fmt)) == triples
        parsed = ox.Store()
        with gzip.open(dumps / name) as fh:
            parsed.load(fh, format=ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES)
        assert len(parsed) == triples
    nq = ox.Store()
    with gzip.open(dumps / "consultgraph.nq.gz") as fh:
        nq.load(fh, format=ox.RdfFormat.N_QUADS)
    assert len(nq) == quads
    for name, meta in manifest.items():
        if name != "_meta":
            data = (dumps / str(meta["file"])).read_bytes()
            assert hashlib.sha256(data).hexdigest() == meta["sha256"] and len(data) == meta["bytes"]


def consultation_quads(store, cid: str) -> set[str]:
    g = ox.NamedNode(str(Iris().graph(cid)))
    return {str(q) for q in store._store.quads_for_pattern(None, None, None, g)}


def test_reingest_replaces_the_graph_and_withdraws_bad_pages(tmp_path: Path, samples_dir: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(samples_dir / "10136.txt", pages)
    store = open_store(tmp_path / "store")
    ingest([pages], store, workers=1, dumps=False)
    first = consultation_quads(store, "10136")
    ingest([pages], store, workers=1, dumps=False)
    # Same page, same graph (but the provenance of the run, which names the new run).
    again = consultation_quads(store, "10136")
    assert len(again) == len(first) and len({q for q in first if "/run/" not in q} - again) == 0
    page = pages / "10136.txt"
    page.write_text(page.read_text().replace("heart rate is 57", "heart rate is 58"))
    ingest([pages], store, workers=1, dumps=False)
    text = "\n".join(consultation_quads(store, "10136"))
    assert "heart rate is 58" in text and "heart rate is 57" not in text
    # The page now fails: its earlier version is no longer served.
    page.write_text(page.read_text().replace("Ask Date: 2002/08/21", "Ask Date: 2002/08/99"))
    report = ingest([pages], store, workers=1, dumps=False)
    assert report.published == 0 and "calendar date" in report.quarantined[0].reason
    assert not store.has_graph(str(Iris().graph("10136")))


def test_duplicate_ids_in_one_run_are_quarantined_not_overwritten(tmp_path: Path, samples_dir: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    shutil.copy(samples_dir / "10136.txt", a)
    shutil.copy(samples_dir / "1189.txt", b / "10136.txt")
    report = ingest([a, b], open_store(tmp_path / "store"), workers=1, dumps=False)
    assert report.read == 2 and report.published == 1
    assert "duplicate consultation id" in report.quarantined[0].reason


def test_similar_qa_links_to_the_full_consultation_in_the_corpus(
    tmp_path: Path, samples_dir: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    seed = (samples_dir / "000_0da881fe6b3e399c.txt").read_text()
    shutil.copy(samples_dir / "000_0da881fe6b3e399c.txt", pages)
    # A corpus page whose page title is the first teaser's title.
    other = (samples_dir / "111343.txt").read_text().split("\n", 1)[1]
    (pages / "other.txt").write_text(
        "Exploring Treatment Options for Facial Tremors: Beyond Botox - Neurology\n" + other)
    assert "Exploring Treatment Options" in seed
    store = open_store(tmp_path / "store")
    ingest([pages], store, workers=1, dumps=False)
    rows = list(store.query("""
        PREFIX cg: <https://w3id.org/consultgraph/ontology#>
        SELECT ?item ?c WHERE { ?item cg:fullConsultation ?c }"""))
    assert [(r["item"].value.rsplit("#", 1)[1], r["c"].value.rsplit("/", 1)[1]) for r in rows] == [
        ("similar-1", "other")]


def test_shared_resources_are_stated_once_in_the_union(ingested_store) -> None:
    """A concept's label is in one shared graph, not once per consultation mentioning it:
    joins through labels in the union default graph count each thing once."""
    directory, _ = ingested_store
    store = open_store(directory, read_only=True)
    rows = list(store.query("""
        PREFIX cg: <https://w3id.org/consultgraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s (COUNT(*) AS ?n) WHERE { ?s skos:prefLabel ?l } GROUP BY ?s
        HAVING (COUNT(*) > 1)"""))
    assert rows == []
    used = list(store.query("""
        PREFIX cg: <https://w3id.org/consultgraph/ontology#>
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?q cg:reportsTest ?c }"""))
    assert int(used[0]["n"].value) > 10


@pytest.mark.parametrize("validator", ["compiled", "pyshacl"])
def test_one_bad_page_in_a_batch_is_quarantined_alone(tmp_path: Path, samples_dir: Path,
                                                      validator: str) -> None:
    """Pages are validated in batches; a page that fails is named, its neighbours published
    (with either validator: pyshacl writes the message either way)."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("10136.txt", "1189.txt", "4166.txt", "33058.txt"):
        shutil.copy(samples_dir / name, pages)
    bad = pages / "1189.txt"
    bad.write_text(bad.read_text().replace("Reply Date: 2000/11/21", "Reply Date: 2000/11/01"))
    report = ingest([pages], open_store(tmp_path / "store"), workers=1, dumps=False,
                    validator=validator)
    assert report.published == 3 and len(report.quarantined) == 1
    q = report.quarantined[0]
    assert q.name.endswith("1189.txt") and q.field == "shacl"
    assert "before the ask date" in q.reason


def test_an_sssom_mapping_set_is_published_beside_the_dumps(ingested_store) -> None:
    directory, _ = ingested_store
    manifest = json.loads((directory / "dumps" / "manifest.json").read_text())
    entry = manifest["sssom"]
    text = (directory / "dumps" / entry["file"]).read_text()
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    table = [ln.split("\t") for ln in text.splitlines() if not ln.startswith("#")]
    assert "#   HP: http://purl.obolibrary.org/obo/HP_" in header
    assert table[0] == ["subject_id", "subject_label", "subject_category", "predicate_id",
                        "object_id", "mapping_justification"]
    rows = table[1:]
    assert len(rows) == entry["mappings"] > 20
    assert all(r[0].startswith("cgc:") and r[3] == "skos:exactMatch" for r in rows)
    assert any(r[4].startswith("HP:") for r in rows) and any(r[4].startswith("MESH:") for r in rows)
    # What is mapped is what is published: each row is a skos:exactMatch in the store.
    store = open_store(directory, read_only=True)
    subject, obj = rows[0][0], rows[0][4]
    prefix, local = obj.split(":", 1)
    iri = {"HP": "http://purl.obolibrary.org/obo/HP_", "MESH": "http://id.nlm.nih.gov/mesh/",
           "ICD10CM": "http://purl.bioontology.org/ontology/ICD10CM/"}.get(prefix)
    if iri:
        ask = store.query(f"ASK {{ <https://w3id.org/consultgraph/concept/{subject[4:]}> "
                          f"<http://www.w3.org/2004/02/skos/core#exactMatch> <{iri}{local}> }}")
        assert bool(ask)


def test_a_failing_store_write_stops_the_ingest_with_its_error(
        tmp_path: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store failure part-way stops the ingest with that error; what was written before
    stays whole, and nothing is written after it."""
    import consultgraph.pipeline as pipeline

    monkeypatch.setattr(pipeline, "BATCH", 10)
    monkeypatch.setattr(pipeline, "BATCH_FILES", 8)
    store = open_store(tmp_path / "s")
    calls = []
    real = store.replace_graphs

    def failing(payloads):
        calls.append(len(payloads))
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        return real(payloads)

    monkeypatch.setattr(store, "replace_graphs", failing)
    with pytest.raises(OSError, match="disk full"):
        ingest([samples_dir], store, workers=1, dumps=False)
    assert len(calls) == 2  # nothing written after the failure
    written = [g for g in store.graphs() if is_consultation_graph(g, Iris())]
    assert len(written) == calls[0]  # the first batch, whole; the second, not at all
