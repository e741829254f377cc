"""Score `extract_findings` against the hand-annotated gold (GUIDELINES.md categories).

Usage: python benchmarks/extraction.py [PAGES_DIR] [--gold GOLD_DIR] [--half a|b] [--json]

A predicted finding matches a gold item of the same category when their spans overlap. Gold
gives only text, so each item is located in the page: question categories in the question part
(question title .. asker line), reply categories in the reply, conditions by their `section`;
first occurrence. Matching is one-to-one. Pages the reader refuses count their gold as missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from consultgraph.extract import extract_findings
from consultgraph.extract.lexicon import load_lexicon
from consultgraph.model import Consultation, Finding
from consultgraph.read import PageError, read_path

DATA = Path("/work/shared/data")
GOLD_KEYS = {
    "symptoms": "symptom",
    "negated_symptoms": "negated_symptom",
    "conditions": "condition",
    "tests_reported": "test_reported",
    "tests_recommended": "test_recommended",
    "treatments_reported": "treatment_reported",
    "treatments_recommended": "treatment_recommended",
    "referrals": "referral",
}
QUESTION_CATS = {"symptom", "negated_symptom", "test_reported", "treatment_reported"}
DEMOGRAPHICS = ("age_min", "age_max", "sex", "ask_date", "reply_date", "physician", "specialty")


def _region(c: Consultation, part: str) -> tuple[int, int] | None:
    if part == "question":
        names = ("question_title", "question", "asker")
    else:
        names = ("reply",)
    secs = [s for s in c.sections if s.name in names]
    return (min(s.start for s in secs), max(s.end for s in secs)) if secs else None


def locate(c: Consultation, text: str, part: str) -> tuple[int, int] | None:
    """First occurrence of a gold span in its part of the page (exact, then case-insensitive)."""
    region = _region(c, part)
    if region is None:
        return None
    lo, hi = region
    i = c.text.find(text, lo, hi)
    if i < 0:
        i = c.text.lower().find(text.lower(), lo, hi)
    return None if i < 0 else (i, i + len(text))


def _demographics(c: Consultation) -> dict[str, Any]:
    def iso(d: str | None) -> str | None:
        return d.replace("/", "-") if d else d

    return {
        "age_min": c.asker.age_min,
        "age_max": c.asker.age_max,
        "sex": c.asker.sex,
        "ask_date": iso(c.ask_date),
        "reply_date": iso(c.reply_date),
        "physician": c.physician_name,
        "specialty": c.physician_specialty,
    }


def score_page(
    c: Consultation | None,
    gold: dict[str, Any],
    preds: list[Finding],
    counts: dict[str, Counter[str]],
    errors: list[dict[str, Any]],
) -> None:
    """Add this page's true positives, false positives and false negatives per category."""
    preds = [f for f in preds if not f.supplementary and f.section != "more_info"]
    for key, cat in GOLD_KEYS.items():
        items = gold.get(key) or []
        cat_preds = [f for f in preds if f.category == cat]
        used: set[int] = set()
        for item in items:
            part = (
                item.get("section", "question")
                if cat == "condition"
                else ("question" if cat in QUESTION_CATS else "reply")
            )
            span = locate(c, item["text"], part) if c is not None else None
            hit = None
            if span is not None:
                hit = next(
                    (
                        k
                        for k, f in enumerate(cat_preds)
                        if k not in used and f.start < span[1] and span[0] < f.end
                    ),
                    None,
                )
            if hit is None:
                counts[cat]["fn"] += 1
                errors.append(
                    {
                        "page": gold["id"],
                        "type": "FN",
                        "category": cat,
                        "text": item["text"],
                        "concept": item.get("concept"),
                    }
                )
            else:
                used.add(hit)
                counts[cat]["tp"] += 1
        for k, f in enumerate(cat_preds):
            if k not in used:
                counts[cat]["fp"] += 1
                errors.append(
                    {
                        "page": gold["id"],
                        "type": "FP",
                        "category": cat,
                        "text": f.text,
                        "concept": f.concept.label if f.concept else None,
                    }
                )


def prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run(pages: Path, gold_dir: Path, half: str | None = None) -> dict[str, Any]:
    """Read, extract and score every page that has a gold file; return the metrics."""
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))}
    ids = sorted(golds)
    if half in ("a", "b"):
        ids = [g for i, g in enumerate(ids) if (i % 2 == 0) == (half == "a")]
    counts: dict[str, Counter[str]] = {cat: Counter() for cat in GOLD_KEYS.values()}
    errors: list[dict[str, Any]] = []
    demo = Counter[str]()
    reader_errors: list[str] = []
    all_findings: list[Finding] = []
    t0 = time.perf_counter()
    for gid in ids:
        files = [p for p in pages.glob(f"{gid}.*") if p.suffix in (".txt", ".html", ".htm", ".jsonl")]
        consult: Consultation | None = None
        for path in files[:1]:
            for _name, rec in read_path(path):
                if isinstance(rec, PageError):
                    # Not publishable, but `extract --json` still gives what it could read.
                    reader_errors.append(f"{gid}: {rec}")
                    consult = rec.partial
                else:
                    consult = rec
        preds = extract_findings(consult) if consult is not None else []
        all_findings.extend(preds)
        score_page(consult, golds[gid], preds, counts, errors)
        got = _demographics(consult) if consult is not None else {}
        for field in DEMOGRAPHICS:
            demo["n_" + field] += 1
            demo["ok_" + field] += int(got.get(field) == golds[gid].get(field))
    elapsed = time.perf_counter() - t0
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    lex = load_lexicon()
    entries = list(lex.entries.values())
    with_id = sum(1 for e in entries if any(k != "snomed" for k in e.ids))
    found_with_id = sum(1 for f in all_findings if f.concept and any(k != "snomed" for k in f.concept.ids))
    per_cat = {
        cat: {
            "tp": c["tp"],
            "fp": c["fp"],
            "fn": c["fn"],
            "gold": c["tp"] + c["fn"],
            "precision": round(prf(c)[0], 3),
            "recall": round(prf(c)[1], 3),
            "f1": round(prf(c)[2], 3),
        }
        for cat, c in counts.items()
    }
    return {
        "pages": len(ids),
        "reader_errors": reader_errors,
        "categories": per_cat,
        "micro": {
            "precision": round(prf(total)[0], 3),
            "recall": round(prf(total)[1], 3),
            "f1": round(prf(total)[2], 3),
            "tp": total["tp"],
            "fp": total["fp"],
            "fn": total["fn"],
        },
        "demographics": {
            f: round(demo["ok_" + f] / demo["n_" + f], 3) if demo["n_" + f] else None for f in DEMOGRAPHICS
        },
        "lexicon": {
            "concepts": len(entries),
            "with_external_id": round(with_id / len(entries), 3) if entries else 0.0,
            "id_sources": dict(Counter(k for e in entries for k in e.ids)),
        },
        "findings": {
            "count": len(all_findings),
            "with_external_id": round(found_with_id / len(all_findings), 3) if all_findings else 0.0,
        },
        "seconds": round(elapsed, 2),
        "errors": errors,
    }


def table(res: dict[str, Any]) -> str:
    """The Markdown table printed and pasted into benchmarks/README.md."""
    lines = ["| category | gold | TP | FP | FN | P | R | F1 |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for cat, m in res["categories"].items():
        lines.append(
            f"| {cat} | {m['gold']} | {m['tp']} | {m['fp']} | {m['fn']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |"  # noqa: E501
        )
    mi = res["micro"]
    lines.append(
        f"| **micro** | {mi['tp'] + mi['fn']} | {mi['tp']} | {mi['fp']} | {mi['fn']} | {mi['precision']:.3f} | {mi['recall']:.3f} | **{mi['f1']:.3f}** |"  # noqa: E501
    )
    lines.append("")
    lines.append(
        "Demographics accuracy: "
        + ", ".join(f"{k} {v:.3f}" for k, v in res["demographics"].items() if v is not None)
    )
    lx, fd = res["lexicon"], res["findings"]
    lines.append(
        f"Lexicon: {lx['concepts']} concepts, {lx['with_external_id']:.1%} with an external id (SNOMED not counted); "  # noqa: E501
        f"extracted findings: {fd['count']}, {fd['with_external_id']:.1%} with an external id."
    )
    lines.append(
        f"Pages: {res['pages']}; reader errors: {len(res['reader_errors'])}; time {res['seconds']} s."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="?", default=str(DATA / "doctorqna"))
    ap.add_argument("--gold", default=str(DATA / "gold"))
    ap.add_argument(
        "--half", choices=["a", "b"], help="score only even (a) or odd (b) gold ids, for a held-out check"
    )
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ap.add_argument("--errors", action="store_true", help="also list false positives and negatives")
    args = ap.parse_args(argv)
    res = run(Path(args.pages), Path(args.gold), args.half)
    if args.json:
        if not args.errors:
            res.pop("errors")
        print(json.dumps(res, indent=2))
        return 0
    print(table(res))
    for err in res["reader_errors"]:
        print("reader error:", err)
    if args.errors:
        for e in res["errors"]:
            print(f"{e['type']} {e['page']:>8} {e['category']:<22} {e['text']!r} -> {e['concept']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
