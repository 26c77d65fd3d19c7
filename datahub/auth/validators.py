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
from django.utils.translation import gettext as _

from . import rules, selectors, services


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短：至少需要%(min_length)s个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少%(min_length)s个字符。") % {"min_length": self.min_length}


class CharacterClassesValidator:
    def __init__(self, min_classes: int = rules.MIN_CHARACTER_CLASSES):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = rules.character_classes(password)
        if len(found) < self.min_classes:
            missing = _("、").join(str(c) for c in rules.CHARACTER_CLASSES if c not in found)
            raise ValidationError(
                _(
                    "密码须包含大写字母、小写字母、数字、特殊字符中的至少%(min_classes)s类，当前只有%(count)s类（缺少%(missing)s）。"
                )
                % {"min_classes": self.min_classes, "count": len(found), "missing": missing},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、特殊字符中的至少%(min_classes)s类。") % {
            "min_classes": self.min_classes
        }


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
                _("新密码不能与最近使用过的%(count)s个密码相同，请换一个。") % {"count": count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is not None:
            services.password_record(user=user)

    def get_help_text(self):
        return _("不能重复使用最近%(password_history_count)s次用过的密码。") % {
            "password_history_count": rules.password_history_count()
        }
