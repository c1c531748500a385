"""Shared fixtures: the repository (for the gold and the variants) and the tagbench binary,
which the tests use as the reference the package must agree with."""

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "gold"


def binary() -> Path:
    """The release binary: $TAGBENCH_BIN, or the workspace's target/release/tagbench."""
    env = os.environ.get("TAGBENCH_BIN")
    path = Path(env) if env else ROOT / "target" / "release" / "tagbench"
    if not path.is_file():
        pytest.fail(
            f"no tagbench binary at {path}: run `cargo build --release` or set TAGBENCH_BIN"
        )
    return path


def run(*args: str, input: str | None = None) -> str:
    """Runs the binary, checks that it succeeded and returns its stdout."""
    out = subprocess.run(
        [str(binary()), *args], input=input, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def score_json(*args: str) -> dict:
    return json.loads(run("score", "--format", "json", *args))


def read_rows(path_or_text: Path | str) -> list[dict]:
    """The rows of an annotations CSV (a path, or the CSV itself), offsets as int."""
    text = path_or_text.read_text() if isinstance(path_or_text, Path) else path_or_text
    rows = list(csv.DictReader(text.splitlines(keepends=True)))
    for r in rows:
        r["start"] = int(r["start"])
        r["end"] = int(r["end"])
    return rows


@pytest.fixture(scope="session")
def gold_texts() -> dict[str, str]:
    """The gold texts by id, in id order (the order `tagbench score` lists documents in)."""
    files = sorted((GOLD / "texts").glob("*.txt"))
    return {f.stem: f.read_text(encoding="utf-8") for f in files}


@pytest.fixture(scope="session")
def gold_rows() -> list[dict]:
    return read_rows(GOLD / "annotations.csv")
