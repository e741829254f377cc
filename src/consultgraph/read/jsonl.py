"""Records from other sources (JSON Lines) -> the page text layout.

A record is rendered into the compact page layout and then read by the same text reader,
so that offsets, sections and quarantine rules are the same for every source.
Fields (see README): id, question_title, page_title, specialty, question,
asker {pseudonym, age_min, age_max, sex}, ask_date, physician {name, specialty}, reply,
reply_date, more_info, similar [{title, question_excerpt, physician {name, specialty},
answer_excerpt}], faq [{label, specialty}].
"""

from __future__ import annotations

from typing import Any

from consultgraph.read.errors import PageError


def _s(rec: dict[str, Any], key: str) -> str:
    val = rec.get(key)
    if val is None:
        return ""
    if not isinstance(val, str | int | float):
        raise PageError(f"field {key!r} must be a string", None, key)
    return str(val).strip()


def _date(raw: str) -> str:
    return raw.replace("-", "/")


def record_to_text(rec: dict[str, Any]) -> tuple[str, str]:
    """Render one record; returns (page text, record id). Missing id or question: PageError."""
    rid = _s(rec, "id")
    if not rid:
        raise PageError("the record has no 'id'", None, "id")
    title = _s(rec, "question_title")
    question = _s(rec, "question")
    if not (title or question):
        raise PageError("the record has no 'question_title' nor 'question'", None, "question")
    asker = rec.get("asker") or {}
    if not isinstance(asker, dict):
        raise PageError("field 'asker' must be an object", None, "asker")
    ask_date = _s(rec, "ask_date")
    if not ask_date:
        raise PageError("the record has no 'ask_date'", None, "ask_date")
    lines: list[str] = []
    if rec.get("page_title") and (rec.get("specialty") or (rec.get("physician") or {}).get("specialty")):
        spec = rec.get("specialty") or rec["physician"]["specialty"]
        lines.append(f"{_s(rec, 'page_title')} - {spec}")
    lines.append(title or question.split("\n", 1)[0])
    if question:
        lines.append(question)
    pseudo = str(asker.get("pseudonym") or "anonymous").replace("\n", " ")
    age = ""
    if asker.get("age_min") is not None and asker.get("age_max") is not None:
        age = f" {int(asker['age_min'])}~{int(asker['age_max'])} year old"
    sex = f" {asker['sex']}" if asker.get("sex") else ""
    lines.append(f"{pseudo},{age}{sex}. Ask Date: {_date(ask_date)}")
    phys = rec.get("physician") or {}
    if isinstance(phys, dict) and phys.get("name"):
        lines.append(f"Dr. {phys['name']} reply {phys.get('specialty') or 'General'}")
        if rec.get("reply"):
            lines.append(_s(rec, "reply"))
        if rec.get("reply_date"):
            lines.append(f"Reply Date: {_date(_s(rec, 'reply_date'))}")
    if rec.get("more_info"):
        lines += ["More Info", _s(rec, "more_info")]
    if rec.get("similar"):
        lines.append("Similar Q&A")
        for item in rec["similar"]:
            p = item.get("physician") or {}
            lines.append(str(item.get("title", "")))
            if item.get("question_excerpt"):
                lines.append(str(item["question_excerpt"]))
            if p.get("name"):
                lines.append(f"Dr. {p['name']} reply {p.get('specialty') or 'General'}")
            lines.append(f"{item.get('answer_excerpt', '')}...[Read More] {item.get('title', '')}")
    if rec.get("faq"):
        lines.append("Related FAQ")
        for t in rec["faq"]:
            lines.append(f"{t.get('label', '')}({t.get('specialty') or 'General'})")
    return "\n".join(lines) + "\n", rid
