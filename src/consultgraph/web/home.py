"""/: what the dataset is, how big, what it is mostly about, and where to go next."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from consultgraph.config import ONTOLOGY_NS
from consultgraph.stats import CLASS_COUNTS
from consultgraph.web import base, cached, curie, executor, local_path, read_json, store_path
from consultgraph.web.executor import Job

bp = Blueprint("home", __name__)
CG = ONTOLOGY_NS
TOP = {
    "Specialties (consultations answered)": f"""
        SELECT ?x (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?c) AS ?n) WHERE {{
          ?c a <{CG}Consultation> ; <https://schema.org/mainEntity> ?q .
          ?q <https://schema.org/acceptedAnswer>/<{CG}answerSpecialty> ?x .
          OPTIONAL {{ ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}
        }} GROUP BY ?x ORDER BY DESC(?n) LIMIT 10""",
    "Symptoms (questions reporting them)": f"""
        SELECT ?x (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?q) AS ?n) WHERE {{
          ?q <{CG}reportsSymptom> ?x .
          OPTIONAL {{ ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}
        }} GROUP BY ?x ORDER BY DESC(?n) LIMIT 10""",
    "Tests (recommended in answers)": f"""
        SELECT ?x (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n) WHERE {{
          ?a <{CG}recommendsTest> ?x .
          OPTIONAL {{ ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}
        }} GROUP BY ?x ORDER BY DESC(?n) LIMIT 10""",
}


def home_stats() -> dict[str, Any]:
    ex = executor()
    classes = [(c.value, int(n.value)) for c, n in ex.run(Job(CLASS_COUNTS)).data]
    charts = {}
    for title, q in TOP.items():
        charts[title] = [(x.value, label.value if label else curie(x.value), int(n.value))
                         for x, label, n in ex.run(Job(q)).data]
    report = read_json(store_path() / "reports" / "ingest-latest.json")
    manifest = read_json(store_path() / "dumps" / "manifest.json")
    return {"classes": classes, "charts": charts, "report": report,
            "meta": manifest.get("_meta", {})}


@bp.route("/")
def index() -> str:
    stats = cached("home", home_stats)
    consultations = dict(stats["classes"]).get(CG + "Consultation", 0)
    return render_template("home.html", s=stats, consultations=consultations, curie=curie,
                           local=local_path, base_iri=base())
