"""ConText-style rules over sentences: negation, hypothetical, history, experiencer, effect.

Cues are looked for in the part of the sentence before a mention (and a short part after it),
stopping at words that close a clause ("but", "however"), the way NegEx/ConText scope works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consultgraph.extract.matcher import Mention

_ABBREV = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|vs|e\.g|i\.e|etc|approx|No)\.$")
_SPLIT = re.compile(r"[.?!;]+(?=\s|$)|\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def is_question(self) -> bool:
        return self.text.rstrip().endswith("?")


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Split text[start:end] into sentences at . ? ! ; and line breaks (keeping "Dr." intact)."""
    out: list[Sentence] = []
    s = start
    for m in _SPLIT.finditer(text, start, end):
        if m.group(0) == "." and _ABBREV.search(text[s : m.end()]):
            continue
        e = m.end()
        if text[s:e].strip():
            out.append(Sentence(s, e, text[s:e]))
        s = e
    if s < end and text[s:end].strip():
        out.append(Sentence(s, end, text[s:end]))
    return out


def sentence_at(sents: list[Sentence], offset: int) -> Sentence | None:
    return next((s for s in sents if s.start <= offset < s.end), None)


_CLOSE = r"\b(?:but|however|although|though|except|yet|which|who|whereas|while|since|because|until|after|then)\b|[;:]"  # noqa: E501
_NEG = re.compile(
    r"\b(?:no|not|without|never|nor|neither|denies|deny|denied|free of|absence of|negative for|lack of|"
    r"n't|none)\b(?!\s+(?:only|longer able|doubt|matter|sure|wonder|believed?|certain|know|think|clear))"
)
_NEG_POST = re.compile(
    r"^[\s,]*(?:is|are|was|were|has|have|had|did|does|do)\s*(?:not|n't|never)\b(?!\s+(?:been\s+)?(?:effective|help|work|improv|resolv|go away|disappear|subside))"  # noqa: E501
)
_HYPO = re.compile(
    r"\b(?:if|whether|will|would|might|could|may|risk|risks|cause(?!s?\s+(?:me|him|her|us)\b)|causes(?!\s+(?:me|him|her|us)\b)|"
    r"thought\s+(?:it|this|that)\s+(?:was|were|might|would)|lead to|leads to|prevent|prevention|"
    r"avoid|in case|afraid|worried|worry|fear|concerned|signs of|symptoms of|possibility|possible|likely|chance|"  # noqa: E501
    r"develop into|turn into|result in|what|how|is it|can it|can this)\b"
)
_TEST_HYPO = re.compile(
    r"\b(?:should\s+(?:i|we|he|she|my|the)|do\s+(?:i|we)\s+need|need\s+to|is\s+it\s+necessary|necessary|"
    r"can\s+i|could\s+i|would|whether|plan\s+to|planning|consider|considering|want\s+to|wondering|if|"
    r"recommend|suggest|what|which|how|is\s+there|are\s+there|any\s+other|options?|going\s+to|will|"
    r"research|read|heard)\b"
)
_REPORTED = re.compile(
    r"\b(?:took|taken|taking|had|have\s+been|has\s+been|underwent|undergone|received|was\s+given|were\s+given|"
    r"prescribed|after|stop|stopped|discontinue|continue|switched|tried|used|using|finished|started|"
    r"currently|on\s+(?:a|the)\b|showed|shows|result|report|came\s+back|done|performed)\b"
)
_HISTORY = re.compile(
    r"\b(?:history of|previously|in the past|years? ago|months? ago|used to|once had|had had|past)\b"
)
_FAMILY = re.compile(
    r"\bfamily history\b|\b(?:mother|father|mom|dad|sister|brother|grandmother|grandfather|aunt|uncle|relatives?)\b"  # noqa: E501
)
_EFFECT_NEG = re.compile(
    r"\b(?:not\s+(?:been\s+|very\s+|much\s+)?(?:effective|helpful|help|helped|work|worked|improve|improved)|ineffective|"
    r"no\s+(?:effect|improvement|relief|help)|did\s*n[o']t\s+(?:help|work|improve)|not\s+(?:help|work)|didn't\s+(?:help|work)|"
    r"without\s+(?:success|improvement|relief|effect)|unable\s+to\s+recover|despite|persist\w*|became\s+louder|"
    r"worse|failed|not\s+very\s+effective|not\s+effective|not\s+resolve)\b"
)
_EFFECT_POS = re.compile(
    r"\b(?:helped|helps|improved|effective|relieved|resolved|cleared\s+up|subsided|went\s+away|got\s+better|"
    r"better|recovered|relieve|disappeared|under\s+control)\b"
)
RELATIONS = (
    "mother",
    "father",
    "mom",
    "dad",
    "son",
    "daughter",
    "child",
    "baby",
    "kid",
    "wife",
    "husband",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "brother",
    "sister",
    "boyfriend",
    "girlfriend",
    "partner",
    "friend",
    "patient",
)
_RELATION = re.compile(
    r"\b(?:my|our|the|a|an)\s+(?:\d+[- ](?:year|month)[- ]old\s+)?(" + "|".join(RELATIONS) + r")\b", re.I
)


