"""A triple sink that writes N-Triples directly: the ingest's fast path past rdflib.Graph.

The mapper only ever adds triples. An rdflib Graph indexes each one three ways (and its
terms' hashes) as it goes: ~6 ms per consultation, a third of the whole ingest at 100k pages,
for graphs that are serialised and thrown away. `TripleBuffer` keeps the triples in order
(each once, as a set would) and writes canonical N-Triples itself; the result parses to the
same graph as rdflib's own serializer (tests/test_ntriples.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Protocol, TypeVar

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
K = TypeVar("K", bound=Hashable)


class TripleSink(Protocol):
    """What the mapper writes to: an rdflib Graph, or a TripleBuffer."""

    def add(self, triple: Triple) -> object: ...


class TripleBuffer:
    """Triples in insertion order, without duplicates."""

    __slots__ = ("_triples",)

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}

    def add(self, triple: Triple) -> TripleBuffer:
        self._triples[triple] = None
        return self

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def ntriples(self) -> str:
        """The triples as N-Triples, one per line, each line ending in " .\\n"."""
        term = _Terms()
        return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in self._triples)

    def ntriples_by(self, key: Callable[[str], K]) -> dict[K, str]:
        """The triples as N-Triples, grouped by key(subject IRI), key called once per subject.

        The ingest splits a batch into one graph per consultation this way while writing it,
        instead of writing one text and parsing its lines apart again (~1 ms a page).
        """
        term = _Terms()
        keys: dict[Node, K] = {}
        groups: dict[K, list[str]] = {}
        for s, p, o in self._triples:
            k = keys.get(s)
            if k is None:
                k = keys[s] = key(str(s))
            lines = groups.get(k)
            if lines is None:
                lines = groups[k] = []
            lines.append(f"{term(s)} {term(p)} {term(o)} .\n")
        return {k: "".join(lines) for k, lines in groups.items()}


class _Terms:
    """Term -> N-Triples text, memoised per buffer (IRIs repeat on every line)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[Node, str] = {}

    def __call__(self, t: Node) -> str:
        text = self._seen.get(t)
        if text is None:
            text = self._seen[t] = nt_term(t)
        return text


def nt_term(t: Node) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        lexical = (str(t).replace("\\", "\\\\").replace('"', '\\"')
                   .replace("\n", "\\n").replace("\r", "\\r"))
        if t.language:
            return f'"{lexical}"@{t.language}'
        if t.datatype is not None and t.datatype != XSD.string:
            return f'"{lexical}"^^<{t.datatype}>'
        return f'"{lexical}"'
    raise TypeError(f"only IRIs and literals are published, not {type(t).__name__}: {t!r}")
