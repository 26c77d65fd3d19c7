"""Every write of the assets app. One transaction each; the actor must hold the asset
administrator (or bureau administrator) role over the card's unit; a broken rule raises
ValidationError (field → Chinese message) or PermissionDenied and writes nothing.

Every lifecycle move writes one append-only ``Movement`` on the card, in the same
transaction as the change, and the card's field history (simple-history) records the
change itself. The rules the writes apply are in ``assets.rules`` (plain values), the
lookups they need in ``assets.selectors``. One module per kind of write:

- ``booking``: 入账 (build a card against the rules, draw its number, book it);
- ``lifecycle``: 领用/归还, 调拨, 出租出借, 维修, 处置, 变更存放地点/保管人, 状态;
- ``outcomes``: what the portal's asset requests do when their outcome is recorded;
- ``depreciation``: the monthly set-based posting;
- ``cards``: the cards behind a vehicle (车辆) and a building (房屋), entered once;
- ``hooks``: what another ledger (the fleet) adds to a disposal of its cards;
- ``locking``: row locks for other apps' writes that move cards (pool, stocktake).

Other apps call them as ``assets.services.<name>``.
"""

from .booking import CARD_FIELDS, book_card, next_asset_numbers, prepare_card, register_card
from .cards import VEHICLE_CARD_EDITORS, building_card_register, vehicle_card_register
from .depreciation import post_depreciation, post_depreciation_by_hand
from .hooks import disposal_check, disposal_hook_add
from .lifecycle import (
    dispose,
    end_repair,
    issue,
    lend,
    relocate,
    return_asset,
    return_lent,
    set_status,
    start_repair,
    transfer,
)
from .locking import card_lock, cards_lock
from .outcomes import (
    disposal_record_outcome,
    purchase_record_outcome,
    requisition_record_outcome,
    transfer_record_outcome,
)

__all__ = [
    "CARD_FIELDS",
    "VEHICLE_CARD_EDITORS",
    "book_card",
    "building_card_register",
    "card_lock",
    "cards_lock",
    "disposal_check",
    "disposal_hook_add",
    "disposal_record_outcome",
    "dispose",
    "end_repair",
    "issue",
    "lend",
    "next_asset_numbers",
    "post_depreciation",
    "post_depreciation_by_hand",
    "prepare_card",
    "purchase_record_outcome",
    "register_card",
    "relocate",
    "requisition_record_outcome",
    "return_asset",
    "return_lent",
    "set_status",
    "start_repair",
    "transfer",
    "transfer_record_outcome",
    "vehicle_card_register",
]
