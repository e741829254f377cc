"""De-identification of published text: pseudonyms, personal names and contact details.

Published text (question, reply, supplement) goes through `redact`, which replaces spans by
typed placeholders such as "[NAME]" and returns an offset map, so that evidence offsets
computed on the original page still point at the same words in the published text.
Physicians are public professionals: "Dr. <name>" is kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"\b(?:https?://|www\.)\S+?(?=[.,;:!?)\]]?(?:\s|$))", re.I)
PHONE_RE = re.compile(r"(?<![\w/.-])(?:\+?\d[\d ()-]{7,}\d)(?![\w/-])(?!\.\d)")
NATIONAL_ID_RE = re.compile(r"\b[A-Z][12]\d{8}\b")  # Taiwanese national ID form
ADDRESS_RE = re.compile(
    r"\b(?:No\.\s*\d+[\w-]*,?\s*)?(?:Lane|Alley|Sec\.)\s*\d+[^.\n]{0,40}"
    r"|\b\d+\s+[A-Z][a-z]+\s+(?:Road|Rd\.|Street|St\.|Avenue|Ave\.)\b"
)
# Honorific + capitalised name ("Hello Mr. Chen", "Dear Xiao Liu", "Ms.\nLi"): not "Dr.".
TITLED_NAME_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mister|Madam)\.?\s+(?:[A-Z][a-z'-]+)(?:[ -][A-Z][a-z'-]+)?"
    r"|\bDear\s+(?!Doctor\b|Dr\b|Sir\b|Madam\b|Mr\b|Ms\b|Miss\b|Mrs\b|All\b|Friend\b|Patient\b"
    r"|Parent\b|Mom\b|Mother\b)(?:Xiao\s+)?[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?"
    r"|(?<!Dr\.\s)\bXiao\s+[A-Z][a-z]+"
)


@dataclass(slots=True)
class Redaction:
    start: int
    end: int
    placeholder: str


def _pseudonym_spans(text: str, pseudonym: str | None) -> Iterable[Redaction]:
    if not pseudonym or len(pseudonym.strip()) < 2:
        return
    pat = re.compile(r"(?<!\w)" + re.escape(pseudonym.strip()) + r"(?!\w)", re.I)
    for m in pat.finditer(text):
        yield Redaction(m.start(), m.end(), "[ASKER]")


def find_personal_data(text: str, pseudonym: str | None = None) -> list[Redaction]:
    """Spans to replace, non-overlapping, in text order (earlier and longer spans win)."""
    found: list[Redaction] = list(_pseudonym_spans(text, pseudonym))
    for rx, label in (
        (EMAIL_RE, "[EMAIL]"),
        (URL_RE, "[URL]"),
        (NATIONAL_ID_RE, "[ID]"),
        (PHONE_RE, "[PHONE]"),
        (ADDRESS_RE, "[ADDRESS]"),
        (TITLED_NAME_RE, "[NAME]"),
    ):
        for m in rx.finditer(text):
            keep = m.group(0)
            if label == "[NAME]":
                # Keep the honorific, replace the name only: "Mr. [NAME]".
                words = re.match(r"(Mr|Mrs|Ms|Miss|Mister|Madam|Dear)\.?\s+", keep)
                if words:
                    found.append(Redaction(m.start() + words.end(), m.end(), label))
                    continue
            if label == "[PHONE]" and sum(ch.isdigit() for ch in keep) < 8:
                continue
            found.append(Redaction(m.start(), m.end(), label))
    found.sort(key=lambda r: (r.start, -(r.end - r.start)))
    out: list[Redaction] = []
    for r in found:
        if out and r.start < out[-1].end:
            continue
        out.append(r)
    return out


class OffsetMap:
    """Maps offsets in the original text to offsets in the redacted text."""

    def __init__(self, redactions: list[Redaction]):
        self._starts = [r.start for r in redactions]
        self._reds = redactions

    def __call__(self, offset: int) -> int:
        shift = 0
        i = bisect.bisect_right(self._starts, offset)
        for r in self._reds[:i]:
            if offset < r.end:  # inside a redaction: snap to its start
                return r.start + shift
            shift += len(r.placeholder) - (r.end - r.start)
        return offset + shift


def redact(text: str, pseudonym: str | None = None) -> tuple[str, OffsetMap]:
    """The text with personal data replaced, and the old -> new offset map."""
    reds = find_personal_data(text, pseudonym)
    parts: list[str] = []
    pos = 0
    for r in reds:
        parts.append(text[pos : r.start])
        parts.append(r.placeholder)
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(reds)
