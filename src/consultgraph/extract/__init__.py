"""Clinical finding extraction: lexicon matching + context rules + section roles.

`extract_findings(c)` is a pure function of the Consultation; the lexicon is loaded once per
process from data/vocab/ and cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from consultgraph.extract import context, roles
from consultgraph.extract.context import Sentence
from consultgraph.extract.lexicon import load_lexicon
from consultgraph.extract.matcher import Mention, match
from consultgraph.extract.paraphrase import lay_mentions
from consultgraph.extract.patterns import pattern_mentions
from consultgraph.model import Consultation, Finding

__all__ = ["extract_findings"]

_QUESTION_ORDER = ("question_title", "question")
# The question title is a heading that restates the body's complaint in a word or two
# ("Tinnitus", "Small lump", "Insomnia medications"); for what the asker reports, the body's
# own wording is the mention, and the title only adds what the body never names.
_BODY_FIRST = ("symptom", "negated_symptom")


@dataclass(slots=True)
class _Candidate:
    category: str
    mention: Mention
    section: str
    sent: Sentence
    flags: dict[str, object]
    who: str


def extract_findings(c: Consultation) -> list[Finding]:
    """Findings of the question and the reply, each concept once per category (first mention)."""
    lexicon = load_lexicon()
    q = c.section("question")
    main_subject = context.subject(c.text, q.start, q.end) if q else "patient"
    candidates: list[_Candidate] = []
    for name in (*_QUESTION_ORDER, "reply"):
        for sec in (s for s in c.sections if s.name == name):
            sents = context.sentences(c.text, sec.start, sec.end)
            mentions = lay_mentions(
                lexicon,
                c.text,
                sec.start,
                sec.end,
                pattern_mentions(
                    lexicon, c.text, sec.start, sec.end, match(lexicon, c.text, sec.start, sec.end)
                ),
            )
            prev: _Candidate | None = None
            last: Mention | None = None
            for m in mentions:
                sent = context.sentence_at(sents, m.start)
                if sent is None:
                    continue
                restates = last is not None and context.restates(c.text, last, m)
                last = m
                if restates or (
                    m.entry.slug in roles.GENERIC_TREATMENTS and context.refers_elsewhere(sent, m.start)
                ):
                    continue
                if name == "reply":
                    category, flags = roles.reply_category(m.entry, sent, m.start, m.end)
                else:
                    category, flags = roles.question_category(m.entry, sent, m.start, m.end)
                    if m.source == "denied-paraphrase" and category == "symptom":
                        category, flags = "negated_symptom", {**flags, "negated": True}
                    if (
                        category == "symptom"
                        and prev is not None
                        and context.continues_negated_list(
                            c.text, prev.mention.end, m.start, prev.category == "negated_symptom"
                        )
                    ):
                        category, flags = "negated_symptom", {**flags, "negated": True}
                if category is None:
                    continue
                who = "patient" if name == "reply" else context.experiencer(sent, m.start, main_subject)
                if category in ("symptom", "negated_symptom") and who != "patient":
                    continue
                if (
                    name == "question_title"
                    and category == "treatment_reported"
                    and not roles.title_reports(m.entry, sent, m.start)
                ):
                    category = "title_treatment"  # kept only if the body reports it too
                cand = _Candidate(category, m, name, sent, flags, who)
                candidates.append(cand)
                if category in ("symptom", "negated_symptom"):
                    prev = cand

    def priority(k: int) -> tuple[int, int]:
        cand = candidates[k]
        late = cand.section == "question_title" and cand.category in _BODY_FIRST
        return (int(late), k)

    body_treatments = {
        cand.mention.entry.slug
        for cand in candidates
        if cand.section == "question" and cand.category == "treatment_reported"
    }
    for cand in candidates:
        if cand.category == "title_treatment":
            cand.category = (
                "treatment_reported"
                if cand.mention.entry.slug in body_treatments
                and cand.mention.entry.slug not in roles.GENERIC_TREATMENTS
                else ""
            )
    candidates = [cand for cand in candidates if cand.category]
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    labels: dict[str, list[str]] = {}
    for k in sorted(range(len(candidates)), key=priority):
        cand = candidates[k]
        m, category = cand.mention, cand.category
        key = (category, m.entry.kind, m.entry.slug)
        if key in seen or _refers_back(m.entry.label, labels.get(category, [])):
            continue
        labels.setdefault(category, []).append(m.entry.label)
        seen.add(key)
        findings.append(
            Finding(
                category=category,
                text=c.text[m.start : m.end],
                start=m.start,
                end=m.end,
                section=cand.section,
                concept=m.entry.concept(),
                negated=bool(cand.flags.get("negated", False)),
                hypothetical=bool(cand.flags.get("hypothetical", False)),
                historical=context.is_historical(cand.sent, m.start),
                experiencer=cand.who,
                effective=cand.flags.get("effective") if category == "treatment_reported" else None,  # type: ignore[arg-type]
            )
        )
    findings.sort(key=lambda f: f.start)
    return findings


def _refers_back(label: str, earlier: list[str]) -> bool:
    """A generic mention ("fracture", "pain") after a specific one ("wrist fracture") of the
    same category names the same thing again, so it is not a new finding."""
    words = set(label.split())
    return any(words < set(e.split()) for e in earlier)
