"""fsQCA engine benchmark: truth table and minimization for 8, 10 and 12 conditions,
200 cases of random data (fixed seed), no database needed.

The data: each case is drawn around one of 24 random configurations (memberships 0.8–1.0
where the configuration has the condition, 0–0.2 where it lacks it, 2 decimals), and the
outcome is C1*C2 + C3*~C4 plus Gaussian noise (sd 0.1), clipped to [0, 1]. Cases cluster
in a few configurations as real cases do; with memberships drawn independently per
condition, 200 cases scatter over as many configurations, and the conservative solution of
such a table has thousands of equally minimal models (QCA lists them all, so does this
engine; that measures the listing, not the minimization).

``minimize`` is timed with directional expectations on C1–C4 (all present), so each run
computes the conservative, parsimonious and intermediate solutions with their fit. Each
call runs once to warm up, then ``REPS`` times; the median and the slowest run are
reported in ms. Nothing here asserts a time.

    .venv/bin/python bench/bench_qca.py          # standalone: JSON lines on stdout
    .venv/bin/python bench/run.py --only qca     # through the runner (which needs PostgreSQL)
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.qca import minimize, truth_table

REPS = 7
CASES = 200
SEED = 20261122
CONDITIONS = (8, 10, 12)


def dataset(k: int, n: int = CASES, seed: int = SEED, prototypes: int = 24):
    rng = np.random.default_rng(seed + k)
    bits = rng.integers(0, 2, size=(prototypes, k))[rng.integers(0, prototypes, size=n)]
    x = np.round(np.where(bits == 1, rng.uniform(0.8, 1.0, (n, k)), rng.uniform(0.0, 0.2, (n, k))), 2)
    y = np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3]))
    y = np.round(np.clip(y + rng.normal(0, 0.1, n), 0, 1), 2)
    conds = [f"C{i + 1}" for i in range(k)]
    return {c: x[:, i] for i, c in enumerate(conds)} | {"Y": y}, conds


def _time(call, reps: int = REPS) -> tuple[float, float, object]:
    result = call()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def run():
    for k in CONDITIONS:
        data, conds = dataset(k)
        median, worst, tt = _time(lambda data=data, conds=conds: truth_table(data, "Y", conds, incl_cut=0.8))
        context = {
            "conditions": k,
            "cases": CASES,
            "rows": len(tt.rows),
            "observed": len(tt.observed),
            "positive": len(tt.positive),
            "negative": len(tt.negative),
            "reps": REPS,
        }
        yield {"name": f"qca.truth_table.k{k}.median", "value": round(median, 2), "unit": "ms", **context}
        median, worst, result = _time(
            lambda tt=tt, conds=conds: minimize(tt, include_remainders=True, directional_expectations=conds[:4])
        )
        yield {
            "name": f"qca.minimize.k{k}.median",
            "value": round(median, 2),
            "unit": "ms",
            "max_ms": round(worst, 2),
            **context,
            "conservative_models": len(result.conservative.models),
            "conservative_terms": len(result.conservative.models[0].terms),
            "parsimonious": result.parsimonious.expressions[0],
            "parsimonious_primes": len(result.parsimonious.prime_implicants),
            "intermediate": result.intermediate[0].expressions[0],
            "easy_counterfactuals": len(result.intermediate[0].easy_counterfactuals),
        }


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure, ensure_ascii=False), flush=True)
