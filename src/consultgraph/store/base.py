"""What every store backend shares: the payload it is given and the dump formats."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(slots=True, frozen=True)
class GraphPayload:
    """One consultation's named graph, serialised as N-Triples by the worker that made it."""

    graph: str
    ntriples: str
    triples: int


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
