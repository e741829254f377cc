"""Consultation -> one rdflib Graph (the consultation's named graph), deterministically.

The same page always gives the same triples (no blank nodes, IRIs minted from ids and
offsets), so that re-ingesting a page replaces its named graph with an identical one, and
dumps diff cleanly. Published text is de-identified here (privacy.redact) and evidence
offsets are re-computed against the published text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, overload

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as _ns

from consultgraph import __version__
from consultgraph.config import publish_snomed
from consultgraph.model import Consultation, Finding
from consultgraph.privacy import redact
from consultgraph.rdf import namespaces as _own
from consultgraph.rdf.namespaces import PREFIXES, Iris, external_iri
from consultgraph.rdf.ntriples import TripleSink


class _Terms:
    """A namespace whose terms are made once: rdflib builds a new URIRef on every attribute
    access (~5 µs), and the mapper asks for ~300 terms a consultation."""

    def __init__(self, ns: Any):
        self._ns = ns

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term  # type: ignore[no-any-return]


CG, OA, SCHEMA = _Terms(_own.CG), _Terms(_own.OA), _Terms(_own.SCHEMA)
DCTERMS, PROV, RDF, RDFS, SKOS, XSD = (_Terms(n) for n in (_ns.DCTERMS, _ns.PROV, _ns.RDF, _ns.RDFS,
                                                           _ns.SKOS, _ns.XSD))


@lru_cache(maxsize=8192, typed=True)  # typed: True and 1 are different literals
def _value(value: object, datatype: URIRef | None = None, lang: str | None = None) -> Literal:
    """A literal for a value that recurs (flags, categories, offsets, labels): made once."""
    return Literal(value, datatype=datatype, lang=lang)

Sink = TypeVar("Sink", bound=TripleSink)

#: finding category -> (property on the question/answer, subject node, concept class)
FINDING_PROPERTIES: dict[str, tuple[URIRef, str]] = {
    "symptom": (CG.reportsSymptom, "question"),
    "negated_symptom": (CG.deniesSymptom, "question"),
    "condition": (CG.mentionsCondition, "section"),
    "test_reported": (CG.reportsTest, "question"),
    "test_recommended": (CG.recommendsTest, "answer"),
    "treatment_reported": (CG.triedTreatment, "question"),
    "treatment_recommended": (CG.recommendsTreatment, "answer"),
    "referral": (CG.refersTo, "answer"),
}
CONCEPT_CLASSES: dict[str, URIRef] = {
    "symptom": CG.SymptomConcept,
    "condition": CG.ConditionConcept,
    "test": CG.TestConcept,
    "treatment": CG.TreatmentConcept,
    "drug": CG.DrugConcept,
    "specialty": CG.Specialty,
}
GENDERS = {"female": SCHEMA.Female, "male": SCHEMA.Male}


@dataclass(slots=True)
class RunInfo:
    """The ingest run that produced a graph (provenance)."""

    run_id: str
    started: str  # ISO 8601 timestamp

    @classmethod
    def now(cls) -> RunInfo:
        t = dt.datetime.now(dt.UTC).replace(microsecond=0)
        return cls(run_id=t.strftime("%Y%m%dT%H%M%SZ"), started=t.isoformat())


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


@overload
def map_consultation(c: Consultation, run: RunInfo, iris: Iris | None = None,
                     into: None = None) -> Graph: ...
@overload
def map_consultation(c: Consultation, run: RunInfo, iris: Iris | None, into: Sink) -> Sink: ...
@overload
def map_consultation(c: Consultation, run: RunInfo, iris: Iris | None = None, *,
                     into: Sink) -> Sink: ...


def map_consultation(
    c: Consultation, run: RunInfo, iris: Iris | None = None, into: TripleSink | None = None
) -> TripleSink:
    """The consultation's named-graph content as an rdflib Graph (validated next).

    `into` adds to an existing sink instead: the ingest maps a batch of consultations into
    one rdf.ntriples.TripleBuffer (N-Triples without an rdflib Graph's indexing cost) and
    validates them together (see pipeline.process_files).
    """
    iris = iris or Iris()
    g = new_graph() if into is None else into
    add = g.add
    page = iris.consultation(c.id)
    question = URIRef(f"{page}#question")
    patient = URIRef(f"{page}#patient")
    pseudonym = c.asker.pseudonym

    add((page, RDF.type, CG.Consultation))
    add((page, SCHEMA.identifier, Literal(c.id)))
    add((page, SCHEMA.mainEntity, question))
    if c.page_title:
        add((page, SCHEMA.headline, Literal(redact(c.page_title, pseudonym)[0])))
    if c.page_specialty:
        add((page, SCHEMA.specialty, _specialty(g, iris, c.page_specialty)))

    add((question, RDF.type, CG.PatientQuestion))
    if c.question_title:
        add((question, SCHEMA.name, Literal(redact(c.question_title, pseudonym)[0])))
    if c.question_text is not None:
        add((question, SCHEMA.text, Literal(redact(c.question_text, pseudonym)[0])))
    if c.ask_date:
        add((question, SCHEMA.dateCreated, _date(c.ask_date)))
    add((question, SCHEMA.author, patient))
    add((question, CG.aboutPatient, patient))
    add((patient, RDF.type, CG.AnonymousPatient))
    if c.asker.age_min is not None:
        add((patient, CG.ageMin, _value(c.asker.age_min, XSD.integer)))
    if c.asker.age_max is not None:
        add((patient, CG.ageMax, _value(c.asker.age_max, XSD.integer)))
    if c.asker.sex:
        add((patient, CG.statedSex, _value(c.asker.sex)))
        if c.asker.sex in GENDERS:
            add((patient, SCHEMA.gender, GENDERS[c.asker.sex]))

    answer = None
    if c.physician_name:
        answer = URIRef(f"{page}#answer")
        physician = iris.physician(c.physician_name)
        add((question, SCHEMA.acceptedAnswer, answer))
        add((answer, RDF.type, CG.PhysicianAnswer))
        add((answer, SCHEMA.parentItem, question))
        add((answer, SCHEMA.author, physician))
        if c.reply_text is not None:
            add((answer, SCHEMA.text, Literal(redact(c.reply_text, pseudonym)[0])))
        if c.reply_date:
            add((answer, SCHEMA.dateCreated, _date(c.reply_date)))
        spec = _physician(g, iris, c.physician_name, c.physician_specialty)
        if spec is not None:
            add((answer, CG.answerSpecialty, spec))

    supplement = None
    if c.more_info_text:
        supplement = URIRef(f"{page}#supplement")
        add((page, CG.hasSupplement, supplement))
        add((supplement, RDF.type, CG.Supplement))
        add((supplement, SCHEMA.isPartOf, page))
        add((supplement, SCHEMA.text, Literal(redact(c.more_info_text, pseudonym)[0])))

    for n, item in enumerate(c.similar, start=1):
        node = URIRef(f"{page}#similar-{n}")
        add((page, CG.similarQuestion, node))
        add((node, RDF.type, CG.SimilarQuestion))
        add((node, SCHEMA.position, _value(n, XSD.integer)))
        add((node, SCHEMA.name, Literal(redact(item.title)[0])))
        if item.question_excerpt:
            add((node, CG.questionExcerpt, Literal(redact(item.question_excerpt)[0])))
        if item.answer_excerpt:
            add((node, CG.answerExcerpt, Literal(redact(item.answer_excerpt)[0])))
        if item.physician_name:
            add((node, CG.answeredBy, iris.physician(item.physician_name)))
            spec = _physician(g, iris, item.physician_name, item.specialty)
            if spec is not None:
                add((node, CG.answerSpecialty, spec))

    for topic in c.faq:
        node = iris.faq(topic.specialty, topic.label)
        add((page, CG.relatedFAQ, node))
        add((node, RDF.type, CG.FAQTopic))
        label = topic.label or f"{topic.specialty or 'General'} FAQ"
        add((node, RDFS.label, Literal(label)))
        if topic.specialty:
            add((node, CG.faqSpecialty, _specialty(g, iris, topic.specialty)))

    _map_findings(g, c, iris, page, question, answer, supplement)
    _provenance(g, c, iris, run, page)
    return g


def _physician(g: TripleSink, iris: Iris, name: str, specialty: str | None) -> URIRef | None:
    """Describe a physician (a public professional, by name); returns the specialty node."""
    node = iris.physician(name)
    g.add((node, RDF.type, CG.Physician))
    g.add((node, SCHEMA.name, _value(name)))
    g.add((node, RDFS.label, _value(f"Dr. {name}")))
    if not specialty:
        return None
    spec = _specialty(g, iris, specialty)
    g.add((node, SCHEMA.medicalSpecialty, spec))
    return spec


def _specialty(g: TripleSink, iris: Iris, label: str) -> URIRef:
    node = iris.specialty(label)
    g.add((node, RDF.type, CG.Specialty))
    g.add((node, SKOS.prefLabel, _value(label, lang="en")))
    g.add((node, RDFS.label, _value(label, lang="en")))
    return node


def _concept(g: TripleSink, f: Finding) -> URIRef | None:
    if f.concept is None:
        return None
    node = URIRef(f.concept.iri)
    g.add((node, RDF.type, CONCEPT_CLASSES.get(f.concept.kind, CG.MedicalConcept)))
    g.add((node, SKOS.prefLabel, _value(f.concept.label, lang="en")))
    g.add((node, RDFS.label, _value(f.concept.label, lang="en")))
    snomed_ok = publish_snomed()
    for scheme, ident in sorted(f.concept.ids.items()):
        if scheme == "snomed" and not snomed_ok:
            continue
        target = external_iri(scheme, ident)
        if target is not None:
            g.add((node, SKOS.exactMatch, target))
    return node


def _map_findings(
    g: TripleSink,
    c: Consultation,
    iris: Iris,
    page: URIRef,
    question: URIRef,
    answer: URIRef | None,
    supplement: URIRef | None,
) -> None:
    """Findings as typed properties, each with a Web Annotation mention as its evidence."""
    pseudonym = c.asker.pseudonym
    published: dict[str, tuple[str, object]] = {}
    used: set[str] = set()
    for f in c.findings:
        sec = c.section(f.section)
        if sec is None:
            continue
        if f.section in ("question_title", "question"):
            holder, field = question, (SCHEMA.name if f.section == "question_title" else SCHEMA.text)
        elif f.section == "reply" and answer is not None:
            holder, field = answer, SCHEMA.text
        elif f.section == "more_info" and supplement is not None:
            holder, field = supplement, SCHEMA.text
        else:
            continue
        if f.section not in published:
            published[f.section] = redact(c.text[sec.start : sec.end], pseudonym)
        text, offmap = published[f.section]
        start, end = offmap(f.start - sec.start), offmap(f.end - sec.start)  # type: ignore[operator]
        concept = _concept(g, f)
        prop, _ = FINDING_PROPERTIES[f.category]
        if concept is not None and not f.supplementary:
            subject = holder if holder != supplement else None
            if subject is not None:
                g.add((subject, prop, concept))
        key = f"m{f.start}-{f.end}"
        if key in used:
            key = f"{key}-{f.category}"
        used.add(key)
        m = URIRef(f"{page}#{key}")
        target = URIRef(f"{page}#{key}-target")
        g.add((m, RDF.type, CG.Mention))
        g.add((m, RDF.type, OA.Annotation))
        g.add((m, OA.motivatedBy, OA.identifying))
        g.add((m, CG.category, _value(f.category)))
        g.add((m, CG.assertedBy, prop))
        g.add((m, CG.mentionOf, page))
        if concept is not None:
            g.add((m, OA.hasBody, concept))
        g.add((m, OA.hasTarget, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, holder))
        g.add((target, CG.sourceField, field))
        quote = URIRef(f"{page}#{key}-quote")
        pos = URIRef(f"{page}#{key}-position")
        g.add((target, OA.hasSelector, quote))
        g.add((target, OA.hasSelector, pos))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(text[start:end])))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, _value(start, XSD.integer)))
        g.add((pos, OA.end, _value(end, XSD.integer)))
        g.add((m, CG.section, _value(f.section)))
        g.add((m, CG.negated, _value(f.negated)))
        g.add((m, CG.hypothetical, _value(f.hypothetical)))
        g.add((m, CG.historical, _value(f.historical)))
        g.add((m, CG.experiencer, _value(f.experiencer)))
        g.add((m, CG.supplementary, _value(f.supplementary)))
        if f.effective is not None:
            g.add((m, CG.effective, _value(f.effective)))


def _provenance(g: TripleSink, c: Consultation, iris: Iris, run: RunInfo, page: URIRef) -> None:
    src = iris.source(c.id)
    activity = iris.run(run.run_id)
    software = iris.software(__version__)
    g.add((page, PROV.wasDerivedFrom, src))
    g.add((page, PROV.wasGeneratedBy, activity))
    g.add((src, RDF.type, PROV.Entity))
    g.add((src, RDF.type, CG.SourcePage))
    g.add((src, CG.sourceFile, Literal(_public_source_name(c.source))))
    g.add((src, CG.checksum, Literal(c.checksum)))
    g.add((src, DCTERMS.format, _value(c.source_format)))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDF.type, CG.IngestRun))
    g.add((activity, PROV.startedAtTime, _value(run.started, XSD.dateTime)))
    g.add((activity, PROV.wasAssociatedWith, software))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, SCHEMA.softwareVersion, _value(__version__)))
    g.add((software, RDFS.label, _value(f"consultgraph {__version__}")))


def _public_source_name(source: str) -> str:
    """The file name without the operator's directories (they are not the public's)."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]
