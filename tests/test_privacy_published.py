"""No asker pseudonym in anything published: dumps, HTML pages, SPARQL results.

Every pseudonym of the sample asker lines is searched as a whole word, case-insensitive.
Two kinds are left out, and said so: one-letter pseudonyms (a letter identifies no one and
occurs in any text), and pseudonyms that are a surname of a physician in the corpus ("Chen",
"Lin"): physicians are public professionals and keep their names.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import requests

ASKER = re.compile(r"^(.*), \d+~\d+ year old", re.M)
HEADER = re.compile(r"^Dr\. (.+?) reply ", re.M)


def pseudonyms(samples: Path) -> list[str]:
    names, surnames = set(), set()
    for page in samples.glob("*.txt"):
        text = page.read_text(encoding="utf-8")
        names.update(m.group(1).strip() for m in ASKER.finditer(text))
        for m in HEADER.finditer(text):
            surnames.add(m.group(1).split()[0].lower())
    return sorted(n for n in names if len(n) > 1 and n.lower() not in surnames)


def leaks(text: str, names: list[str]) -> list[str]:
    found = []
    for name in names:
        m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.I)
        if m:
            found.append(f"{name!r} in …{text[max(0, m.start() - 60):m.end() + 20]!r}")
    return found


def test_the_pseudonym_list_is_meaningful(samples_dir: Path) -> None:
    names = pseudonyms(samples_dir)
    assert len(names) >= 45 and "Xiao Fan" in names and "danny" in names


def test_no_pseudonym_in_any_dump(ingested_store, samples_dir: Path) -> None:
    directory, _ = ingested_store
    names = pseudonyms(samples_dir)
    dumps = sorted((directory / "dumps").glob("*.gz"))
    assert len(dumps) >= 3
    for dump in dumps:
        text = gzip.decompress(dump.read_bytes()).decode("utf-8")
        # The page text itself is published (de-identified): the test is not vacuous.
        assert "Three weeks ago, the patient experienced facial spasms" in text
        assert not leaks(text, names), dump.name


def test_no_pseudonym_in_html_pages_or_query_results(web_url: str, samples_dir: Path) -> None:
    names = pseudonyms(samples_dir)
    ids = sorted(p.stem for p in samples_dir.glob("*.txt") if p.stem not in {"45371", "136121"})
    for cid in ids:
        page = requests.get(f"{web_url}/consultation/{cid}", headers={"Accept": "text/html"},
                            timeout=30)
        assert page.status_code == 200, cid
        assert not leaks(page.text, names), cid
    everything = requests.get(
        f"{web_url}/sparql",
        params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"}, timeout=60,
    )
    assert everything.status_code == 200 and "facial spasms" in everything.text
    assert not leaks(everything.text, names)


@pytest.mark.parametrize("fmt", ["text/turtle", "application/ld+json"])
def test_no_pseudonym_in_resource_data(web_url: str, samples_dir: Path, fmt: str) -> None:
    names = pseudonyms(samples_dir)
    res = requests.get(f"{web_url}/consultation/7346", headers={"Accept": fmt}, timeout=30)
    assert res.status_code == 200 and "crown" in res.text
    assert not leaks(res.text, names)
