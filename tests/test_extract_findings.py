"""Behaviour of extract_findings that a reader of the published graph would notice."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from consultgraph.config import base_iri
from consultgraph.extract import extract_findings
from consultgraph.model import FINDING_CATEGORIES, Consultation
from consultgraph.read import read_bytes

SAMPLES = Path("/work/shared/data")


def page(
    question: str, reply: str = "Hello, thank you for your question.", title: str = "A question"
) -> Consultation:
    """A minimal compact page run through the real reader."""
    text = (
        f"{title}\n{question}\nXiao Li, 30~39 year old female. Ask Date: 2020/01/02\n"
        f"Dr. Wang Ming reply Neurology\n{reply}\nReply Date: 2020/01/03\n"
    )
    (name, rec), *_ = list(read_bytes(text.encode(), "t.txt"))
    assert isinstance(rec, Consultation), rec
    return rec


def found(c: Consultation) -> dict[tuple[str, str], object]:
    return {(f.category, f.concept.label if f.concept else ""): f for f in extract_findings(c)}


@pytest.mark.parametrize(
    ("phrase", "label"),
    [
        ("I have twitching near the corner of my mouth.", "facial twitching"),
        ("There is a ringing in my ears at night.", "tinnitus"),
        ("Lately my eyes are blurry when I read.", "blurred vision"),
        ("I can't sleep at night.", "insomnia"),
        ("I have pins and needles in my feet.", "paresthesia"),
        ("I noticed swollen ankles in the evening.", "ankle swelling"),
    ],
)
def test_lay_phrases_map_to_concepts(phrase: str, label: str) -> None:
    assert ("symptom", label) in found(page(phrase))


def test_denied_symptom_is_negated() -> None:
    got = found(page("I have a cough but no fever."))
    assert ("symptom", "cough") in got
    assert ("negated_symptom", "fever") in got
    assert ("symptom", "fever") not in got


def test_feared_symptom_is_not_a_symptom() -> None:
    got = found(page("After the vaccine, will I get a fever?"))
    assert not any(cat in ("symptom", "negated_symptom") for cat, _ in got)


def test_question_about_a_test_is_neither_reported_nor_recommended() -> None:
    cats = {cat for cat, _ in found(page("I have headaches. Should I get an MRI?"))}
    assert "test_reported" not in cats and "test_recommended" not in cats


def test_failed_treatment_is_reported_not_effective() -> None:
    got = found(page("Acupuncture has not been effective for my facial spasms."))
    f = got[("treatment_reported", "acupuncture")]
    assert f.effective is False  # type: ignore[attr-defined]
    assert not f.negated  # type: ignore[attr-defined]


def test_rule_out_with_emg_is_a_recommended_test() -> None:
    c = page("My hand is numb.", reply="Please rule out carpal tunnel syndrome with an EMG.")
    got = found(c)
    assert ("test_recommended", "electromyography") in got
    assert ("condition", "carpal tunnel syndrome") in got


def test_explained_test_is_not_recommended_and_referral_is_found() -> None:
    c = page(
        "I had an ECG at my check-up.",
        reply="The electrocardiogram shows a benign pattern. It is advisable to consult a cardiologist.",
    )
    got = found(c)
    assert ("test_reported", "electrocardiography") in got
    assert ("test_recommended", "electrocardiography") not in got
    assert ("referral", "cardiology") in got


def test_treatment_advised_against_is_not_recommended() -> None:
    c = page("I have a cold.", reply="Antibiotics are not necessary. You should drink plenty of water.")
    got = found(c)
    assert ("treatment_recommended", "antibiotic") not in got
    assert ("treatment_recommended", "increased fluid intake") in got


def test_relative_is_the_patient() -> None:
    got = found(page("My father has had a cough for two weeks and a fever."))
    assert ("symptom", "cough") in got and ("symptom", "fever") in got


def test_spans_iris_and_sections_are_consistent() -> None:
    c = page(
        "Last week I had chest tightness and palpitations; the ECG was normal. I took aspirin.",
        reply="You may have arrhythmia; a 24-hour Holter monitor should be arranged.",
        title="Palpitations?",
    )
    findings = extract_findings(c)
    assert findings
    for f in findings:
        assert f.category in FINDING_CATEGORIES
        assert c.text[f.start : f.end] == f.text
        assert f.concept is not None and f.concept.iri.startswith(
            base_iri() + "concept/" + f.concept.kind + "/"
        )
        assert c.section_at(f.start) == f.section
        assert f.section in ("question_title", "question", "reply")
    once = [(f.category, f.concept.iri) for f in findings if f.concept]
    assert len(once) == len(set(once))


_BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "extraction.py"


@pytest.mark.skipif(not (SAMPLES / "gold").is_dir(), reason="sample gold not available")
def test_sample_gold_micro_f1_regression_guard() -> None:
    spec = importlib.util.spec_from_file_location("bench_extraction", _BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    res = bench.run(SAMPLES / "doctorqna", SAMPLES / "gold")
    # Measured 0.864 (see benchmarks/README.md); the issue target is 0.85.
    assert res["micro"]["f1"] >= 0.84, res["micro"]


def _cats(c: Consultation, label: str) -> set[str]:
    return {cat for cat, lab in found(c) if lab == label}


def test_denial_runs_through_a_list() -> None:
    got = found(page("I have no fever, cough, or shortness of breath."))
    for label in ("fever", "cough", "shortness of breath"):
        assert ("negated_symptom", label) in got and ("symptom", label) not in got


def test_circumstance_is_not_a_denial() -> None:
    got = found(page("My eyelid twitches, even when I am not tired."))
    assert ("negated_symptom", "fatigue") not in got


def test_question_about_a_treatment_is_not_reported() -> None:
    assert "treatment_reported" not in _cats(page("Can I take aspirin for this?"), "aspirin")
    assert "treatment_reported" not in _cats(page("Is it safe to use ibuprofen while pregnant?"), "ibuprofen")
    assert "treatment_reported" not in _cats(
        page("I would like to ask if I can start taking oral contraceptives."), "oral contraceptive pill"
    )
    assert "treatment_reported" in _cats(page("I took aspirin last night."), "aspirin")


def test_stopping_a_treatment_reports_it() -> None:
    assert "treatment_reported" in _cats(page("Can I stop taking metformin now?"), "metformin")


def test_general_claim_about_a_drug_is_not_a_report() -> None:
    c = page("Frequent use of zolpidem can potentially lead to sleepwalking.")
    assert "treatment_reported" not in _cats(c, "zolpidem")


def test_parenthetical_restatement_is_one_item() -> None:
    got = found(page("The doctor prescribed propranolol (a beta-blocker) for me."))
    assert ("treatment_reported", "propranolol") in got
    assert not any(cat == "treatment_reported" and lab != "propranolol" for cat, lab in got)


def test_generic_title_heading_is_not_a_reported_treatment() -> None:
    c = page("I sleep badly and wonder what my options are.", title="Sleeping pills")
    assert "treatment_reported" not in {cat for cat, _ in found(c)}


def test_no_need_to_take_is_not_a_recommendation() -> None:
    c = page("I have a cold.", reply="There is no need to take antibiotics; rest at home.")
    assert "treatment_recommended" not in _cats(c, "antibiotic")


def test_background_clause_is_not_a_recommendation() -> None:
    c = page(
        "I had a root canal.",
        reply="After undergoing root canal treatment, teeth are fragile, so you should get a crown.",
    )
    got = found(c)
    assert ("treatment_recommended", "root canal treatment") not in got
    assert ("treatment_recommended", "dental crown") in got


def test_conditional_recommendation_counts() -> None:
    c = page("I have headaches.", reply="If the headaches persist, an MRI should be done.")
    assert ("test_recommended", "magnetic resonance imaging") in found(c)


def test_drug_identification_is_not_a_recommendation() -> None:
    c = page(
        "What is THIAMPHENICOL?",
        reply="It should be THIAMPHENICOL CAPSULES, a broad-spectrum antibiotic; indicated for infections.",
    )
    assert not any(cat == "treatment_recommended" for cat, _ in found(c))


def test_reaction_words_are_not_symptoms() -> None:
    assert "symptom" not in _cats(page("Taking so many pills makes me anxious."), "anxiety")
    assert "symptom" not in _cats(page("I was confused because the report was unclear."), "confusion")


def test_denied_lesion_growth_and_menstrual_delay() -> None:
    got = found(page("I have a mole on my arm. Its size has not changed in two years."))
    assert any(cat == "negated_symptom" for cat, _ in got)
    got = found(page("My period is already two days late."))
    assert ("symptom", "delayed menstruation") in got
