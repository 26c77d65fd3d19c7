"""Password validators (AUTH_PASSWORD_VALIDATORS) for the rules in rules.py, with messages in Chinese.

Similar-to-the-person, common and all-digit passwords are Django's own validators (translated);
Django 5.2's length message has no Chinese translation yet, so the length rule says it here.

Django runs ``validate`` wherever a password is chosen (the password-change page, the admin,
the directory's person form, the API) and ``password_changed`` after every save of a new
password, which is where the history is kept.
"""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from . import rules, selectors, services


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短：至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少{self.min_length}个字符。"


class CharacterClassesValidator:
    def __init__(self, min_classes: int = rules.MIN_CHARACTER_CLASSES):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = rules.character_classes(password)
        if len(found) < self.min_classes:
            missing = "、".join(c for c in rules.CHARACTER_CLASSES if c not in found)
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类，"
                f"当前只有{len(found)}类（缺少{missing}）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类。"


class PasswordHistoryValidator:
    """No reuse of the current password or the ones before it (PASSWORD_HISTORY_COUNT in all)."""

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        count = rules.password_history_count()
        if count <= 0:
            return
        hashes = selectors.recent_password_hashes(user, count)
        if user.has_usable_password() and user.password not in hashes:
            hashes.insert(0, user.password)  # set before this rule existed
        if any(check_password(password, h) for h in hashes[:count]):
            raise ValidationError(
                f"新密码不能与最近使用过的{count}个密码相同，请换一个。",
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is not None:
            services.password_record(user=user)

    def get_help_text(self):
        return f"不能重复使用最近{rules.password_history_count()}次用过的密码。"
