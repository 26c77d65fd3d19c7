"""Fixtures for the fsQCA engine tests: the QCA teaching datasets from shared/.

CI has ``shared/`` beside the repository, so the datasets are looked up at
``<repo>/../shared/qca-datasets``; tests that need them are skipped when it is absent.
"""

import csv
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
DATASETS = REPO_ROOT.parent / "shared" / "qca-datasets"


def read_dataset(name: str) -> tuple[list[str], dict[str, list[float]]]:
    """(case names, {column: values}) of ``<name>.csv``."""
    path = DATASETS / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"QCA teaching dataset {path} not found (shared/qca-datasets must sit beside the repository)")
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
