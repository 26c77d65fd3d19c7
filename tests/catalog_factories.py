"""Builders for the data-sharing catalog: a synced catalog, stewards, registered systems and their tokens, grants."""

import secrets
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from datahub.catalog import services
from datahub.models import Dataset
from datahub.roles import Role

from .factories import UserFactory, grant


def system(owner, name: str = "甲厅业务系统"):
    """A department system registered as an OAuth2 client (client credentials), created through DOT's model."""
    return get_application_model().objects.create(
        name=name,
        user=owner,
        client_type="confidential",
        authorization_grant_type="client-credentials",
    )


def access_token(application, *, hours: int = 1) -> str:
    token = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(
        token=token,
        application=application,
        user=None,
        scope="exchange",
        expires=timezone.now() + timedelta(hours=hours),
    )
    return token


def share(dataset, *, actor, consumer_unit, items=None, user=None, application=None, days=30, **kwargs):
    today = timezone.localdate()
    return services.grant_create(
        actor=actor,
        dataset=dataset,
        consumer_unit=consumer_unit,
        user=user,
        application=application,
        items=items or list(dataset.items.values_list("name", flat=True)),
        valid_from=kwargs.pop("valid_from", today),
        valid_to=kwargs.pop("valid_to", today + timedelta(days=days)),
        **kwargs,
    )


def build_hub(tree, people):
    """The catalog published from the declarations; the hub's data steward on the root; a steward in A and in B;
    a system of A with a token."""
    services.catalog_sync()
    hub = grant(UserFactory(username="steward_r", name="数据局", org_unit=tree.r), Role.DATA_STEWARD, tree.r)
    steward_a = grant(UserFactory(username="steward_a", name="甲数据员", org_unit=tree.a), Role.DATA_STEWARD, tree.a)
    steward_b = grant(UserFactory(username="steward_b", name="乙数据员", org_unit=tree.b), Role.DATA_STEWARD, tree.b)
    app_a = system(people.admin_a)
    return SimpleNamespace(
        **vars(people),
        hub=hub,
        steward_a=steward_a,
        steward_b=steward_b,
        app_a=app_a,
        units=Dataset.objects.get(declaration_key="datahub.units"),
    )
