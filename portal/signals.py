"""Signals of the workflow engine."""

from django.dispatch import Signal

# Sent inside the engine's transaction when a ticket that is a member of a bundle is approved, refused,
# withdrawn or done (keyword ``ticket``). The bundles (portal.services.bundles, connected in
# PortalConfig.ready) file their members through the engine, so the engine tells them by this signal
# instead of importing them back; a receiver that raises undoes the whole move.
bundle_member_moved = Signal()
