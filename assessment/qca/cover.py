"""Exact solution of a prime implicant chart: every cover with the fewest implicants.

QCA lists *all* minimal models of a solution, so the solver must find every cover of the
positive rows with the fewest prime implicants, not just one. A plain branch and bound
explodes on scattered data (hundreds of prime implicants, each row covered by dozens of
them), so the chart is reduced first, by rules that keep every minimal cover:

* **essential implicants**: a row covered by one implicant only puts that implicant in every
  cover; its rows are then covered;
* **column (row-of-the-truth-table) dominance**: when every implicant covering row ``a`` also
  covers row ``b``, any cover covers ``b``: row ``b`` is dropped;
* **row (implicant) dominance**: an implicant whose rows are a subset of another's can be left
  out when looking for *one* minimal cover, but it can still be part of *another* minimal
  cover. So the chart is solved with the dominating implicants only, and each cover found is
  then *expanded*: every implicant of it may be swapped for one it dominates, as long as the
  rows stay covered. Every minimal cover of the full chart is found that way (swapping each of
  its dominated implicants for a dominating one gives a minimal cover of the reduced chart,
  and no two of them can map to the same one, or a smaller cover would exist);
* independent blocks of the chart (no implicant in common) are solved apart and combined.

What is left (the cyclic core) is solved by branch and bound: branch on the row with the
fewest implicants (take the first one, or leave it out for the next branches), each branch
reduced again, bounded below by a set of rows no implicant covers two of (each needs its own
implicant) and by the rows left over the most rows one implicant covers. The search keeps
every cover of the best size found so far.

Time is bounded by a :class:`Deadline`; more minimal covers than ``limit`` raise
:class:`~assessment.qca.errors.TooComplexError` as before.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from .errors import TooComplexError, gettext_noop

#: Time limit of one minimization when nothing else is said, in seconds.
DEFAULT_TIME_LIMIT = 10.0
_default_time_limit = [DEFAULT_TIME_LIMIT]


def default_time_limit() -> float:
    """The time limit ``minimize()`` uses when it is given none."""
    return _default_time_limit[0]


def set_default_time_limit(seconds: float) -> None:
    """Set the default time limit (the Django app sets it from ``QCA_TIME_LIMIT_SECONDS``: the
    engine itself reads no settings)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
        raise ValueError(f"QCA time limit must be a positive number of seconds, not {seconds!r}")
    _default_time_limit[0] = float(seconds)


#: Charts of at least this many rows get the linear-programming bound in the branch and bound.
LP_MIN_ROWS = 12

Item = tuple[int, int]  # (implicant index in the chart, bitmask of the rows it covers)
Found = tuple[int, list[frozenset[int]] | None]  # (size, covers) — covers None: more than the limit


