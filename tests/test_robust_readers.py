"""Readers under bad input: never an unexpected exception, always a record or a reason."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultgraph.model import Consultation
from consultgraph.read import PageError, read_bytes
from consultgraph.read.text_page import split_lines

SEED = "000_0da881fe6b3e399c.txt"


def outcome(data: bytes, name: str = "page.txt"):
    out = list(read_bytes(data, name))
    assert len(out) == 1
    rec = out[0][1]
    assert isinstance(rec, Consultation | PageError)
    if isinstance(rec, PageError):
        assert rec.reason and (rec.line is None or rec.line >= 1)
    else:
        for sec in rec.sections:
            assert 0 <= sec.start <= sec.end <= len(rec.text)
    return rec


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    outcome(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_random_text_in_every_encoding(text: str) -> None:
    for enc in ("utf-8", "utf-16", "utf-8-sig"):
        outcome(text.encode(enc, errors="replace"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), max_size=80), st.randoms())
def test_shuffled_and_duplicated_blocks(picks: list[int], rnd: random.Random) -> None:
    seed = (Path(__file__).parents[1] / "data" / "samples" / SEED).read_text()
    lines = seed.split("\n")
    mixed = [lines[i % len(lines)] for i in picks]
    rnd.shuffle(mixed)
    outcome("\n".join(mixed).encode())


def test_truncation_at_every_line_and_section_boundary(samples_dir: Path) -> None:
    for page in sorted(samples_dir.glob("*.txt"))[:20] + [samples_dir / SEED]:
        text = page.read_text()
        cuts = {ln.start for ln in split_lines(text)} | {ln.end for ln in split_lines(text)}
        for cut in sorted(cuts):
            outcome(text[:cut].encode())


def test_ten_megabyte_lines_are_read() -> None:
    seed = (Path(__file__).parents[1] / "data" / "samples" / SEED).read_text()
    huge = "Dr. " + "x reply Neurology - " * 500_000 + " Ask Date: 2001/01/01"
    text = seed.replace("Is it possible to proceed", huge[:10_000_000] + "\nIs it possible", 1)
    c = outcome(text.encode())
    assert isinstance(c, Consultation) and len(c.question_text) > 10_000_000
    assert outcome((huge * 1).encode()) is not None  # one 10 MB line alone: quarantined


def test_crlf_bom_and_chinese_page_reads_like_the_original() -> None:
    seed = (Path(__file__).parents[1] / "data" / "samples" / SEED).read_text()
    plain = outcome(seed.encode())
    variant = outcome(b"\xef\xbb\xbf" + seed.replace("\n", "\r\n").replace(
        "facial spasms several", "facial spasms (面部痙攣) several").encode())
    assert (variant.ask_date, variant.physician_name, len(variant.faq)) == (
        plain.ask_date, plain.physician_name, len(plain.faq))
    assert "面部痙攣" in variant.question_text
