"""Mapping to RDF: namespaces and IRI minting, and Consultation -> rdflib Graph."""

from consultgraph.rdf.mapping import RunInfo, map_consultation
from consultgraph.rdf.namespaces import CG, SCHEMA, Iris

__all__ = ["CG", "SCHEMA", "Iris", "RunInfo", "map_consultation"]
