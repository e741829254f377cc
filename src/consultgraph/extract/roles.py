"""Section roles: which finding category a mention is, given where it is and what surrounds it.

The question reports (symptoms, tests and treatments already had); the physician's reply
recommends (tests, treatments, referrals); conditions are named in both.
"""

from __future__ import annotations

import re

from consultgraph.extract import context
from consultgraph.extract.context import Sentence
from consultgraph.extract.lexicon import Entry

QUESTION_SECTIONS = ("question_title", "question")
REPLY_SECTIONS = ("reply",)

_REC = re.compile(
    r"\b(?:should(?!\s+be\b)|should\s+be\s+(?:\w+ly\s+)?(?:\w+ed|\w+en|done|seen|made|kept|put|set|held|sought|run|worn)\b|recommend\w*|suggest\w*|advis\w*|consider\w*|need(?:s|ed)?\s+to|must|necessary|needed|required|"
    r"essential|important\s+to|best\s+to|better\s+to|please|try|trying|arrange|undergo|rule\s+out|to\s+confirm|"
    r"to\s+determine|to\s+check|to\s+exclude|to\s+evaluate|(?:is|are|be)\s+indicated|option|options|may\s+(?:administer|use|take|try|"
    r"need|require|help|be\s+(?!due\b|caused\b|related\b|associated\b|a\s+sign\b|the\s+cause\b|because\b))|can\s+(?:be\s+(?:treated|used|given|performed|done|arranged|considered|prescribed|checked|tested)|use|take|try|help|receive|undergo|start|choose|opt)|"
    r"could\s+(?:be|try|use|take|help|consider)|you\s+can|you\s+may|treated\s+with|treatment\s+(?:is|includes|involves)|"
    r"remember|make\s+sure|keep|maintain|continue|just|have\s+it|get|go\s+for|"
    r"recommendation|helpful|beneficial|useful|can\s+be\s+used|would\s+be)\b",
    re.I,
)
_IMPERATIVE = re.compile(
    r"^\W*(?:\d+[.)]\s*)?(?:just\s+|also\s+|please\s+|so\s+)?(?:take|use|apply|drink|get|rest|avoid|try|keep|eat|do|practice|"
    r"maintain|continue|go|visit|see|consult|seek|return|have|raise|make|reduce|stop|quit|refrain|wear|exercise|"
    r"strengthen|slow|elevate)\b",
    re.I,
)
# "no need to worry", "not necessary": a negated cue recommends nothing.
_NEGATED_CUE = re.compile(
    r"\b(?:no|not|n't|never|nothing)\s+(?:\w+\s+)?(?:need(?:s|ed)?\s+to|necessary|needed|required|recommended|"
    r"advis\w*|should|must|important|helpful|useful|beneficial)\b",
    re.I,
)
# An imperative opening a later clause: "For the wrist, practice flexion and extension",
# "raise your arm straight up, and make a fist".
_CLAUSE_IMPERATIVE = re.compile(
    r"[,;:]\s*(?:and\s+|then\s+|also\s+)?(?:take|use|apply|drink|rest|try|eat|practice|practise|maintain|"
    r"continue|visit|consult|seek|reduce|stop|quit|refrain|wear|exercise|strengthen|elevate|raise|avoid|make)\b",
    re.I,
)
_AGAINST = re.compile(
    r"\b(?:avoid|not\s+(?:necessary|needed|required|recommended|advisable|need)|no\s+need|unnecessary|"
    r"does\s*n[o']t\s+(?:require|need)|do\s*n[o']t\s+(?:need|require)|without|do\s+not|don't|should\s+not|"
    r"shouldn't|instead\s+of|rather\s+than|discontinue|not\s+be|need\s+not|not\s+to|never|no)\b",
    re.I,
)
_AGAINST_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}(?:is|are|was|were)?\s*(?:not\s+(?:necessary|needed|required|recommended|advisable|helpful|useful)|"
    r"unnecessary|should\s+be\s+avoided|is\s+not\s+advis|are\s+not\s+advis)",
    re.I,
)
_REFER = re.compile(
    r"\b(?:consult\w*|visit\w*|see|seek|refer\w*|go\s+to|evaluat\w+\s+by|examin\w+\s+by|assess\w*\s+by|return\s+to|"
    r"attend|check\w*\s+(?:with|by|at)|discuss\w*\s+with|at\s+(?:a|the)|by\s+(?:a|an|the)|in\s+(?:a|the))\b",
    re.I,
)
_STRONG_NEG = re.compile(
    r"\b(?:no|without|free\s+of|negative\s+for|denies|never\s+had)\b(?:\s+\w+){0,3}\s*$", re.I
)


