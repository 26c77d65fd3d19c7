"""Ledgers whose rows are cards (a vehicle of the fleet ledger) say here what a disposal of such a
card needs and what it does to their row. The vehicles app adds its hooks in its ``AppConfig.ready()``
(as request kinds register with the portal), so the assets app never imports a domain built on it.

``check(*, asset, way, early)`` raises ValidationError when the card may not be disposed of (it runs when a
资产处置 request is filed and again when the card is disposed); ``disposed(*, asset, actor, ticket, on,
income, way)`` runs inside ``dispose``'s transaction, so the other ledger's row leaves with the card or
the whole disposal is refused and nothing changes.
"""

from collections.abc import Callable

_HOOKS: list[tuple[Callable[..., None], Callable[..., None]]] = []


def disposal_hook_add(*, check: Callable[..., None], disposed: Callable[..., None]) -> None:
    """Register a ledger's disposal hooks once (ready() may run twice in tests)."""
    if (check, disposed) not in _HOOKS:
        _HOOKS.append((check, disposed))


def disposal_check(*, asset, way: str, early: bool = False) -> None:
    """Every registered ledger's refusal of disposing of ``asset`` by ``way`` (when the request is filed)."""
    for check, _ in _HOOKS:
        check(asset=asset, way=way, early=early)


def run_disposed(*, asset, actor, ticket, on, income, way) -> None:
    for _, disposed in _HOOKS:
        disposed(asset=asset, actor=actor, ticket=ticket, on=on, income=income, way=way)
