"""Builders for the data-sharing catalog: a synced catalog, stewards, registered systems and their tokens, grants."""

import base64
from datetime import timedelta
from types import SimpleNamespace

from django.db import connection
from django.test import Client
from django.utils import timezone

from datahub.catalog import services
from datahub.models import Dataset
from datahub.oidc import services as oidc
from datahub.oidc.rules import SystemKind
from datahub.roles import Role

from .factories import UserFactory, grant


def system(owner, name: str = "甲厅业务系统"):
    """A department system registered through unified identity (an interface-calling system of the owner's unit
    with the ``exchange`` scope); returns its OAuth2 application, which remembers its secret for ``access_token``."""
    registered, secret = oidc.system_register(
        actor=owner,
        org_unit=owner.org_unit,
        name=name,
        kind=SystemKind.SERVICE,
        scopes=["exchange"],
        redirect_uris="",
        post_logout_redirect_uris="",
        contact_name="王工",
        contact_phone="0571-87000000",
        contact_email="ops@example.gov.cn",
        description="测试",
    )
    application = registered.application
    application.plain_secret = secret
    return application


def access_token(application) -> str:
    """A client-credentials token obtained the way a department system gets one: POST /o/token/ with its secret."""
    basic = base64.b64encode(f"{application.client_id}:{application.plain_secret}".encode()).decode()
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials", "scope": "exchange"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200, response.content.decode()
    return response.json()["access_token"]


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


def tamper(sql: str, params=()) -> None:
    """Change the trail behind the application's back. On PostgreSQL the database refuses UPDATE and DELETE
    (test_catalog_trail_partitions.py), so the tamperer here is a superuser who switches triggers off for the
    session, which is what it would take: verification must still find the change."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
