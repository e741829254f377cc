"""Reader for the consultation page text layout.

The page is a sequence of blocks, in this order, each optional after the asker line:

    [<page title> - <Specialty>]        (SEO layout only)
    <question title>
    <question text ...>
    <pseudonym>, <a>~<b> year old <sex>. Ask Date: YYYY/MM/DD
    Dr. <name> reply <Specialty>
    <reply text ...>
    Reply Date: YYYY/MM/DD
    More Info
    <supplement ...>
    Similar Q&A
    <items: title, excerpt, "Dr. X reply Y", excerpt ...[Read More] title>
    Related FAQ
    <topic>(<Specialty>) ...

Blocks are separated by blank lines in one layout and by nothing in the other, so the reader
works on non-blank lines and remembers their offsets. A page that stops anywhere keeps what
it has; only a page with no question or no asker line is refused (`PageError`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from consultgraph.model import Asker, Consultation, FAQTopic, Section, SimilarQA
from consultgraph.read.errors import PageError

ASKER_RE = re.compile(
    r"^(?P<pseudo>.*?),?\s*"
    r"(?:(?P<amin>\d{1,3})\s*~\s*(?P<amax>\d{1,3})\s*years?[ -]old\s*)?"
    r"(?P<sex>[A-Za-z]+)?\s*\.?\s*Ask Date\s*:\s*(?P<date>\S*)\s*$"
)
# The pseudonym may itself hold commas: the age/sex part is anchored to the end of the line.
ASKER_FULL_RE = re.compile(
    r"^(?P<pseudo>.*),\s*(?P<amin>\d{1,3})\s*~\s*(?P<amax>\d{1,3})\s*years?[ -]old\s+"
    r"(?P<sex>[A-Za-z]+)\s*\.\s*Ask Date\s*:\s*(?P<date>\S*)\s*$"
)
HEADER_RE = re.compile(r"^Dr\.\s*(?P<name>\S(?:.*?\S)?)\s+reply\s+(?P<spec>\S(?:.*?\S)?)\s*$")
REPLY_DATE_RE = re.compile(r"^Reply Date\s*:\s*(?P<date>\S*)\s*$")
FAQ_RE = re.compile(r"^(?P<topic>.*?)\s*\((?P<spec>[^()]+)\)\s*$")
READ_MORE_RE = re.compile(r"\s*\[Read More\]\s*(?P<title>.*)$")
PAGE_TITLE_RE = re.compile(r"^(?P<title>.+?)\s+-\s+(?P<spec>[A-Z][A-Za-z&,' ]+?)\s*$")

MORE_INFO = "More Info"
SIMILAR = "Similar Q&A"
RELATED_FAQ = "Related FAQ"
BLOCK_MARKERS = {MORE_INFO, SIMILAR, RELATED_FAQ}

#: Specialty names the site uses; a first line "<x> - <one of these>" is a page title even
#: when the page is cut off before the reply header that would confirm it.
KNOWN_SPECIALTIES = {
    s.lower()
    for s in (
        "Anesthesiology", "Breast and Thyroid", "Cardiology", "Cardiovascular Surgery",
        "Chest Medicine", "Colorectal Surgery", "Dentistry", "Dermatology",
        "Emergency Medicine", "Endocrinology", "Family Medicine",
        "Gastroenterology and Hepatology", "General Surgery", "Geriatrics", "Hematology",
        "Infectious Diseases", "Internal Medicine", "Medical Imaging", "Nephrology",
        "Neurology", "Neurosurgery", "Nursing", "Nutrition", "Obstetrics and Gynecology",
        "Occupational Medicine", "Oncology", "Ophthalmology", "Orthopedics",
        "Otolaryngology", "Pediatrics", "Pharmacology", "Plastic Surgery", "Psychiatry",
        "Psychology", "Pulmonology", "Radiology", "Rehabilitation", "Rheumatology",
        "Surgery", "Traditional Chinese Medicine", "Urology", "Pulmonary Medicine",
        "Allergy and Immunology", "Thoracic Surgery", "Pediatric Surgery",
    )
}


@dataclass(slots=True)
class Line:
    """A non-blank line: its number (1-based), text without the newline, and offsets."""

    no: int
    text: str
    start: int
    end: int

    @property
    def stripped(self) -> str:
        return self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their offsets; leading/trailing spaces are kept out of spans."""
    out: list[Line] = []
    pos = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        body = raw.rstrip()
        lead = len(body) - len(body.lstrip())
        if body.strip():
            out.append(Line(no, body.strip(), pos + lead, pos + len(body)))
        pos += len(raw) + 1
    return out


