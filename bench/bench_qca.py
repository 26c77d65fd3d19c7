"""fsQCA engine benchmark: truth table and minimization for 8, 10 and 12 conditions,
200 cases of random data (fixed seed), no database needed; then 10 and 12 conditions with
100 scattered cases, where the prime implicant chart is hard.

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

Scattered data (as real survey data often is): 100 cases, memberships drawn independently
from Beta(0.4, 0.4) (most near 0 or 1, some near the crossover), the same noisy outcome.
Cases land in ~90 different rows, and the parsimonious chart has hundreds to a thousand
prime implicants, each row covered by dozens of them. Timed: ``minimize(tt,
include_remainders=True)`` (conservative and parsimonious solutions, every minimal model with
its fit: the call as it was before ``solutions=``), the same with ``solutions="asked"`` (the
parsimonious solution only), and once the full analysis with directional expectations on
C1–C4, which on such data has hundreds of (conservative, parsimonious) model pairs and ends
with ``TooComplexError`` at the time limit (``QCA_TIME_LIMIT_SECONDS``, 10 s by default).

    .venv/bin/python bench/bench_qca.py          # standalone: JSON lines on stdout
    .venv/bin/python bench/bench_qca.py --data scattered --conditions 12
    QCA_BENCH_ROOT=/path/to/other/checkout .venv/bin/python bench/bench_qca.py   # another engine
    .venv/bin/python bench/run.py --only qca     # through the runner (which needs PostgreSQL)
"""

import argparse
import inspect
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, os.environ.get("QCA_BENCH_ROOT") or str(Path(__file__).resolve().parent.parent))

from assessment import qca
from assessment.qca import minimize, truth_table

REPS = 7
CASES = 200
SEED = 20261122
CONDITIONS = (8, 10, 12)
SCATTERED_REPS = 3
SCATTERED_CASES = 100
SCATTERED_CONDITIONS = (10, 12)


def dataset(k: int, n: int = CASES, seed: int = SEED, prototypes: int = 24):
    rng = np.random.default_rng(seed + k)
    bits = rng.integers(0, 2, size=(prototypes, k))[rng.integers(0, prototypes, size=n)]
    x = np.round(np.where(bits == 1, rng.uniform(0.8, 1.0, (n, k)), rng.uniform(0.0, 0.2, (n, k))), 2)
    y = np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3]))
    y = np.round(np.clip(y + rng.normal(0, 0.1, n), 0, 1), 2)
    conds = [f"C{i + 1}" for i in range(k)]
    return {c: x[:, i] for i, c in enumerate(conds)} | {"Y": y}, conds


def scattered_dataset(k: int, n: int = SCATTERED_CASES, seed: int = SEED):
    rng = np.random.default_rng(seed + k)
    x = np.round(rng.beta(0.4, 0.4, (n, k)), 2)
    y = np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3]))
    y = np.round(np.clip(y + rng.normal(0, 0.1, n), 0, 1), 2)
    conds = [f"C{i + 1}" for i in range(k)]
    return {c: x[:, i] for i, c in enumerate(conds)} | {"Y": y}, conds


def _time(call, reps: int = REPS) -> tuple[float, float, object]:
    median, worst, _cpu, result = _time_cpu(call, reps)
    return median, worst, result


def _time_cpu(call, reps: int) -> tuple[float, float, float, object]:
    """Wall-clock median and slowest run (ms), and the median CPU time of the process (ms): on
    a shared machine the CPU time says what the call costs, the wall time what a user waits."""
    result = call()  # warm-up
    times, cpu = [], []
    for _ in range(reps):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu), result


def run(data: str = "all", conditions: tuple[int, ...] = ()):
    if data in ("all", "clustered"):
        yield from run_clustered([k for k in CONDITIONS if not conditions or k in conditions])
    if data in ("all", "scattered"):
        yield from run_scattered([k for k in SCATTERED_CONDITIONS if not conditions or k in conditions])


def run_clustered(ks):
    for k in ks:
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


def run_scattered(ks):
    has_solutions = "solutions" in inspect.signature(minimize).parameters  # not in the engine before #17
    for k in ks:
        data, conds = scattered_dataset(k)
        tt = truth_table(data, "Y", conds, incl_cut=0.8)
        context = {
            "conditions": k,
            "cases": SCATTERED_CASES,
            "data": "scattered",
            "observed": len(tt.observed),
            "positive": len(tt.positive),
            "negative": len(tt.negative),
            "reps": SCATTERED_REPS,
        }
        median, worst, cpu, result = _time_cpu(lambda tt=tt: minimize(tt, include_remainders=True), SCATTERED_REPS)
        yield {
            "name": f"qca.minimize_scattered.k{k}.median",
            "value": round(median, 2),
            "unit": "ms",
            "max_ms": round(worst, 2),
            "cpu_ms": round(cpu, 2),
            **context,
            "conservative_models": len(result.conservative.models),
            "parsimonious_primes": len(result.parsimonious.prime_implicants),
            "parsimonious_models": len(result.parsimonious.models),
            "parsimonious_terms": len(result.parsimonious.models[0].terms),
            "parsimonious_first": result.parsimonious.expressions[0],
        }
        if not has_solutions:
            continue
        median, worst, cpu, result = _time_cpu(
            lambda tt=tt: minimize(tt, include_remainders=True, solutions="asked"), SCATTERED_REPS
        )
        yield {
            "name": f"qca.minimize_scattered_asked.k{k}.median",
            "value": round(median, 2),
            "unit": "ms",
            "max_ms": round(worst, 2),
            "cpu_ms": round(cpu, 2),
            **context,
            "computed": list(result.computed),
            "parsimonious_models": len(result.parsimonious.models),
        }
        start = time.perf_counter()
        try:
            result = minimize(tt, include_remainders=True, directional_expectations=conds[:4])
            outcome = f"{len(result.intermediate)} intermediate solutions"
        except qca.TooComplexError as exc:
            outcome = f"TooComplexError: {exc}"
        yield {
            "name": f"qca.minimize_scattered_full.k{k}",
            "value": round(time.perf_counter() - start, 2),
            "unit": "s",
            **context,
            "time_limit_s": qca.default_time_limit(),
            "outcome": outcome,
        }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=("all", "clustered", "scattered"), default="all")
    parser.add_argument("--conditions", type=int, nargs="*", default=())
    args = parser.parse_args()
    for figure in run(args.data, tuple(args.conditions)):
        print(json.dumps(figure, ensure_ascii=False), flush=True)
