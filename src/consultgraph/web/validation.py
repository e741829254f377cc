"""/validation: the last ingest report, with every quarantined record and why."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from consultgraph.web import read_json, store_path
from consultgraph.web.errors import error

bp = Blueprint("validation", __name__)


def public_report() -> dict[str, Any]:
    """The report without the operator's directories (file names only)."""
    rep = read_json(store_path() / "reports" / "ingest-latest.json")
    for q in rep.get("quarantine", []):
        q["name"] = _public(str(q.get("name", "")))
        if q.get("unexpected"):
            q.pop("shacl", None)  # tracebacks are for the operator
    rep["warnings"] = [_public(w) for w in rep.get("warnings", [])]
    return rep


def _public(name: str) -> str:
    head, sep, rest = name.partition(": ")
    return PurePosixPath(head.replace("\\", "/")).name + sep + rest


@bp.route("/validation")
def report() -> Response | str:
    rep = public_report()
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if best == "application/json" or request.args.get("format") == "json":
        return jsonify(rep)
    return render_template("validation.html", r=rep)


@bp.route("/validation/quarantine.tsv")
def quarantine_tsv() -> Response:
    path = store_path() / "quarantine" / "quarantine-latest.tsv"
    if not path.is_file():
        return error(404, "no quarantine report yet")
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0]] + [_public(ln.split("\t", 1)[0]) + "\t" + ln.split("\t", 1)[1]
                        for ln in lines[1:] if "\t" in ln]
    return Response("\n".join(out) + "\n", content_type="text/tab-separated-values; charset=utf-8")
