"""The caller of an API request made with a system's own token (client credentials): not a person.

It answers the questions the API asks of ``request.user`` (authenticated, active, superuser, permissions)
and holds, on its owning unit's subtree, the roles its scopes map to (``rules.SYSTEM_SCOPE_ROLES``), which
``datahub.scoping`` reads like a person's grants. It never holds a model permission, so anything that is not
a scoped read refuses it.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import rules


@dataclass(eq=False)
class SystemPrincipal:
    system: object  # RegisteredSystem
    scopes: frozenset[str] = field(default_factory=frozenset)

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    is_system = True
    pk = None
    id = None

    @property
    def org_unit(self):
        return self.system.org_unit

    @property
    def org_unit_id(self):
        return self.system.org_unit_id

    @property
    def username(self) -> str:
        return self.get_username()

    @property
    def name(self) -> str:
        return self.system.name

    def get_username(self) -> str:
        return f"system:{self.system.application.client_id}"

    def __str__(self) -> str:
        return _("接入系统：%(name)s") % {"name": self.system.name}

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perms, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False

    def role_paths(self, roles) -> dict[str, list[str]]:
        """``scoping``'s view of the roles this system holds: those of its scopes, on its own unit."""
        held = {role for scope in self.scopes for role in rules.SYSTEM_SCOPE_ROLES.get(scope, ())}
        unit = self.system.org_unit
        path = [unit.path] if unit.is_active else []
        return {role: (path if role in held else []) for role in roles}


def is_system(user) -> bool:
    return bool(getattr(user, "is_system", False))
