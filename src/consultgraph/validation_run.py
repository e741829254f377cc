"""`consultgraph validate`: re-check pages or the store's graphs against the shapes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from consultgraph.config import RemoteSettings
from consultgraph.rdf.mapping import RunInfo, map_consultation
from consultgraph.rdf.namespaces import Iris
from consultgraph.rdf.partition import is_consultation_graph, shared_graph_iris
from consultgraph.read import PageError, iter_sources, read_path
from consultgraph.store import open_store
from consultgraph.validate import validate_graph

Result = tuple[str, bool, list[str]]


def validate_pages(paths: Iterable[str | Path]) -> list[Result]:
    """Read, extract, map and validate pages without storing anything."""
    from consultgraph.pipeline import annotate

    run, iris = RunInfo.now(), Iris()
    results: list[Result] = []
    for f in iter_sources(paths):
        for _name, rec in read_path(f):
            if isinstance(rec, PageError):
                results.append((f"{f}", False, [str(rec)]))
                continue
            r = validate_graph(map_consultation(annotate(rec), run, iris))
            results.append((str(f), r.conforms, r.messages()))
    return results


def validate_store(directory: Path, remote: RemoteSettings | None = None) -> list[Result]:
    """Validate every consultation graph in the store, read back through N-Triples.

    N-Triples written by Oxigraph carries plain literals, which rdflib reads as such: the
    xsd:string typing that trips pyshacl's sh:in on Oxigraph-backed graphs does not arise.
    The graph is named in the query (GRAPH <g>), so a remote store answers it the same way.
    """
    shared = ", ".join(f"<{g}>" for g in sorted(shared_graph_iris(Iris())))
    store = open_store(directory, read_only=True, remote=remote)
    iris = Iris()
    results: list[Result] = []
    for g in sorted(store.graphs()):
        if not is_consultation_graph(g, iris):
            continue
        # The consultation's own graph plus what the shared graphs say about the resources
        # it names (physicians, specialties, concepts, the run): what was validated at ingest.
        triples = store.query(f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
              {{ GRAPH <{g}> {{ ?s ?p ?o }} }}
              UNION {{ {{ SELECT DISTINCT ?s WHERE {{ GRAPH <{g}> {{ ?x ?y ?s }} FILTER(isIRI(?s)) }} }}
                      GRAPH ?shared {{ ?s ?p ?o }} FILTER(?shared IN ({shared})) }} }}""",
                              use_default_graph_as_union=False)
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        r = validate_graph(Graph().parse(data=data, format="nt"))
        results.append((g, r.conforms, r.messages()))
    return results
