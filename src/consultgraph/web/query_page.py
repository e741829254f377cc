"""/query: YASGUI (vendored, no CDN) preloaded with the researcher examples in data/queries."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, render_template

from consultgraph.config import data_dir
from consultgraph.web import base

bp = Blueprint("query_page", __name__)
HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")


@dataclass(slots=True)
class Example:
    """One example query; the header comments say what it is for (see data/queries)."""

    name: str
    title: str
    description: str
    needs: str  # "" or "findings": returns rows only once extraction has run
    query: str


def parse_example(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = HEADER.match(line)
        if m:
            key = m.group(1).lower()
            meta[key] = (meta.get(key, "") + " " + m.group(2).strip()).strip()
        elif meta.get("description") is not None and line.strip("# "):
            meta["description"] = (meta.get("description", "") + " " + line.strip("# ")).strip()
    return Example(path.stem, meta.get("title", path.stem), meta.get("description", ""),
                   meta.get("needs", ""), text)


def examples(directory: Path | None = None) -> list[Example]:
    directory = directory or data_dir() / "queries"
    return [parse_example(p) for p in sorted(directory.glob("*.rq"))]


@bp.route("/query")
def page() -> str:
    return render_template("query.html", examples=[asdict(e) for e in examples()],
                           base_iri=base())


@bp.route("/query/examples.json")
def examples_json() -> Response:
    return jsonify([asdict(e) for e in examples()])


@bp.route("/query/examples/<name>.rq")
def example_file(name: str) -> Response:
    for e in examples():
        if e.name == name:
            return Response(e.query, content_type="application/sparql-query; charset=utf-8")
    abort(404, description=f"no example called {name!r}")