def _clause_before(sent: Sentence, offset: int, max_words: int = 8) -> str:
    pre = sent.text[: offset - sent.start].replace("\u2019", "'")
    parts = re.split(_CLOSE, pre, flags=re.I)
    pre = parts[-1] if parts else pre
    words = pre.split()
    return " ".join(words[-max_words:]).lower()


def is_negated(sent: Sentence, start: int, end: int) -> bool:
    """A negation cue shortly before the mention, or "X has not ..." right after it."""
    pre = _clause_before(sent, start, 7)
    if _NEG.search(pre.replace("n't", " n't")):
        return True
    post = sent.text[end - sent.start : end - sent.start + 40].lower()
    return bool(_NEG_POST.match(post))


def is_hypothetical(sent: Sentence, start: int) -> bool:
    """A symptom that is asked about or feared, not had ("will I get a fever?")."""
    return bool(_HYPO.search(_clause_before(sent, start, 8)))


# A modal or a wish governing the mention's verb phrase: "Should I continue taking the
# medication?", "ask if I can start taking oral contraceptives", "Is it okay to take ...".
_MODAL_GOVERNS = re.compile(
    r"\b(?:can|could|should|shall|may|might|will|would|want\s+to|wants\s+to|plan\s+to|like\s+to|going\s+to|"
    r"is\s+it\s+(?:okay|ok|safe|possible|alright|fine|necessary|advisable)\s+to|need\s+to|needs\s+to|need|needs)"
    r"(?:\s+(?:i|we|he|she|they|you|it|my\s+\w+|the\s+\w+))?(?!\s+(?:\w+\s+)?(?:stop|continue|discontinue|quit|keep))"
    r"(?:\s+\w+){0,3}\s*$"
)
# What the asker read or heard about a treatment is information, not something received.
_INFO_SOURCE = re.compile(
    r"\b(?:researched|read|heard|found\s+(?:out\s+)?that|learned|online|internet|searched|benefits\s+and\s+drawbacks|"
    r"pros\s+and\s+cons|advantages|disadvantages)\b"
)
# Reporting cues that hold even in a question sentence (past or perfect use of the treatment).
_REPORTED_PAST = re.compile(
    r"\b(?:took|taken|had|have\s+been|has\s+been|underwent|undergone|received|was\s+given|were\s+given|"
    r"after|prescribed|stopped|switched|tried|used|finished|started|currently|showed|came\s+back|done|performed|"
    r"(?:stop|continue|keep|quit)\s+(?:taking|using)|discontinue)\b"
)
# A general claim about the treatment, not a use: "Stilnox (zolpidem) can potentially lead to ...".
_GENERIC_CLAIM = re.compile(
    r"^\W*(?:\([^)]*\)\s*)?(?:\w+\s+){0,2}?(?:can|may|might|could|will|would|is\s+known\s+to)\s+(?:\w+\s+)?"
    r"(?:lead|cause|result|induce|trigger|increase|affect|make|damage|be\s+addictive)\b"
)


