"""/void, /.well-known/void, /dataset: VoID + DCAT description of the dataset.

Statistics come from the store (class partitions, linksets) and from the last ingest report
(records read = published + quarantined); distributions from the dump manifest.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD

from consultgraph import __version__
from consultgraph.config import ONTOLOGY_NS
from consultgraph.rdf.namespaces import EXTERNAL_PREFIXES, PREFIXES
from consultgraph.stats import CLASS_COUNTS
from consultgraph.web import base, cached, executor, read_json, store_path
from consultgraph.web.describe import EXTERNAL_NAMES
from consultgraph.web.errors import error
from consultgraph.web.executor import Job
from consultgraph.web.formats import NotAcceptable, choose

bp = Blueprint("void", __name__)
CG = Namespace(ONTOLOGY_NS)
SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
LINKSET_COUNTS = """
SELECT ?target (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c <http://www.w3.org/2004/02/skos/core#exactMatch> ?target
} GROUP BY ?target"""
PROPERTY_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"


def _stats() -> dict[str, object]:
    ex = executor()
    classes = [(c.value, int(n.value)) for c, n in ex.run(Job(CLASS_COUNTS)).data]
    links: dict[str, int] = {}
    for target, n in ex.run(Job(LINKSET_COUNTS)).data:
        scheme = next((s for s, p in EXTERNAL_PREFIXES.items() if target.value.startswith(p)),
                      "other")
        links[scheme] = links.get(scheme, 0) + int(n.value)
    props = [(p.value, int(n.value)) for p, n in
             ex.run(Job(PROPERTY_COUNTS, default_graph=None, union=True)).data]
    entities = ex.run(Job("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")).data[0][0]
    return {"classes": classes, "links": links, "properties": props,
            "subjects": int(entities.value)}


def void_graph(root: str) -> Graph:
    """The VoID/DCAT graph; `root` is this server's URL (where endpoint and dumps answer)."""
    s = cached("void", _stats)
    b = base()
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("foaf", FOAF)
    g.bind("spdx", SPDX)
    ds = URIRef(f"{b}dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("consultgraph: medical Q&A consultations", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Patient questions and physician answers from a medical Q&A service, as linked data: "
        "one named graph per consultation, clinical findings with their textual evidence "
        "(W3C Web Annotation), concepts linked to Wikidata, MeSH and other vocabularies. "
        "Askers are anonymous.", lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.conformsTo, URIRef(ONTOLOGY_NS.rstrip("#"))))
    g.add((ds, VOID.uriSpace, Literal(b)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    g.add((ds, FOAF.homepage, URIRef(root)))
    g.add((ds, VOID.exampleResource, URIRef(root + "sparql")))
    for prefix in ("schema", "oa", "prov", "skos", "dcterms", "cg"):
        g.add((ds, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    g.add((ds, DCTERMS.hasVersion, Literal(__version__)))
    meta = read_json(store_path() / "dumps" / "manifest.json")
    info = meta.get("_meta", {})
    if isinstance(info, dict) and "triples" in info:
        g.add((ds, VOID.triples, Literal(int(info["triples"]), datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(s["subjects"], datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(s["properties"]), datatype=XSD.integer)))  # type: ignore[arg-type]
    g.add((ds, VOID.classes, Literal(len(s["classes"]), datatype=XSD.integer)))  # type: ignore[arg-type]
    for cls, n in s["classes"]:  # type: ignore[attr-defined]
        part = URIRef(f"{b}dataset#class-{_frag(cls)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for prop, n in s["properties"]:  # type: ignore[attr-defined]
        part = URIRef(f"{b}dataset#property-{_frag(prop)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
    for scheme, n in sorted(s["links"].items()):  # type: ignore[attr-defined]
        ls = URIRef(f"{b}dataset#links-{scheme}")
        g.add((ds, VOID.subset, ls))
        g.add((ls, RDF.type, VOID.Linkset))
        g.add((ls, DCTERMS.title, Literal(f"Concepts linked to {EXTERNAL_NAMES.get(scheme, scheme)}")))
        g.add((ls, VOID.linkPredicate, SKOS.exactMatch))
        g.add((ls, VOID.subjectsTarget, ds))
        if scheme in EXTERNAL_PREFIXES:
            target = URIRef(f"{b}dataset#external-{scheme}")
            g.add((ls, VOID.objectsTarget, target))
            g.add((target, RDF.type, VOID.Dataset))
            g.add((target, VOID.uriSpace, Literal(EXTERNAL_PREFIXES[scheme])))
            g.add((target, DCTERMS.title, Literal(EXTERNAL_NAMES.get(scheme, scheme))))
        g.add((ls, VOID.triples, Literal(n, datatype=XSD.integer)))
    for name, entry in meta.items():
        if name.startswith("_") or not isinstance(entry, dict):
            continue
        url = URIRef(f"{root}dumps/{entry['file']}")
        dist = URIRef(f"{b}dataset#dump-{name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(
            f"https://www.iana.org/assignments/media-types/{entry['media_type']}")))
        if "conforms_to" in entry:  # the SSSOM mapping set: a distribution, not an RDF dump
            g.add((dist, DCTERMS.conformsTo, URIRef(str(entry["conforms_to"]))))
            g.add((dist, DCTERMS.title, Literal("SSSOM mapping set of our concepts to "
                                                "external identifiers")))
        else:
            g.add((ds, VOID.dataDump, url))
            g.add((dist, DCAT.compressFormat, URIRef(
                "https://www.iana.org/assignments/media-types/application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(int(entry["bytes"]), datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, LICENSE))
        ck = BNode()
        g.add((dist, SPDX.checksum, ck))
        g.add((ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((ck, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))
    sparql = URIRef(f"{b}dataset#sparql")
    g.add((ds, DCAT.distribution, sparql))
    g.add((sparql, RDF.type, DCAT.Distribution))
    g.add((sparql, DCAT.accessURL, URIRef(root + "sparql")))
    g.add((sparql, DCTERMS.title, Literal("SPARQL 1.1 endpoint")))
    report = read_json(store_path() / "reports" / "ingest-latest.json")
    if report:
        for prop, key in ((CG.recordsRead, "read"), (CG.recordsPublished, "published"),
                          (CG.recordsQuarantined, "quarantined")):
            g.add((ds, prop, Literal(int(report.get(key, 0)), datatype=XSD.integer)))
        g.add((ds, DCTERMS.modified, Literal(report.get("started", ""), datatype=XSD.dateTime)))
    return g


def _frag(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}-{iri[len(ns):]}"
    return "".join(c if c.isalnum() else "-" for c in iri)[-60:]


@bp.route("/void")
@bp.route("/.well-known/void")
@bp.route("/dataset")
def void() -> Response:
    try:
        fmt = choose("rdf", request, html=True)
    except NotAcceptable as exc:
        return error(406, str(exc))
    g = void_graph(request.url_root)
    if fmt is None:
        ttl = g.serialize(format="turtle")
        resp = Response(render_template("void.html", turtle=ttl))
    else:
        names = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml",
                 "nquads": "nquads"}
        resp = Response(g.serialize(format=names[fmt.name], encoding="utf-8"),
                        content_type=fmt.content_type)
    resp.vary.add("Accept")
    return resp
