"""Plain-text error answers: SPARQL clients show the body to the user verbatim."""

from __future__ import annotations

from flask import Response


def error(status: int, message: str, **headers: str) -> Response:
    resp = Response(f"{message}\n", status=status, mimetype="text/plain")
    resp.headers.update(headers)
    return resp
