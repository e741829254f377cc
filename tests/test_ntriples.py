"""The ingest's own N-Triples writer must publish exactly what rdflib's Graph would."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from consultgraph.pipeline import annotate
from consultgraph.rdf import RunInfo, map_consultation
from consultgraph.rdf.namespaces import Iris
from consultgraph.rdf.ntriples import TripleBuffer
from consultgraph.rdf.partition import Owner, split_by_consultation
from consultgraph.read import read_path

RUN = RunInfo(run_id="20260101T000000Z", started="2026-01-01T00:00:00+00:00")
S, P = URIRef("urn:x:s"), URIRef("urn:x:p")


def test_every_sample_writes_the_graph_rdflib_builds(samples_dir: Path) -> None:
    buf, ref = TripleBuffer(), Graph()
    for f in sorted(samples_dir.glob("*.txt")):
        for _, c in read_path(f):
            if not hasattr(c, "reason"):
                annotate(c)
                map_consultation(c, RUN, into=buf)
                map_consultation(c, RUN, into=ref)
    text = buf.ntriples()
    assert len(buf) == len(ref) > 10_000  # duplicates dropped, as a set would
    assert set(Graph().parse(data=text, format="nt")) == set(ref)
    # Oxigraph (the store) reads it too, to the same number of triples.
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == len(ref)
    # Written grouped by graph (as ingest does), the same lines, each in the graph that
    # parsing the whole text apart assigns it to.
    parts = buf.ntriples_by(Owner(Iris()))
    own, shared = split_by_consultation(text, Iris())
    assert {cid: t for (cid, _), t in parts.items() if cid} == own
    assert {g: t for (cid, g), t in parts.items() if not cid} == shared
    assert len(own) == sum(1 for line in text.splitlines()
                           if line.endswith("/ontology#Consultation> ."))


def test_a_statement_about_a_foreign_subject_is_refused() -> None:
    with pytest.raises(ValueError, match="urn:x:s.*no consultation"):
        TripleBuffer().add((S, P, Literal(1))).ntriples_by(Owner(Iris()))


@pytest.mark.parametrize("lit", [
    Literal('quote " and backslash \\ and\nnewline\r\ttab'),
    Literal("中文 and emoji 🩺"),
    Literal("hello", lang="en-GB"),
    Literal(True), Literal(-5), Literal("2020-02-29", datatype=XSD.date),
    Literal("x", datatype=XSD.string),
])
def test_literals_round_trip(lit: Literal) -> None:
    text = TripleBuffer().add((S, P, lit)).ntriples()
    assert text.endswith(" .\n") and text.count("\n") == 1
    [(_, _, back)] = list(Graph().parse(data=text, format="nt"))
    assert back == lit or (lit.datatype == XSD.string and str(back) == str(lit))


def test_blank_nodes_are_refused() -> None:
    with pytest.raises(TypeError, match="blank|BNode"):
        TripleBuffer().add((S, P, BNode())).ntriples()
