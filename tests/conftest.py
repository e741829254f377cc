"""Shared fixtures: the sample pages, and a store with all of them ingested (once per session)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CONSULTGRAPH_SHARED", ROOT.parent / "shared"))
SAMPLES = SHARED / "data" / "doctorqna"
GOLD = SHARED / "data" / "gold"
BUNDLED = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The real sample pages: ../shared when present, else the copy bundled in data/samples."""
    return SAMPLES if SAMPLES.is_dir() else BUNDLED


@pytest.fixture(scope="session")
def ingested_store(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path):
    """An embedded store holding every sample page, with reports and dumps written."""
    from consultgraph.pipeline import ingest
    from consultgraph.store import open_store

    directory = tmp_path_factory.mktemp("store")
    store = open_store(directory)
    report = ingest([samples_dir], store, workers=2)
    store.flush()
    del store  # release the RocksDB lock: servers and readers open it themselves
    return directory, report


# ---------------------------------------------------------------- web (appended by the web work)
@pytest.fixture(scope="session")
def web_server(ingested_store):
    """`consultgraph serve` over the ingested samples on a free loopback port: (url, process).

    A short query timeout (4 s) keeps the runaway-query test quick; the sample queries take
    milliseconds.
    """
    from tests.webserver import running_server

    directory, _report = ingested_store
    env = {"CONSULTGRAPH_SPARQL_TIMEOUT": "4", "CONSULTGRAPH_SPARQL_WORKERS": "2",
           "CONSULTGRAPH_SPARQL_MAX_RESULT_BYTES": "2000000"}
    with running_server(directory, env=env) as (url, proc):
        yield url, proc


@pytest.fixture(scope="session")
def web_url(web_server) -> str:
    return web_server[0]


# ------------------------------------------------- remote store (appended by the remote-store work)
@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory):
    """Base URL of a real Oxigraph server: CONSULTGRAPH_TEST_OXIGRAPH_URL, else one started here.

    A server given by the environment must be a throwaway one started with
    --union-default-graph: the end-to-end tests empty it.
    """
    given = os.environ.get("CONSULTGRAPH_TEST_OXIGRAPH_URL")
    if given:
        yield given.rstrip("/")
        return
    from tests.oxigraph_server import oxigraph_binary, running_oxigraph

    if oxigraph_binary() is None:
        pytest.fail("the oxigraph CLI is missing: pip install oxigraph (test extra)")
    location = tmp_path_factory.mktemp("oxigraph") / "db"
    location.mkdir()
    with running_oxigraph(location) as url:
        yield url


@pytest.fixture(scope="session")
def oxigraph_settings(oxigraph_url: str):
    """How consultgraph reaches the test server: SPARQL Query + Update (no GSP)."""
    from consultgraph.config import RemoteSettings

    return RemoteSettings(f"{oxigraph_url}/query", f"{oxigraph_url}/update")


@pytest.fixture(scope="session")
def virtuoso_settings(tmp_path_factory: pytest.TempPathFactory):
    """A private Virtuoso (scripts/virtuoso/start.sh) on loopback; opt in: CONSULTGRAPH_TEST_VIRTUOSO=1."""
    import shutil
    import signal
    import subprocess
    import time

    import requests

    from consultgraph.config import RemoteSettings
    from tests.webserver import free_port

    if os.environ.get("CONSULTGRAPH_TEST_VIRTUOSO") != "1":
        pytest.skip("Virtuoso tests are opt-in: set CONSULTGRAPH_TEST_VIRTUOSO=1 "
                    "(needs Debian's virtuoso-opensource)")
    if shutil.which("virtuoso-t") is None:
        pytest.fail("CONSULTGRAPH_TEST_VIRTUOSO=1 but virtuoso-t is not installed "
                    "(apt-get install virtuoso-opensource)")
    directory = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    log = open(directory / "start.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([str(ROOT / "scripts" / "virtuoso" / "start.sh"), str(directory / "db"),
                             str(http_port), str(sql_port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail("virtuoso exited: " + (directory / "start.log").read_text()[-2000:])
            try:
                if requests.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("virtuoso did not come up within 120 s")
            time.sleep(0.5)
        yield RemoteSettings(f"{url}/sparql", f"{url}/sparql-auth", f"{url}/sparql-graph-crud-auth",
                             "dba", "dba")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