def is_hypothetical_procedure(sent: Sentence, start: int, end: int | None = None) -> bool:
    """A test or treatment the question asks about rather than reports ("Should I get an MRI?")."""
    pre = sent.text[: start - sent.start].lower().replace("\u2019", "'")
    if _MODAL_GOVERNS.search(pre) or _INFO_SOURCE.search(pre):
        return True
    if end is not None and _GENERIC_CLAIM.match(sent.text[end - sent.start :].lower()):
        return True
    if (_REPORTED_PAST if sent.is_question else _REPORTED).search(pre):
        return False
    return bool(_TEST_HYPO.search(pre)) or sent.is_question


def is_historical(sent: Sentence, start: int) -> bool:
    return bool(_HISTORY.search(sent.text.lower()))


def effect(sent: Sentence) -> bool | None:
    """Whether a reported treatment helped, judged from its sentence."""
    low = sent.text.lower()
    if _EFFECT_NEG.search(low):
        return False
    if _EFFECT_POS.search(low):
        return True
    return None


def subject(text: str, start: int, end: int) -> str:
    """Whom the question is about: "patient" when the asker, else the first relative named early on."""
    head = text[start : min(end, start + 300)]
    m = _RELATION.search(head)
    if m and (m.group(1).lower() != "patient"):
        return m.group(1).lower()
    return "patient"


def experiencer(sent: Sentence, start: int, main_subject: str) -> str:
    """ "patient" unless the sentence is about another relative than the one the page is about."""
    pre = sent.text[: start - sent.start]
    found = [m.group(1).lower() for m in _RELATION.finditer(pre)]
    if re.search(r"\bfamily history\b", pre, re.I):
        return "family"
    if not found:
        return "patient"
    who = found[-1]
    if who == main_subject or who == "patient":
        return "patient"
    return who


_LIST_GAP = re.compile(r"^[\s,]*(?:(?:and|or|nor|and/or)\b[\s,]*)?(?:(?:any|other|even|also)\s+)*$", re.I)


def continues_negated_list(text: str, prev_end: int, start: int, prev_negated: bool) -> bool:
    """ "no dizziness, chest tightness, or shortness of breath": a symptom joined to a denied
    one only by a comma or "or/and/nor" is denied too (NegEx scope runs through the list)."""
    return prev_negated and bool(_LIST_GAP.match(text[prev_end:start]))


_PAREN_OPEN = re.compile(
    r"^\s*\(\s*(?:(?:a|an|the|i\.e\.,?|aka|also\s+known\s+as|or|brand\s+name:?|generic\s+name:?)\s+)?$", re.I
)


def restates(text: str, prev: Mention, m: Mention) -> bool:
    """ "Propranolol (a beta-blocker)", "emergency contraception (Ella)", "Stilnox (zolpidem)": a
    mention in parentheses right after another of the same kind names the same item again."""
    same_kind = prev.entry.kind == m.entry.kind or {prev.entry.kind, m.entry.kind} <= {"drug", "treatment"}
    return (
        same_kind
        and bool(_PAREN_OPEN.match(text[prev.end : m.start]))
        and ")" in text[m.end : m.end + 20]
        and "(" not in text[m.end : text.find(")", m.end)]
    )


_DEMONSTRATIVE = re.compile(
    r"\b(?:this|that|these|those|such|the\s+following|following|the\s+same|the\s+above|above|said|other|"
    r"the\s+(?:prescribed|aforementioned|mentioned))\s+(?:\w+\s+)?$",
    re.I,
)


def refers_elsewhere(sent: Sentence, start: int) -> bool:
    """ "this medication", "the following medications": a generic word pointing at an item
    named elsewhere (before or in a list after), not a finding of its own."""
    return bool(_DEMONSTRATIVE.search(sent.text[max(0, start - sent.start - 30) : start - sent.start]))
