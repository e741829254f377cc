"""The compiled shapes (one Oxigraph query) must judge every graph as pyshacl does.

The ingest publishes a batch when the compiled query finds nothing, so a graph pyshacl
rejects but the query accepts would be published unvalidated: these tests break sample
graphs in every way the shapes forbid, and at random, and compare the two verdicts.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from consultgraph.pipeline import annotate
from consultgraph.rdf import CG, SCHEMA, Iris, RunInfo, map_consultation
from consultgraph.rdf.namespaces import OA
from consultgraph.read import read_path
from consultgraph.validate import SHAPES_PATH, validate_graph
from consultgraph.validate_compiled import CompiledShapes, Unsupported, compiled_shapes

RUN = RunInfo(run_id="20260101T000000Z", started="2026-01-01T00:00:00+00:00")
PROV = "http://www.w3.org/ns/prov#"


def consultations(samples_dir: Path, limit: int | None = None):
    out = []
    for f in sorted(samples_dir.glob("*.txt")):
        for _, c in read_path(f):
            if not hasattr(c, "reason"):
                out.append(annotate(c))
    return out[:limit]


def compiled_focus(g: Graph) -> set[str]:
    return {v.focus for v in compiled_shapes().check_ntriples(g.serialize(format="nt"))}


def pyshacl_focus(g: Graph) -> set[str]:
    result = validate_graph(g)
    q = "SELECT ?f WHERE { ?r a <http://www.w3.org/ns/shacl#ValidationResult> ; " \
        "<http://www.w3.org/ns/shacl#focusNode> ?f }"
    focus = {str(row[0]) for row in result.report.query(q)}  # type: ignore[index]
    assert result.conforms == (not focus)
    return focus


def test_samples_conform_under_both(samples_dir: Path) -> None:
    cs = consultations(samples_dir)
    assert len(cs) == 57
    g = Graph()
    for c in cs:
        map_consultation(c, RUN, Iris(), into=g)
    assert sum(1 for _ in g.subjects(RDF.type, CG.Mention)) > 300  # findings are in it
    assert compiled_focus(g) == set() == pyshacl_focus(g)


def _breakages(g: Graph) -> list[tuple[str, Graph]]:
    """One broken copy per rule of the shapes file (and a few the shapes allow)."""
    page = next(g.subjects(RDF.type, CG.Consultation))
    q = g.value(page, SCHEMA.mainEntity)
    a = g.value(q, SCHEMA.acceptedAnswer)
    patient = g.value(q, SCHEMA.author)
    m = next(g.subjects(RDF.type, CG.Mention))
    src = g.value(page, URIRef(PROV + "wasDerivedFrom"))
    phys = g.value(a, SCHEMA.author)
    spec = next(g.subjects(RDF.type, CG.Specialty))
    concept = g.value(m, OA.hasBody)
    pos = next(g.subjects(RDF.type, OA.TextPositionSelector))

    def edit(drop=(), add=()):
        h = Graph()
        for t in g:
            h.add(t)
        for pattern in drop:
            for t in list(h.triples(pattern)):
                h.remove(t)
        for t in add:
            h.add(t)
        return h

    return [
        ("two questions", edit(add=[(page, SCHEMA.mainEntity, URIRef(f"{page}#q2")),
                                    (URIRef(f"{page}#q2"), RDF.type, CG.PatientQuestion)])),
        ("no question", edit(drop=[(page, SCHEMA.mainEntity, None)])),
        ("question of the wrong class", edit(drop=[(q, RDF.type, None)])),
        ("no identifier", edit(drop=[(page, SCHEMA.identifier, None)])),
        ("identifier not a string", edit(drop=[(page, SCHEMA.identifier, None)],
                                         add=[(page, SCHEMA.identifier, Literal(5))])),
        ("empty title", edit(drop=[(q, SCHEMA.name, None)], add=[(q, SCHEMA.name, Literal(""))])),
        ("no ask date", edit(drop=[(q, SCHEMA.dateCreated, None)])),
        ("ask date a string", edit(drop=[(q, SCHEMA.dateCreated, None)],
                                   add=[(q, SCHEMA.dateCreated, Literal("2020-01-01"))])),
        ("ill-typed date", edit(drop=[(q, SCHEMA.dateCreated, None)],
                                add=[(q, SCHEMA.dateCreated, Literal("2020-13-45", datatype=XSD.date))])),
        ("answer before question", edit(drop=[(a, SCHEMA.dateCreated, None)],
                                        add=[(a, SCHEMA.dateCreated,
                                              Literal("1990-01-01", datatype=XSD.date))])),
        ("named patient", edit(add=[(patient, SCHEMA.name, Literal("Wang"))])),
        ("age min above max", edit(drop=[(patient, CG.ageMin, None), (patient, CG.ageMax, None)],
                                   add=[(patient, CG.ageMin, Literal(50, datatype=XSD.integer)),
                                        (patient, CG.ageMax, Literal(40, datatype=XSD.integer))])),
        ("age 200", edit(drop=[(patient, CG.ageMax, None)],
                         add=[(patient, CG.ageMax, Literal(200, datatype=XSD.integer))])),
        ("age a decimal", edit(drop=[(patient, CG.ageMax, None)],
                               add=[(patient, CG.ageMax, Literal("40.5", datatype=XSD.decimal))])),
        ("two sexes", edit(add=[(patient, CG.statedSex, Literal("other"))])),
        ("answer without author", edit(drop=[(a, SCHEMA.author, None)])),
        ("author not a physician", edit(drop=[(phys, RDF.type, None)])),
        ("physician without name", edit(drop=[(phys, SCHEMA.name, None)])),
        ("specialty without label", edit(drop=[(spec, SKOS.prefLabel, None)])),
        ("two English labels", edit(add=[(spec, SKOS.prefLabel, Literal("Other", lang="en"))])),
        ("labels in two languages (allowed)",
         edit(add=[(spec, SKOS.prefLabel, Literal("Autre", lang="fr"))])),
        ("concept without label", edit(drop=[(concept, SKOS.prefLabel, None)])),
        ("unknown category", edit(drop=[(m, CG.category, None)],
                                  add=[(m, CG.category, Literal("gossip"))])),
        ("category with a language", edit(drop=[(m, CG.category, None)],
                                          add=[(m, CG.category, Literal("symptom", lang="en"))])),
        ("mention without quote", edit(drop=[(None, OA.exact, None)])),
        ("negative offset", edit(drop=[(pos, OA.start, None)],
                                 add=[(pos, OA.start, Literal(-3, datatype=XSD.integer))])),
        ("offset a string", edit(drop=[(pos, OA.start, None)],
                                 add=[(pos, OA.start, Literal("12"))])),
        ("negated not boolean", edit(drop=[(m, CG.negated, None)], add=[(m, CG.negated, Literal("no"))])),
        ("two targets", edit(add=[(m, OA.hasTarget, URIRef(f"{m}-other"))])),
        ("bad checksum", edit(drop=[(src, CG.checksum, None)],
                              add=[(src, CG.checksum, Literal("md5:abc"))])),
        ("no source file", edit(drop=[(src, CG.sourceFile, None)])),
        ("blank-node run", edit(drop=[(page, URIRef(PROV + "wasGeneratedBy"), None)],
                                add=[(page, URIRef(PROV + "wasGeneratedBy"), BNode())])),
        ("extra label (allowed)", edit(add=[(page, RDFS.label, Literal("x"))])),
        ("subclass typing (allowed)", edit(drop=[(phys, RDF.type, None)],
                                           add=[(phys, RDF.type, URIRef("urn:x:Surgeon")),
                                                (URIRef("urn:x:Surgeon"), RDFS.subClassOf, CG.Physician)])),
    ]


def test_every_broken_graph_gets_the_same_verdict(samples_dir: Path) -> None:
    [c] = [c for c in consultations(samples_dir) if c.findings and c.asker.age_max and c.more_info_text][:1]
    g = map_consultation(c, RUN)
    cases = _breakages(g)
    for name, broken in cases:
        expected = pyshacl_focus(broken)
        assert compiled_focus(broken) == expected, name
        assert bool(expected) == ("(allowed)" not in name), name


@pytest.mark.parametrize("seed", range(4))
def test_random_damage_gets_the_same_verdict(samples_dir: Path, seed: int) -> None:
    """Deleted triples, objects swapped for literals of other types, duplicated values."""
    rnd = random.Random(seed)
    cs = consultations(samples_dir)
    g = map_consultation(rnd.choice(cs), RUN)
    triples = sorted(g)
    values = [Literal("x"), Literal(""), Literal(7), Literal(-1), Literal(True),
              Literal("2020-01-01", datatype=XSD.date), Literal("y", lang="en"),
              URIRef("urn:x:thing"), CG.Consultation]
    disagreements = []
    for _ in range(40):
        h = Graph()
        for t in triples:
            h.add(t)
        for _ in range(rnd.randint(1, 3)):
            s, p, o = rnd.choice(triples)
            action = rnd.random()
            if action < 0.4:
                h.remove((s, p, o))
            elif action < 0.8:
                h.remove((s, p, o))
                h.add((s, p, rnd.choice(values)))
            else:
                h.add((s, p, rnd.choice(values)))
        if compiled_focus(h) != pyshacl_focus(h):
            disagreements.append(sorted(set(h) ^ set(g)))
    assert not disagreements


def test_shapes_beyond_the_compiler_are_refused_not_ignored() -> None:
    shapes = Graph().parse(SHAPES_PATH)
    shape = URIRef("urn:x:Extra")
    sh = "http://www.w3.org/ns/shacl#"
    shapes.add((shape, RDF.type, URIRef(sh + "NodeShape")))
    shapes.add((shape, URIRef(sh + "targetClass"), CG.Consultation))
    shapes.add((shape, URIRef(sh + "closed"), Literal(True)))
    with pytest.raises(Unsupported, match="closed"):
        CompiledShapes(shapes)