# A leading subordinate clause states a circumstance, not the advice: "If long-term medication is
# required, ...", "After undergoing root canal treatment, teeth ...", "If you are able to sleep
# well, there is no need ...". A mention before its comma is background; the main clause after
# it is where a (conditional) recommendation lives ("if it persists, an MRI should be done").
_LEADING_CLAUSE = re.compile(
    r"^\W*(?:\d+[.)]\s*)?(?:and\s+|but\s+|so\s+|also\s+)?(?:if|when|whenever|after|since|because|although|though|once|"
    r"before|while|unless|even\s+if|in\s+case|for|regarding|as\s+for|concerning|with\s+regard\s+to|in\s+terms\s+of)\b[^,;:]*$",
    re.I,
)


def in_leading_clause(sent: Sentence, start: int) -> bool:
    """The mention sits in an opening "If/After/When ..." clause, before the clause's comma."""
    pre = sent.text[: start - sent.start]
    pre = re.split(r"[;:]", pre)[-1]
    return bool(_LEADING_CLAUSE.match(pre))


def recommends(sent: Sentence, start: int, end: int) -> bool:
    """The reply sentence recommends or offers the mention, and does not advise against it."""
    text = _NEGATED_CUE.sub(" ", sent.text)
    if not (_REC.search(text) or _IMPERATIVE.search(text) or _CLAUSE_IMPERATIVE.search(text)):
        return False
    if in_leading_clause(sent, start):
        return False
    pre = context._clause_before(sent, start, 5)
    post = sent.text[end - sent.start :][:60]
    return not (_AGAINST.search(pre) or _AGAINST_AFTER.match(post))


def refers(sent: Sentence, start: int) -> bool:
    """The reply sends the patient to this specialty (not a signature or a department name)."""
    text = sent.text
    if not (_REC.search(text) or _REFER.search(text) or _IMPERATIVE.search(text)):
        return False
    pre = context._clause_before(sent, start, 5)
    return not re.search(r"\b(?:no need|not necessary|unnecessary|do not need|don't need)\b", pre)


# Class words that name no particular drug or procedure: in a heading they are the topic
# ("Insomnia medications", "Sleeping pills", "Fever after vaccination"), never a report.
GENERIC_TREATMENTS = frozenset({"medication", "hypnotic", "vaccination", "surgery", "injection"})
_TITLE_REPORTS = re.compile(
    r"\b(?:after|post|following|took|taking|taken|using|used|since|stopped|stopping|on)\b[^?]*$", re.I
)


def title_reports(entry: Entry, sent: Sentence, start: int) -> bool:
    """A question title reports a specific treatment only when it says it was taken ("After a
    root canal treatment..?", "Taking Aspirin"); a bare heading is the topic of the question."""
    if entry.slug in GENERIC_TREATMENTS:
        return False
    return bool(_TITLE_REPORTS.search(sent.text[: start - sent.start]))


