"""The project's SHACL shapes compiled to one SPARQL query, run by Oxigraph: the ingest's check.

pyshacl walks an rdflib graph node by node in Python: ~6 ms per consultation, which alone
puts 100k pages past ten minutes on two cores. The shapes use a small set of SHACL Core
components (and one SHACL-SPARQL constraint); each has a direct SPARQL translation (the
SHACL spec defines most of them by one), so the whole shapes file becomes one query that
lists every violation, evaluated by Oxigraph over a batch of consultations in a fraction of
a millisecond per page.

pyshacl stays the reference: a batch in which the compiled query finds anything is
re-validated by pyshacl one consultation at a time, which decides and writes the quarantine
messages; `tests/test_validate_compiled.py` checks that both agree on the samples and on
hundreds of broken variants of them. Shapes using anything this module does not translate
raise `Unsupported` when compiled, and the ingest then uses pyshacl for everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS, SH, XSD
from rdflib.term import Node

from consultgraph.rdf.ntriples import nt_term
from consultgraph.validate import SHAPES_PATH


class Unsupported(ValueError):
    """The shapes use a SHACL feature this compiler does not translate."""


@dataclass(frozen=True, slots=True)
class Violation:
    focus: str
    path: str
    component: str
    message: str


# Datatypes whose lexical forms Oxigraph can check by casting (an ill-typed literal fails).
_CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date,
             XSD.dateTime, XSD.string}
_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_IGNORED = {RDF.type, SH.message, SH.name, SH.description, RDFS.comment, RDFS.label, SH.order,
            SH.group, SH.severity}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}


class CompiledShapes:
    """One SPARQL SELECT listing (focus node, constraint number) for every violation."""

    def __init__(self, shapes: Graph):
        self._g = shapes
        self._prefixes: dict[str, str] = {}
        self.constraints: list[tuple[str, str, str]] = []  # (path, component, message)
        branches: list[str] = []
        for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
            branches += self._node_shape(shape)
        if not branches:
            raise Unsupported("the shapes graph has no node shape")
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self._prefixes.items()))
        self.query = (head + "SELECT DISTINCT ?this ?k WHERE {\n"
                      + "\nUNION\n".join(branches) + "\n}")
        # The same without rdfs:subClassOf* steps, for data that declares no subclasses
        # (consultation graphs never do): the path costs half the query's time.
        self.query_flat = self.query.replace(_TYPE_PATH, f"<{RDF.type}>")

    # ------------------------------------------------------------------ running
    def violations(self, store: ox.Store) -> list[Violation]:
        out = []
        flat = not store.query(f"ASK {{ ?s <{RDFS.subClassOf}> ?o }}")
        for row in store.query(self.query_flat if flat else self.query):
            path, component, message = self.constraints[int(row["k"].value)]
            out.append(Violation(row["this"].value, path, component, message))
        return out

    def check_ntriples(self, ntriples: str) -> list[Violation]:
        """Violations in a graph given as N-Triples (loaded into a fresh in-memory store)."""
        store = ox.Store()
        # lenient: our own writer's output, parsed without re-checking every IRI (a third
        # faster); the store's bulk load that follows still checks them all.
        store.load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        return self.violations(store)

    # ------------------------------------------------------------------ compiling
    def _node_shape(self, shape: Node) -> list[str]:
        g = self._g
        if g.value(shape, SH.deactivated) == Literal(True):
            return []
        focus = self._focus(shape)
        if focus is None:
            return []
        out: list[str] = []
        for p, o in g.predicate_objects(shape):
            if p in _IGNORED or p in _TARGETS:
                continue
            if p == SH.property:
                out += self._property_shape(o, focus)
            elif p == SH.sparql:
                out.append(self._sparql(o, focus, str(shape)))
            else:
                raise Unsupported(f"{shape}: node-level {p} is not compiled")
        return out

    def _focus(self, shape: Node) -> str | None:
        g = self._g
        parts = []
        for c in g.objects(shape, SH.targetClass):
            parts.append(f"{{ ?this {_TYPE_PATH} {_term(c)} }}")
        for n in g.objects(shape, SH.targetNode):
            parts.append(f"{{ BIND({_term(n)} AS ?this) }}")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_term(p)} ?any }} }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?any {_term(p)} ?this }} }}")
        if not parts:
            return None
        return "{ " + " UNION ".join(parts) + " }" if len(parts) > 1 else parts[0]

    def _path(self, path: Node) -> str:
        g = self._g
        if isinstance(path, URIRef):
            return _term(path)
        if isinstance(path, BNode):
            if (path, RDF.first, None) in g:
                return "/".join(self._path(p) for p in Collection(g, path))
            inverse = g.value(path, SH.inversePath)
            if inverse is not None:
                return f"^({self._path(inverse)})"
        raise Unsupported(f"property path {path!r} is not compiled")

    def _add(self, path: str, component: str, message: str, body: str) -> str:
        k = len(self.constraints)
        self.constraints.append((path, component, message))
        return f"{{ {body} BIND({k} AS ?k) }}"

    def _property_shape(self, ps: Node, focus: str) -> list[str]:
        g = self._g
        if g.value(ps, SH.deactivated) == Literal(True):
            return []
        severity = g.value(ps, SH.severity)
        if severity is not None and severity != SH.Violation:
            return []  # warnings do not stop a page (allow_warnings in validate.py)
        path_node = g.value(ps, SH.path)
        if path_node is None:
            raise Unsupported(f"{ps}: a property shape without sh:path")
        path = self._path(path_node)
        msg = str(g.value(ps, SH.message) or "")
        each = f"{focus} ?this {path} ?value ."
        out: list[str] = []
        for p, o in g.predicate_objects(ps):
            if p in _IGNORED or p == SH.path:
                continue
            name = p.n3(g.namespace_manager)
            if p in (SH.minCount, SH.maxCount):
                op = "<" if p == SH.minCount else ">"
                body = (f"{{ SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {op} {int(o)}) }}")
            elif p == SH["class"]:
                body = (f"{each} FILTER NOT EXISTS {{ ?value {_TYPE_PATH} {_term(o)} }}")
            elif p == SH.datatype:
                cond = f"!isLiteral(?value) || datatype(?value) != {_term(o)}"
                if o in _CASTABLE and o != XSD.string:  # ill-typed: the cast fails
                    cond += f" || !COALESCE({_term(o)}(STR(?value)) = ?value, false)"
                body = f"{each} FILTER({cond})"
            elif p in (SH.minLength, SH.maxLength):
                op = "<" if p == SH.minLength else ">"
                body = f"{each} FILTER(isBlank(?value) || STRLEN(STR(?value)) {op} {int(o)})"
            elif p == SH.pattern:
                flags = g.value(ps, SH.flags)
                args = _string(str(o)) + (f", {_string(str(flags))}" if flags else "")
                body = f"{each} FILTER(isBlank(?value) || !REGEX(STR(?value), {args}))"
            elif p == SH.flags:
                continue
            elif p == SH["in"]:
                values = " ".join(_term(v) for v in Collection(g, o))
                body = (f"{each} FILTER NOT EXISTS {{ VALUES ?allowed {{ {values} }} "
                        "FILTER(sameTerm(?value, ?allowed)) }")
            elif p == SH.hasValue:
                body = f"{focus} FILTER NOT EXISTS {{ ?this {path} {_term(o)} }}"
            elif p in _COMPARE:
                body = f"{each} FILTER(!COALESCE(?value {_COMPARE[p]} {_term(o)}, false))"
            elif p in _PAIR:
                body = (f"{each} ?this {_term(o)} ?other . "
                        f"FILTER(!COALESCE(?value {_PAIR[p]} ?other, false))")
            elif p == SH.uniqueLang:
                if o != Literal(True):
                    continue
                body = (f"{each} ?this {path} ?other . FILTER(!sameTerm(?value, ?other) && "
                        "LANG(?value) != \"\" && LCASE(LANG(?value)) = LCASE(LANG(?other)))")
            else:
                raise Unsupported(f"{ps}: {p} is not compiled")
            out.append(self._add(path, name, msg, body))
        return out

    def _sparql(self, node: Node, focus: str, shape: str) -> str:
        g = self._g
        select = g.value(node, SH.select)
        if select is None or g.value(node, SH.deactivated) == Literal(True):
            raise Unsupported(f"{shape}: a SHACL-SPARQL constraint without sh:select")
        text = str(select)
        if "$currentShape" in text or "$shapesGraph" in text or "$PATH" in text:
            raise Unsupported(f"{shape}: SHACL-SPARQL pre-bound variables are not compiled")
        for decl_owner in g.objects(node, SH.prefixes):
            for decl in g.objects(decl_owner, SH.declare):
                prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
                if prefix is not None and ns is not None:
                    self._prefixes[str(prefix)] = str(ns)
        msg = str(g.value(node, SH.message) or "")
        return self._add("", "sh:sparql", msg, f"{focus} {{ {text} }}")


_COMPARE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
            SH.maxExclusive: "<"}
_PAIR = {SH.lessThanOrEquals: "<=", SH.lessThan: "<"}


def _term(t: Node) -> str:
    if isinstance(t, URIRef | Literal):
        return nt_term(t)
    raise Unsupported(f"a blank node where an IRI or literal is expected: {t!r}")


def _string(s: str) -> str:
    return nt_term(Literal(s))


@lru_cache(maxsize=4)
def compiled_shapes(path: str = str(SHAPES_PATH)) -> CompiledShapes:
    return CompiledShapes(Graph().parse(path, format="turtle"))


def shapes_compile(path: Path | None = None) -> CompiledShapes | None:
    """The compiled shapes, or None when they use something not compiled (use pyshacl)."""
    try:
        return compiled_shapes(str(path or SHAPES_PATH))
    except Unsupported:
        return None
