"""The SSSOM mapping set of our concepts to external identifiers, published beside the dumps.

Written from the store (what is published is what is mapped): every concept with a
skos:exactMatch, one row per external id, with the CURIE map in the YAML header that SSSOM
readers (sssom-py, OxO) expect. All our mappings come from matching labels and synonyms to
the source terms (HPO, MeSH, ICD-10-CM), hence semapv:LexicalMatching.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from consultgraph import __version__
from consultgraph.rdf.namespaces import EXTERNAL_PREFIXES, Iris
from consultgraph.store.base import atomic_output

#: scheme -> SSSOM/bioregistry CURIE prefix
CURIE_PREFIX = {"hpo": "HP", "mesh": "MESH", "icd10cm": "ICD10CM", "icd10": "ICD10",
                "wikidata": "wikidata", "umls": "UMLS", "rxnorm": "RXNORM", "loinc": "LOINC",
                "snomed": "SNOMEDCT"}
COLUMNS = ("subject_id", "subject_label", "subject_category", "predicate_id", "object_id",
           "mapping_justification")


def curie(iri: str) -> str | None:
    for scheme, prefix in EXTERNAL_PREFIXES.items():
        if iri.startswith(prefix) and scheme in CURIE_PREFIX:
            return f"{CURIE_PREFIX[scheme]}:{iri[len(prefix):]}"
    return None


def write_sssom(store: Any, path: Path, iris: Iris | None = None) -> int:
    """Write the mapping set; returns the number of mappings."""
    iris = iris or Iris()
    concept_base = f"{iris.base}concept/"
    rows = []
    for r in store.query(f"""
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?c ?label ?x WHERE {{
              ?c skos:exactMatch ?x . OPTIONAL {{ ?c skos:prefLabel ?label }}
              FILTER STRSTARTS(STR(?c), "{concept_base}") }}"""):
        obj = curie(r["x"].value)
        if obj is None:
            continue
        local = r["c"].value[len(concept_base):]
        kind = local.split("/", 1)[0]
        label = r["label"].value if r["label"] is not None else ""
        rows.append((f"cgc:{local}", label, kind, "skos:exactMatch", obj,
                     "semapv:LexicalMatching"))
    rows.sort()
    header = [
        "# curie_map:",
        f"#   cgc: {concept_base}",
        *(f"#   {CURIE_PREFIX[s]}: {p}" for s, p in EXTERNAL_PREFIXES.items() if s in CURIE_PREFIX),
        "#   skos: http://www.w3.org/2004/02/skos/core#",
        "#   semapv: https://w3id.org/semapv/vocab/",
        f"# mapping_set_id: {iris.base}dumps/consultgraph.sssom.tsv",
        f"# mapping_set_version: {__version__}",
        "# mapping_set_description: consultgraph concepts (symptoms, conditions, tests, "
        "treatments, drugs) to HPO, MeSH, ICD-10-CM and other identifiers",
        "# license: https://creativecommons.org/licenses/by/4.0/",
        f"# mapping_date: {dt.date.today().isoformat()}",
    ]
    with atomic_output(path) as out:
        text = "\n".join(header + ["\t".join(COLUMNS)] + ["\t".join(r) for r in rows]) + "\n"
        out.write(text.encode("utf-8"))
    return len(rows)
