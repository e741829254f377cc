"""Seeded generator of realistic consultation pages in the site's text layout.

Both layouts (SEO title + blank lines, compact), every section (question, asker line, reply,
Reply Date, More Info, Similar Q&A, Related FAQ), concepts drawn from data/vocab, and lengths
that follow the sample pages, so that 100k pages exist without scraping. Same seed, same pages.

    python benchmarks/synth.py OUT_DIR --pages 10000 [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOCAB = ROOT / "data" / "vocab" / "concepts.tsv"

SPECIALTIES = [
    "Cardiology", "Dermatology", "Neurology", "Internal Medicine", "Pediatrics",
    "Obstetrics and Gynecology", "Otolaryngology", "Ophthalmology", "Oncology", "Rehabilitation",
    "Gastroenterology and Hepatology", "Family Medicine", "Psychiatry", "Orthopedics",
    "Pharmacology", "Traditional Chinese Medicine", "Dentistry", "Urology",
]
SURNAMES = ["Chen", "Lin", "Huang", "Zhang", "Li", "Wang", "Wu", "Liu", "Cai", "Yang", "Xu",
            "Zheng", "Xie", "Guo", "Hong", "Zeng", "Ye", "Su", "Zhuang", "Lü"]
GIVEN = ["Xianchang", "Boshou", "Junyi", "Weibin", "Sirong", "Yuxin", "Dongjin", "Guotao",
         "Jueyi", "Kaiwen", "Shidian", "Hongling", "Wufu", "Zhongxin", "Xueming", "Pilin"]
PSEUDO = ["Xiao", "A-", "Mr. ", "Ms. ", "Miss ", ""]
RELATIVES = ["I", "My mother", "My father", "My son", "My daughter", "My husband", "My wife"]
QUESTION_OPENERS = ["Hello Doctor,", "Hello, Doctor.", "Dear Dr.", "Hello,", ""]
REPLY_OPENERS = ["Hello:", "Hello,", "Dear Mr.", "Hello! Regarding your question:", "Hello Ms."]
FILLER = [
    "This has been going on for about {n} weeks.",
    "It gets worse at night and I am worried.",
    "I am not sure whether I should see a doctor.",
    "Could you please tell me what the cause might be?",
    "Is this something serious, and what should I do next?",
    "Thank you for your answer.",
]
MORE_INFO = [
    "{label} is a common concern, and understanding its causes can help you make an informed decision.",
    "In many cases, {label} is benign, but persistent symptoms deserve a proper evaluation.",
    "Lifestyle measures such as regular sleep, a balanced diet and exercise can also help.",
    "If your symptoms persist or worsen, consult your healthcare provider for further evaluation.",
    "Your doctor may recommend {test} to clarify the diagnosis and guide treatment.",
]


def load_vocab(path: Path = VOCAB) -> dict[str, list[str]]:
    """Phrases per kind: labels and synonyms from the project's lexicon."""
    out: dict[str, list[str]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["kind"]].append(row["label"])
            out[row["kind"]] += [s for s in (row.get("synonyms") or "").split("|")[:2] if s]
    for kind, fallback in (("symptom", "headache"), ("condition", "hypertension"),
                           ("test", "blood test"), ("treatment", "physical therapy"),
                           ("drug", "aspirin")):
        out.setdefault(kind, [fallback])
    return out


def _date(rnd: random.Random) -> dt.date:
    return dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(0, 9000))


def _doctor(rnd: random.Random) -> str:
    return f"{rnd.choice(SURNAMES)} {rnd.choice(GIVEN)}"


def page(rnd: random.Random, vocab: dict[str, list[str]], n: int) -> str:
    """One page of text."""
    spec = rnd.choice(SPECIALTIES)
    seo = rnd.random() < 0.6
    gap = "\n\n" if seo else "\n"
    sym = rnd.sample(vocab["symptom"], k=min(3, len(vocab["symptom"])))
    cond = rnd.choice(vocab["condition"])
    test = rnd.choice(vocab["test"])
    treat = rnd.choice(vocab["treatment"] + vocab["drug"])
    who = rnd.choice(RELATIVES)
    has = "have" if who == "I" else "has"
    q = [rnd.choice(QUESTION_OPENERS),
         f"{who} {has} had {sym[0]} and {sym[1]} for {rnd.randint(2, 30)} days.",
         f"There is no {sym[2]}.",
         f"A {test} was done last month and the doctor said it might be {cond}.",
         f"{who} took {treat}, but it has not been effective."]
    q += [rnd.choice(FILLER).format(n=rnd.randint(1, 9)) for _ in range(rnd.randint(1, 6))]
    title = f"{sym[0].capitalize()} and {cond}?"
    asked = _date(rnd)
    replied = asked + dt.timedelta(days=rnd.choice([0, 0, 1, 2]))
    pseudo = rnd.choice(PSEUDO) + rnd.choice(SURNAMES) + (", Taipei" if rnd.random() < 0.05 else "")
    lo = rnd.choice([10, 20, 30, 40, 50, 60, 70])
    sex = rnd.choice(["female", "male"])
    doctor = _doctor(rnd)
    reply = [f"{rnd.choice(REPLY_OPENERS)} {sym[0].capitalize()} may be related to {cond}.",
             f"It is advisable to undergo {test} for further evaluation.",
             f"If the symptoms persist, {treat} may be considered.",
             f"Please consult a {rnd.choice(SPECIALTIES).lower()} specialist if it worsens."]
    if rnd.random() < 0.3:
        reply.append("Wishing you good health. Dr.")
        reply.append(f"{doctor}, Department of {spec}")
    parts = []
    if seo:
        parts.append(f"{cond.title()}: What You Need to Know - {spec}")
    parts += [title, "\n".join(ln for ln in q if ln),
              f"{pseudo}, {lo}~{lo + 9} year old {sex}. Ask Date: {asked:%Y/%m/%d}",
              f"Dr. {doctor} reply {spec}", "\n".join(reply)]
    cut = rnd.random()
    if cut < 0.1:  # cut off in the reply, like the captured samples
        return gap.join(parts)[: rnd.randint(len(gap.join(parts[:-1])) + 5, len(gap.join(parts)))]
    parts.append(f"Reply Date: {replied:%Y/%m/%d}")
    more = [rnd.choice(MORE_INFO).format(label=cond, test=test) for _ in range(rnd.randint(4, 14))]
    parts += ["More Info", "\n".join(more)]
    if rnd.random() < 0.3:
        items = []
        for _ in range(rnd.randint(1, 4)):
            t = f"{rnd.choice(vocab['condition']).capitalize()}: treatment options"
            items += [t, f"I have {rnd.choice(vocab['symptom'])} and I am worried...",
                      f"Dr. {_doctor(rnd)} reply {rnd.choice(SPECIALTIES)}",
                      f"Hello: this is usually benign...[Read More] {t}"]
        parts += ["Similar Q&A", "\n".join(items), "Related FAQ",
                  "\n".join(f"{rnd.choice(vocab['condition']).title()}({spec})" for _ in range(5))]
    return gap.join(parts) + "\n"


def generate(out: Path, pages: int, seed: int = 7) -> list[Path]:
    """Write `pages` pages as out/synth-<n>.txt; returns their paths."""
    rnd = random.Random(seed)
    vocab = load_vocab()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(pages):
        p = out / f"synth-{seed}-{n:06d}.txt"
        p.write_text(page(rnd, vocab, n), encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    generate(args.out, args.pages, args.seed)
    print(f"wrote {args.pages} pages to {args.out}")


if __name__ == "__main__":
    main()
