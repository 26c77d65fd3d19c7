"""Two sign-in limits in one django-axes handler (AXES_HANDLER).

django-axes counts failures per lockout parameter (here: user name + address, and address
alone) but compares every count with one AXES_FAILURE_LIMIT. Password spraying — a few
guesses at many user names from one machine — needs its own, higher limit per address, so a
clerk who mistypes five times locks only their own name, while an address that fails
AXES_IP_FAILURE_LIMIT times across any names is locked for every name.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AxesHandler(AxesDatabaseHandler):
    """Expects AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"], in that order."""

    def get_failures(self, request, credentials=None) -> int:
        """Failures counted against AXES_FAILURE_LIMIT: the name's own, or the full limit once the address is over its own."""
        per_name, per_address = (_failures(a) for a in self.get_user_attempts(request, credentials))
        if per_address >= settings.AXES_IP_FAILURE_LIMIT:
            return max(per_name, settings.AXES_FAILURE_LIMIT)
        return per_name

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that name's failures from this address, never the whole address's.

        Otherwise a sprayer who owns one account could sign in with it between guesses and start afresh.
        """
        per_name = self.filter_user_attempts(request, credentials)[0]
        count, _ = per_name.delete()
        return count
