"""Token normalisation shared by the lexicon and the page text, so both sides meet halfway.

Case, plurals, hyphens, possessives, contractions and British spellings are folded into one
token stream; every normalised token keeps the [start, end) offsets of the original word, so a
match can always be mapped back to an exact substring of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Words that carry no meaning for matching ("ringing in my ears" == "ringing in the ears").
STOPWORDS = frozenset(
    {"a", "an", "the", "my", "his", "her", "their", "your", "our", "both", "its", "some", "any"}
)
# Characters that end a phrase: a lexicon term never spans them.
BARRIER = "#"
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)?|[.;:?!()\[\]\n]")
_BRITISH = (
    ("aemia", "emia"),
    ("haem", "hem"),
    ("paed", "ped"),
    ("gynae", "gyne"),
    ("anaes", "anes"),
    ("orthopae", "orthope"),
    ("oedema", "edema"),
    ("oesoph", "esoph"),
    ("diarrhoea", "diarrhea"),
    ("amenorrhoea", "amenorrhea"),
    ("dysmenorrhoea", "dysmenorrhea"),
    ("rhoea", "rhea"),
    ("foet", "fet"),
    ("isation", "ization"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("dyspnoea", "dyspnea"),
    ("leukaem", "leukem"),
    ("coeliac", "celiac"),
)
_OUR = {
    "tumour": "tumor",
    "colour": "color",
    "behaviour": "behavior",
    "humour": "humor",
    "odour": "odor",
    "labour": "labor",
    "favour": "favor",
}
_IRREGULAR = {
    "diagnoses": "diagnosis",
    "feet": "foot",
    "teeth": "tooth",
    "children": "child",
    "men": "man",
    "women": "woman",
    "cannot": "can not",
    "nevi": "nevus",
    "naevi": "nevus",
    "naevus": "nevus",
    "checkup": "check up",
    "checkups": "check up",
    "heartbeat": "heart beat",
    "heartbeats": "heart beat",
}
_NOT_PLURAL = ("ss", "us", "is", "ous", "ics", "sis", "xis")


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised token and the offsets of the original word it came from."""

    norm: str
    start: int
    end: int


@lru_cache(maxsize=65536)
def fold_word(word: str) -> tuple[str, ...]:
    """Normalise one word; may return several tokens ("can't" -> ("can", "not")).

    Cached: consultation text repeats its words, and this runs for every word of every page
    (a fifth of the extraction's time before the cache)."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("n't"):
        base = {"can't": "can", "won't": "will", "shan't": "shall"}.get(w, w[:-3])
        return (base, "not")
    if w.endswith("'s") or w.endswith("s'"):
        w = w[:-2]
    elif "'" in w:
        w = w.split("'")[0]
    if w in _IRREGULAR:
        return tuple(_IRREGULAR[w].split())
    for old, new in _BRITISH:
        if old in w:
            w = w.replace(old, new)
    w = _OUR.get(w, w)
    return (singular(w),)


def singular(w: str) -> str:
    """A crude but symmetric singular: applied to both lexicon and text it only has to agree."""
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "uses")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(_NOT_PLURAL):
        return w[:-1]
    return w


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Normalised tokens of `text`; punctuation that ends a phrase becomes a BARRIER token."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        raw = m.group(0)
        s, e = m.start() + offset, m.end() + offset
        if not raw[0].isalnum():
            out.append(Token(BARRIER, s, e))
            continue
        for norm in fold_word(raw):
            if norm and norm not in STOPWORDS:
                out.append(Token(norm, s, e))
    return out


def normalize_term(term: str) -> str:
    """The key a lexicon term is stored under: its normalised tokens joined by spaces."""
    return " ".join(t.norm for t in tokenize(term.replace("-", " ")) if t.norm != BARRIER)
