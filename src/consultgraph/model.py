"""The typed records that flow through the pipeline: read -> extract -> map -> validate -> store.

Every stage takes and returns these plain dataclasses, so each stage can be tested alone and
run in a worker process (they pickle). Offsets are character offsets into `Consultation.text`,
the page text as decoded (BOM dropped, line endings normalised to "\\n").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FINDING_CATEGORIES = (
    "symptom",
    "negated_symptom",
    "condition",
    "test_reported",
    "test_recommended",
    "treatment_reported",
    "treatment_recommended",
    "referral",
)


@dataclass(slots=True)
class Section:
    """A named block of the page, as [start, end) offsets into the page text."""

    name: str
    start: int
    end: int


@dataclass(slots=True)
class Asker:
    """Who asked. The pseudonym is read so it can be scrubbed; it is never published."""

    pseudonym: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    sex: str | None = None


@dataclass(slots=True)
class SimilarQA:
    """A "Similar Q&A" teaser: another consultation's title, excerpts, physician."""

    title: str
    question_excerpt: str = ""
    physician_name: str | None = None
    specialty: str | None = None
    answer_excerpt: str = ""
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class FAQTopic:
    """A "Related FAQ" topic and the specialty the site files it under."""

    label: str
    specialty: str | None
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Concept:
    """A concept of our vocabulary that a mention links to."""

    iri: str
    label: str
    kind: str
    ids: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Finding:
    """One clinical finding with its evidence span and context flags."""

    category: str
    text: str
    start: int
    end: int
    section: str
    concept: Concept | None = None
    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    experiencer: str = "patient"
    effective: bool | None = None
    supplementary: bool = False


@dataclass(slots=True)
class Consultation:
    """One consultation page, read and (later) annotated with findings."""

    id: str
    source: str
    checksum: str
    text: str
    source_format: str = "text"
    question_title: str | None = None
    page_title: str | None = None
    page_specialty: str | None = None
    asker: Asker = field(default_factory=Asker)
    ask_date: str | None = None
    reply_date: str | None = None
    physician_name: str | None = None
    physician_specialty: str | None = None
    sections: list[Section] = field(default_factory=list)
    similar: list[SimilarQA] = field(default_factory=list)
    faq: list[FAQTopic] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def section(self, name: str) -> Section | None:
        """The first section called `name`, or None when the page does not have it."""
        return next((s for s in self.sections if s.name == name), None)

    def section_text(self, name: str) -> str | None:
        sec = self.section(name)
        return None if sec is None else self.text[sec.start : sec.end]

    @property
    def question_text(self) -> str | None:
        return self.section_text("question")

    @property
    def reply_text(self) -> str | None:
        return self.section_text("reply")

    @property
    def more_info_text(self) -> str | None:
        return self.section_text("more_info")

    def section_at(self, offset: int) -> str | None:
        """Name of the section holding `offset` (used to label findings)."""
        for sec in self.sections:
            if sec.start <= offset < sec.end:
                return sec.name
        return None


def finding_to_json(f: Finding) -> dict[str, Any]:
    """The `findings` item of the `extract --json` contract."""
    out: dict[str, Any] = {
        "category": f.category,
        "text": f.text,
        "start": f.start,
        "end": f.end,
        "section": f.section,
        "concept": None
        if f.concept is None
        else {"iri": f.concept.iri, "label": f.concept.label, "ids": dict(f.concept.ids)},
        "context": {
            "negated": f.negated,
            "hypothetical": f.hypothetical,
            "historical": f.historical,
            "experiencer": f.experiencer,
            "supplementary": f.supplementary,
        },
    }
    if f.category.startswith("treatment"):
        out["effective"] = f.effective
    return out


def consultation_to_json(c: Consultation) -> dict[str, Any]:
    """The `extract --json` contract: one object per page. The pseudonym is left out."""
    return {
        "id": c.id,
        "source": c.source,
        "checksum": c.checksum,
        "question_title": c.question_title,
        "page_title": c.page_title,
        "asker": {"age_min": c.asker.age_min, "age_max": c.asker.age_max, "sex": c.asker.sex},
        "ask_date": c.ask_date,
        "reply_date": c.reply_date,
        "physician": {"name": c.physician_name, "specialty": c.physician_specialty},
        "sections": [asdict(s) for s in c.sections],
        "similar": [
            {
                "title": s.title,
                "question_excerpt": s.question_excerpt,
                "physician": {"name": s.physician_name, "specialty": s.specialty},
                "answer_excerpt": s.answer_excerpt,
                "start": s.start,
                "end": s.end,
            }
            for s in c.similar
        ],
        "faq": [
            {"label": t.label, "specialty": t.specialty, "start": t.start, "end": t.end}
            for t in c.faq
        ],
        "findings": [finding_to_json(f) for f in c.findings],
        "warnings": list(c.warnings),
    }
