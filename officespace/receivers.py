"""What office space does when the directory changes (connected in OfficespaceConfig.ready)."""

import logging

from django.db import DatabaseError, transaction

from . import services

log = logging.getLogger(__name__)


def on_person_leaving(sender, *, person, reason, last_day, **kwargs) -> None:
    """A person deactivated or moved out of the agency: their offices are due back (离岗 from the directory).
    Never refuses the directory change: a failure is logged and the office can still be recorded by hand."""
    try:
        with transaction.atomic():
            services.occupancy_post_end_from_directory(person=person, reason=reason, last_day=last_day)
    except DatabaseError:
        log.exception("离岗未能登记到办公室使用记录：person=%s", person.pk)


def on_side_post_ended(sender, *, post, last_day, **kwargs) -> None:
    """A 兼职 post ended in the directory: the second office approved for it is due back. Logged, never
    refusing the directory change (as for 离岗)."""
    try:
        with transaction.atomic():
            services.occupancy_side_post_ended(post=post, last_day=last_day)
    except DatabaseError:
        log.exception("兼职结束未能登记到第二办公室使用记录：post=%s", post.pk)
