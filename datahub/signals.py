"""Signals the directory sends, so that other apps can follow a change without datahub importing them."""

from django.dispatch import Signal

# A person leaves their post in the directory: deactivated, or moved to another unit. Sent by
# ``services.update_user`` inside its transaction, before the row is saved (the person is still in the
# old unit), with ``actor``, ``person``, ``reason`` ("deactivated" or "transfer") and ``last_day``.
# A receiver that raises refuses the directory change; one that must not should catch its own errors.
person_leaving = Signal()

# A 兼职 post ends in the directory (``services.end_side_post``), with ``actor``, ``post`` (its ``ended_on``
# set) and ``last_day``. Office space marks the second office approved for it as due back. Sent inside the
# service's transaction; a receiver that raises refuses the change.
side_post_ended = Signal()

# A person's unit changed in the directory (any move: between departments of one agency too, and a move out
# of it, which also sends ``person_leaving``). Sent by ``services.update_user`` inside its transaction,
# after the row is saved (the person is in the new unit), with ``actor``, ``person``, ``old_unit_id`` and
# ``new_unit_id``. Apps that keep the person's unit (the vehicles app's driver) follow it; datahub imports
# none of them. A receiver that raises refuses the directory change.
person_moved = Signal()

# A unit moved in the tree, with everything below it (``services.move_org_unit``). Sent inside the service's
# transaction, after the move (paths are the new ones), with ``actor``, ``unit``, ``old_parent_id`` and
# ``new_parent_id``. Apps that keep sums over subtrees (the command center's roll-up) refresh the old and new
# ancestors; they defer their work to the commit themselves. A receiver that raises refuses the move.
org_unit_moved = Signal()
