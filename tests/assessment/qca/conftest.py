"""Fixtures for the fsQCA engine tests: the standard QCA teaching datasets.

They live in ``datasets/`` beside this file (provenance in its README), so a fresh clone runs
these tests exactly as CI does.
"""

import csv
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parent / "datasets"


def read_dataset(name: str) -> tuple[list[str], dict[str, list[float]]]:
    """(case names, {column: values}) of ``<name>.csv``."""
    path = DATASETS / f"{name}.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cases = [r["case"] for r in rows]
    columns = {k: [float(r[k]) for r in rows] for k in rows[0] if k != "case"}
    return cases, columns


@pytest.fixture
def lf():
    return read_dataset("LF")


@pytest.fixture
def lr():
    return read_dataset("LR")


@pytest.fixture
def lc():
    return read_dataset("LC")
