"""The credential rules as data. Limits come from settings (see config/settings.py, "Credentials").

GB/T 22239-2019 (等保 2.0) level 3, 8.1.4.1 身份鉴别: passwords complex enough and changed
periodically; failed sign-ins limited and locked; sessions end. The figures chosen here are
the common reading of it: ≥ 10 characters from ≥ 3 of 4 classes, no reuse of the last 5,
a 90-day maximum age.
"""

import string
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy

# The four character classes of a password, named as a person reads them. Anything that is not
# an ASCII letter or digit (punctuation, spaces, CJK) counts as a special character.
UPPER, LOWER, DIGIT, SPECIAL = (
    gettext_lazy("大写字母"),
    gettext_lazy("小写字母"),
    gettext_lazy("数字"),
    gettext_lazy("特殊字符"),
)
CHARACTER_CLASSES = (UPPER, LOWER, DIGIT, SPECIAL)
MIN_CHARACTER_CLASSES = 3


def character_class(ch: str) -> str:
    if ch in string.ascii_uppercase:
        return UPPER
    if ch in string.ascii_lowercase:
        return LOWER
    if ch in string.digits:
        return DIGIT
    return SPECIAL


def character_classes(password: str) -> set[str]:
    """Names of the classes a password draws from."""
    return {character_class(ch) for ch in password}


def api_token_lifetime() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def password_max_age() -> timedelta | None:
    """None when expiry is switched off (PASSWORD_MAX_AGE_DAYS=0)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    return timedelta(days=days) if days > 0 else None


def password_history_count() -> int:
    return settings.PASSWORD_HISTORY_COUNT
