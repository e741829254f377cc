"""WSGI entry point: `waitress-serve app:app` (the store comes from CONSULTGRAPH_STORE)."""

from consultgraph.web import create_app

app = create_app()
