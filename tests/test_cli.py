"""The `consultgraph` command as an operator and other tools use it (real subprocesses)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

CONTRACT_KEYS = {"id", "question_title", "page_title", "asker", "ask_date", "reply_date",
                 "physician", "sections", "similar", "faq", "findings"}


def cg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "consultgraph.cli", *args],
                          capture_output=True, text=True, env=env, timeout=600)


def test_extract_json_follows_the_contract(samples_dir: Path) -> None:
    res = cg("extract", str(samples_dir / "000_0da881fe6b3e399c.txt"), "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert CONTRACT_KEYS <= set(doc)
    assert doc["asker"] == {"age_min": 30, "age_max": 39, "sex": "female"}
    assert "Xiao Fan" not in res.stdout  # the pseudonym is not in the output
    assert (doc["ask_date"], doc["reply_date"]) == ("2006-12-27", "2006-12-27")
    assert doc["physician"] == {"name": "Chen Xianchang", "specialty": "Rehabilitation"}
    assert len(doc["similar"]) == 4 and len(doc["faq"]) == 10
    page = (samples_dir / "000_0da881fe6b3e399c.txt").read_text()
    for sec in doc["sections"]:
        assert set(sec) == {"name", "start", "end"} and sec["start"] <= sec["end"]
    for f in doc["findings"]:
        assert page[f["start"]:f["end"]] == f["text"]
        assert set(f) >= {"category", "text", "start", "end", "section", "concept"}


def test_extract_directory_writes_one_file_per_page(samples_dir: Path, tmp_path: Path) -> None:
    res = cg("extract", str(samples_dir), "--json", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    # Two sample pages stop inside the question: not publishable (said on stderr), but
    # their question is still extracted.
    assert "45371.txt" in res.stderr and "no asker line" in res.stderr
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 59
    docs = {f.stem: json.loads(f.read_text()) for f in files}
    assert all(CONTRACT_KEYS <= set(d) for d in docs.values())
    cut = docs["45371"]
    assert cut["publishable"] is False and "no asker line" in cut["quarantine_reason"]
    assert cut["question_title"] == "Tinnitus caused by a cold?" and cut["ask_date"] is None
    assert any(f["section"] in ("question", "question_title") for f in cut["findings"])
    assert all(d["publishable"] for k, d in docs.items() if k not in {"45371", "136121"})


def test_a_page_with_nothing_readable_exits_3(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    res = cg("extract", str(empty), "--json")
    assert res.returncode == 3 and "empty" in res.stderr and res.stdout == ""


def test_ingest_stats_export_validate(tmp_path: Path, samples_dir: Path) -> None:
    store = tmp_path / "store"
    res = cg("ingest", str(samples_dir), "--store", str(store))
    assert res.returncode == 0, res.stderr
    assert "count in = published + quarantined: 59 = 57 + 2" in res.stderr
    assert "45371.txt" in res.stderr
    stats = json.loads(cg("stats", "--store", str(store), "--json").stdout)
    assert stats["consultations"] == 57 and stats["last_run"]["quarantined"] == 2
    out = tmp_path / "export.nt.gz"
    res = cg("export", "--format", "ntriples", "--out", str(out), "--store", str(store))
    assert res.returncode == 0, res.stderr
    parsed = ox.Store()
    with gzip.open(out) as fh:
        parsed.load(fh, format=ox.RdfFormat.N_TRIPLES)
    assert len(parsed) == stats["triples"]
    res = cg("validate", "--store", str(store))
    assert res.returncode == 0 and "57 conform, 0 do not" in res.stderr


def test_store_location_from_the_environment(tmp_path: Path, samples_dir: Path) -> None:
    import os

    env = {**os.environ, "CONSULTGRAPH_STORE": str(tmp_path / "envstore")}
    res = cg("ingest", str(samples_dir / "1189.txt"), "--no-dumps", env=env)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "envstore" / "oxigraph").is_dir()
