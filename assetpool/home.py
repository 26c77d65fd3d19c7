"""The pool's home-page count (idle assets to hand in, for those who manage the pool), read by a statement
compiled once per scope shape from the selector's own queryset (datahub.compiled, #17); the day the assets must
have been idle since is a value of the statement."""

from datetime import date

from datahub import scoping
from datahub.compiled import CountStatement

from . import selectors

IDLE = CountStatement(
    None,  # the assets' model, which the pool reads only through assets' selectors
    lambda reader, cutoff: selectors.idle_assets(reader, cutoff=cutoff),
    roles=selectors.POOL_MANAGERS,
    markers={"cutoff": date(1, 2, 3)},
)


def idle_count(user) -> int:
    if not scoping.holds_any(user, selectors.POOL_EDITORS):
        return 0
    return IDLE.count(user, cutoff=selectors.hand_in_cutoff())
