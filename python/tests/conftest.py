"""Shared fixtures: the sample rows, what the command-line tool says about them, a Spark session.

Every engine's output is compared with the real CLI binary on the same rows
(``target/release/wegly-attribution``, built here when absent).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "target" / "release" / "wegly-attribution"
URLS = ROOT / "examples" / "urls.txt"
DEALS = ROOT / "examples" / "deals.ndjson"


def need(module: str):
    """Imports an engine: a skip where it is not installed, unless CI requires it.

    ``.ci/python`` lists the engines it installed in ``WEGLY_REQUIRED_ENGINES``; for those, a
    failed import is an error, so a broken install cannot pass as skipped tests.
    """
    required = os.environ.get("WEGLY_REQUIRED_ENGINES", "").split(",")
    if module.split(".")[0] in required:
        return importlib.import_module(module)
    return pytest.importorskip(module)


def _cli() -> Path:
    if not CLI.exists():
        subprocess.run(
            ["cargo", "build", "--release", "--features", "cli"], cwd=ROOT, check=True
        )
    return CLI


def url_rows() -> list[str]:
    """The URLs that ``extract -`` reads from the sample: one per line, blank lines skipped."""
    text = URLS.read_bytes().decode("utf-8", errors="replace")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    return [line for line in lines if line.strip()]


def deal_rows() -> list[str]:
    """The records that ``normalize`` reads from the sample: one per line, blank lines skipped."""
    data = DEALS.read_bytes().removeprefix(b"\xef\xbb\xbf")
    records = []
    for line in data.split(b"\n"):
        if line.strip(b" \t\r\n\x0c"):
            records.append(line.removesuffix(b"\r").decode("utf-8"))
    return records


@pytest.fixture(scope="session")
def urls() -> list[str]:
    return url_rows()


@pytest.fixture(scope="session")
def deals() -> list[str]:
    return deal_rows()


@pytest.fixture(scope="session")
def cli_extract() -> list[dict]:
    out = subprocess.run(
        [str(_cli()), "extract", "-"], stdin=URLS.open("rb"), capture_output=True, check=True
    ).stdout
    return [canonical_url(json.loads(line)) for line in out.decode().splitlines()]


@pytest.fixture(scope="session")
def cli_normalize() -> list[dict]:
    done = subprocess.run([str(_cli()), "normalize", str(DEALS)], capture_output=True)
    assert done.returncode in (0, 1), done.stderr
    return [canonical_deal(json.loads(line)) for line in done.stdout.decode().splitlines()]


@pytest.fixture(scope="session")
def urls_parquet(tmp_path_factory: pytest.TempPathFactory, urls: list[str]) -> Path:
    path = tmp_path_factory.mktemp("data") / "urls.parquet"
    pq.write_table(pa.table({"id": list(range(len(urls))), "url": urls}), path)
    return path


@pytest.fixture(scope="session")
def deals_parquet(tmp_path_factory: pytest.TempPathFactory, deals: list[str]) -> Path:
    path = tmp_path_factory.mktemp("data") / "deals.parquet"
    pq.write_table(pa.table({"id": list(range(len(deals))), "payload": deals}), path)
    return path


def _as_dict(value) -> dict:
    """A map as a dict, whether it comes as a dict (JSON, Spark) or as pairs (pyarrow, Polars)."""
    if isinstance(value, dict):
        return dict(value)
    out = {}
    for item in value:
        if isinstance(item, dict):
            out[item["key"]] = item["value"]
        else:
            key, val = item
            out[key] = val
    return out


def _plain(value):
    """Spark rows and numpy arrays as plain dicts and lists."""
    if hasattr(value, "asDict"):
        return {k: _plain(v) for k, v in value.asDict(recursive=True).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def canonical_url(row) -> dict:
    """The fields compared for one URL: marketing, click ids, channel, warnings (all of each)."""
    row = _plain(row)
    out = {
        "marketing": _as_dict(row["marketing"]),
        "click_ids": [
            {"param": c["param"], "platform": c["platform"], "value": c["value"]}
            for c in row["click_ids"]
        ],
        "warnings": [(w["path"], w["code"], w["message"]) for w in row["warnings"]],
    }
    if row.get("channel") is not None:
        out["channel"] = {k: row["channel"][k] for k in ("channel", "source", "medium")}
    return out


def urls_equal(rows, cli: list[dict]) -> bool:
    """Whether engine rows equal the CLI's, field by field (`canonical_url`).

    ``channel`` is compared when the CLI prints it (``docs/rules.md`` §2.6); a CLI from before
    that prints none, and the engines' ``channel`` is then checked against the library by the Rust
    tests.
    """
    got = [canonical_url(r) for r in rows]
    if cli and "channel" not in cli[0]:
        for row in got:
            row.pop("channel", None)
    assert got == cli
    return True


def canonical_deal(row) -> dict:
    """The fields compared for one payload: ok, the request, error and warning paths and codes.

    Messages may differ (the CLI names input lines); paths and codes may not
    (``docs/rules.md`` §4.8).
    """
    row = _plain(row)
    request = row.get("request")
    if isinstance(request, str):
        request = json.loads(request)
    channel = row.get("channel")
    return {
        "ok": row["ok"],
        "request": request,
        # The CLI writes a channel beside each accepted request (`docs/rules.md` §2.6), the kernel a
        # `channel` struct, null when rejected.
        "channel": None
        if channel is None
        else {k: channel[k] for k in ("channel", "source", "medium")},
        "errors": [(e["path"], e["code"]) for e in row.get("errors") or []],
        "warnings": [(w["path"], w["code"]) for w in row["warnings"]],
    }


@pytest.fixture(scope="session")
def spark():
    pyspark = need("pyspark")
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("wegly-attribution-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    assert pyspark.__version__
    yield session
    session.stop()
