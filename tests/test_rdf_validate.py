"""Mapping to RDF and SHACL validation: what a published consultation must and must not say."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from consultgraph.model import Concept, Finding
from consultgraph.rdf import CG, SCHEMA, Iris, RunInfo, map_consultation
from consultgraph.read import read_bytes, read_path
from consultgraph.validate import validate_graph

from .test_read_layouts import COMPACT

RUN = RunInfo(run_id="20260101T000000Z", started="2026-01-01T00:00:00+00:00")


def page(text: str = COMPACT):
    [(_, c)] = list(read_bytes(text.encode(), "p1.txt"))
    return c


def test_every_readable_sample_conforms(samples_dir: Path) -> None:
    n = 0
    for f in sorted(samples_dir.glob("*.txt")):
        for _, c in read_path(f):
            if hasattr(c, "reason"):
                continue
            result = validate_graph(map_consultation(c, RUN))
            assert result.conforms, (f.name, result.messages())
            n += 1
    assert n == 57


def test_same_page_gives_the_same_graph() -> None:
    a = map_consultation(page(), RUN)
    b = map_consultation(page(), RUN)
    assert set(a) == set(b) and len(a) > 40


def test_consultation_shape_in_schema_org_terms() -> None:
    g = map_consultation(page(), RUN)
    iris = Iris()
    c = iris.consultation("p1")
    q = URIRef(f"{c}#question")
    a = URIRef(f"{c}#answer")
    assert (c, RDF.type, CG.Consultation) in g
    assert (c, SCHEMA.mainEntity, q) in g
    assert (q, SCHEMA.dateCreated, Literal("2006-12-27", datatype=XSD.date)) in g
    assert (q, SCHEMA.acceptedAnswer, a) in g
    assert (a, SCHEMA.author, iris.physician("Chen Xianchang")) in g
    patient = g.value(q, SCHEMA.author)
    assert g.value(patient, CG.ageMin).toPython() == 30
    # More Info is a supplement with no author, never the physician's words.
    sup = g.value(c, CG.hasSupplement)
    assert sup is not None and g.value(sup, SCHEMA.author) is None
    # FAQ topics carry their specialty; similar Q&As keep their physician.
    topics = list(g.objects(c, CG.relatedFAQ))
    assert len(topics) == 2 and all(g.value(t, CG.faqSpecialty) for t in topics)


def test_the_pseudonym_is_not_published() -> None:
    text = COMPACT.replace("Is it possible", "Thank you, Xiao Fan. Is it possible")
    nt = map_consultation(page(text), RUN).serialize(format="nt")
    assert "Xiao Fan" not in nt and "[ASKER]" in nt


def test_answer_before_question_does_not_conform() -> None:
    bad = page(COMPACT.replace("Reply Date: 2006/12/28", "Reply Date: 2006/12/01"))
    result = validate_graph(map_consultation(bad, RUN))
    assert not result.conforms
    assert any("before the ask date" in m for m in result.messages())


def test_age_range_upside_down_does_not_conform() -> None:
    bad = page(COMPACT.replace("30~39", "39~30"))
    result = validate_graph(map_consultation(bad, RUN))
    assert not result.conforms and any("ageMin" in m for m in result.messages())


def test_finding_evidence_offsets_point_at_the_words_in_published_text() -> None:
    text = COMPACT.replace("Three weeks ago", "Dear Xiao Liu, three weeks ago")
    c = page(text)
    start = c.text.index("facial spasms several")
    concept = Concept(f"{Iris().base}concept/symptom/facial-spasm", "facial spasm", "symptom",
                      {"hpo": "HP:0000000"})
    c.findings = [Finding("symptom", "facial spasms", start, start + 13, "question", concept)]
    g = map_consultation(c, RUN)
    assert validate_graph(g).conforms
    q = URIRef(f"{Iris().consultation('p1')}#question")
    assert (q, CG.reportsSymptom, URIRef(concept.iri)) in g
    published = str(g.value(q, SCHEMA.text))
    assert "Xiao Liu" not in published
    from consultgraph.rdf.namespaces import OA

    pos = next(g.subjects(RDF.type, OA.TextPositionSelector))
    s, e = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
    assert published[s:e] == "facial spasms"
