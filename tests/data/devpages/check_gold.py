"""Consistency check for the development pages and their gold files.

Run: python tests/data/devpages/check_gold.py
Checks that every gold span is an exact substring of the right part of its page
(question categories in the question, reply categories in the reply), that no
span crosses a line break, that concepts are not repeated within a category,
and that the demographic/header fields agree with the page text.
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEYS = ["id", "question_title", "page_title", "asker", "age_min", "age_max", "sex",
        "ask_date", "reply_date", "physician", "specialty", "symptoms", "negated_symptoms",
        "conditions", "tests_reported", "tests_recommended", "treatments_reported",
        "treatments_recommended", "referrals", "notes"]
QUESTION_CATS = ["symptoms", "negated_symptoms", "tests_reported", "treatments_reported"]
REPLY_CATS = ["tests_recommended", "treatments_recommended", "referrals"]
ASKER_RE = re.compile(r"^(.*), (\d+)~(\d+) year old (\w+)\. Ask Date: (\d{4})/(\d{2})/(\d{2})$", re.M)
HEADER_RE = re.compile(r"^Dr\. (.+?) reply (.+)$", re.M)


def split(text):
    lines = text.split("\n")
    first = lines[0]
    seo = " - " in first and (len(lines) > 1 and lines[1] == "")
    if seo:
        rest = list(lines[1:])
        qtitle = next(ln for ln in rest if ln.strip())
        qstart = text.index("\n" + qtitle + "\n") + 1
        page_title = first.rsplit(" - ", 1)[0]
    else:
        qtitle, qstart, page_title = first, 0, None
    m = ASKER_RE.search(text)
    qend = m.end() if m else len(text)
    h = HEADER_RE.search(text, qend) if m else None
    if h:
        rstart = h.start()
        rd = re.search(r"^Reply Date: (\d{4})/(\d{2})/(\d{2})$", text[rstart:], re.M)
        mi = re.search(r"^More Info$", text[rstart:], re.M)
        rend = rstart + (rd.end() if rd else (mi.start() if mi else len(text) - rstart))
    else:
        rstart = rend = len(text)
        rd = None
    return dict(seo=seo, qtitle=qtitle, page_title=page_title, question=text[qstart:qend],
                reply=text[rstart:rend], asker=m, header=h, reply_date=rd)


def check(page: Path, gold: Path):
    errs = []
    text = page.read_text(encoding="utf-8")
    g = json.loads(gold.read_text(encoding="utf-8"))
    if list(g) != KEYS:
        errs.append(f"keys differ: {list(g)}")
    if g["id"] != page.stem:
        errs.append("id mismatch")
    p = split(text)
    if g["question_title"] != p["qtitle"]:
        errs.append(f"question_title {g['question_title']!r} != {p['qtitle']!r}")
    if g["page_title"] != p["page_title"]:
        errs.append(f"page_title {g['page_title']!r} != {p['page_title']!r}")
    m = p["asker"]
    exp = dict(asker=None, age_min=None, age_max=None, sex=None, ask_date=None)
    if m:
        exp = dict(asker=m.group(1), age_min=int(m.group(2)), age_max=int(m.group(3)), sex=m.group(4),
                   ask_date=f"{m.group(5)}-{m.group(6)}-{m.group(7)}")
    h = p["header"]
    exp["physician"] = h.group(1) if h else None
    exp["specialty"] = h.group(2) if h else None
    rd = p["reply_date"]
    exp["reply_date"] = "-".join(rd.groups()) if rd else None
    for k, v in exp.items():
        if g[k] != v:
            errs.append(f"{k}: gold {g[k]!r} != page {v!r}")
    for cat in QUESTION_CATS + REPLY_CATS + ["conditions"]:
        seen = set()
        for item in g[cat]:
            t = item["text"]
            if "\n" in t or not t.strip():
                errs.append(f"{cat}: bad span {t!r}")
            if cat == "conditions":
                where = p["question"] if item["section"] == "question" else p["reply"]
                if item["section"] not in ("question", "reply"):
                    errs.append(f"{cat}: bad section {item['section']!r}")
            else:
                where = p["question"] if cat in QUESTION_CATS else p["reply"]
            if t not in where:
                errs.append(f"{cat}: {t!r} not in its section")
            c = item["concept"]
            if c != c.strip() or not c:
                errs.append(f"{cat}: bad concept {c!r}")
            if c in seen:
                errs.append(f"{cat}: concept {c!r} repeated")
            seen.add(c)
            if cat == "treatments_reported" and item["effective"] not in (True, False, None):
                errs.append(f"{cat}: bad effective")
    return errs


def main():
    pages = sorted(HERE.glob("dev-*.txt"))
    bad = 0
    total = 0
    for page in pages:
        gold = HERE / "gold" / (page.stem + ".json")
        if not gold.exists():
            print(f"{page.name}: missing gold")
            bad += 1
            continue
        errs = check(page, gold)
        g = json.loads(gold.read_text(encoding="utf-8"))
        total += sum(len(g[c]) for c in KEYS[11:19])
        for e in errs:
            print(f"{page.stem}: {e}")
        bad += bool(errs)
    print(f"{len(pages)} pages, {total} gold items, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
