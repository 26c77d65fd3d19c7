"""Read queries of credentials."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .. import tokens
from ..models import ApiToken, PasswordRecord
from . import rules


def api_token_for(token: str) -> ApiToken | None:
    """The token record a bearer presents, live or not (the caller tells expired from revoked)."""
    if not token:
        return None
    return ApiToken.objects.select_related("user").filter(digest=tokens.digest(token)).first()


def live_api_tokens_of(user) -> QuerySet:
    """The user's tokens still in force, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at"
    )


def api_token_of(user, pk) -> ApiToken | None:
    """One of the user's own API tokens (revoked or not), or None: another person's token does not exist for them."""
    return ApiToken.objects.filter(user=user, pk=pk).first()


def recent_password_hashes(user, count: int) -> list[str]:
    if not user.pk or count <= 0:
        return []
    return list(PasswordRecord.objects.filter(user=user).values_list("password", flat=True)[:count])


def password_expires_at(user) -> datetime | None:
    """When the current password stops being accepted; None if expiry is off or its age is unknown.

    The age is known from the first password set after this rule landed (the migration that added
    it starts every existing password's clock at that moment).
    """
    max_age = rules.password_max_age()
    if max_age is None or not user.pk:
        return None
    changed_at = PasswordRecord.objects.filter(user=user).values_list("changed_at", flat=True).first()
    return changed_at + max_age if changed_at else None
