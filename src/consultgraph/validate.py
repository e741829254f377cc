"""SHACL validation of one consultation graph (pyshacl over a plain rdflib Graph).

Only rdflib graphs built by the mapper are validated here: graphs read back from Oxigraph
carry xsd:string on plain literals and would fail sh:in checks (see DESIGN.md, Store).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor

from consultgraph.config import ROOT


class PreparedQueryProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, keeping each query string's parsed algebra.

    pyshacl hands the same SHACL-SPARQL constraint text to rdflib for every graph it
    validates, and rdflib parses it again each time (pyparsing: ~8 ms, two thirds of the
    whole validation of a consultation). A parsed query is reusable (that is what
    rdflib's prepareQuery is for), so the parse is done once per process.
    """

    _cache: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], object] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # type: ignore[override]  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            prepared = self._cache.get(key)
            if prepared is None:
                if len(self._cache) > 256:
                    self._cache.clear()
                prepared = self._cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


plugin.register("sparql", Processor, __name__, "PreparedQueryProcessor")

SHAPES_PATH = ROOT / "shapes" / "consultgraph.shacl.ttl"
ONTOLOGY_PATH = ROOT / "ontology" / "consultgraph.ttl"


@dataclass(slots=True)
class ValidationResult:
    conforms: bool
    report_text: str
    report: Graph

    def messages(self, limit: int = 5) -> list[str]:
        """Short 'focus node: message' lines for the quarantine report."""
        q = """
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?msg WHERE {
          ?r a sh:ValidationResult ; sh:focusNode ?focus .
          OPTIONAL { ?r sh:resultPath ?path }
          OPTIONAL { ?r sh:resultMessage ?msg }
        } ORDER BY ?focus ?path"""
        out = []
        for row in self.report.query(q):
            focus, path, msg = row  # type: ignore[misc]
            tail = str(focus).rsplit("/", 1)[-1]
            where = f"{tail} {path.n3(self.report.namespace_manager)}" if path else tail
            out.append(f"{where}: {msg}")
        return out[:limit]


@lru_cache(maxsize=1)
def shapes_graph(path: str = str(SHAPES_PATH)) -> Graph:
    return Graph().parse(path, format="turtle")


def validate_graph(data: Graph, shapes: Path | None = None) -> ValidationResult:
    """Validate one consultation's graph against the project's shapes."""
    sg = shapes_graph(str(shapes or SHAPES_PATH))
    conforms, report, text = shacl_validate(
        data, shacl_graph=sg, inference="none", abort_on_first=False, allow_warnings=True
    )
    return ValidationResult(bool(conforms), str(text), report)  # type: ignore[arg-type]
