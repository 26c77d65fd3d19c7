"""Boolean minimization of binary truth tables: prime implicants and the prime implicant chart.

An implicant is a pair ``(mask, value)`` of ints over the k conditions, with the first
condition as the most significant bit (as the truth-table row numbers): ``mask`` has a bit
for each condition in the term, ``value`` the required values of those conditions. A row
``r`` (0-based) is covered when ``r & mask == value``. Its QCA code is a tuple with one entry
per condition: 0 = not in the term, 1 = negated (``~A``), 2 = present (``A``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from . import cover
from .cover import Deadline

Implicant = tuple[int, int]

#: The most equally minimal models one solution may list before the engine gives up.
MAX_MODELS = 10_000


def code_of(imp: Implicant, k: int) -> tuple[int, ...]:
    mask, value = imp
    out = []
    for j in range(k):
        bit = 1 << (k - 1 - j)
        out.append(0 if not mask & bit else (2 if value & bit else 1))
    return tuple(out)


def from_code(code: Sequence[int]) -> Implicant:
    k = len(code)
    mask = value = 0
    for j, c in enumerate(code):
        bit = 1 << (k - 1 - j)
        if c:
            mask |= bit
            if c == 2:
                value |= bit
    return mask, value


def expression(code: Sequence[int], conditions: Sequence[str]) -> str:
    """QCA's notation: ``DEV*~IND`` (conditions in their order, ``~`` for absence)."""
    parts = [("~" if c == 1 else "") + name for c, name in zip(code, conditions, strict=True) if c]
    return "*".join(parts) if parts else "1"


def covers(imp: Implicant, row: int) -> bool:
    return row & imp[0] == imp[1]


def quine_mccluskey(minterms: Iterable[int], k: int, deadline: Deadline | None = None) -> list[Implicant]:
    """All prime implicants of the set of rows ``minterms`` (exact Quine–McCluskey)."""
    full = (1 << k) - 1
    current = {(full, m) for m in minterms}
    primes: list[Implicant] = []
    while current:
        if deadline is not None:
            deadline.check()
        by_mask: dict[int, set[int]] = defaultdict(set)
        for mask, value in current:
            by_mask[mask].add(value)
        merged: set[Implicant] = set()
        nxt: set[Implicant] = set()
        for mask, values in by_mask.items():
            bits = mask
            while bits:
                bit = bits & -bits
                bits ^= bit
                for value in values:
                    if not value & bit and value | bit in values:
                        nxt.add((mask ^ bit, value))
                        merged.add((mask, value))
                        merged.add((mask, value | bit))
        primes.extend(sorted(t for t in current if t not in merged))
        current = nxt
    return primes


def parsimonious_implicants(
    positive: Sequence[int], negative: Sequence[int], k: int, deadline: Deadline | None = None
) -> list[Implicant]:
    """Prime implicants that cover at least one positive row and no negative row, the
    remainders being free (QCA's Consistency Cubes search).

    Terms are searched by increasing complexity (number of literals); a term is kept when
    no shorter implicant already found is contained in it. As QCA's CCubes does, the search
    stops once the positive rows can all be covered and two consecutive complexity levels
    have brought no new prime implicant. The result is in the order found (complexity,
    then the conditions' combinations in lexicographic order, then the positive rows).
    """
    pos = list(positive)
    neg = list(negative)
    neg_proj: dict[int, set[int]] = {}

    def negatives(mask: int) -> set[int]:
        got = neg_proj.get(mask)
        if got is None:
            got = neg_proj[mask] = {r & mask for r in neg}
        return got

    found: list[Implicant] = []
    covered: set[int] = set()
    counter = 0
    for level in range(1, k + 1):
        new_here = False
        for combo in combinations(range(k), level):
            if deadline is not None:
                deadline.check()
            mask = 0
            for j in combo:
                mask |= 1 << (k - 1 - j)
            blocked = negatives(mask)
            candidates = [v for v in dict.fromkeys(r & mask for r in pos) if v not in blocked]
            if not candidates:
                continue
            subs = [mask ^ (1 << (k - 1 - j)) for j in combo]
            for v in candidates:
                # redundant when dropping one literal still leaves an implicant (no negative
                # row): a shorter prime implicant, found at an earlier level, is inside it
                if any(v & sub not in negatives(sub) for sub in subs):
                    continue
                found.append((mask, v))
                new_here = True
                covered.update(i for i, r in enumerate(pos) if r & mask == v)
        if found and len(covered) == len(pos):
            counter = 0 if new_here else counter + 1
            if counter > 1:
                break
    return found


def sort_order(codes: Sequence[Sequence[int]]) -> list[int]:
    """The order in which QCA lists implicants: by complexity (fewest literals first), then
    condition by condition from the first: ``~A`` before ``A`` before terms without ``A``.

    This reproduces QCA's own sorting routine exactly, including one of its details: when
    every implicant has the condition, the last implicant of the descending pass keeps its
    place (so, e.g., of two five-literal terms the one with ``A`` comes first).
    """
    n = len(codes)
    if not n:
        return []
    k = len(codes[0])
    order = list(range(n))
    for i in range(k - 1, -1, -1):
        order.sort(key=lambda t: -codes[t][i])
        z = next((p for p, t in enumerate(order) if codes[t][i] == 0), n - 1)
        order[:z] = sorted(order[:z], key=lambda t: codes[t][i])
    order.sort(key=lambda t: sum(1 for c in codes[t] if c))
    return order


def minimal_covers(
    chart: Sequence[int], n_rows: int, limit: int = MAX_MODELS, deadline: Deadline | None = None
) -> list[tuple[int, ...]]:
    """Every cover of the rows with the fewest implicants (see :mod:`assessment.qca.cover`).

    ``chart[p]`` is the bitmask of the rows that implicant ``p`` covers. Returns the covers
    as sorted tuples of implicant indices, in lexicographic order (QCA's order of models).
    """
    return cover.minimal_covers(chart, n_rows, limit, deadline)
