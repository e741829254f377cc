"""What the store says about one IRI: its statements, its hash resources, links to it, evidence.

All queries go through the executor (same timeout as /sparql) and use DISTINCT, because the
union default graph repeats a triple once per consultation graph that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from consultgraph.config import ONTOLOGY_NS
from consultgraph.rdf.namespaces import EXTERNAL_PREFIXES
from consultgraph.web.executor import Job, QueryExecutor

LABEL_PROPS = ("http://www.w3.org/2004/02/skos/core#prefLabel",
               "http://www.w3.org/2000/01/rdf-schema#label",
               "https://schema.org/headline", "https://schema.org/name")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EXTERNAL_NAMES = {"wikidata": "Wikidata", "mesh": "MeSH", "hpo": "HPO", "icd10cm": "ICD-10-CM",
                  "icd10": "ICD-10", "umls": "UMLS", "rxnorm": "RxNorm", "loinc": "LOINC",
                  "snomed": "SNOMED CT"}


def esc(iri: str) -> str:
    """An IRI safe to put between <> in a query (request paths are user input)."""
    return "".join(c for c in iri if c not in '<>"{}|^`\\ \n\t\r')


@dataclass
class Description:
    iri: str
    statements: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)  # subject -> (p, o)
    inbound: list[tuple[Any, str]] = field(default_factory=list)  # (subject, predicate)
    inbound_truncated: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    graph: str | None = None

    @property
    def exists(self) -> bool:
        return bool(self.statements or self.inbound)

    def triples(self) -> list[ox.Triple]:
        """What the RDF serialisations carry: the document's statements plus links in."""
        out = []
        for s, pairs in self.statements.items():
            subj = _node(s)
            for p, o in pairs:
                out.append(ox.Triple(subj, ox.NamedNode(p), o))
        target = ox.NamedNode(self.iri)
        for s, p in self.inbound:
            out.append(ox.Triple(s, ox.NamedNode(p), target))
        return out


def _node(value: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(value[2:]) if value.startswith("_:") else ox.NamedNode(value)


def _key(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def graph_for(iri: str, base: str) -> str | None:
    """The named graph holding a document's hash resources (consultations have one)."""
    rest = iri[len(base):] if iri.startswith(base) else ""
    if rest.startswith("consultation/"):
        return f"{base}graph/{rest.split('/', 1)[1]}"
    if rest.startswith("graph/"):
        return iri
    return None


def describe(ex: QueryExecutor, iri: str, base: str, *, max_inbound: int = 500) -> Description:
    iri = esc(iri)
    d = Description(iri)
    rows = ex.run(Job(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")).data
    if rows:
        d.statements[iri] = [(p.value, o) for p, o in rows]
    graph = graph_for(iri, base)
    if graph and graph != iri:
        q = (f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o "
             f"FILTER(STRSTARTS(STR(?s), \"{iri}#\")) }} }}")
        for s, p, o in ex.run(Job(q, union=False)).data:
            d.statements.setdefault(_key(s), []).append((p.value, o))
        d.graph = graph
    elif graph == iri:  # a named graph: everything in it
        q = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 20000"
        for s, p, o in ex.run(Job(q, union=False)).data:
            d.statements.setdefault(_key(s), []).append((p.value, o))
    q = (f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> "
         f"FILTER(!STRSTARTS(STR(?s), \"{iri}#\")) }} LIMIT {max_inbound + 1}")
    inbound = ex.run(Job(q)).data
    d.inbound_truncated = len(inbound) > max_inbound
    d.inbound = [(s, p.value) for s, p in inbound[:max_inbound]]
    return d


def add_labels(ex: QueryExecutor, d: Description) -> None:
    """Labels for every IRI on the page (one query)."""
    iris: set[str] = set(d.statements)
    for pairs in d.statements.values():
        iris.update(o.value for _, o in pairs if isinstance(o, ox.NamedNode))
    iris.update(s.value for s, _ in d.inbound if isinstance(s, ox.NamedNode))
    iris = {i for i in iris if not i.startswith("_:")}
    if not iris:
        return
    values = " ".join(f"<{esc(i)}>" for i in sorted(iris)[:2000])
    props = " ".join(f"<{p}>" for p in LABEL_PROPS)
    q = (f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {props} }} "
         f"?x ?p ?l }}")
    found: dict[str, tuple[int, str]] = {}
    for x, p, label in ex.run(Job(q)).data:
        rank = LABEL_PROPS.index(p.value)
        if x.value not in found or rank < found[x.value][0]:
            found[x.value] = (rank, label.value)
    d.labels = {k: v for k, (_, v) in found.items()}


EVIDENCE_FIELDS = ("m", "category", "prop", "concept", "label", "exact", "start", "end",
                   "section", "negated", "hypothetical", "historical", "experiencer",
                   "effective", "supplementary", "consultation")


def evidence(ex: QueryExecutor, *, graph: str | None = None, concept: str | None = None,
             limit: int = 200) -> list[dict[str, Any]]:
    """The mentions behind findings: of one consultation graph, or pointing at one concept."""
    cg = ONTOLOGY_NS
    pattern = f"""
      ?m a <{cg}Mention> ; <{cg}category> ?category ; <{cg}mentionOf> ?consultation ;
         <http://www.w3.org/ns/oa#hasTarget> ?t .
      OPTIONAL {{ ?m <{cg}assertedBy> ?prop }}
      OPTIONAL {{ ?t <http://www.w3.org/ns/oa#hasSelector> ?qs .
                 ?qs <http://www.w3.org/ns/oa#exact> ?exact }}
      OPTIONAL {{ ?t <http://www.w3.org/ns/oa#hasSelector> ?ps .
                 ?ps <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end }}
      OPTIONAL {{ ?m <http://www.w3.org/ns/oa#hasBody> ?concept .
                 OPTIONAL {{ ?concept <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }} }}
      OPTIONAL {{ ?m <{cg}section> ?section }}
      OPTIONAL {{ ?m <{cg}negated> ?negated }}
      OPTIONAL {{ ?m <{cg}hypothetical> ?hypothetical }}
      OPTIONAL {{ ?m <{cg}historical> ?historical }}
      OPTIONAL {{ ?m <{cg}experiencer> ?experiencer }}
      OPTIONAL {{ ?m <{cg}effective> ?effective }}
      OPTIONAL {{ ?m <{cg}supplementary> ?supplementary }}"""
    variables = " ".join("?" + f for f in EVIDENCE_FIELDS)
    if graph:
        q = (f"SELECT {variables} WHERE {{ GRAPH <{esc(graph)}> {{ {pattern} }} }} "
             f"ORDER BY ?section ?start LIMIT {limit}")
        rows = ex.run(Job(q, union=False)).data
    else:
        q = (f"SELECT DISTINCT {variables} WHERE {{ ?m <http://www.w3.org/ns/oa#hasBody> "
             f"<{esc(concept or '')}> . {pattern} }} ORDER BY ?consultation ?start LIMIT {limit}")
        rows = ex.run(Job(q)).data
    out = []
    for row in rows:
        item = {}
        for name, term in zip(EVIDENCE_FIELDS, row, strict=True):
            item[name] = None if term is None else term.value
        out.append(item)
    return out


def external_name(iri: str) -> str | None:
    """'Wikidata Q86' for a skos:exactMatch target, None when it is not a known scheme."""
    for scheme, prefix in EXTERNAL_PREFIXES.items():
        if iri.startswith(prefix):
            ident = iri[len(prefix):]
            return f"{EXTERNAL_NAMES.get(scheme, scheme)} {'HP:' if scheme == 'hpo' else ''}{ident}"
    return None
