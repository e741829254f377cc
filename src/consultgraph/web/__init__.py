"""The web face of the store: SPARQL endpoint, Linked Data pages, dumps, VoID, query page.

`create_app(store_dir)` builds a Flask app over a read-only embedded store. SPARQL runs in
worker processes (see executor.py) so that a query past its timeout can be killed. With remote
settings (or CONSULTGRAPH_SPARQL_URL) queries go to that server instead (remote_executor.py);
`store_dir` then only provides dumps/ and reports/.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from consultgraph import __version__
from consultgraph.config import RemoteSettings, base_iri, remote_settings
from consultgraph.config import store_dir as default_store_dir
from consultgraph.rdf.namespaces import PREFIXES
from consultgraph.web.executor import QueryExecutor

DEFAULTS: dict[str, Any] = {
    "SPARQL_TIMEOUT": 30.0,  # seconds; a query past it is killed
    "SPARQL_WORKERS": 2,  # worker processes (0: run in-process, without timeouts)
    "SPARQL_MAX_RESULT_BYTES": 50_000_000,  # serialised result cap for /sparql
    "SPARQL_MAX_ROWS": 100_000,  # row cap for the site's own queries
    "SPARQL_MAX_QUERY_CHARS": 100_000,  # longer query texts are refused (413)
    "SPARQL_MAX_NESTING": 64,  # deeper { ( [ nesting is refused (the parser recurses)
    "SPARQL_MAX_GRAPH_PARAMS": 256,  # default-graph-uri + named-graph-uri per request
    "SPARQL_WORKER_MAX_MB": 2048,  # a worker whose memory grows past this is killed (413)
    "DESCRIBE_MAX_INBOUND": 500,  # links shown pointing at a resource
    "GZIP_MIN_BYTES": 1024,
    "BASE_IRI": None,  # default: consultgraph.config.base_iri()
    "MAX_CONTENT_LENGTH": 1_000_000,  # request bodies (queries) up to 1 MB
}
_COMPRESSIBLE = ("text/", "application/sparql-results", "application/ld+json", "application/json",
                 "application/n-triples", "application/n-quads", "application/rdf+xml",
                 "application/xml", "image/svg+xml", "application/javascript")


def create_app(store_dir: Path | None = None, *, remote: RemoteSettings | None = None,
               **config: Any) -> Flask:
    """A Flask app serving the store at `store_dir` (default: CONSULTGRAPH_STORE)."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(_from_environment())
    app.config.update({k.upper(): v for k, v in config.items()})
    app.config["STORE_DIR"] = Path(store_dir or default_store_dir())
    app.config["BASE_IRI"] = app.config["BASE_IRI"] or base_iri()
    app.json.sort_keys = False  # type: ignore[attr-defined]
    remote = remote or remote_settings()
    app.extensions["executor"] = _remote_executor(app, remote) if remote else QueryExecutor(
        app.config["STORE_DIR"], workers=int(app.config["SPARQL_WORKERS"]),
        timeout=float(app.config["SPARQL_TIMEOUT"]),
        max_rss=int(app.config["SPARQL_WORKER_MAX_MB"]) * 2**20)
    app.extensions["cache"] = {}

    from consultgraph.web import dumps, home, ontology, query_page, resources, sparql, validation, void

    for module in (sparql, home, dumps, void, ontology, query_page, validation, resources):
        app.register_blueprint(module.bp)
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_cors)
    app.after_request(_gzip)
    app.context_processor(lambda: {"version": __version__, "base": app.config["BASE_IRI"],
                                   "local": local_path})
    return app


def _remote_executor(app: Flask, remote: RemoteSettings) -> Any:
    """Queries answered by a remote SPARQL store, with the same limits as the embedded one."""
    from consultgraph.web.remote_executor import RemoteExecutor

    ex = RemoteExecutor(remote, base=app.config["BASE_IRI"], timeout=float(app.config["SPARQL_TIMEOUT"]),
                        workers=max(int(app.config["SPARQL_WORKERS"]), 1) * 4)
    ex.probe()
    return ex


def _from_environment() -> dict[str, Any]:
    """CONSULTGRAPH_SPARQL_TIMEOUT=5 etc.: how `consultgraph serve` and app.py are tuned."""
    out: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        value = os.environ.get(f"CONSULTGRAPH_{key}")
        if value is not None and value != "":
            out[key] = type(default)(value) if default is not None else value
    return out


def executor() -> QueryExecutor:
    return current_app.extensions["executor"]  # type: ignore[no-any-return]


def base() -> str:
    return str(current_app.config["BASE_IRI"])


def store_path() -> Path:
    return Path(current_app.config["STORE_DIR"])


def cached(key: str, make: Any) -> Any:
    """Memoise per app: the store is opened read-only, so its counts cannot change under us."""
    cache = current_app.extensions["cache"]
    if key not in cache:
        cache[key] = make()
    return cache[key]


def local_path(iri: str) -> str:
    """Where an IRI of ours answers on this server (its path), else the IRI itself."""
    b = base()
    return "/" + iri[len(b):] if iri.startswith(b) else iri


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def read_json(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _cors(resp: Response) -> Response:
    """Anyone may query from a web page elsewhere: the data is open and the API read-only."""
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = "Content-Length, Content-Type, ETag, Link"
    if request.method == "OPTIONS":
        resp.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Range"
        resp.headers["Access-Control-Max-Age"] = "86400"
    return resp


def _gzip(resp: Response) -> Response:
    """gzip text responses for clients that accept it (dumps are already gzip files)."""
    resp.vary.add("Accept-Encoding")
    if (resp.direct_passthrough or resp.status_code < 200 or resp.status_code in (204, 206, 304)
            or "Content-Encoding" in resp.headers or request.method == "HEAD"
            or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
            or not (resp.mimetype or "").startswith(_COMPRESSIBLE)):
        return resp
    data = resp.get_data()
    if len(data) < current_app.config["GZIP_MIN_BYTES"]:
        return resp
    resp.set_data(gzip.compress(data, compresslevel=5, mtime=0))
    resp.headers["Content-Encoding"] = "gzip"
    if resp.headers.get("ETag"):
        resp.headers["ETag"] = resp.headers["ETag"].rstrip('"') + '-gz"'
    return resp


def _http_error(exc: HTTPException) -> Response:
    """HTML for browsers, plain text for everyone else (SPARQL clients, curl)."""
    status = exc.code or 500
    message = exc.description or exc.name
    if request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html" and \
            request.accept_mimetypes["text/html"] >= request.accept_mimetypes["text/plain"] and \
            "text/html" in request.headers.get("Accept", ""):
        resp = Response(render_template("error.html", status=status, name=exc.name,
                                        message=message), status=status)
    else:
        resp = Response(f"{status} {exc.name}: {message}\n", status=status, mimetype="text/plain")
    resp.vary.add("Accept")
    return resp
