"""Namespaces and IRI minting. Every IRI the project publishes is made here, deterministically."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from consultgraph.config import ONTOLOGY_NS, base_iri

CG = Namespace(ONTOLOGY_NS)
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "cg": str(CG),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
}

#: External identifier schemes -> IRI prefix (the forms used by bioregistry / identifiers.org).
EXTERNAL_PREFIXES: dict[str, str] = {
    "wikidata": "http://www.wikidata.org/entity/",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "hpo": "http://purl.obolibrary.org/obo/HP_",
    "icd10cm": "http://purl.bioontology.org/ontology/ICD10CM/",
    "icd10": "http://purl.bioontology.org/ontology/ICD10/",
    "umls": "http://linkedlifedata.com/resource/umls/id/",
    "rxnorm": "http://purl.bioontology.org/ontology/RXNORM/",
    "loinc": "https://loinc.org/",
    "snomed": "http://snomed.info/id/",
}


def slugify(text: str) -> str:
    """'Obstetrics and Gynecology' -> 'obstetrics-and-gynecology' (ASCII, stable)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")
    return slug or "x" + format(abs(hash_text(text)), "x")


def hash_text(text: str) -> int:
    """A process-independent hash (Python's hash() is salted per process)."""
    import zlib

    return zlib.crc32(text.encode("utf-8"))


def external_iri(scheme: str, ident: str) -> URIRef | None:
    prefix = EXTERNAL_PREFIXES.get(scheme)
    if not prefix or not ident:
        return None
    if scheme == "hpo":
        ident = ident.removeprefix("HP:")
    return URIRef(prefix + ident)


class Iris:
    """IRI minting under one base (see DESIGN.md, 'IRIs')."""

    def __init__(self, base: str | None = None):
        self.base = base or base_iri()

    def consultation(self, cid: str) -> URIRef:
        return URIRef(f"{self.base}consultation/{cid}")

    def graph(self, cid: str) -> URIRef:
        return URIRef(f"{self.base}graph/{cid}")

    def physician(self, name: str) -> URIRef:
        return URIRef(f"{self.base}physician/{slugify(name)}")

    def specialty(self, label: str) -> URIRef:
        return URIRef(f"{self.base}specialty/{slugify(label)}")

    def concept(self, kind: str, slug: str) -> URIRef:
        return URIRef(f"{self.base}concept/{kind}/{slug}")

    def faq(self, specialty: str | None, label: str) -> URIRef:
        return URIRef(f"{self.base}faq/{slugify(specialty or 'general')}/{slugify(label or 'index')}")

    def run(self, run_id: str) -> URIRef:
        return URIRef(f"{self.base}run/{run_id}")

    def source(self, cid: str) -> URIRef:
        return URIRef(f"{self.base}source/{cid}")

    def software(self, version: str) -> URIRef:
        return URIRef(f"{self.base}software/consultgraph/{version}")

    @property
    def links_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/links")

    @property
    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")
