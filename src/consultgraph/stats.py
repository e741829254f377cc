"""Counts over the store, shared by `consultgraph stats`, the home page and VoID."""

from __future__ import annotations

import json
from typing import Any

from consultgraph.config import ONTOLOGY_NS
from consultgraph.store import EmbeddedStore

CLASS_COUNTS = f"""
PREFIX cg: <{ONTOLOGY_NS}>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?class }} GROUP BY ?class ORDER BY DESC(?n)
"""
FINDING_COUNTS = f"""
PREFIX cg: <{ONTOLOGY_NS}>
SELECT ?category (COUNT(?m) AS ?n) WHERE {{ ?m a cg:Mention ; cg:category ?category }}
GROUP BY ?category ORDER BY ?category
"""


def store_stats(store: EmbeddedStore) -> dict[str, Any]:
    classes = {
        row["class"].value: int(row["n"].value) for row in store.query(CLASS_COUNTS)
    }
    findings = {
        row["category"].value: int(row["n"].value) for row in store.query(FINDING_COUNTS)
    }
    last_run: dict[str, Any] = {}
    report = store.directory / "reports" / "ingest-latest.json"
    if report.exists():
        data = json.loads(report.read_text())
        last_run = {k: data[k] for k in ("run", "read", "published", "quarantined") if k in data}
    return {
        "consultations": classes.get(ONTOLOGY_NS + "Consultation", 0),
        "named_graphs": sum(1 for _ in store.graphs()),
        "triples": store.triple_count(),
        "quads": store.quad_count(),
        "findings": findings,
        "classes": classes,
        "last_run": last_run,
    }
