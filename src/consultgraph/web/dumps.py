"""/dumps/: the gzip dumps written at ingest, with size, sha256, ETag, Range and HEAD."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, send_file

from consultgraph.web import read_json, store_path

bp = Blueprint("dumps", __name__)


def manifest() -> dict[str, dict[str, object]]:
    data = read_json(store_path() / "dumps" / "manifest.json")
    return {k: v for k, v in data.items() if isinstance(v, dict)}


@bp.route("/dumps/")
@bp.route("/dumps")
def index() -> Response | str:
    m = manifest()
    files = [dict(v, name=k) for k, v in m.items() if not k.startswith("_")]
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if best == "application/json" or request.args.get("format") == "json":
        return jsonify(m)
    return render_template("dumps.html", files=files, meta=m.get("_meta", {}))


@bp.route("/dumps/<name>", methods=["GET", "HEAD"])
def download(name: str) -> Response:
    m = manifest()
    entry = next((v for v in m.values() if v.get("file") == name), None)
    if name == "manifest.json":
        entry = {"file": name}
    if entry is None:
        abort(404, description=f"no dump called {name!r}")
    path = store_path() / "dumps" / name
    if not path.is_file():
        abort(404, description=f"{name} is listed but missing on disk")
    mimetype = ("application/json" if name.endswith(".json") else "application/gzip"
                if name.endswith(".gz") else str(entry.get("media_type", "application/octet-stream")))
    resp = send_file(path, mimetype=mimetype, conditional=True, etag=True, as_attachment=False,
                     max_age=3600)
    if "sha256" in entry:
        resp.headers["Repr-Digest"] = f"sha-256=:{_b64(str(entry['sha256']))}:"
        resp.headers["X-Checksum-Sha256"] = str(entry["sha256"])
    if "media_type" in entry:
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def _b64(hexdigest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hexdigest)).decode()
