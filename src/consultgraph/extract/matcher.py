"""Dictionary matching: longest non-overlapping lexicon matches, mapped to exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from consultgraph.extract.lexicon import Entry, Lexicon, Surface
from consultgraph.extract.normalize import BARRIER, tokenize

# Surface forms that are also everyday words: accept only after a word that makes them a noun
# phrase about illness ("had a cold", "the flu"), never "cold water" or "a cold compress".
NEEDS_DETERMINER = {"cold", "colds"}
_DETERMINERS = {
    "a",
    "the",
    "my",
    "his",
    "her",
    "had",
    "has",
    "have",
    "having",
    "common",
    "catch",
    "caught",
    "mild",
    "bad",
    "from",
    "got",
    "get",
    "of",
    "with",
    "and",
    "or",
    "severe",
}


@dataclass(slots=True)
class Mention:
    """A matched span of page text and the lexicon entry it names."""

    start: int
    end: int
    entry: Entry
    source: str = "lexicon"


def _case_ok(written: str, original: str) -> bool:
    w = [c.isupper() for c in written if c.isalpha()]
    o = [c.isupper() for c in re.sub(r"s$", "", original) if c.isalpha()]
    return w == o


def _pick(forms: list[Surface], original: str, text: str, start: int) -> Entry | None:
    for form in forms:
        if form.case_sensitive and not _case_ok(form.written, original):
            continue
        if original.lower() in NEEDS_DETERMINER:
            prev = re.findall(r"[A-Za-z]+", text[max(0, start - 20) : start])
            if not prev or prev[-1].lower() not in _DETERMINERS:
                continue
            after = text[start + len(original) : start + len(original) + 20].lower()
            if re.match(
                r"\s*(water|drink|food|weather|compress|medicine|sore|air|hand|feet|foot|sweat)", after
            ):
                continue
        return form.entry
    return None


def match(lexicon: Lexicon, text: str, start: int, end: int) -> list[Mention]:
    """All longest, non-overlapping lexicon mentions in text[start:end]."""
    tokens = tokenize(text[start:end], offset=start)
    if not tokens:
        return []
    hay_parts: list[str] = []
    tok_at: dict[int, int] = {}
    pos = 1
    for i, tok in enumerate(tokens):
        tok_at[pos] = i
        hay_parts.append(tok.norm)
        pos += len(tok.norm) + 1
    haystack = " " + " ".join(hay_parts) + " "
    candidates: list[tuple[int, int, list[Surface]]] = []
    for end_idx, (norm, forms) in lexicon.automaton.iter(haystack):
        first = end_idx - len(norm)  # index of the first char of norm within haystack
        if first not in tok_at:
            continue
        i = tok_at[first]
        j = i + len(norm.split(" ")) - 1
        if any(t.norm == BARRIER for t in tokens[i : j + 1]):
            continue
        candidates.append((i, j, forms))
    candidates.sort(key=lambda c: (-(tokens[c[1]].end - tokens[c[0]].start), c[0]))
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for i, j, forms in candidates:
        s, e = tokens[i].start, tokens[j].end
        if any(s < te and ts < e for ts, te in taken):
            continue
        entry = _pick(forms, text[s:e], text, s)
        if entry is None:
            continue
        taken.append((s, e))
        out.append(Mention(s, e, entry))
    out.sort(key=lambda m: m.start)
    return out
