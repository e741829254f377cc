"""The concept lexicon: committed TSV files in data/vocab/ loaded once into an automaton.

Only files in data/vocab/ are read at run time (no network, no ontology packages): the
hand-curated `concepts.tsv` and `xrefs.tsv`, which scripts/build_vocab.py derives from
pinned ontology packages at development time.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from consultgraph.config import base_iri, data_dir
from consultgraph.extract.normalize import normalize_term
from consultgraph.model import Concept

ID_COLUMNS = ("wikidata", "mesh", "hpo", "icd10cm", "snomed", "umls", "rxnorm", "loinc")
# Hand-curated files first (their surface forms win), then the broad files that
# scripts/build_vocab.py generates from the standard sources.
HAND_FILES = ("concepts.tsv", "common_drugs.tsv", "lay_synonyms.tsv")
GENERATED_FILES = ("generated.tsv",)
KINDS = ("symptom", "condition", "test", "treatment", "drug", "specialty")


@dataclass(slots=True)
class Entry:
    """One lexicon concept with what the matcher and the roles need to know about it."""

    kind: str
    slug: str
    label: str
    scope: str = ""  # "" (anywhere), "question" or "reply": where the concept may be emitted
    ids: dict[str, str] = field(default_factory=dict)

    def concept(self) -> Concept:
        """A fresh model Concept (IRI built from the current base, so tests can override it)."""
        return Concept(
            iri=f"{base_iri()}concept/{self.kind}/{self.slug}",
            label=self.label,
            kind=self.kind,
            ids=dict(self.ids),
        )


@dataclass(slots=True)
class Surface:
    """A synonym as written: abbreviations in capitals must match in capitals ("GOT" != "got")."""

    entry: Entry
    written: str
    case_sensitive: bool


@dataclass(slots=True)
class Lexicon:
    """Entries by slug plus an Aho-Corasick automaton over normalised surface forms."""

    entries: dict[tuple[str, str], Entry]
    automaton: ahocorasick.Automaton
    by_label: dict[str, Entry]

    def lookup(self, phrase: str) -> Entry | None:
        """The entry whose normalised surface form is exactly `phrase`, if any."""
        return self.by_label.get(normalize_term(phrase))


def vocab_dir() -> Path:
    return data_dir() / "vocab"


def _is_abbreviation(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return (
        len(letters) >= 2
        and sum(c.isupper() for c in letters) >= 2
        and not any(c.islower() for c in letters[1:2])
    )


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        return [row for row in csv.DictReader(lines, delimiter="\t") if row.get("kind") or row.get("slug")]


@functools.lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """Load and index the lexicon once per process (the extractor is called per page)."""
    folder = Path(directory) if directory else vocab_dir()
    entries: dict[tuple[str, str], Entry] = {}
    surfaces: dict[str, list[Surface]] = {}
    xrefs: dict[tuple[str, str], dict[str, str]] = {}
    if (folder / "xrefs.tsv").exists():
        for row in _read_tsv(folder / "xrefs.tsv"):
            xrefs.setdefault((row["kind"], row["slug"]), {}).setdefault(row["source"], row["id"])
    for fname in (*HAND_FILES, *GENERATED_FILES):
        path = folder / fname
        if not path.exists():
            continue
        generated = fname in GENERATED_FILES
        for row in _read_tsv(path):
            key = (row["kind"], row["slug"])
            entry = entries.get(key)
            if entry is None:
                ids = {col: row[col].strip() for col in ID_COLUMNS if row.get(col, "").strip()}
                for source, value in xrefs.get(key, {}).items():
                    ids.setdefault(source, value)
                entry = Entry(
                    row["kind"], row["slug"], row.get("label") or row["slug"], row.get("scope", "") or "", ids
                )
                entries[key] = entry
            forms = [entry.label] + [s for s in (row.get("synonyms") or "").split("|")]
            for written in forms:
                written = written.strip()
                norm = normalize_term(written)
                if not norm or (generated and norm in surfaces):
                    continue  # a hand-curated surface form always wins over a generated one
                surfaces.setdefault(norm, []).append(Surface(entry, written, _is_abbreviation(written)))
    automaton = ahocorasick.Automaton()
    by_label: dict[str, Entry] = {}
    for norm, forms in surfaces.items():
        automaton.add_word(f" {norm} ", (norm, forms))
        by_label.setdefault(norm, forms[0].entry)
    automaton.make_automaton()
    return Lexicon(entries, automaton, by_label)
