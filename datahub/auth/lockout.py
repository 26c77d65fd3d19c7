"""Two sign-in limits in one django-axes handler (AXES_HANDLER).

django-axes counts failures per lockout parameter (here: user name + address, and address
alone) but compares every count with one AXES_FAILURE_LIMIT. Password spraying — a few
guesses at many user names from one machine — needs its own, higher limit per address, so a
clerk who mistypes five times locks only their own name, while an address that fails
AXES_IP_FAILURE_LIMIT times across any names is locked for every name.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The caller's address (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies
    the address the outermost of them saw.

    That is X-Forwarded-For's N-th entry from the right: each trusted proxy appends what it saw,
    and everything further left is the client's own claim, which a sprayer would vary at will.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AxesHandler(AxesDatabaseHandler):
    """Expects AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"], in that order."""

    def get_failures(self, request, credentials=None) -> int:
        """Failures counted against AXES_FAILURE_LIMIT: the name's own, or the full limit once the address is over its own."""
        attempts = self.get_user_attempts(request, credentials)
        per_name = _failures(attempts[0])
        per_address = _failures(attempts[1]) if len(attempts) > 1 else 0
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