def iso_date(raw: str, line: Line, field: str) -> str:
    """'2006/12/27' -> '2006-12-27'; a date that is not a calendar date is a PageError."""
    m = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", raw)
    if not m:
        raise PageError(f"{field} {raw!r} is not a date (expected YYYY/MM/DD)", line.no, field)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError as exc:
        raise PageError(f"{field} {raw!r} is not a calendar date ({exc})", line.no, field) from exc


#: Longer lines are never structural lines (and the regexes stay linear on 10 MB lines).
MAX_ASKER_LINE = 400
MAX_HEADER_LINE = 200


def parse_asker(line: Line) -> tuple[Asker, str] | None:
    """The asker and the raw ask date, or None when the line is not an asker line."""
    if len(line.stripped) > MAX_ASKER_LINE or "Ask Date" not in line.text:
        return None
    m = ASKER_FULL_RE.match(line.stripped) or ASKER_RE.match(line.stripped)
    if not m:
        return None
    pseudo = m["pseudo"].strip().rstrip(",").strip() or None
    amin = int(m["amin"]) if m["amin"] else None
    amax = int(m["amax"]) if m["amax"] else None
    sex = m["sex"].lower() if m["sex"] else None
    return Asker(pseudo, amin, amax, sex), m["date"]


def is_header(line: Line) -> re.Match[str] | None:
    """A "Dr. <name> reply <Specialty>" line (names are short, specialties title-case)."""
    if len(line.stripped) > MAX_HEADER_LINE or not line.stripped.startswith("Dr"):
        return None
    m = HEADER_RE.match(line.stripped)
    if not m or len(m["name"].split()) > 6 or len(m["spec"].split()) > 6:
        return None
    if not m["spec"][0].isupper():
        return None
    return m


def span(lines: list[Line]) -> tuple[int, int] | None:
    return (lines[0].start, lines[-1].end) if lines else None


def read_text(text: str, *, id: str, source: str, checksum: str) -> Consultation:
    """Parse one page. Raises PageError (with a line number) when it cannot be published."""
    lines = split_lines(text)
    c = Consultation(id=id, source=source, checksum=checksum, text=text)
    if not lines:
        raise PageError("the page is empty", 1, "page")

    asker_idx = next(
        (i for i, ln in enumerate(lines) if parse_asker(ln)), None
    )
    if asker_idx is None:
        _read_head(c, lines, None)
        raise PageError(
            "no asker line ('<name>, <a>~<b> year old <sex>. Ask Date: YYYY/MM/DD'): "
            "the page stops before the question is complete",
            lines[-1].no,
            "asker",
            partial=c,
        )
    head = lines[:asker_idx]
    if not head:
        raise PageError("no question before the asker line", lines[asker_idx].no, "question")

    # The part after the asker line, cut at the block markers.
    rest = lines[asker_idx + 1 :]
    header_idx = None
    if rest and is_header(rest[0]):
        header_idx = 0
    header_m = is_header(rest[header_idx]) if header_idx is not None else None

    _read_head(c, head, header_m)

    asker_line = lines[asker_idx]
    asker, raw_date = parse_asker(asker_line)  # type: ignore[misc]
    c.asker = asker
    c.sections.append(Section("asker", asker_line.start, asker_line.end))
    if not raw_date:
        raise PageError("the asker line has no ask date", asker_line.no, "ask_date")
    c.ask_date = iso_date(raw_date, asker_line, "ask_date")
    if asker.age_min is None:
        c.warnings.append(f"line {asker_line.no}: the asker line gives no age range")

    if header_m is None:
        if rest:
            c.warnings.append(
                f"line {rest[0].no}: expected 'Dr. <name> reply <Specialty>' after the asker line"
            )
        else:
            c.warnings.append("the page stops after the asker line (no reply)")
        _read_tail(c, rest, after_reply=False)
        return c

    hdr = rest[0]
    c.physician_name = header_m["name"]
    c.physician_specialty = header_m["spec"]
    c.sections.append(Section("reply_header", hdr.start, hdr.end))
    reply: list[Line] = []
    i = 1
    while i < len(rest):
        ln = rest[i]
        if REPLY_DATE_RE.match(ln.stripped) or ln.stripped in BLOCK_MARKERS:
            break
        reply.append(ln)
        i += 1
    if reply:
        c.sections.append(Section("reply", *span(reply)))  # type: ignore[misc]
    if i < len(rest) and (m := REPLY_DATE_RE.match(rest[i].stripped)):
        ln = rest[i]
        c.sections.append(Section("reply_date", ln.start, ln.end))
        if m["date"]:
            c.reply_date = iso_date(m["date"], ln, "reply_date")
        i += 1
    elif i >= len(rest):
        c.warnings.append("the page stops inside the reply (no 'Reply Date')")
    _read_tail(c, rest[i:], after_reply=True)
    return c


