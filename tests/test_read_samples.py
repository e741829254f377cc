"""Every real sample page against its manifest row and its gold demographics."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from consultgraph.read import PageError, read_path

from .conftest import GOLD


def manifest_rows(samples: Path) -> list[dict[str, str]]:
    with open(samples / "manifest.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def read_one(path: Path):
    [(name, rec)] = list(read_path(path))
    return rec


def iso(d: str) -> str | None:
    return d.replace("/", "-") if d else None


def test_every_sample_page_is_read_or_quarantined_with_a_reason(samples_dir: Path) -> None:
    pages = sorted(samples_dir.glob("*.txt"))
    assert len(pages) == 59
    quarantined = {}
    for p in pages:
        rec = read_one(p)
        if isinstance(rec, PageError):
            quarantined[p.stem] = str(rec)
    # The two pages that stop inside the question have no asker line: nothing to publish.
    assert set(quarantined) == {"45371", "136121"}
    for reason in quarantined.values():
        assert reason.startswith("line ") and "no asker line" in reason


def test_manifest_dates_specialty_and_title(samples_dir: Path) -> None:
    for row in manifest_rows(samples_dir):
        rec = read_one(samples_dir / f"{row['id']}.txt")
        if isinstance(rec, PageError):
            assert row["ask_date"] == ""
            continue
        assert rec.ask_date == iso(row["ask_date"]), row["id"]
        assert rec.reply_date == iso(row["reply_date"]), row["id"]
        assert rec.physician_specialty == row["specialty"], row["id"]
        if row["layout"] == "seo_title":
            assert f"{rec.page_title} - {rec.page_specialty}" == row["title"]
        else:
            assert rec.page_title is None and rec.question_title == row["title"], row["id"]
        assert (rec.section("more_info") is not None) == (row["has_more_info"] == "y"), row["id"]


@pytest.mark.skipif(not GOLD.is_dir(), reason="gold annotations are in ../shared only")
def test_demographics_match_the_gold_exactly(samples_dir: Path) -> None:
    checked = 0
    for gold_file in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_file.read_text())
        rec = read_one(samples_dir / f"{gold['id']}.txt")
        if isinstance(rec, PageError):
            assert gold["ask_date"] is None
            continue
        got = {
            "question_title": rec.question_title,
            "page_title": rec.page_title,
            "age_min": rec.asker.age_min,
            "age_max": rec.asker.age_max,
            "sex": rec.asker.sex,
            "ask_date": rec.ask_date,
            "reply_date": rec.reply_date,
            "physician": rec.physician_name,
            "specialty": rec.physician_specialty,
        }
        assert got == {k: gold[k] for k in got}, gold["id"]
        checked += 1
    assert checked >= 56


def test_seed_page_similar_qas_and_faq_topics(samples_dir: Path) -> None:
    rec = read_one(samples_dir / "000_0da881fe6b3e399c.txt")
    assert [s.title for s in rec.similar] == [
        "Exploring Treatment Options for Facial Tremors: Beyond Botox",
        "Can Facial Nerve Issues from Childhood Be Treated in Adulthood?",
        "Understanding Facial Nerve Spasms: Diagnosis and Treatment Options",
        "Managing Facial Pain After Incomplete Recovery from Bell's Palsy",
    ]
    assert [(s.physician_name, s.specialty) for s in rec.similar] == [
        ("Ye Boshou", "Neurology"), ("Jiang Junyi", "Neurology"),
        ("Hong Weibin", "Neurology"), ("Jiang Junyi", "Neurology"),
    ]
    first = rec.similar[0]
    assert first.question_excerpt.startswith("Last July, I experienced twitching")
    assert first.answer_excerpt.startswith("To Xiaomi:") and "[Read More]" not in first.answer_excerpt
    assert len(rec.faq) == 10
    assert {t.specialty for t in rec.faq} == {"Rehabilitation"}
    assert [t.label for t in rec.faq[1:4]] == ["Torticollis", "Electromyography", "Neck Stiffness"]
    # Sections keep offsets into the original text.
    for sec in rec.sections:
        assert 0 <= sec.start < sec.end <= len(rec.text)
    assert rec.question_text.startswith("Director Chen: Three weeks ago")
    assert rec.reply_text.startswith("(1) Facial twitching") and rec.reply_text.endswith("(MRI).")
