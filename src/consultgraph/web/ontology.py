"""/ontology (HTML documentation generated from ontology/consultgraph.ttl, or the Turtle)
and /shapes (the SHACL shapes a published consultation must satisfy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from consultgraph.config import ONTOLOGY_NS, ROOT
from consultgraph.web import cached, curie
from consultgraph.web.errors import error
from consultgraph.web.formats import NotAcceptable, choose

bp = Blueprint("ontology", __name__)
ONTOLOGY_FILE = ROOT / "ontology" / "consultgraph.ttl"
SHAPES_FILE = ROOT / "shapes" / "consultgraph.shacl.ttl"
RDF_NAMES = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml",
             "nquads": "nquads"}


def _graph(path: Path) -> Graph:
    return cached(f"graph:{path}", lambda: Graph().parse(path, format="turtle"))  # type: ignore[no-any-return]


def _serve_rdf(path: Path, page: str, **context: Any) -> Response:
    if not path.is_file():
        return error(404, f"{path.name} is not installed with this server")
    try:
        fmt = choose("rdf", request, html=True)
    except NotAcceptable as exc:
        return error(406, str(exc))
    if fmt is None:
        resp = Response(render_template(page, turtle=path.read_text(encoding="utf-8"), **context))
    elif fmt.name == "turtle":
        resp = Response(path.read_bytes(), content_type=fmt.content_type)
    else:
        data = _graph(path).serialize(format=RDF_NAMES[fmt.name], encoding="utf-8")
        resp = Response(data, content_type=fmt.content_type)
    resp.vary.add("Accept")
    return resp


def _terms(g: Graph, kinds: tuple[URIRef, ...]) -> list[dict[str, Any]]:
    out = []
    for kind in kinds:
        for t in sorted(set(g.subjects(RDF.type, kind))):
            if not str(t).startswith(ONTOLOGY_NS):
                continue
            out.append({
                "name": str(t)[len(ONTOLOGY_NS):], "iri": str(t), "kind": curie(str(kind)),
                "label": str(g.value(t, RDFS.label) or ""),
                "comment": str(g.value(t, RDFS.comment) or ""),
                "super": [curie(str(x)) for x in g.objects(t, RDFS.subClassOf)]
                + [curie(str(x)) for x in g.objects(t, RDFS.subPropertyOf)],
                "domain": [curie(str(x)) for x in g.objects(t, RDFS.domain)],
                "range": [curie(str(x)) for x in g.objects(t, RDFS.range)],
            })
    return out


@bp.route("/ontology")
@bp.route("/ontology.ttl", endpoint="ontology_ttl")
def ontology() -> Response:
    if request.path.endswith(".ttl"):
        return Response(ONTOLOGY_FILE.read_bytes(), content_type="text/turtle; charset=utf-8")
    if not ONTOLOGY_FILE.is_file():
        return error(404, "the ontology file is not installed with this server")
    g = _graph(ONTOLOGY_FILE)
    onto = next(iter(g.subjects(RDF.type, OWL.Ontology)), None)
    return _serve_rdf(
        ONTOLOGY_FILE, "ontology.html",
        title=str(g.value(onto, DCTERMS.title) or "consultgraph ontology"),
        description=str(g.value(onto, DCTERMS.description) or ""),
        classes=_terms(g, (OWL.Class,)),
        properties=_terms(g, (OWL.ObjectProperty, OWL.DatatypeProperty)),
        namespace=ONTOLOGY_NS)


@bp.route("/shapes")
@bp.route("/shapes.ttl", endpoint="shapes_ttl")
def shapes() -> Response:
    if request.path.endswith(".ttl"):
        return Response(SHAPES_FILE.read_bytes(), content_type="text/turtle; charset=utf-8")
    return _serve_rdf(SHAPES_FILE, "shapes.html")