def _read_head(c: Consultation, head: list[Line], header_m: re.Match[str] | None) -> None:
    """Page title, question title and question text: the lines before the asker line."""
    # Page title: "<title> - <Specialty>" on the first line, followed by the question title.
    first = head[0]
    pm = PAGE_TITLE_RE.match(first.stripped) if len(first.stripped) <= MAX_HEADER_LINE * 2 else None
    if pm and len(head) >= 2:
        spec = pm["spec"].strip()
        if (header_m and spec.lower() == header_m["spec"].lower()) or (
            spec.lower() in KNOWN_SPECIALTIES
        ):
            c.page_title = pm["title"].strip()
            c.page_specialty = spec
            c.sections.append(Section("page_title", first.start, first.end))
            head = head[1:]
    title = head[0]
    c.question_title = title.stripped
    c.sections.append(Section("question_title", title.start, title.end))
    body = head[1:]
    if body:
        c.sections.append(Section("question", body[0].start, body[-1].end))
    else:
        c.warnings.append(f"line {title.no}: the question has a title but no text")


def _read_tail(c: Consultation, lines: list[Line], *, after_reply: bool) -> None:
    """More Info, Similar Q&A and Related FAQ blocks, in whatever part of them is there."""
    blocks: dict[str, list[Line]] = {}
    markers: dict[str, Line] = {}
    current: str | None = None
    for ln in lines:
        if ln.stripped in BLOCK_MARKERS:
            current = ln.stripped
            blocks.setdefault(current, [])
            markers.setdefault(current, ln)
            continue
        if current is None:
            if after_reply:
                c.warnings.append(f"line {ln.no}: text after the reply outside any block")
            continue
        blocks[current].append(ln)
    if MORE_INFO in blocks:
        # A heading with nothing under it (page cut right after it) is an empty section.
        end = markers[MORE_INFO].end
        c.sections.append(Section("more_info", *(span(blocks[MORE_INFO]) or (end, end))))
    if SIMILAR in blocks and (sp := span(blocks[SIMILAR])):
        c.sections.append(Section("similar", *sp))
        c.similar = _similar_items(blocks[SIMILAR])
    if RELATED_FAQ in blocks and (sp := span(blocks[RELATED_FAQ])):
        c.sections.append(Section("faq", *sp))
        for ln in blocks[RELATED_FAQ]:
            m = FAQ_RE.match(ln.stripped) if len(ln.stripped) <= MAX_HEADER_LINE else None
            if m:
                c.faq.append(FAQTopic(m["topic"].strip(), m["spec"].strip(), ln.start, ln.end))
            else:
                c.faq.append(FAQTopic(ln.stripped, None, ln.start, ln.end))


def _similar_items(lines: list[Line]) -> list[SimilarQA]:
    """Split the Similar Q&A block into items: each ends at its '[Read More] <title>' line."""
    items: list[list[Line]] = [[]]
    for ln in lines:
        items[-1].append(ln)
        if READ_MORE_RE.search(ln.stripped):
            items.append([])
    out: list[SimilarQA] = []
    for item in items:
        if not item:
            continue
        hdr = next((k for k, ln in enumerate(item) if k > 0 and is_header(ln)), None)
        before = item if hdr is None else item[:hdr]
        after = [] if hdr is None else item[hdr + 1 :]
        q = SimilarQA(title=before[0].stripped, start=item[0].start, end=item[-1].end)
        q.question_excerpt = " ".join(ln.stripped for ln in before[1:])
        if hdr is not None:
            m = is_header(item[hdr])
            assert m is not None
            q.physician_name, q.specialty = m["name"], m["spec"]
        answer = " ".join(ln.stripped for ln in after)
        q.answer_excerpt = READ_MORE_RE.sub("", answer).strip()
        out.append(q)
    return out
