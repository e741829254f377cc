"""Stores: the embedded Oxigraph store (default) behind one small interface."""

from __future__ import annotations

import os

from consultgraph.config import store_dir
from consultgraph.store.base import DUMP_FORMATS, DumpFormat, GraphPayload
from consultgraph.store.embedded import EmbeddedStore

__all__ = ["DUMP_FORMATS", "DumpFormat", "EmbeddedStore", "GraphPayload", "open_store"]


def open_store(
    directory: str | os.PathLike[str] | None = None, *, read_only: bool = False
) -> EmbeddedStore:
    """The store at `directory` (or CONSULTGRAPH_STORE, or ./var/store)."""
    return EmbeddedStore(store_dir(directory), read_only=read_only)
