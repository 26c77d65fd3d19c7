"""Every write of credentials: API tokens issued and revoked, passwords recorded.

Rules enforced here:
- a token is issued only to an active person who has just proven the password (the caller
  authenticates) and whose password has not expired (it must be changed on the web first); every issue is a new random token, shown once, stored as a digest, ending
  after API_TOKEN_TTL_HOURS. Earlier tokens keep running until they end, so two systems that
  share an account do not sign each other out.
- a token is revoked by its holder, or by a bureau administrator whose grant covers the
  holder's unit; anybody else gets PermissionDenied and nothing changes.
- a person's chosen language is saved only as one of the platform's languages (settings.LANGUAGES).
- the hash of every password set is kept, as many as the no-reuse rule needs, to tell reuse
  and age (datahub.auth.validators, datahub.auth.middleware).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import scoping, tokens
from ..models import ApiToken, PasswordRecord, User
from ..roles import DIRECTORY_EDITORS
from . import rules, selectors, usercache

# Writing "last used" on every API call would turn each read into a write; a few minutes is
# precise enough to tell which tokens are still in use.
LAST_USED_PRECISION = timedelta(minutes=5)
# Ended tokens are kept this long (who had a token when), then deleted.
ENDED_TOKENS_KEPT = timedelta(days=180)


@transaction.atomic
def issue_api_token(*, user: User) -> tuple[ApiToken, str]:
    """Issue a new token to a person who has just signed in. Returns the record and the token (shown once)."""
    if not user.is_active:
        raise PermissionDenied(_("账号已停用，不能签发API令牌。"))
    expires_at = selectors.password_expires_at(user)
    if expires_at is not None and expires_at <= timezone.now():
        raise PermissionDenied(_("密码已过期，请先登录网页修改密码，再获取API令牌。"))
    token = tokens.new_token()
    record = ApiToken.objects.create(
        user=user,
        digest=tokens.digest(token),
        prefix=tokens.prefix(token),
        expires_at=timezone.now() + rules.api_token_lifetime(),
    )
    return record, token


@transaction.atomic
def api_token_note_use(*, api_token: ApiToken) -> None:
    """Record that a token was used, at most once per LAST_USED_PRECISION."""
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now


def _require_may_revoke(actor, holder: User) -> None:
    if actor.pk == holder.pk or actor.is_superuser:
        return
    if holder.org_unit is None or not scoping.covers(actor, holder.org_unit, roles=DIRECTORY_EDITORS):
        raise PermissionDenied(_("您没有吊销“%(holder)s”的API令牌的权限。") % {"holder": holder})


@transaction.atomic
def revoke_api_token(*, actor, api_token: ApiToken) -> bool:
    """Revoke one token at once. Returns False if it had already ended (nothing to do)."""
    _require_may_revoke(actor, api_token.user)
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True, expires_at__gt=now).update(
        revoked_at=now, revoked_by=actor
    )
    return bool(changed)


@transaction.atomic
def revoke_api_tokens_of(*, actor, user: User) -> int:
    """Revoke every live token of a person (a lost laptop, a person who left). Returns how many."""
    _require_may_revoke(actor, user)
    return selectors.live_api_tokens_of(user).update(revoked_at=timezone.now(), revoked_by=actor)


@transaction.atomic
def delete_ended_api_tokens() -> int:
    """Delete tokens that ended more than ENDED_TOKENS_KEPT ago (the periodic clean-up)."""
    cutoff = timezone.now() - ENDED_TOKENS_KEPT
    deleted, _ = ApiToken.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def save_language(*, user: User, language: str) -> bool:
    """Keep the language a signed-in person chose in the header's menu (one of the platform's), so their
    e-mails and notifications follow it; another code changes nothing. Returns whether it was saved."""
    if not user.is_authenticated or language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    usercache.user_changed(user.pk)  # an update() sends no signal: the cached signed-in user must be re-read
    return True


@transaction.atomic
def password_record(*, user: User) -> None:
    """Keep the hash of the password just set on ``user``, and drop records the reuse rule no longer needs."""
    if not user.pk or not user.has_usable_password():
        return
    PasswordRecord.objects.create(user=user, password=user.password)
    keep = max(rules.password_history_count(), 1)
    stale = list(PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[keep:])
    if stale:
        PasswordRecord.objects.filter(pk__in=stale).delete()
