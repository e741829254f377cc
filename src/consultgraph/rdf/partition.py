"""Which named graph each triple of a consultation belongs to.

A consultation's own statements (its page, question, answer, patient, mentions, source) go
to its named graph, replaced as a whole on re-ingest. Statements about shared resources —
concepts, specialties and FAQ topics, physicians, ingest runs — go once into shared graphs.
Were they repeated in every consultation graph, the union default graph (a bag in Oxigraph)
would hold them once per consultation, and every join through a concept's label would be
multiplied by the number of consultations mentioning it (12 s instead of 0.1 s for a
"tests per symptom" query at 1k pages).
"""

from __future__ import annotations

from consultgraph.rdf.namespaces import Iris

#: IRI path prefix (after the base) -> shared graph name (after "{base}graph/").
SHARED: dict[str, str] = {
    "concept/": "vocabulary",
    "specialty/": "vocabulary",
    "faq/": "vocabulary",
    "physician/": "physicians",
    "run/": "runs",
    "software/": "runs",
}
SHARED_GRAPHS = frozenset(SHARED.values()) | {"links"}


def shared_graph_iris(iris: Iris) -> set[str]:
    return {f"{iris.base}graph/{name}" for name in SHARED_GRAPHS}


def is_consultation_graph(graph: str, iris: Iris) -> bool:
    prefix = f"{iris.base}graph/"
    return graph.startswith(prefix) and graph[len(prefix):] not in SHARED_GRAPHS


class Owner:
    """Subject IRI -> where its statements go: (consultation id, None) for a consultation's
    own graph, (None, shared graph IRI) for a shared one.

    A subject belongs to the consultation it is part of ({base}consultation/{id}, with or
    without a fragment, or {base}source/{id}); subjects of shared resources go to the shared
    graphs; anything else is a mapping bug and raises.
    """

    def __init__(self, iris: Iris) -> None:
        self.base = iris.base
        self._cons = iris.base + "consultation/"
        self._src = iris.base + "source/"

    def __call__(self, subject: str) -> tuple[str | None, str | None]:
        if subject.startswith(self._cons):
            return subject[len(self._cons):].split("#", 1)[0], None
        if subject.startswith(self._src):
            return subject[len(self._src):], None
        if subject.startswith(self.base):
            rest = subject[len(self.base):]
            for prefix, name in SHARED.items():
                if rest.startswith(prefix):
                    return None, f"{self.base}graph/{name}"
        raise ValueError(f"a statement about {subject} belongs to no consultation nor "
                         "shared graph")


def split_by_consultation(nt: str, iris: Iris) -> tuple[dict[str, str], dict[str, str]]:
    """N-Triples of a batch -> ({consultation id: its own lines}, {shared graph: lines})."""
    owner = Owner(iris)
    own: dict[str, list[str]] = {}
    shared: dict[str, list[str]] = {}
    for line in nt.splitlines():
        if not line.strip():
            continue
        if not line.startswith("<"):
            raise ValueError(f"a triple belongs to no consultation nor shared graph: {line[:200]}")
        cid, graph = owner(line[1:line.find(">")])
        if cid is not None:
            own.setdefault(cid, []).append(line)
        else:
            shared.setdefault(str(graph), []).append(line)
    return ({cid: "\n".join(ls) + "\n" for cid, ls in own.items()},
            {g: "\n".join(ls) + "\n" for g, ls in shared.items()})

