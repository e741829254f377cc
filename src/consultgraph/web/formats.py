"""Output formats, registered by name (Datasette-style) and chosen by `format=` or Accept."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request


@dataclass(frozen=True, slots=True)
class Format:
    """One output format: `kind` is "results" (SELECT/ASK) or "rdf" (graphs)."""

    name: str
    kind: str
    media_type: str
    aliases: tuple[str, ...] = ()  # other names accepted in format= / output=
    accept: tuple[str, ...] = ()  # other media types that select it
    suffix: str | None = None
    w3c: str | None = None  # http://www.w3.org/ns/formats/ IRI for the service description

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "triples", "quads"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


FORMATS: dict[tuple[str, str], Format] = {}


def register_format(fmt: Format) -> Format:
    """Make a format available to /sparql and resource pages (first registered = default)."""
    FORMATS[(fmt.kind, fmt.name)] = fmt
    return fmt


W3 = "http://www.w3.org/ns/formats/"
for _f in (
    Format("json", "results", "application/sparql-results+json", ("srj",),
           ("application/json", "text/javascript", "application/javascript"), None,
           W3 + "SPARQL_Results_JSON"),
    Format("xml", "results", "application/sparql-results+xml", ("srx",),
           ("application/xml", "text/xml"), None, W3 + "SPARQL_Results_XML"),
    Format("csv", "results", "text/csv", (), (), None, W3 + "SPARQL_Results_CSV"),
    Format("tsv", "results", "text/tab-separated-values", (), (), None,
           W3 + "SPARQL_Results_TSV"),
    Format("turtle", "rdf", "text/turtle", ("ttl", "n3"),
           ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"),
           ".ttl", W3 + "Turtle"),
    Format("ntriples", "rdf", "application/n-triples", ("nt", "n-triples"), ("text/plain",),
           ".nt", W3 + "N-Triples"),
    Format("jsonld", "rdf", "application/ld+json", ("json-ld", "json"),
           ("application/x-json+ld", "application/json"), ".jsonld", W3 + "JSON-LD"),
    Format("rdfxml", "rdf", "application/rdf+xml", ("rdf", "rdf+xml", "xml", "owl"),
           ("application/xml", "text/xml"), ".rdf", W3 + "RDF_XML"),
    Format("nquads", "rdf", "application/n-quads", ("nq", "n-quads"), (), ".nq", W3 + "N-Quads"),
):
    register_format(_f)


def formats_of(kind: str) -> list[Format]:
    return [f for (k, _), f in FORMATS.items() if k == kind]


def by_suffix(suffix: str) -> Format | None:
    return next((f for f in formats_of("rdf") if f.suffix == suffix), None)


class NotAcceptable(Exception):
    pass


def choose(kind: str, request: Request, *, html: bool = False) -> Format | None:
    """The format for `kind` asked by `format=`/`output=`, else by Accept (q-values).

    Returns None when HTML is offered (`html=True`) and the client prefers it; raises
    NotAcceptable when the client named something we cannot produce.
    """
    wanted = request.values.get("format") or request.values.get("output")
    candidates = formats_of(kind)
    if wanted:
        w = wanted.strip().lower()
        for f in candidates:
            if w in (f.name, f.media_type, *f.aliases, *f.accept):
                return f
        if html and w == "html":
            return None
        raise NotAcceptable(f"unknown format {wanted!r}; use one of "
                            + ", ".join(f.name for f in candidates))
    offered: list[str] = []
    owner: dict[str, Format | None] = {}
    accept = request.accept_mimetypes
    # HTML only when the client names it (browsers do); "*/*" (curl, libraries) gets data.
    if html and any(v in ("text/html", "application/xhtml+xml") and q > 0 for v, q in accept):
        offered.append("text/html")
        owner["text/html"] = None
    for f in candidates:
        for mt in (f.media_type, *f.accept):
            if mt not in owner:
                offered.append(mt)
                owner[mt] = f
    if not accept or not request.headers.get("Accept"):
        return owner[offered[0]]
    best = accept.best_match(offered)
    if best is None:
        raise NotAcceptable("none of the media types in Accept can be produced here; available: "
                            + ", ".join(f.media_type for f in candidates))
    return owner[best]