_CIRCUMSTANCE = re.compile(r"\b(?:when|whenever|even\s+if|even\s+when|unless)\b")
# Words of the asker's reaction to the situation, not complaints: "makes me anxious",
# "I was confused because ...", "worried about".
_REACTION_WORD = re.compile(
    r"^(?:anxious|anxiety|worried|nervous|confused|scared|afraid|stressed|upset)$", re.I
)
_REACTION_BEFORE = re.compile(r"\b(?:makes?|made|making|gets?|got)\s+(?:me|him|her|us)\s+(?:\w+\s+)?$", re.I)
_REACTION_AFTER = re.compile(
    r"^\s*(?:because|about|by|that|whether|why|how|if|as\s+to|when|since|so)\b", re.I
)
# A lesion word inside an imaging or test report is the report's finding, not a complaint.
_LESION_WORD = re.compile(r"^(?:nodules?|mass(?:es)?|opacit(?:y|ies)|lesions?|shadows?|cysts?|spots?)$", re.I)
_REPORT_CONTEXT = re.compile(
    r"\b(?:report\w*|revealed|showed|shows|indicat\w+|CT|MRI|ultrasound|X-ray|x-ray|scan|imaging|mammogra\w+)\b"
)


def _not_a_complaint(sent: Sentence, start: int, end: int) -> bool:
    word = sent.text[start - sent.start : end - sent.start]
    if _REACTION_WORD.match(word):
        before = sent.text[: start - sent.start]
        after = sent.text[end - sent.start :]
        if _REACTION_BEFORE.search(before) or _REACTION_AFTER.match(after):
            return True
    return bool(_LESION_WORD.match(word) and _REPORT_CONTEXT.search(sent.text))


def question_category(
    entry: Entry, sent: Sentence, start: int, end: int
) -> tuple[str | None, dict[str, object]]:
    """Category of a mention in the question (title .. asker line), with its context flags."""
    kind = entry.kind
    flags: dict[str, object] = {}
    if kind == "condition":
        if _STRONG_NEG.search(sent.text[: start - sent.start]):
            return None, flags
        flags["hypothetical"] = context.is_hypothetical(sent, start)
        return "condition", flags
    if kind == "symptom":
        if _not_a_complaint(sent, start, end):
            return None, flags
        if context.is_negated(sent, start, end):
            if _CIRCUMSTANCE.search(context._clause_before(sent, start, 8)):
                return None, flags  # "even when I am not fatigued": a circumstance, not a denial

            flags["negated"] = True
            return "negated_symptom", flags
        if context.is_hypothetical(sent, start):
            return None, flags
        return "symptom", flags
    if kind == "test":
        if (
            entry.scope == "reply"
            or context.is_negated(sent, start, end)
            or context.is_hypothetical_procedure(sent, start, end)
        ):
            return None, flags
        return "test_reported", flags
    if kind in ("treatment", "drug"):
        if entry.scope == "reply":
            return None, flags
        if context.is_hypothetical_procedure(sent, start, end):
            return None, flags
        pre = context._clause_before(sent, start, 10)
        if re.search(
            r"\b(?:not\s+(?:been\s+)?able\s+to|never|no\s+longer|did\s+not\s+take|didn't\s+take|don't\s+need|do\s+not\s+need|without)\b",
            pre,
        ):
            return None, flags
        flags["effective"] = context.effect(sent)
        return "treatment_reported", flags
    return None, flags


def reply_category(
    entry: Entry, sent: Sentence, start: int, end: int
) -> tuple[str | None, dict[str, object]]:
    """Category of a mention in the physician's reply."""
    kind = entry.kind
    flags: dict[str, object] = {}
    if kind == "condition":
        if _STRONG_NEG.search(sent.text[: start - sent.start]):
            return None, flags
        return "condition", flags
    if kind == "specialty":
        return ("referral" if refers(sent, start) else None), flags
    if entry.scope == "question":
        return None, flags
    if kind == "test":
        return ("test_recommended" if recommends(sent, start, end) else None), flags
    if kind in ("treatment", "drug"):
        return ("treatment_recommended" if recommends(sent, start, end) else None), flags
    return None, flags
