"""Stores: the embedded Oxigraph store (default) or a remote SPARQL 1.1 store, one interface."""

from __future__ import annotations

import os
from typing import TypeAlias

from consultgraph.config import RemoteSettings, remote_settings, store_dir
from consultgraph.store.base import DUMP_FORMATS, DumpFormat, GraphPayload
from consultgraph.store.embedded import EmbeddedStore
from consultgraph.store.remote import RemoteStore, RemoteStoreError

__all__ = ["DUMP_FORMATS", "DumpFormat", "EmbeddedStore", "GraphPayload", "RemoteStore",
           "RemoteStoreError", "Store", "open_store"]

Store: TypeAlias = EmbeddedStore | RemoteStore


def open_store(
    directory: str | os.PathLike[str] | None = None, *, read_only: bool = False,
    remote: RemoteSettings | None = None,
) -> Store:
    """The store whose state lives at `directory` (or CONSULTGRAPH_STORE, or ./var/store).

    With `remote` settings, or CONSULTGRAPH_SPARQL_URL in the environment, the graphs live in
    that SPARQL server and `directory` keeps only dumps/, reports/ and quarantine/.
    """
    remote = remote or remote_settings()
    if remote is not None:
        return RemoteStore(remote, store_dir(directory), read_only=read_only)
    return EmbeddedStore(store_dir(directory), read_only=read_only)
