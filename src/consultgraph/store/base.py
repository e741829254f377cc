"""What every store backend shares: the payload it is given and the dump formats."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox


@dataclass(slots=True, frozen=True)
class GraphPayload:
    """One consultation's named graph, serialised as N-Triples by the worker that made it.

    `ntriples` replaces the graph; `shared` maps shared graphs (vocabulary, physicians, runs)
    to N-Triples that are added to them (see rdf/partition.py).
    """

    graph: str
    ntriples: str
    triples: int
    shared: dict[str, str] = field(default_factory=dict)


def merged_shared(payloads: list[GraphPayload]) -> dict[str, str]:
    """The shared statements of a batch, each line once per shared graph."""
    lines: dict[str, dict[str, None]] = {}
    for p in payloads:
        for graph, nt in p.shared.items():
            bucket = lines.setdefault(graph, {})
            for line in nt.splitlines():
                if line.strip():
                    bucket[line] = None
    return {g: "\n".join(ls) + "\n" for g, ls in lines.items()}


@dataclass(slots=True, frozen=True)
class DumpFormat:
    name: str
    suffix: str
    media_type: str
    oxigraph: ox.RdfFormat
    quads: bool


DUMP_FORMATS: dict[str, DumpFormat] = {
    "turtle": DumpFormat("turtle", ".ttl", "text/turtle", ox.RdfFormat.TURTLE, False),
    "ntriples": DumpFormat("ntriples", ".nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, False),
    "nquads": DumpFormat("nquads", ".nq", "application/n-quads", ox.RdfFormat.N_QUADS, True),
    "trig": DumpFormat("trig", ".trig", "application/trig", ox.RdfFormat.TRIG, True),
    "jsonld": DumpFormat("jsonld", ".jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, False),
}
