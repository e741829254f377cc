"""Linked Data: every IRI under the base answers at its path on this server.

HTML for browsers, Turtle / JSON-LD / N-Triples / RDF/XML by Accept or by suffix (.ttl,
.jsonld, .nt, .rdf); hash IRIs (#question, #answer, #m12-20) are described on their
document's page, each in a section whose id is the fragment.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup, escape

from consultgraph.rdf.namespaces import PREFIXES
from consultgraph.web import base, curie, executor, local_path
from consultgraph.web.describe import (
    RDF_TYPE,
    Description,
    add_labels,
    describe,
    evidence,
    external_name,
)
from consultgraph.web.errors import error
from consultgraph.web.executor import QueryFailed
from consultgraph.web.formats import Format, NotAcceptable, by_suffix, choose

bp = Blueprint("resources", __name__)
MATCH = ("http://www.w3.org/2004/02/skos/core#exactMatch",
         "http://www.w3.org/2004/02/skos/core#closeMatch")
EVIDENCE_PART = ("-target", "-quote", "-position")


@bp.route("/<path:path>", methods=["GET", "HEAD"])
def resource(path: str) -> Response:
    fmt: Format | None
    suffix = "." + path.rsplit(".", 1)[1] if "." in path.rsplit("/", 1)[-1] else ""
    forced = by_suffix(suffix) if suffix else None
    if forced:
        path = path[: -len(suffix)]
        fmt = forced
    else:
        try:
            fmt = choose("rdf", request, html=True)
        except NotAcceptable as exc:
            return error(406, str(exc))
    iri = base() + path
    try:
        d = describe(executor(), iri, base(),
                     max_inbound=int(current_app.config["DESCRIBE_MAX_INBOUND"]))
    except QueryFailed as exc:
        return error(exc.status, exc.message)
    if not d.exists:
        abort(404, description=f"nothing is known about <{iri}>")
    if fmt is not None:
        data = ox.serialize(d.triples(), format=ox.RdfFormat.from_media_type(fmt.media_type),
                            prefixes=dict(PREFIXES) if fmt.name in ("turtle", "rdfxml") else None)
        resp = Response(data, content_type=fmt.content_type)
    else:
        resp = Response(render_html(d, path))
        resp.headers["Link"] = ", ".join(
            f'<{local_path(iri)}.{s}>; rel="alternate"; type="{t}"'
            for s, t in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                         ("nt", "application/n-triples")))
    if not forced:
        resp.vary.add("Accept")
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


def render_html(d: Description, path: str) -> str:
    ex = executor()
    add_labels(ex, d)
    main = d.statements.get(d.iri, [])
    types = [o.value for p, o in main if p == RDF_TYPE]
    evid: list[dict[str, Any]] = []
    if d.graph:
        evid = evidence(ex, graph=d.graph)
    elif any(t.endswith("Concept") or t.endswith("#Specialty") for t in types):
        evid = evidence(ex, concept=d.iri, limit=100)
    sections = []
    evidence_nodes = []
    for subject, pairs in d.statements.items():
        frag = subject.split("#", 1)[1] if "#" in subject else ""
        section = {"iri": subject, "fragment": frag, "label": d.labels.get(subject),
                   "types": [o.value for p, o in pairs if p == RDF_TYPE],
                   "rows": [(p, o) for p, o in sorted(pairs, key=_order) if p != RDF_TYPE]}
        if subject == d.iri:
            sections.insert(0, section)
        elif frag.startswith("m") and (frag[1:2].isdigit()):
            evidence_nodes.append(section)
        else:
            sections.append(section)
    order = {"question": 0, "answer": 1, "patient": 2, "supplement": 3}
    sections[1:] = sorted(sections[1:], key=lambda s: (order.get(s["fragment"], 9), s["iri"]))
    external = [(o.value, external_name(o.value) or o.value) for p, o in main
                if p in MATCH and isinstance(o, ox.NamedNode)]
    inbound: dict[str, list[Any]] = {}
    for s, p in d.inbound:
        inbound.setdefault(p, []).append(s)
    title = d.labels.get(d.iri) or curie(d.iri)
    return render_template(
        "resource.html", d=d, title=title, types=types, sections=sections,
        evidence_nodes=evidence_nodes, evidence=evid, external=external, inbound=inbound,
        term=lambda t: render_term(t, d.labels), curie=curie, path=path)


def _order(pair: tuple[str, Any]) -> tuple[int, str]:
    p = pair[0]
    first = ("https://schema.org/headline", "https://schema.org/name",
             "http://www.w3.org/2004/02/skos/core#prefLabel",
             "http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/text")
    return (first.index(p) if p in first else len(first), p)


def render_term(term: Any, labels: dict[str, str]) -> Markup:
    """An RDF term as HTML: our IRIs link to their page here, others link out."""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        label = labels.get(iri) or external_name(iri) or curie(iri)
        if iri not in labels and "#" in iri and iri.startswith(base()):
            label = "#" + iri.split("#", 1)[1]  # a part of a page: its fragment says enough
        if iri.startswith(base()):
            return Markup('<a href="{}">{}</a>').format(local_path(iri), label)
        if iri.startswith(PREFIXES["cg"]):
            return Markup('<a href="/ontology#{}">{}</a>').format(iri.split("#", 1)[1], label)
        return Markup('<a class="ext" href="{}" rel="nofollow noopener">{}</a>').format(iri, label)
    if isinstance(term, ox.BlankNode):
        return Markup("<code>_:{}</code>").format(term.value)
    if isinstance(term, ox.Literal):
        text = escape(term.value)
        extra = ""
        if term.language:
            extra = f'<span class="dt">@{escape(term.language)}</span>'
        elif term.datatype and not term.datatype.value.endswith("#string"):
            extra = f'<span class="dt">{escape(curie(term.datatype.value))}</span>'
        cls = "long" if len(term.value) > 120 else "lit"
        return Markup(f'<span class="{cls}">{text}</span>{extra}')
    return Markup(escape(str(term)))
