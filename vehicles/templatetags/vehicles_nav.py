"""Whether the vehicles pages offer the dispatch board (the section's tabs are in vehicles/navigation.py)."""

from django import template

from datahub.navigation import held_roles

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def may_dispatch(context) -> bool:
    # The header already read the user's roles for the top bar (cached on the user): no query.
    user = context["request"].user
    return user.is_superuser or bool(held_roles(user) & set(selectors.FLEET_EDITORS))