class Deadline:
    """The moment a minimization gives up: :meth:`check` raises ``TooComplexError`` after it.

    ``seconds=None`` means no limit."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise TooComplexError(
                gettext_noop(
                    "布尔最小化超过了 %(seconds)s 秒的时间限制：质蕴涵项表过于复杂（条件多、案例分散时常见）。请减少条件数，或提高一致性阈值、频数阈值后再分析。"
                ),
                seconds=f"{self.seconds:g}",
            )


def too_many_models(limit: int) -> TooComplexError:
    return TooComplexError(
        gettext_noop("质蕴涵项表有超过 %(limit)s 个同样最简的模型，无法全部列出。请减少条件或提高一致性阈值后再分析。"),
        limit=limit,
    )


_POSITIONS: dict[int, tuple[int, ...]] = {}


def _bits(mask: int) -> tuple[int, ...]:
    """The positions of the set bits of ``mask`` (memoized: the same masks recur in a search)."""
    got = _POSITIONS.get(mask)
    if got is None:
        out = []
        rest = mask
        while rest:
            low = rest & -rest
            out.append(low.bit_length() - 1)
            rest ^= low
        got = tuple(out)
        if len(_POSITIONS) > 200_000:
            _POSITIONS.clear()
        _POSITIONS[mask] = got
    return got


def essential_implicants(items: Sequence[Item], rows: int) -> list[int]:
    """Positions in ``items`` of the implicants that are alone in covering one of ``rows``."""
    once = twice = 0
    for _, b in items:
        twice |= once & b
        once |= b
    single = rows & once & ~twice
    return [p for p, (_, b) in enumerate(items) if b & single] if single else []


def dominated_rows(items: Sequence[Item], rows: int, sets: dict[int, int] | None = None) -> int:
    """The rows (bitmask) that can be dropped: every implicant covering another remaining row
    covers them too (of rows covered by the same implicants, the first is kept)."""
    sets = sets if sets is not None else row_sets(items, rows)
    order = sorted(sets, key=lambda r: (sets[r].bit_count(), r))
    dropped = 0
    for i, a in enumerate(order):
        if dropped >> a & 1:
            continue
        sa = sets[a]
        for b in order[i + 1 :]:
            if not dropped >> b & 1 and sets[b] & sa == sa:
                dropped |= 1 << b
    return dropped


def dominating_implicants(items: Sequence[Item], rows: int, sets: dict[int, int] | None = None) -> list[int]:
    """Positions of the implicants no other implicant dominates (of several covering the same
    rows, the first): the reduced chart that still has the minimal cover size."""
    sets = sets if sets is not None else row_sets(items, rows)
    keep = []
    for p, (_, b) in enumerate(items):
        wider = -1  # the implicants that cover every row p covers
        for r in _bits(b):
            wider &= sets[r]
        wider &= ~(1 << p)
        if not any(items[q][1] != b or q < p for q in _bits(wider)):
            keep.append(p)
    return keep


def row_sets(items: Sequence[Item], rows: int) -> dict[int, int]:
    """For each row, the bitmask of the positions in ``items`` of the implicants covering it."""
    sets = dict.fromkeys(_bits(rows), 0)
    for p, (_, b) in enumerate(items):
        for r in _bits(b):
            sets[r] |= 1 << p
    return sets


def _lower_bound(items: Sequence[Item], rows: int, sets: dict[int, int]) -> int:
    """Rows that share no implicant each need their own; and no implicant covers more rows
    than the largest one does."""
    used = 0
    independent = 0
    for r in sorted(sets, key=lambda r: sets[r].bit_count()):
        if not sets[r] & used:
            independent += 1
            used |= sets[r]
    widest = max(b.bit_count() for _, b in items)
    return max(independent, -(-rows.bit_count() // widest))


class _Search:
    def __init__(self, limit: int, deadline: Deadline):
        self.limit = limit
        self.deadline = deadline

    def solve(self, items: list[Item], rows: int, budget: int) -> Found | None:
        """Every cover of ``rows`` by ``items`` with the fewest implicants, when that number is
        at most ``budget`` (else None)."""
        self.deadline.check()
        forced: list[int] = []
        while True:
            items = [(i, b & rows) for i, b in items if b & rows]
            if not rows:
                return (len(forced), [frozenset(forced)]) if len(forced) <= budget else None
            covered = 0
            for _, b in items:
                covered |= b
            if covered != rows or len(forced) >= budget + 1:
                return None
            essential = essential_implicants(items, rows)
            if essential:
                for p in essential:
                    forced.append(items[p][0])
                    rows &= ~items[p][1]
                continue
            sets = row_sets(items, rows)
            dropped = dominated_rows(items, rows, sets)
            if dropped:
                rows &= ~dropped
                continue
            break
        left = budget - len(forced)
        keep = dominating_implicants(items, rows, sets)
        if len(keep) < len(items):
            found = self.solve([items[p] for p in keep], rows, left)
            if found is not None and found[1] is not None:
                found = self._expand(found, items, [items[p] for p in keep], rows)
        else:
            found = self._split(items, rows, left, sets)
        if found is None:
            return None
        size, covers = found
        if covers is None:
            return size + len(forced), None
        return size + len(forced), [c.union(forced) for c in covers]

    def _expand(self, found: Found, items: list[Item], kept: list[Item], rows: int) -> Found:
        """Every cover obtained from the covers of the reduced chart by swapping implicants for
        ones they dominate, keeping ``rows`` covered."""
        size, covers = found
        bits_of = dict(kept)
        swaps = {i: [(j, b) for j, b in items if b & q == b] for i, q in kept}
        out: set[frozenset[int]] = set()
        for cover in covers or ():
            members = list(cover)
            # a swap must keep the rows no other member covers (the others can only shrink)
            options = []
            for n, i in enumerate(members):
                others = 0
                for m, o in enumerate(members):
                    if m != n:
                        others |= bits_of[o]
                own = rows & ~others
                options.append([(j, b) for j, b in swaps[i] if b & own == own])
            order = sorted(range(len(members)), key=lambda n: len(options[n]))
            options = [options[n] for n in order]
            rest = [0] * (len(members) + 1)  # what the members after position n cover at most
            for n in range(len(members) - 1, -1, -1):
                rest[n] = rest[n + 1] | bits_of[members[order[n]]]
            stack = [(0, 0, ())]
            while stack:
                n, got, chosen = stack.pop()
                if n == len(members):
                    out.add(frozenset(chosen))
                    if len(out) > self.limit:
                        return size, None
                    continue
                for j, b in options[n]:
                    if (got | b | rest[n + 1]) & rows == rows and j not in chosen:
                        stack.append((n + 1, got | b, (*chosen, j)))
            self.deadline.check()
        return size, list(out)

    def _split(self, items: list[Item], rows: int, budget: int, sets: dict[int, int]) -> Found | None:
        """Solve the independent blocks of the chart apart; branch on a block that is whole."""
        blocks = []
        todo = rows
        while todo:
            block = todo & -todo
            grown = 0
            while grown != block:
                grown = block
                for _, b in items:
                    if b & block:
                        block |= b
            blocks.append(block)
            todo &= ~block
        if len(blocks) == 1:
            return self._branch(items, rows, budget, sets)
        parts = [[it for it in items if it[1] & block] for block in blocks]
        bounds = [_lower_bound(part, block, row_sets(part, block)) for part, block in zip(parts, blocks, strict=True)]
        if sum(bounds) > budget:
            return None
        total = 0
        combined: list[frozenset[int]] | None = [frozenset()]
        for n, (part, block) in enumerate(zip(parts, blocks, strict=True)):
            found = self.solve(part, block, budget - total - sum(bounds[n + 1 :]))
            if found is None:
                return None
            size, covers = found
            total += size
            if combined is None or covers is None or len(combined) * len(covers) > self.limit:
                combined = None
                continue
            combined = [a | c for a in combined for c in covers]
        return total, combined

    def _branch(self, items: list[Item], rows: int, budget: int, sets: dict[int, int]) -> Found | None:
        if _lower_bound(items, rows, sets) > budget:
            return None
        if len(sets) >= LP_MIN_ROWS:
            bound, slack = lp_bound(items, sets)
            if bound > budget + 1e-7:
                return None
            # reduced-cost fixing: a cover using p has at least bound + slack[p] implicants
            fit = [it for it, c in zip(items, slack, strict=True) if bound + c <= budget + 1e-7]
            if len(fit) < len(items):
                return self.solve(fit, rows, budget)
        row = min(sets, key=lambda r: (sets[r].bit_count(), r))
        # widest implicants first: good covers early make the bound bite
        candidates = sorted(_bits(sets[row]), key=lambda p: -items[p][1].bit_count())
        best = budget
        overflow = False
        found: list[frozenset[int]] = []
        excluded: set[int] = set()
        for p in candidates:
            idx, b = items[p]
            cap = best - 1 if overflow else best  # after an overflow only a smaller size matters
            rest = [it for q, it in enumerate(items) if q != p and q not in excluded]
            excluded.add(p)
            sub = self.solve(rest, rows & ~b, cap - 1)
            if sub is None:
                continue
            size, covers = sub
            size += 1
            if size < best:
                best, found, overflow = size, [], False
            if overflow:
                continue
            if covers is None:
                overflow, found = True, []
                continue
            found.extend(c | {idx} for c in covers)
            if len(found) > self.limit:
                overflow, found = True, []
        if not found and not overflow:
            return None
        return best, None if overflow else found


def minimal_covers(
    chart: Sequence[int], n_rows: int, limit: int, deadline: Deadline | None = None
) -> list[tuple[int, ...]]:
    """Every cover of the rows with the fewest implicants.

    ``chart[p]`` is the bitmask of the rows that implicant ``p`` covers. Returns the covers
    as sorted tuples of implicant indices, in lexicographic order (QCA's order of models).
    More than ``limit`` minimal covers, or time past the ``deadline``, raise
    ``TooComplexError``; a row no implicant covers raises ``ValueError``."""
    if n_rows == 0:
        covers = [()]
        if len(covers) > limit:
            raise too_many_models(limit)
        return covers
    all_rows = (1 << n_rows) - 1
    covered = 0
    for bits in chart:
        covered |= bits
    if covered & all_rows != all_rows:
        raise ValueError("row not coverable")
    items = [(p, bits & all_rows) for p, bits in enumerate(chart)]
    greedy = _greedy_size(items, all_rows)
    search = _Search(limit, deadline or Deadline(None))
    found = None
    if greedy > 2 and n_rows >= LP_MIN_ROWS:
        # the exact minimum makes the search list covers of that size only
        found = search.solve(items, all_rows, min(greedy, optimum(items, all_rows, deadline)))
    if found is None:  # the greedy cover fits this budget
        found = search.solve(items, all_rows, greedy)
    # the reductions can settle a chart without a search: the limit holds for their answer too
    if found[1] is None or len(found[1]) > limit:
        raise too_many_models(limit)
    return sorted(tuple(sorted(c)) for c in found[1])


def lp_bound(items: Sequence[Item], sets: dict[int, int]) -> tuple[float, list[float]]:
    """The linear relaxation of the chart (HiGHS through SciPy): its value, which no cover can
    beat, and each implicant's reduced cost (a cover that uses implicant p has at least value +
    reduced cost of p implicants). Much stronger than the combinatorial bound on dense charts."""
    from scipy.optimize import linprog  # imported when a chart needs it (SciPy takes ~0.3 s to import)

    a = np.zeros((len(sets), len(items)))
    for i, r in enumerate(sets):
        a[i, list(_bits(sets[r]))] = -1.0
    # x <= 1 is never binding in a covering problem: without it the duals of the rows alone
    # are a feasible dual, which is what the reduced-cost argument needs
    res = linprog(np.ones(len(items)), A_ub=a, b_ub=-np.ones(len(sets)), bounds=(0, None), method="highs")
    if res.status != 0:  # not solved: no bound rather than a wrong one
        return 0.0, [0.0] * len(items)
    duals = np.maximum(-res.ineqlin.marginals, 0.0)
    slack = 1.0 + duals @ a  # 1 - (rows' duals summed over the rows the implicant covers)
    return float(duals.sum()), [float(c) for c in slack]


def optimum(items: Sequence[Item], rows: int, deadline: Deadline | None = None) -> int:
    """The fewest implicants that cover ``rows``: an exact integer program (HiGHS), given the
    time left before the deadline (out of time: the deadline raises)."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # as in lp_bound: only when a chart needs it

    sets = row_sets(items, rows)
    a = np.zeros((len(sets), len(items)))
    for i, r in enumerate(sets):
        a[i, list(_bits(sets[r]))] = 1.0
    options = {}
    if deadline is not None and deadline.at is not None:
        options["time_limit"] = max(0.01, deadline.at - time.monotonic())
    res = milp(
        np.ones(len(items)),
        constraints=LinearConstraint(a, lb=1),
        integrality=np.ones(len(items)),
        bounds=Bounds(0, 1),
        options=options,
    )
    if deadline is not None:
        deadline.check()
    if res.status != 0:
        return _greedy_size(items, rows)
    return round(res.fun)


def _greedy_size(items: Sequence[Item], rows: int) -> int:
    """The size of a greedy cover: an upper bound of the minimal size."""
    n = 0
    while rows:
        rows &= ~max((b & rows for _, b in items), key=int.bit_count)
        n += 1
    return n
