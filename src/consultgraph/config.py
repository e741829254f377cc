"""Settings read from the environment, in one place, so every command and worker agrees.

CONSULTGRAPH_BASE   public base IRI of the dataset (default https://w3id.org/consultgraph/)
CONSULTGRAPH_STORE  directory of the embedded store (default ./var/store)
CONSULTGRAPH_PUBLISH_SNOMED  "1" to publish SNOMED CT ids (licensed: off by default)
CONSULTGRAPH_SPARQL_URL  a remote SPARQL 1.1 query endpoint: publish into that server instead
    of the embedded store (CONSULTGRAPH_STORE then only keeps dumps/, reports/, quarantine/)
CONSULTGRAPH_SPARQL_UPDATE_URL  its SPARQL 1.1 Update endpoint (default: the query URL)
CONSULTGRAPH_GSP_URL  its Graph Store Protocol endpoint; when set, graphs are replaced by PUT
CONSULTGRAPH_SPARQL_USER, CONSULTGRAPH_SPARQL_PASSWORD  HTTP credentials (Basic, or Digest
    when the server asks for it)
CONSULTGRAPH_SPARQL_HTTP_TIMEOUT  seconds an ingest/dump request may wait (default 300)
CONSULTGRAPH_VALIDATOR  "compiled" (default) or "pyshacl": how ingest checks the shapes
CONSULTGRAPH_LOAD_BATCH  consultations per store write during ingest (default 1000)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/consultgraph/"
ONTOLOGY_NS = "https://w3id.org/consultgraph/ontology#"
ROOT = Path(__file__).resolve().parents[2]


def base_iri() -> str:
    base = os.environ.get("CONSULTGRAPH_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def store_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get("CONSULTGRAPH_STORE") or Path.cwd() / "var" / "store")


def publish_snomed() -> bool:
    return os.environ.get("CONSULTGRAPH_PUBLISH_SNOMED", "") in {"1", "true", "yes"}


def data_dir() -> Path:
    """The project's data/ folder (vocab, queries, samples)."""
    return Path(os.environ.get("CONSULTGRAPH_DATA", ROOT / "data"))


@dataclass(frozen=True, slots=True)
class RemoteSettings:
    """Where a remote SPARQL 1.1 store answers, and how to log in to it."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    http_timeout: float = 300.0

    def redacted(self) -> str:
        """For logs and error messages: the URLs, never the password."""
        who = f" as {self.user}" if self.user else ""
        return f"{self.query_url}{who}"


def remote_settings(
    query_url: str | None = None,
    update_url: str | None = None,
    gsp_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> RemoteSettings | None:
    """Remote store settings from the arguments, else the environment; None: embedded store."""
    env = os.environ.get
    url = query_url or env("CONSULTGRAPH_SPARQL_URL")
    if not url:
        return None
    return RemoteSettings(
        query_url=url,
        update_url=update_url or env("CONSULTGRAPH_SPARQL_UPDATE_URL") or None,
        gsp_url=gsp_url or env("CONSULTGRAPH_GSP_URL") or None,
        user=user or env("CONSULTGRAPH_SPARQL_USER") or None,
        password=password or env("CONSULTGRAPH_SPARQL_PASSWORD") or None,
        http_timeout=float(env("CONSULTGRAPH_SPARQL_HTTP_TIMEOUT") or 300.0),
    )
