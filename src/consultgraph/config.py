"""Settings read from the environment, in one place, so every command and worker agrees.

CONSULTGRAPH_BASE   public base IRI of the dataset (default https://w3id.org/consultgraph/)
CONSULTGRAPH_STORE  directory of the embedded store (default ./var/store)
CONSULTGRAPH_PUBLISH_SNOMED  "1" to publish SNOMED CT ids (licensed: off by default)
"""

from __future__ import annotations

import os
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
